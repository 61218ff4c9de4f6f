import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 百分制考核: every community's sheet for a year (`/assessment/scores`), one community's with the
/// trail of each point (`/assessment/scores/{code}`), the hand scores and their review.
enum ScorePages {
    static let strings: [String: Text] = [
        "scores": Text("百分制考核", "The 100-point sheet"),
        "scores_intro": Text("各社区按评分表逐项计分：指标项达到本单位目标得满分、低于下限不得分、其间按比例；人工评分项经另一人复核后计入；逾期未办的预警扣分；一票否决的单位无论得分均标注。",
                             "Each community item by item: an indicator's full marks at the unit's target, none under its floor, in proportion between; a hand score counts once someone else reviews it; warnings left past their deadline cost points; a vetoed unit is marked whatever it scores."),
        "scores_total": Text("总分", "Total"),
        "scores_item": Text("评分项", "Item"),
        "scores_points": Text("得分", "Points"),
        "scores_trail": Text("计分过程", "How"),
        "scores_hand": Text("人工评分", "Score by hand"),
        "scores_evidence": Text("依据", "Evidence"),
        "scores_review": Text("复核", "Review"),
        "scores_pending": Text("待复核", "To review"),
    ]

    static func fmt(_ v: Double) -> String { String(format: "%g", v) }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/assessment/scores") { request, context -> Response in
            _ = try context.require(.assessment(.read))
            let year = AssessmentPages.year(request, deps)
            let sheets = try await deps.stores.scores.scores(year: year, in: context.scope)
            let scheme = deps.stores.env.policy(.scoreScheme, on: Day(year: year, month: 12, day: 31)!)
            // the sheet's categories in order (the scores carry the Chinese name; the heading is in the page's language)
            let categories = scheme.reduce(into: [String]()) { if !$0.contains($1.category.zh) { $0.append($1.category.zh) } }
            let headings = categories.map { zh in scheme.first { $0.category.zh == zh }!.category(context.lang) }
            struct SheetLine { let unit: String; let href: String; let cells: [String]; let total: String; let vetoed: Bool }
            struct View { let year: Int; let categories: [String]; let rows: [SheetLine]; let hasRows: Bool }
            let rows = sheets.map { s in
                SheetLine(unit: s.unitName, href: "/assessment/scores/\(s.unitCode)?year=\(year)",
                          cells: categories.map { c in fmt(s.items.filter { $0.category == c }.map(\.points).reduce(0, +)) + " / " + fmt(s.items.filter { $0.category == c }.map(\.max).reduce(0, +)) },
                          total: fmt(s.total), vetoed: s.vetoed)
            }
            return deps.renderer.html("assessment/scores", title: Text("百分制考核", "The 100-point sheet"), model: View(year: year, categories: headings, rows: rows, hasRows: !rows.isEmpty),
                                      context: context, request: request)
        }
        @Sendable func detail(_ code: String, error: RenkouError?, request: Request, context: AppContext, form: [String: String] = [:]) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang, year = AssessmentPages.year(request, deps, form: form)
            let s = try await deps.stores.scores.score(unitCode: code, year: year, in: context.scope)
            let hands = try await deps.stores.scores.handScores(year: year, in: context.scope).filter { $0.unitCode == s.unitCode }
            let scheme = deps.stores.env.policy(.scoreScheme, on: Day(year: year, month: 12, day: 31)!), handItems = scheme.filter { $0.kind == "hand" }
            struct ItemLine { let category: String; let name: String; let points: String; let trail: String; let short: Bool }
            struct HandLine { let id: String; let item: String; let points: String; let evidence: String; let by: String; let reviewed: String?; let canReview: Bool }
            struct View { let unit: String; let code: String; let year: Int; let total: String; let vetoed: Bool; let items: [ItemLine]; let hands: [HandLine]; let hasHands: Bool
                let canScore: Bool; let handItems: [FormField.Option]; let message: String? }
            let view = View(unit: s.unitName, code: s.unitCode, year: year, total: fmt(s.total), vetoed: s.vetoed,
                            items: s.items.map { i in (i, scheme.first { $0.code == i.code }) }.map { i, item in
                                ItemLine(category: item?.category(lang) ?? i.category, name: item?.name(lang) ?? i.name, points: "\(fmt(i.points)) / \(fmt(i.max))", trail: i.trail, short: i.points < i.max - 1e-9) },
                            hands: hands.map { h in HandLine(id: h.id.text, item: handItems.first { $0.code == h.item }?.name(lang) ?? h.item, points: fmt(h.points), evidence: h.evidence, by: h.scoredBy, reviewed: h.reviewedBy,
                                                             canReview: h.reviewedBy == nil && account.role.can(.assessment(.approve)) && h.scoredBy != account.username) },
                            hasHands: !hands.isEmpty, canScore: account.role.can(.assessment(.plan)),
                            handItems: handItems.map { FormField.Option(value: $0.code, label: "\($0.name(lang))（≤ \(fmt($0.points))）", selected: false) },
                            message: AssessmentPages.message(error, lang))
            return deps.renderer.html("assessment/score", title: Text(s.unitName, s.unitName), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment/scores/{code}") { request, context -> Response in try await detail(try context.parameters.require("code"), error: nil, request: request, context: context) }
        router.post("/assessment/scores/{code}/hand") { request, context -> Response in
            _ = try context.require(.assessment(.plan))
            let code = try context.parameters.require("code"), f = try await RenkouWeb.Form.read(request, context: context)
            let y = AssessmentPages.year(request, deps, form: f.values)
            do {
                try await deps.stores.scores.scoreByHand(unit: code, year: y, item: f["item"] ?? "", points: f["points"].flatMap { Double($0) } ?? -1, evidence: f["evidence"] ?? "",
                                                         in: context.scope, by: context.actor)
                return Redirect.to("/assessment/scores/\(code)?year=\(y)", notice: Text("已评分，待复核。", "Scored; waiting for review."))
            } catch let error as RenkouError where error.kind == .invalid { return try await detail(code, error: error, request: request, context: context, form: f.values) }
        }
        router.post("/assessment/scores/{code}/hand/{id}/review") { request, context -> Response in
            _ = try context.require(.assessment(.approve))
            let code = try context.parameters.require("code"), f = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.scores.review(try context.uuid("id", Text("评分", "score")), in: context.scope, by: context.actor)
                return Redirect.to("/assessment/scores/\(code)?year=\(AssessmentPages.year(request, deps, form: f.values))", notice: Text("已复核。", "Reviewed."))
            } catch let error as RenkouError where error.kind == .conflict { return try await detail(code, error: error, request: request, context: context, form: f.values) }
        }
    }
}
