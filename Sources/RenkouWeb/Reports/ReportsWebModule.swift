import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Reports (统计报表): who reported a month, a unit's report with its versions and review.
struct ReportsWebModule: WebModule {
    let name = "reports"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { ReportPages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { ReportsAPI.register(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/reports", Text("月报", "Reports"), order: 95, permission: .reports(.read))] }
    var strings: [String: Text] { ReportPages.strings }
    var contributions: [Contribution] {
        [ExtensionPoint.recordLinks(RecordLink(kind: "report-unit", href: { "/reports/units/\($0.text)" })),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "reports")),
         ExtensionPoint.dashboardCards(DashboardCard(order: 10, ReportDashboardCard()))]
    }
}

/// The dashboard's card of last month's reports for the unit looked at: per level how many were
/// expected, stand and came on time, and who is behind (each opening its sheet).
struct ReportDashboardCard: PageSection {
    func render(_ focus: DashboardFocus, account: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        guard account.role.can(.reports(.read)) else { return nil }
        let lang = context.lang, month = ReportPages.month(request, deps, form: nil)
        let (units, rates) = try await deps.stores.reports.status(month: month, unit: focus.unit.code, in: context.scope)
        guard !rates.isEmpty else { return nil }
        struct ReportCardRate { let level: String; let expected: Int; let submitted: Int; let onTime: Int; let completeness: String; let timeliness: String }
        struct ReportCardBehind { let unit: String; let state: String; let late: Int; let href: String }
        struct ReportCardView { let month: String; let rates: [ReportCardRate]; let behind: [ReportCardBehind]; let hasBehind: Bool; let href: String }
        let behind = units.filter { $0.daysLate > 0 }.map {
            ReportCardBehind(unit: $0.unitName, state: ReportPages.stateLabel($0.state, lang), late: $0.daysLate,
                   href: ReportPages.sheetHref(unit: $0.unitCode, month: month))
        }
        let view = ReportCardView(month: month, rates: rates.map { ReportCardRate(level: $0.level.label(lang), expected: $0.expected, submitted: $0.submitted, onTime: $0.onTime,
                                                               completeness: ReportPages.percent($0.submitted, $0.expected), timeliness: ReportPages.percent($0.onTime, $0.expected)) },
                        behind: behind, hasBehind: !behind.isEmpty, href: SitePath.query("/reports", [("month", month), ("unit", focus.unit.code)]))
        return deps.renderer.fragment("reports/dashboard_card", model: view, context: context)
    }
}
