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
         ExtensionPoint.indicatorPages(IndicatorPage(module: "reports"))]
    }
}
