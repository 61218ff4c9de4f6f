import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/indicators`: the catalogue of every module's indicators, their figures for a unit and the
/// units below it, and the records behind one indicator's gap.
enum IndicatorAPI {
    struct Figures: Encodable { let day: String; let indicators: [Indicator]; let unit: UnitRates; let children: [UnitRates] }

    /// `period=month|quarter|year|statistical-year` (each indicator's own when absent). Throws `invalid` (`/period` `code-unknown`).
    static func periodKind(_ text: String?) throws -> Period.Kind? {
        guard let text, !text.isEmpty else { return nil }
        guard let k = Period.Kind(rawValue: text), k != .day else {
            throw RenkouError.invalid([FieldError("/period", "code-unknown", Text("统计期应为 month、quarter、year 或 statistical-year。", "The period is month, quarter, year or statistical-year."))])
        }
        return k
    }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/indicators") { _, context in
            _ = try context.requireAccount()
            return try JSON.response(deps.stores.indicators.all)
        }
        api.on(.get, "/api/v1/indicators/figures") { request, context in
            _ = try context.requireAccount()
            let day = try Day.parse(request.query("on"), field: "on", default: deps.stores.env.today)
            let store = deps.stores.indicators
            let codes = request.query("code").map { $0.split(separator: ",").map(String.init) } ?? store.all.map(\.code)
            let s = try await store.summary(codes, unitCode: request.query("unit"), on: day, period: try periodKind(request.query("period")), in: context.scope)
            return try JSON.response(Figures(day: day.description, indicators: store.all.filter { codes.contains($0.code) }, unit: s.unit, children: s.children))
        }
        api.on(.get, "/api/v1/indicators/{code}/records") { request, context in
            let account = try context.requireAccount()
            // The people behind a reproductive-health figure are for the service roles only.
            if let indicator = deps.stores.indicators.all.first(where: { $0.code == (context.parameters.get("code") ?? "") }), !indicator.recordsVisible(to: account.role) {
                throw RenkouError.forbidden
            }
            let day = try Day.parse(request.query("on"), field: "on", default: deps.stores.env.today)
            return try JSON.response(try await deps.stores.indicators.records(
                try context.parameters.require("code"), unitCode: request.query("unit"), on: day, period: try periodKind(request.query("period")), gapsOnly: request.query("all") != "true",
                limit: min(request.query("limit").flatMap(Int.init) ?? 100, 1000), offset: request.query("offset").flatMap(Int.init) ?? 0,
                in: context.scope, by: context.actor))
        }
    }
}
