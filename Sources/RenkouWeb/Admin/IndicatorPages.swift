import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/indicators/{code}`: an indicator's figure for a unit and the records behind its gap (or all of
/// them), each linking to the person. The records of a reproductive-health figure are for the service
/// roles only (`Indicator.detailPermission`); the list is audited like a person list.
enum IndicatorPages {
    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        // Where a record behind a figure opens: a person, or a module's own record (a landlord, a registration).
        var links: [String: @Sendable (UUID) -> String] = ["person": SitePath.person]
        for l in deps.extensions.all(.recordLinks) { links[l.kind] = l.href }
        let recordLinks = links
        router.get("/indicators/{code}") { request, context -> Response in
            let links = recordLinks
            let account = try context.requireAccount()
            let lang = context.lang
            let code = try context.parameters.require("code")
            guard let indicator = deps.stores.indicators.all.first(where: { $0.code == code }) else { throw RenkouError.notFound(Text("指标", "indicator")) }
            guard indicator.recordsVisible(to: account.role) else { throw RenkouError.forbidden }
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            let unit = request.query("unit")?.nilIfEmpty
            let all = request.query("all") == "1", offset = request.query("offset").flatMap(Int.init) ?? 0
            let kind = try IndicatorAPI.periodKind(request.query("period"))
            let figure = try await deps.stores.indicators.summary([code], unitCode: unit, on: day, period: kind, in: context.scope).unit
            let page = try await deps.stores.indicators.records(code, unitCode: unit, on: day, period: kind, gapsOnly: !all, offset: offset, in: context.scope, by: context.actor)
            let f = figure.figures.first
            let base = "/indicators/\(code)?unit=\(figure.code)&on=\(day.description)" + (kind.map { "&period=\($0.rawValue)" } ?? "")
            let model = IndicatorRecordsView(
                name: indicator.name(lang), unitName: figure.name, numerator: indicator.numerator(lang), denominator: indicator.denominator(lang),
                figure: f.map { "\($0.rate.map { indicator.unit == .per100 ? String(format: "%.1f", $0 * 100) : String(format: "%.1f%%", $0 * 100) } ?? "—") (\($0.numerator) / \($0.denominator))" } ?? "—",
                target: (f?.target ?? indicator.target).map { indicator.shown($0) } ?? "—", day: IndicatorStore.period(of: indicator, on: day, kind: kind).description,
                heading: (all ? Text("全部记录", "All records") : Text("未达标的记录", "Records behind the gap"))(lang),
                toggleHref: all ? base : base + "&all=1", toggleLabel: (all ? Text("只看未达标的", "Only the gaps") : Text("显示全部", "Show all"))(lang),
                rows: page.items.map { IndicatorRecordsView.Row(name: $0.name, idNumber: $0.idNumber, detail: $0.detail ?? "", href: links[$0.link]?($0.id)) },
                summary: Text("共 \(page.totalShown) 条", "\(page.totalShown) records")(lang),
                nextHref: page.hasMore ? base + (all ? "&all=1" : "") + "&offset=\(offset + page.limit)" : nil)
            return deps.renderer.html("admin/indicator_records", title: indicator.name, model: model, context: context, request: request)
        }
    }
}

/// An indicator's figure and the records behind it.
struct IndicatorRecordsView {
    struct Row { let name: String; let idNumber: String; let detail: String; let href: String? }
    let name: String, unitName: String, numerator: String, denominator: String, figure: String, target: String, day: String
    let heading: String
    let toggleHref: String, toggleLabel: String
    let rows: [Row]
    let summary: String
    let nextHref: String?
}

/// Where the records of one kind behind an indicator open (`IndicatorRecord.link`): `host` → the
/// landlord's page, `registration` → the birth registration's. A module contributes its kinds.
struct RecordLink: Sendable {
    let kind: String
    let href: @Sendable (UUID) -> String
}

extension ExtensionPoint where Item == RecordLink {
    /// Where modules say how their records behind an indicator are linked.
    static var recordLinks: ExtensionPoint<RecordLink> { ExtensionPoint("indicators.record-links") }
}
