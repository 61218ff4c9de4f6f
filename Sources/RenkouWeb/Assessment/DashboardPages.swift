import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// What the dashboard is looking at: a unit (of the caller's scope) and a year.
struct DashboardFocus: Sendable {
    let unit: OrgUnit
    let year: Int
}

/// A card a module puts on the dashboard under the charts (the reports of last month, …); `order`
/// places it among the others.
struct DashboardCard: Sendable {
    let order: Int
    let section: AnySection<DashboardFocus>
    init<S: PageSection>(order: Int, _ section: S) where S.Record == DashboardFocus { self.order = order; self.section = AnySection(section) }
}

extension ExtensionPoint where Item == DashboardCard {
    /// The cards modules put on the dashboard.
    static var dashboardCards: ExtensionPoint<DashboardCard> { ExtensionPoint("assessment.dashboard-cards") }
}

/// The dashboard's card of the 100-point sheet: the units below, ranked by their score of the year,
/// a vetoed unit marked whatever its score.
struct ScoreDashboardCard: PageSection {
    func render(_ focus: DashboardFocus, account: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        guard let below = OrgLevel.allCases.first(where: { $0 > focus.unit.level }), [OrgLevel.street, .community].contains(below) else { return nil }
        let scores = try await deps.stores.scores.scores(year: focus.year, levels: [below], in: Scope(path: focus.unit.path))
        struct ScoreCardRow { let unit: String; let total: String; let vetoed: Bool; let href: String }
        struct ScoreCardView { let year: Int; let rows: [ScoreCardRow]; let hasRows: Bool }
        let view = ScoreCardView(year: focus.year, rows: scores.map { ScoreCardRow(unit: $0.unitName, total: String(format: "%.1f", $0.total), vetoed: $0.vetoed,
                                                                 href: "/assessment/scores/\($0.unitCode)?year=\(focus.year)") }, hasRows: !scores.isEmpty)
        return deps.renderer.fragment("assessment/dashboard_scores", model: view, context: context)
    }
}

