import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/me`, `/api/v1/org-units`, `/api/v1/audit`.
enum AdminAPI {
    struct UnitInput: Decodable { let code: String?; let name: String?; let level: String?; let parent: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/me") { _, context in
            try JSON.response(try context.requireAccount())
        }
        api.on(.get, "/api/v1/org-units") { request, context in
            _ = try context.requireAccount()
            if let parentCode = request.query("parent") {
                guard let parent = try await deps.stores.orgs.unit(code: parentCode, in: context.scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
                return try JSON.response(try await deps.stores.orgs.children(of: parent.id, in: context.scope))
            }
            return try JSON.response(try await deps.stores.orgs.tops(in: context.scope))
        }
        api.on(.get, "/api/v1/org-units/{code}") { _, context in
            _ = try context.requireAccount()
            guard let unit = try await deps.stores.orgs.unit(code: try context.parameters.require("code"), in: context.scope) else {
                throw RenkouError.notFound(Text("单位", "unit"))
            }
            return try JSON.response(unit)
        }
        api.on(.post, "/api/v1/org-units") { request, context in
            _ = try context.require(.admin(.administer))
            let input = try await Body.json(UnitInput.self, request, context: context)
            var errors = FieldErrors()
            errors.required("/code", input.code)
            errors.required("/name", input.name)
            let level = input.level.flatMap(OrgLevel.init(rawValue:))
            if level == nil { errors.add("/level", "level", "级别应为 province、city、district、street、community 或 grid。", "The level is one of province, city, district, street, community, grid.") }
            try errors.throwIfAny()
            let unit = try await deps.stores.orgs.add(code: input.code!, name: input.name!, level: level!, parentCode: input.parent, in: context.scope, by: context.actor)
            return try JSON.response(unit, status: .created)
        }
        api.on(.get, "/api/v1/audit") { request, context in
            _ = try context.require(.admin(.audit))
            return try JSON.response(try await deps.stores.audit.search(AuditPages.query(request), in: context.scope))
        }
    }
}
