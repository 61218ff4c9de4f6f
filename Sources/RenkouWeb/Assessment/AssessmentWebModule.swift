import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Assessment (目标管理): the indicator catalogue with every figure of a unit and the units below it
/// against their targets, the targets and their allocation, the agreements, the warnings and the vetoes.
struct AssessmentWebModule: WebModule {
    let name = "assessment"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { CataloguePages.register(router, deps); AssessmentPages.register(router, deps); SpotCheckPages.register(router, deps); ScorePages.register(router, deps); DashboardPages.register(router, deps); TwoWayPages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { AssessmentAPI.register(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/dashboard", Text("看板", "Dashboard"), order: 95, permission: .assessment(.read)),
                                  NavEntry("/indicators", Text("指标", "Indicators"), order: 95, permission: .assessment(.read)),
                                  NavEntry("/assessment", Text("目标考核", "Targets"), order: 95, permission: .assessment(.read))] }
    var strings: [String: Text] { CataloguePages.strings.merging(AssessmentPages.strings) { a, _ in a }.merging(SpotCheckPages.strings) { a, _ in a }.merging(ScorePages.strings) { a, _ in a }.merging(DashboardPages.strings) { a, _ in a }.merging(TwoWayPages.strings) { a, _ in a } }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.warning, Text("预警督办", "Warning to answer"), link: { _ in "/assessment/warnings" },
                                               action: { _ in ("/assessment/warnings", Text("办理", "Answer")) })),
         ExtensionPoint.taskKinds(TaskKindView(.spotCheck, Text("抽查核实", "Spot-check difference"), link: { t in t.personID.map(SitePath.person) ?? "/assessment/spot-checks/\(t.object?.id.text ?? "")" })),
         ExtensionPoint.recordLinks(RecordLink(kind: "household", href: { "/households/\($0.text)" })),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "assessment")),
         ExtensionPoint.dashboardCards(DashboardCard(order: 20, ScoreDashboardCard()))]
    }
}

/// `/indicators`: every indicator the modules register, computed for a unit and the units below it in
/// the period asked (each indicator's own, a month, a quarter, a year, the statistical year), each
/// against the unit's own target, red where it falls behind, each figure opening the records behind it.
enum CataloguePages {
    static let strings: [String: Text] = [
        "catalogue": Text("指标目录", "Indicator catalogue"),
        "catalogue_intro": Text("各模块登记的全部指标，按所选单位及其下级单位、所选统计期实时计算，对照各单位的目标（未分解的取上级目标或国家默认值），点击数字查看背后的记录。",
                                "Every indicator of every module, computed live for the unit and the units below it over the period chosen, against each unit's target (or the one above it, or the default); a figure opens the records behind it."),
        "catalogue_period": Text("统计期", "Period"),
        "catalogue_own_period": Text("各指标本身的统计期", "Each indicator's own"),
        "catalogue_day": Text("日期", "Day"),
        "catalogue_module": Text("模块", "Module"),
        "catalogue_indicator": Text("指标", "Indicator"),
        "catalogue_definition": Text("分子 / 分母", "Numerator / denominator"),
        "catalogue_target": Text("目标", "Target"),
        "catalogue_vetoed": Text("一票否决", "Vetoed"),
    ]

    static func rate(_ f: RateFigure?, _ i: Indicator) -> String {
        guard let f, let r = f.rate else { return "—" }
        return i.shown(r)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/indicators") { request, context -> Response in
            let account = try context.require(.assessment(.read))
            let lang = context.lang
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            let kind = try IndicatorAPI.periodKind(request.query("period"))
            let store = deps.stores.indicators, catalogue = store.all
            let s = try await store.summary(catalogue.map(\.code), unitCode: request.query("unit").flatMap { $0.isEmpty ? nil : $0 }, on: day, period: kind, in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.district, .street, .community, .grid], in: context.scope)
            let vetoed = try await deps.stores.warnings.vetoed(year: day.year, in: context.scope)
            struct FigureCell { let value: String; let below: Bool; let href: String? }
            struct IndicatorRow { let module: String; let name: String; let definition: String; let period: String; let target: String; let cells: [FigureCell] }
            struct CatalogueHead { let name: String; let vetoed: Bool }
            struct View { let heads: [CatalogueHead]; let rows: [IndicatorRow]; let units: [FormField.Option]; let periods: [FormField.Option]; let day: String }
            let all = [s.unit] + s.children
            let rows = catalogue.enumerated().map { n, i -> IndicatorRow in
                let visible = i.recordsVisible(to: account.role)
                return IndicatorRow(module: i.module, name: i.name(lang), definition: "\(i.numerator(lang)) / \(i.denominator(lang))",
                           period: IndicatorStore.period(of: i, on: day, kind: kind).description, target: s.unit.figures[n].target.map { i.shown($0) } ?? "—",
                           cells: all.map { u in
                               let f = u.figures[n]
                               return FigureCell(value: rate(f, i) + (f.denominator > 0 ? " (\(f.numerator)/\(f.denominator))" : ""), below: f.meetsTarget == false,
                                           href: visible ? "/indicators/\(i.code)?unit=\(u.code)&on=\(day.description)" + (kind.map { "&period=\($0.rawValue)" } ?? "") : nil)
                           })
            }
            let periods = [FormField.Option(value: "", label: strings["catalogue_own_period"]!(lang), selected: kind == nil)]
                + [Period.Kind.month, .quarter, .year, .statisticalYear].map { FormField.Option(value: $0.rawValue, label: periodLabel($0)(lang), selected: $0 == kind) }
            let view = View(heads: all.map { CatalogueHead(name: $0.name, vetoed: vetoed.contains($0.code)) }, rows: rows,
                            units: units.map { FormField.Option(value: $0.code, label: $0.name, selected: $0.code == s.unit.code) }, periods: periods, day: day.description)
            return deps.renderer.html("assessment/catalogue", title: Text("指标目录", "Indicator catalogue"), model: view, context: context, request: request)
        }
    }

    static func periodLabel(_ k: Period.Kind) -> Text {
        switch k {
        case .day: Text("当日", "Day")
        case .month: Text("月", "Month")
        case .quarter: Text("季度", "Quarter")
        case .year: Text("年", "Year")
        case .statisticalYear: Text("统计年度（10 月—次年 9 月）", "Statistical year (October–September)")
        }
    }
}
