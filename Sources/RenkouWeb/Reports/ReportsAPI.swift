import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The reports API: who reported a month, a unit's report with its versions, submit, review.
enum ReportsAPI {
    /// Who reported a month: every reporting unit's state and the rates per level.
    struct StatusBody: Encodable { let month: String; let units: [ReportStatus]; let rates: [ReportRates] }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        let stores = deps.stores
        @Sendable func month(_ request: Request) -> String { ReportPages.month(request, deps) }

        api.on(.get, "/api/v1/reports") { request, context in
            _ = try context.require(.reports(.read))
            let m = month(request)
            let (units, rates) = try await stores.reports.status(month: m, unit: request.query("unit"), in: context.scope)
            return try JSON.response(StatusBody(month: m, units: units, rates: rates))
        }
        api.on(.get, "/api/v1/reports/forms") { request, context in
            _ = try context.require(.reports(.read))
            let day = try Day.parse(request.query("on"), field: "on", default: Day(stores.env.now()))
            return try JSON.response(stores.env.policy(.reportForms, on: day))
        }
        api.on(.get, "/api/v1/reports/sheet") { request, context in
            _ = try context.require(.reports(.read))
            return try JSON.response(try await stores.reports.sheet(form: request.query("form")?.nilIfEmpty ?? "monthly", unit: request.query("unit"), month: month(request), in: context.scope))
        }
        struct SubmitBody: Decodable { let form: String?; let unit: String?; let month: String?; let note: String? }
        api.on(.post, "/api/v1/reports") { request, context in
            _ = try context.require(.reports(.write))
            let b = try await Body.json(SubmitBody.self, request, context: context)
            return try JSON.response(try await stores.reports.submit(form: b.form ?? "monthly", unit: b.unit, month: b.month, note: b.note, in: context.scope, by: context.actor),
                                     status: .created)
        }
        api.on(.get, "/api/v1/reports/{id}") { request, context in
            _ = try context.require(.reports(.read))
            return try JSON.response(try await stores.reports.report(try context.uuid("id", Text("报表", "report")), in: context.scope))
        }
        struct ReviewBody: Decodable { let accept: Bool?; let note: String? }
        api.on(.post, "/api/v1/reports/{id}/review") { request, context in
            _ = try context.require(.reports(.approve))
            let id = try context.uuid("id", Text("报表", "report"))
            let b = try await Body.json(ReviewBody.self, request, context: context)
            guard let accept = b.accept else {
                throw RenkouError.invalid([FieldError("/accept", "required", Text("请说明通过（true）还是退回（false）。", "Say whether to accept (true) or send back (false)."))])
            }
            return try JSON.response(try await stores.reports.review(id, accept: accept, note: b.note, in: context.scope, by: context.actor))
        }
    }
}