/// 看板 (`/dashboard`): for a unit and a year, an indicator's monthly trend against the target, the
/// units below it ranked by it, the population pyramid, and the warnings, vetoes and scores; each
/// chart's numbers also as a table, each point and bar opening the records behind it.
enum DashboardPages {
    static let strings: [String: Text] = [
        "dashboard": Text("看板", "Dashboard"),
        "dashboard_trend": Text("逐月趋势", "Month by month"),
        "dashboard_ranking": Text("下级单位排名", "The units below, ranked"),
        "dashboard_pyramid": Text("人口金字塔", "Population pyramid"),
        "dashboard_male": Text("男", "Men"),
        "dashboard_female": Text("女", "Women"),
        "dashboard_month": Text("月份", "Month"),
        "dashboard_band": Text("年龄组", "Age"),
        "dashboard_summary": Text("本年概况", "The year so far"),
        "dashboard_no_scores": Text("下级单位尚无考核评分。", "No unit below has a score yet."),
    ]

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/dashboard") { request, context -> Response in
            let account = try context.require(.assessment(.read))
            let lang = context.lang, year = AssessmentPages.year(request, deps), today = Day(deps.stores.env.now())
            let catalogue = deps.stores.indicators.all.filter { $0.unit == .percent && $0.period != .day }
            let code = request.query("code").flatMap { c in catalogue.first { $0.code == c }?.code } ?? catalogue.first { $0.code == "O02-knowledge" }?.code ?? catalogue[0].code
            let indicator = catalogue.first { $0.code == code }!
            let unitCode = request.query("unit").flatMap { $0.isEmpty ? nil : $0 }
            let visible = indicator.recordsVisible(to: account.role)
            let day = Day(year: year, month: 12, day: 31)! < today ? Day(year: year, month: 12, day: 31)! : today
            // The unit shown (the scope's top when none is asked); its pyramid, the modules' cards and the
            // warnings are read beside the trend (each read takes one of the readers; two cores).
            let shown = try await deps.stores.orgs.unitAndChildren(unitCode, in: context.scope).unit
            let scope = context.scope
            async let pyramidRead = deps.stores.persons.ageStructure(unitCode: shown.code, on: day, in: scope)
            async let cardsRead = Self.cards(DashboardFocus(unit: shown, year: year), account, deps, context, request)
            async let warningsRead = deps.stores.warnings.counts(year: year, in: scope)
            async let vetoedRead = deps.stores.warnings.vetoed(year: year, in: scope)
            // the trend: each month of the year gone by
            var points: [(label: String, value: Double?, text: String, href: String?)] = []
            for month in 1...12 {
                let end = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
                let first = Day(year: year, month: month, day: 1)!
                guard first <= today else { break }
                let f = try await deps.stores.indicators.tree([code], units: [shown], on: end < today ? end : today, period: .month)[0].figures[0]
                points.append(("\(month)", f.rate, f.rate.map { indicator.shown($0) + " (\(f.numerator)/\(f.denominator))" } ?? "—",
                               visible && f.denominator > 0 ? "/indicators/\(code)?unit=\(shown.code)&on=\((end < today ? end : today).description)&period=month" : nil))
            }
            let s = try await deps.stores.indicators.summary([code], unitCode: unitCode, on: day, period: .year, in: context.scope)
            let target = s.unit.figures[0].target
            let ranked = s.children.sorted { ($0.figures[0].rate ?? -1) > ($1.figures[0].rate ?? -1) }
            let bars = ranked.map { c -> Charts.Bar in
                let f = c.figures[0]
                return Charts.Bar(label: c.name, value: f.rate ?? 0, text: f.rate.map { indicator.shown($0) } ?? "—", short: f.meetsTarget == false,
                                  href: visible ? "/indicators/\(code)?unit=\(c.code)&on=\(day.description)&period=year" : nil)
            }
            let pyramid = try await pyramidRead, warnings = try await warningsRead, vetoed = try await vetoedRead
            struct TrendRow { let month: String; let value: String; let href: String? }
            struct RankRow { let unit: String; let value: String; let short: Bool; let href: String?; let vetoed: Bool; let raised: Int; let open: Int }
            struct BandRow { let band: String; let male: Int; let female: Int }
            struct View { let year: Int; let unit: String; let indicator: String; let codes: [FormField.Option]; let units: [FormField.Option]; let trend: String; let ranking: String
                let pyramid: String; let trendRows: [TrendRow]; let rankRows: [RankRow]; let bandRows: [BandRow]; let yearFigure: String; let target: String; let cards: [String] }
            let units = try await deps.stores.orgs.list(levels: [.district, .street, .community], in: context.scope)
            let cards = try await cardsRead
            let view = View(year: year, unit: shown.name, indicator: indicator.name(lang),
                            codes: catalogue.map { FormField.Option(value: $0.code, label: $0.name(lang), selected: $0.code == code) },
                            units: units.map { FormField.Option(value: $0.code, label: $0.name, selected: $0.code == shown.code) },
                            trend: Charts.trend(points, target: target, title: "\(indicator.name(lang)) · \(shown.name)"),
                            ranking: Charts.bars(bars, target: target, title: strings["dashboard_ranking"]!(lang)),
                            pyramid: Charts.pyramid(pyramid, title: strings["dashboard_pyramid"]!(lang), maleLabel: strings["dashboard_male"]!(lang), femaleLabel: strings["dashboard_female"]!(lang)),
                            trendRows: points.map { TrendRow(month: $0.label, value: $0.text, href: $0.href) },
                            rankRows: ranked.map { c in RankRow(unit: c.name, value: c.figures[0].rate.map { indicator.shown($0) } ?? "—", short: c.figures[0].meetsTarget == false,
                                                               href: visible ? "/indicators/\(code)?unit=\(c.code)&on=\(day.description)&period=year" : nil, vetoed: vetoed.contains(c.code),
                                                               raised: warnings[c.code]?.raised ?? 0, open: warnings[c.code]?.open ?? 0) },
                            bandRows: pyramid.map { BandRow(band: $0.label, male: $0.male, female: $0.female) },
                            yearFigure: s.unit.figures[0].rate.map { indicator.shown($0) } ?? "—", target: target.map { indicator.shown($0) } ?? "—", cards: cards)
            return deps.renderer.html("assessment/dashboard", title: Text("看板", "Dashboard"), model: view, context: context, request: request)
        }
    }

    /// The modules' cards for `focus`, in their order.
    static func cards(_ focus: DashboardFocus, _ account: Account, _ deps: AppDeps, _ context: AppContext, _ request: Request) async throws -> [String] {
        var cards: [String] = []
        for card in deps.extensions.all(.dashboardCards).sorted(by: { $0.order < $1.order }) {
            if let html = try await card.section.render(focus, account, deps, context, request) { cards.append(html) }
        }
        return cards
    }
}
