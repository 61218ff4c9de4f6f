import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/services`, `/api/v1/followups` and a person's services. Recording a service and reading
/// one need the service roles' permission (`services.see-rh`); the visit list tells the other roles
/// that a visit is due, not what it is for.
enum ServiceAPI {
    /// One visit as the API gives it: `kind` (the schedule: a service or a method) only to service roles.
    struct VisitDTO: Codable {
        let id: UUID; let person: UUID; let personName: String; let kind: String?; let step: Int?
        /// The window's days only for service roles: their spacing would tell the service.
        let opens: String?; let due: String; let overdueOn: String?; let expires: String?; let status: FollowUpStatus
        let doneOn: String?; let findings: String?; let unit: String; let handedOverFrom: String?
        init(_ f: FollowUp, on day: Day, seesHealth: Bool) {
            id = f.id; person = f.personID; personName = f.personName; kind = seesHealth ? f.schedule : nil; step = seesHealth ? f.step : nil
            opens = seesHealth ? f.opens : nil; due = f.due; overdueOn = seesHealth ? f.overdueOn : nil; expires = seesHealth ? f.expires : nil
            status = f.status(on: day)
            doneOn = f.doneOn; findings = seesHealth ? f.findings : nil; unit = f.unitCode; handedOverFrom = f.handedOverFrom
        }
    }
    struct Visit: Decodable { let date: String?; let findings: String?; let nextAction: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/services") { request, context in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let input = try await Body.json(ServiceInput.self, request, context: context)
            return try JSON.response(try await deps.stores.services.record(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/followups") { request, context in
            let account = try context.require(.services(.read))
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            var status: FollowUpStatus?
            if let s = request.query("status"), !s.isEmpty {
                guard let v = FollowUpStatus(rawValue: s) else {
                    throw RenkouError.invalid([FieldError("/status", "code-unknown", Text("状态应为 not-yet-due、due、overdue、expired、done 或 closed。",
                                                                                       "The status is not-yet-due, due, overdue, expired, done or closed."))])
                }
                status = v
            }
            let sees = account.role.can(.services(.seeReproductiveHealth))
            let page = try await deps.stores.services.followUps(unitCode: request.query("unit"), on: day, status: status,
                                                                limit: request.query("limit").flatMap(Int.init) ?? 100, offset: request.query("offset").flatMap(Int.init) ?? 0,
                                                                seesHealth: sees, in: context.scope, by: context.actor)
            return try JSON.response(Page(items: page.items.map { VisitDTO($0, on: day, seesHealth: sees) }, total: page.total, limit: page.limit, offset: page.offset, totalExact: page.totalExact))
        }
        api.on(.post, "/api/v1/followups/{id}/visit") { request, context in
            let account = try context.require(.services(.write))
            let id = try context.uuid("id", Text("随访", "follow-up"))
            try await ServicePages.requireHealthRole(for: id, account: account, deps: deps, context: context)
            let body = try await Body.json(Visit.self, request, context: context)
            let day = try Day.parse(body.date, field: "date", default: Day(deps.stores.env.now()))
            let visit = try await deps.stores.services.recordVisit(id, on: day, findings: body.findings ?? "", nextAction: body.nextAction, in: context.scope, by: context.actor)
            return try JSON.response(VisitDTO(visit, on: Day(deps.stores.env.now()), seesHealth: account.role.can(.services(.seeReproductiveHealth))))
        }
        api.on(.get, "/api/v1/persons/{id}/services") { _, context in
            _ = try context.require(.services(.seeReproductiveHealth))
            return try JSON.response(try await deps.stores.services.of(try PersonAPI.id(context), in: context.scope, by: context.actor))
        }
    }
}
