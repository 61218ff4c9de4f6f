import Foundation
import RenkouCore
import SQLKit

/// 百分制考核: each community's (or any unit's) sheet for a year, item by item, from the live figures
/// (each against the unit's own target, read over the year), the reviewed hand scores and the
/// deductions, with the trail of how each point was reached; a vetoed unit is marked whatever its score.
public struct ScoreStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let indicators: IndicatorStore
    public init(db: Database, env: RenkouCore.Environment, indicators: IndicatorStore) { self.db = db; self.env = env; self.indicators = indicators }

    /// The sheets of the units of `levels` in the scope (the communities when not asked) for `year`,
    /// read on its last day or today, whichever comes first; highest total first, vetoed units last.
    public func scores(year: Int, levels: [OrgLevel] = [.community], in scope: Scope) async throws -> [UnitScore] {
        let units = try await OrgStore(db: db, env: env).list(levels: levels, in: scope)
        // every unit's figures from one reading of the tree
        let (day, codes) = sheet(year: year)
        let figures = try await indicators.figures(codes, units: units, on: day, period: .year)
        var out: [UnitScore] = []
        for (u, f) in zip(units, figures) { out.append(try await score(unit: u, year: year, figures: f)) }
        return out.sorted { ($0.vetoed ? 1 : 0, -$0.total, $0.unitCode) < ($1.vetoed ? 1 : 0, -$1.total, $1.unitCode) }
    }

    /// One unit's sheet (a unit of the scope). Throws `not-found`.
    public func score(unitCode: String, year: Int, in scope: Scope) async throws -> UnitScore {
        guard let u = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
        return try await score(unit: u, year: year)
    }

    /// The day a year's sheet is read on (its last day, or today) and the indicators its scheme scores from.
    func sheet(year: Int) -> (day: Day, codes: [String]) {
        let today = Day(env.now()), end = Day(year: year, month: 12, day: 31)!
        let day = today < end ? today : end
        let catalogue = Set(indicators.all.map(\.code))
        return (day, env.policy(.scoreScheme, on: day).compactMap(\.indicator).filter { catalogue.contains($0) })
    }

    /// One unit's sheet, from its figures of the scheme's indicators (read here when not given).
    func score(unit u: OrgUnit, year: Int, figures given: [RateFigure]? = nil) async throws -> UnitScore {
        let (day, codes) = sheet(year: year)
        let scheme = env.policy(.scoreScheme, on: day), catalogue = Dictionary(indicators.all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let read: [RateFigure]
        if let given { read = given } else { read = try await indicators.figures(codes, units: [u], on: day, period: .year)[0] }
        let figures = Dictionary(uniqueKeysWithValues: read.map { ($0.code, $0) })
        let engine = db.engine
        let (hands, overdue, vetoed) = try await db.read { db in
            var hands: [String: (Double, String, String)] = [:]
            for r in try await db.raw("""
                SELECT item, points, evidence, reviewed_by FROM assessment_hand_scores WHERE unit_id = \(bind: u.id.text) AND year = \(bind: year) AND reviewed_by IS NOT NULL
                ORDER BY reviewed_at
                """).all() {
                hands[try r.decode(column: "item", as: String.self)] = (try r.decode(column: "points", as: Double.self), try r.decode(column: "evidence", as: String.self),
                                                                        try r.decode(column: "reviewed_by", as: String.self))
            }
            let overdue = try await db.raw("""
                SELECT COUNT(*) AS n FROM warnings w LEFT JOIN tasks t ON t.id = w.task_id WHERE \(engine.startsWith("w.path", u.path)) AND w.closed_on IS NULL AND (t.open IS NULL OR t.open = 1)
                AND w.due_on < \(bind: day.description) AND w.raised_on >= \(bind: "\(year)-01-01")
                """).first()!.decode(column: "n", as: Int.self)
            let vetoed = try await db.raw("SELECT 1 AS x FROM vetoes WHERE unit_id = \(bind: u.id.text) AND year = \(bind: year) AND withdrawn_on IS NULL").first() != nil
            return (hands, overdue, vetoed)
        }
        var items: [ItemScore] = []
        for item in scheme {
            var points = 0.0, trail = ""
            switch item.kind {
            case "indicator":
                guard let code = item.indicator, let indicator = catalogue[code] else { trail = "指标 \(item.indicator ?? "") 不在目录中"; break }
                let f = figures[code]
                guard let f, let rate = f.rate else {
                    points = item.fullWhenNone ? item.points : 0
                    trail = item.fullWhenNone ? "\(indicator.name.zh)：本年无应计事项，满分 \(fmt(item.points))" : "\(indicator.name.zh)：本年未开展，不得分"
                    break
                }
                guard let target = f.target else { trail = "\(indicator.name.zh) \(indicator.shown(rate))：无目标，不得分"; break }
                points = item.points(rate: rate, target: target, direction: indicator.direction)
                let floor = item.floor ?? 0
                trail = points >= item.points - 1e-9
                    ? "\(indicator.name.zh) \(indicator.shown(rate))（\(f.numerator)/\(f.denominator)），达到目标 \(indicator.shown(target))：满分 \(fmt(item.points))"
                    : (points == 0 ? "\(indicator.name.zh) \(indicator.shown(rate))（\(f.numerator)/\(f.denominator)），低于下限 \(indicator.shown(floor))：0 分"
                       : "\(indicator.name.zh) \(indicator.shown(rate))（\(f.numerator)/\(f.denominator)），目标 \(indicator.shown(target))、下限 \(indicator.shown(floor))：\(fmt(item.points)) × (\(indicator.shown(rate)) − \(indicator.shown(floor))) ÷ (\(indicator.shown(target)) − \(indicator.shown(floor))) = \(fmt(points))")
            case "hand":
                if let (p, evidence, reviewer) = hands[item.code] {
                    points = min(max(p, 0), item.points)
                    trail = "考核组评分 \(fmt(points))：\(evidence)（复核 \(reviewer)）"
                } else { trail = "尚未评分或未复核：0 分" }
            case "deduction":
                let lost = min(item.points, Double(overdue) * (item.perEvent ?? 0))
                points = item.points - lost
                trail = overdue == 0 ? "无逾期未办的预警：满分 \(fmt(item.points))" : "逾期未办预警 \(overdue) 件 × \(fmt(item.perEvent ?? 0)) = 扣 \(fmt(lost))"
            default: trail = "未知的评分方式 \(item.kind)"
            }
            items.append(ItemScore(code: item.code, category: item.category.zh, name: item.name.zh, max: item.points, points: (points * 100).rounded() / 100, trail: trail))
        }
        let total = (items.map(\.points).reduce(0, +) * 100).rounded() / 100
        return UnitScore(unitCode: u.code, unitName: u.name, year: year, total: total, items: items, vetoed: vetoed)
    }

    func fmt(_ v: Double) -> String { String(format: "%g", (v * 100).rounded() / 100) }

    /// Scores a hand item of the sheet for a unit of the scope, with its evidence; it counts once
    /// another account reviews it (a later score replaces it once reviewed). Throws `invalid` (`/item`
    /// `code-unknown` (not a hand item), `/unit` `unknown-unit`, `/points` `out-of-range` (0 to the
    /// item's points), `/evidence` `required`, `/year` `out-of-range`).
    @discardableResult
    public func scoreByHand(unit: String, year: Int, item: String, points: Double, evidence: String, in scope: Scope, by actor: Actor) async throws -> HandScore {
        var errors = FieldErrors()
        TargetStore.checkYear(year, &errors)
        let scheme = env.policy(.scoreScheme, on: Day(year: min(max(year, 2000), 2100), month: 12, day: 31)!)
        let found = scheme.first { $0.code == item && $0.kind == "hand" }
        if found == nil { errors.add("/item", "code-unknown", "这一项不由人工评分。", "This item is not scored by hand.") }
        if let found, !(0...found.points).contains(points) { errors.add("/points", "out-of-range", "分数应在 0 到 \(fmt(found.points)) 之间。", "Between 0 and \(fmt(found.points)).") }
        if evidence.trimmed.isEmpty { errors.add("/evidence", "required", "请写明评分依据。", "Give the evidence.") }
        let engine = db.engine, env = self.env, checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let u = try await OrgStore.unit(code: unit, in: scope, engine: engine, db)
            if u == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            try errors.throwIfAny()
            let id = env.newID()
            try await db.raw("""
                INSERT INTO assessment_hand_scores (id, unit_id, path, year, item, points, evidence, scored_by, scored_at)
                VALUES (\(bind: id.text), \(bind: u!.id.text), \(bind: u!.path), \(bind: year), \(bind: item), \(bind: points), \(bind: evidence.trimmed), \(bind: actor.username),
                        \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "hand_score", entityID: id.text, path: u!.path,
                                     after: AuditLog.json(["item": item, "points": String(points)]))
            return id
        }
        return try await handScores(year: year, in: scope).first { $0.id == id }!
    }

    /// 复核: another account confirms a hand score of the scope. Throws `not-found`, `conflict`
    /// `reviewed` or `own-score` (the one who scored it cannot review it).
    public func review(_ id: UUID, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path, scored_by, reviewed_by FROM assessment_hand_scores WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("评分", "score"))
            }
            if try r.decode(column: "reviewed_by", as: String?.self) != nil { throw RenkouError(.conflict, "reviewed", Text("该评分已复核。", "This score is reviewed already.")) }
            if try r.decode(column: "scored_by", as: String.self) == actor.username {
                throw RenkouError(.conflict, "own-score", Text("评分人不能复核自己的评分。", "The one who scored it cannot review it."))
            }
            try await db.raw("UPDATE assessment_hand_scores SET reviewed_by = \(bind: actor.username), reviewed_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "hand_score", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["reviewed": "yes"]))
        }
    }

    /// The hand scores of the scope in a year, newest first.
    public func handScores(year: Int, in scope: Scope) async throws -> [HandScore] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT s.*, u.code AS unit_code, u.name AS unit_name FROM assessment_hand_scores s JOIN org_units u ON u.id = s.unit_id
                WHERE s.year = \(bind: year) AND \(engine.startsWith("s.path", scope.path)) ORDER BY s.scored_at DESC, s.id
                """).all().map { r in
                HandScore(id: try r.decode(column: "id", as: String.self).uuid, unitCode: try r.decode(column: "unit_code", as: String.self),
                          unitName: try r.decode(column: "unit_name", as: String.self), year: year, item: try r.decode(column: "item", as: String.self),
                          points: try r.decode(column: "points", as: Double.self), evidence: try r.decode(column: "evidence", as: String.self),
                          scoredBy: try r.decode(column: "scored_by", as: String.self), reviewedBy: try r.decode(column: "reviewed_by", as: String?.self))
            }
        }
    }
}

extension Stores {
    public var scores: ScoreStore { ScoreStore(db: db, env: env, indicators: indicators) }
}
