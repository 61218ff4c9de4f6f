import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/tasks`: the one field task list, a home visit added by hand, a task closed with its outcome.
enum TaskAPI {
    struct TaskClose: Decodable { let outcome: String?; let note: String? }
    struct Assign: Decodable { let to: String? }
    struct HomeVisit: Decodable { let person: String?; let due: String?; let note: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/tasks") { request, context in
            _ = try context.require(.tasks(.read))
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            // One unit's list (its subtree) when `unit` is given; a unit outside the scope reads like an unknown one.
            var scope = context.scope
            if let code = request.query("unit"), !code.isEmpty {
                guard let unit = try await deps.stores.orgs.unit(code: code, in: context.scope) else {
                    throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(code) 不存在或不在您的管辖范围内。", "Unit \(code) does not exist or is outside your area."))])
                }
                scope = Scope(path: unit.path)
            }
            // One page of the list in its order (overdue first, then by due day): `limit` (default 200, at
            // most 1000) from `offset` (at most 5000 deep); X-More-Tasks: 1 when the list goes on.
            let limit = min(max(request.query("limit").flatMap(Int.init) ?? 200, 1), 1000), offset = min(max(request.query("offset").flatMap(Int.init) ?? 0, 0), 5000)
            // assigned=me (the caller's), assigned=none (nobody's), else every task.
            let assigned: String? = switch request.query("assigned") { case "me": context.actor.username; case "none": ""; default: nil }
            let account = try context.require(.tasks(.read))
            let head = try await deps.stores.tasks.list(on: day, includeClosed: request.query("closed") == "true", limit: offset + limit + 1, assigned: assigned, for: account.role,
                                                        in: scope, by: context.actor)
            var response = try JSON.response(Array(head.dropFirst(offset).prefix(limit)))
            response.headers[HTTPField.Name("X-More-Tasks")!] = head.count > offset + limit ? "1" : "0"
            return response
        }
        api.on(.post, "/api/v1/tasks") { request, context in
            _ = try context.require(.tasks(.write))
            let b = try await Body.json(HomeVisit.self, request, context: context)
            guard let person = b.person.flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/person", "required", Text("请给出人员编号。", "Give the person's id."))])
            }
            let due = try Day.parse(b.due, field: "due", default: Day(deps.stores.env.now()).adding(days: 7))
            return try JSON.response(try await deps.stores.tasks.addHomeVisit(person: person, due: due, note: b.note, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/tasks/{id}/assign") { request, context in
            let account = try context.require(.tasks(.write))
            let b = try await Body.json(Assign.self, request, context: context)
            try await deps.stores.tasks.assign(try context.uuid("id", Text("任务", "task")), to: b.to, in: context.scope, role: account.role, by: context.actor)
            return Response(status: .noContent)
        }
        api.on(.get, "/api/v1/tasks/report") { request, context in
            _ = try context.require(.tasks(.read))
            let today = Day(deps.stores.env.now())
            let from = try Day.parse(request.query("from"), field: "from", default: TaskPages.reportPeriod(monthly: false, nil, today: today).0)
            let to = try Day.parse(request.query("to"), field: "to", default: from.adding(days: 6))
            guard !(to < from), !(from.adding(days: 366) < to) else {
                throw RenkouError.invalid([FieldError("/to", "range", Text("期间应在一年以内且结束不早于开始。", "The period ends after it starts and lasts at most a year."))])
            }
            return try JSON.response(try await deps.stores.tasks.summary(from: from, to: to, in: context.scope))
        }
        api.on(.post, "/api/v1/tasks/{id}/close") { request, context in
            let account = try context.require(.tasks(.write))
            let b = try await Body.json(TaskClose.self, request, context: context)
            return try JSON.response(try await deps.stores.tasks.close(try context.uuid("id", Text("任务", "task")), outcome: b.outcome ?? "", note: b.note, in: context.scope,
                                                                       role: account.role, by: context.actor))
        }
    }
}
