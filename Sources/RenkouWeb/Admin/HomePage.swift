import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Where a module's indicator leads when clicked: the page listing the records behind its figure.
struct IndicatorPage: Sendable {
    /// The module whose indicators it serves (`Indicator.module`).
    let module: String
    /// The page of indicator `code` for a unit code.
    let href: @Sendable (_ code: String, _ unitCode: String) -> String
    init(module: String, href: @escaping @Sendable (_ code: String, _ unitCode: String) -> String = IndicatorPage.records) {
        self.module = module; self.href = href
    }
    /// The shared page of the records behind an indicator (`/indicators/{code}`).
    static let records: @Sendable (String, String) -> String = { code, unit in "/indicators/\(code)?unit=\(unit)" }
}

extension ExtensionPoint where Item == IndicatorPage {
    /// Where modules say which page shows the records behind each of their indicators.
    static var indicatorPages: ExtensionPoint<IndicatorPage> { ExtensionPoint("admin.indicator-pages") }
}

/// A card a module puts on the workbench; `order` places it among the others (the tasks first).
struct HomeCard: Sendable {
    let order: Int
    let section: AnySection<Account>
    init<S: PageSection>(order: Int, _ section: S) where S.Record == Account { self.order = order; self.section = AnySection(section) }
}

extension ExtensionPoint where Item == HomeCard {
    /// The cards modules put on the workbench (工作台), before the rates: the worker's tasks, what to review.
    static var homeCards: ExtensionPoint<HomeCard> { ExtensionPoint("admin.home-cards") }
}

/// 工作台: what is the signed-in person's to do. The modules' cards come first (a worker's tasks due
/// and overdue), then the unit's key rates against their targets, each a link to the records behind it.
/// A leader, who does no field work, sees the figures.
enum HomePage {
    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        let pages = Dictionary(deps.extensions.all(.indicatorPages).map { ($0.module, $0) }, uniquingKeysWith: { a, _ in a })
        router.get(RouterPath(SitePath.home)) { request, context -> Response in
            let account = try context.requireAccount()
            let lang = context.lang, today = Day(deps.stores.env.now())
            var cards: [String] = []
            for card in deps.extensions.all(.homeCards).sorted(by: { $0.order < $1.order }) {
                if let html = try await card.section.render(account, account, deps, context, request) { cards.append(html) }
            }
            let indicators = deps.stores.indicators
            let figures = try await indicators.unitFigures(indicators.all.map(\.code), unitCode: account.unitCode, on: today, in: context.scope).figures
            let byCode = Dictionary(indicators.all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let rates = figures.compactMap { f -> HomeView.Rate? in
                guard let indicator = byCode[f.code] else { return nil }
                return HomeView.Rate(name: indicator.name(lang), value: f.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—",
                                     counts: "\(f.numerator) / \(f.denominator)",
                                     target: f.target.map { Text("目标 \(String(format: "%.0f%%", $0 * 100))", "target \(String(format: "%.0f%%", $0 * 100))")(lang) } ?? "",
                                     state: f.meetsTarget.map { $0 ? "good" : "bad" } ?? "",
                                     verdict: f.meetsTarget.map { ($0 ? Text("达标", "met") : Text("未达标", "below target"))(lang) } ?? "",
                                     // a leader, who sees no person records, opens the figure's dashboard instead
                                     href: indicator.recordsVisible(to: account.role) ? pages[indicator.module]?.href(f.code, account.unitCode)
                                         : account.role.can(Permission("assessment", .read)) && indicator.unit == .percent && indicator.period != .day
                                             ? "/dashboard?code=\(f.code)&unit=\(account.unitCode)" : nil)
            }
            let model = HomeView(greeting: Text("\(account.displayName)，您好", "Hello, \(account.displayName)")(lang),
                                 unitName: account.unitName, unitHref: SitePath.unit(account.unitCode),
                                 // the role once: not again when the account is named after it (the demo's are)
                                 role: [account.role.label.zh, account.role.label.en].contains(account.displayName) ? "" : account.role.label(lang),
                                 personCount: try await deps.stores.persons.count(in: context.scope),
                                 cards: cards, rates: rates, hasRates: !rates.isEmpty, day: today.description)
            return deps.renderer.html("home", title: Text("工作台", "Workbench"), model: model, context: context, request: request)
        }
    }
}

/// The workbench: the modules' cards, then the unit's rates.
struct HomeView {
    struct Rate { let name: String; let value: String; let counts: String; let target: String; let state: String; let verdict: String; let href: String? }
    let greeting: String
    let unitName: String, unitHref: String, role: String
    let personCount: Int
    /// The modules' cards, already rendered.
    let cards: [String]
    let rates: [Rate]
    let hasRates: Bool
    let day: String
}
