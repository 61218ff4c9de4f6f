import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/tasks`: the one field task list, a home visit added by hand, a task closed with its outcome.
enum TaskAPI {
    struct TaskClose: Decodable { let outcome: String?; let note: String? }
    struct HomeVisit: Decodable { let person: String?; let due: String?; let note: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/tasks") { request, context in
            _ = try context.requireAccount()
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            return try JSON.response(try await deps.stores.tasks.list(on: day, includeClosed: request.query("closed") == "true", in: context.scope, by: context.actor))
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
        api.on(.post, "/api/v1/tasks/{id}/close") { request, context in
            _ = try context.require(.tasks(.write))
            let b = try await Body.json(TaskClose.self, request, context: context)
            return try JSON.response(try await deps.stores.tasks.close(try context.uuid("id", Text("任务", "task")), outcome: b.outcome ?? "", note: b.note, in: context.scope, by: context.actor))
        }
    }
}
