import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/households`: households and their memberships, scoped and audited like the pages.
enum HouseholdAPI {
    struct NewHousehold: Decodable { let number: String?; let unit: String?; let address: String?; let type: String? }
    struct NewMember: Decodable { let person: String?; let relation: String?; let joinedOn: String? }
    struct Leaving: Decodable { let leftOn: String? }

    static func householdID(_ context: AppContext) throws -> UUID {
        let id = try context.uuid("id", Text("户", "household"))
        return id
    }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/households") { request, context in
            _ = try context.require(.registry(.read))
            return try JSON.response(try await deps.stores.households.search(number: request.query("number"), limit: request.query("limit").flatMap(Int.init) ?? 50,
                                                                           offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope))
        }
        api.on(.post, "/api/v1/households") { request, context in
            _ = try context.require(.registry(.write))
            let input = try await Body.json(NewHousehold.self, request, context: context)
            var errors = FieldErrors(); errors.required("/unit", input.unit); try errors.throwIfAny()
            let h = try await deps.stores.households.create(number: input.number ?? "", unitCode: input.unit!, address: input.address,
                                                            type: input.type ?? "family", in: context.scope, by: context.actor)
            return try JSON.response(h, status: .created)
        }
        api.on(.get, "/api/v1/households/{id}") { _, context in
            _ = try context.require(.registry(.read))
            return try JSON.response(try await deps.stores.households.detail(try householdID(context), in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/households/{id}/members") { request, context in
            _ = try context.require(.registry(.write))
            let id = try householdID(context)
            let input = try await Body.json(NewMember.self, request, context: context)
            guard let person = input.person.flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/person", "required", Text("请给出人员编号。", "Give the person's id."))])
            }
            let day = try Day.parse(input.joinedOn, field: "joinedOn", default: Day(deps.stores.env.now()))
            try await deps.stores.households.addMember(id, person: person, relation: input.relation ?? "", on: day, in: context.scope, by: context.actor)
            return try JSON.response(try await deps.stores.households.detail(id, in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/households/{id}/members/{person}/leave") { request, context in
            _ = try context.require(.registry(.write))
            let id = try householdID(context)
            let person = try context.uuid("person", Text("人员", "person"))
            let input = try await Body.json(Leaving.self, request, context: context)
            let day = try Day.parse(input.leftOn, field: "leftOn", default: Day(deps.stores.env.now()))
            try await deps.stores.households.removeMember(id, person: person, on: day, in: context.scope, by: context.actor)
            return try JSON.response(try await deps.stores.households.detail(id, in: context.scope, by: context.actor))
        }
    }
}
