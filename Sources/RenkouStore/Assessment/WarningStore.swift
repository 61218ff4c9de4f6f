import Foundation
import RenkouCore
import SQLKit

/// 预警督办 and 一票否决: the daily reading of every indicator of every street and community against
/// its target and last month (the policy's warning rules) raises a warning once per indicator, unit,
/// period and rule, as a 督办 task on that unit's list with a deadline, closed with what was done; the
/// vetoes recorded against a unit for a year, with their evidence.
public struct WarningStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let indicators: IndicatorStore
    public init(db: Database, env: RenkouCore.Environment, indicators: IndicatorStore) { self.db = db; self.env = env; self.indicators = indicators }

    /// Reads, for each active street and community on `day`, every indicator with a target against it
    /// (in the indicator's own period; a day's figure is warned about once a month), and each monthly
    /// one of the last complete month against the month before; raises the warnings the rules call
    /// for, once per indicator, unit, period and rule; returns how many were raised. `scope`: only
    /// the units of that part of the tree.
    @discardableResult
    public func evaluate(on day: Day, in scope: Scope = .everything) async throws -> Int {
        let env = self.env, rules = env.policy(.warningRules, on: day), engine = db.engine
        let units = try await db.read { db in
            try await db.raw("SELECT * FROM org_units WHERE level IN ('street', 'community') AND status = 'active' AND \(engine.startsWith("path", scope.path)) ORDER BY path")
                .all().map(OrgStore.decode)
        }
        // only what a rule can fire on: the figures with a target, and the monthly ones
        let catalogue = indicators.all.filter { $0.unit != .per100 && ($0.target != nil || $0.period == .month) }
        let lastMonth = Period.containing(day, .month).start.adding(days: -1)
        let monthBefore = Period.containing(lastMonth, .month).start.adding(days: -1)
        let monthly = catalogue.filter { $0.period == .month }
        var raised = 0
        // every unit's figures from one reading of the tree each: now, the last complete month and the month before it
        let nows = try await indicators.figures(catalogue.map(\.code), units: units, on: day)
        let lasts = try await indicators.figures(monthly.map(\.code), units: units, on: lastMonth)
        let befores = try await indicators.figures(monthly.map(\.code), units: units, on: monthBefore)
        for (i, unit) in units.enumerated() {
            let now = nows[i], last = lasts[i]
            let before = Dictionary(uniqueKeysWithValues: befores[i].map { ($0.code, $0) })
            var readings: [(Indicator, RateFigure, String, String)] = []  // indicator, figure, period label, rule kind
            for (indicator, f) in zip(catalogue, now) where f.target != nil {
                // a stock is read every day: one warning a month
                readings.append((indicator, f, Period.containing(day, indicator.period == .day ? .month : indicator.period).description, "below-target"))
            }
            for (indicator, f) in zip(monthly, last) where f.target != nil {
                readings.append((indicator, f, Period.containing(lastMonth, .month).description, "worse-than-last-month"))
            }
            for (indicator, f, periodLabel, kindWanted) in readings {
                guard let rate = f.rate else { continue }
                for rule in rules where rule.code == nil || rule.code == indicator.code {
                    guard f.denominator >= rule.minDenominator else { continue }
                    var found: [(String, Double)] = []
                    if kindWanted == "below-target", let target = f.target, rule.below(rate: rate, target: target, direction: indicator.direction) { found.append(("below-target", target)) }
                    if kindWanted == "worse-than-last-month", let p = before[indicator.code], p.denominator >= rule.minDenominator, let previous = p.rate,
                       rule.worse(rate: rate, previous: previous, direction: indicator.direction) { found.append(("worse-than-last-month", previous)) }
                    for (kind, against) in found {
                        raised += try await db.transaction { db -> Int in
                            if try await db.raw("""
                                SELECT 1 AS x FROM warnings WHERE code = \(bind: indicator.code) AND unit_id = \(bind: unit.id.text) AND period = \(bind: periodLabel) AND rule = \(bind: kind)
                                """).first() != nil { return 0 }
                            let id = env.newID(), due = env.policy.calendar.adding(workingDays: rule.days, to: day)
                            let shown = { (v: Double) in TargetStore.shown(v, indicator) }
                            let subject = kind == "below-target"
                                ? "预警督办：\(indicator.name.zh) \(shown(rate))，低于目标 \(shown(against))"
                                : "预警督办：\(indicator.name.zh) \(periodLabel) \(shown(rate))，比前一月 \(shown(against)) 下降"
                            let task = try await TaskStore.add(TaskStore.New(kind: .warning, subject: subject, idNumber: nil, personID: nil, object: FieldTask.Object("warning", id),
                                                                             note: "\(periodLabel)：\(f.numerator) / \(f.denominator)。请查明原因、采取措施并登记。", unitID: unit.id,
                                                                             path: unit.path, due: due, source: "assessment"), env: env, actor: .cli("assessment"), db)
                            try await db.raw("""
                                INSERT INTO warnings (id, code, unit_id, path, period, rule, value, against, raised_on, due_on, task_id)
                                VALUES (\(bind: id.text), \(bind: indicator.code), \(bind: unit.id.text), \(bind: unit.path), \(bind: periodLabel), \(bind: kind), \(bind: rate),
                                        \(bind: against), \(bind: day.description), \(bind: due.description), \(bind: task.text))
                                """).run()
                            return 1
                        }
                    }
                }
            }
        }
        return raised
    }

    /// A warning whose task was closed from the task list counts as closed with the task's note.
    static let columns = """
        w.id, w.code, w.period, w.rule, w.value, w.against, w.raised_on, w.due_on, w.task_id, u.code AS unit_code, u.name AS unit_name,
        COALESCE(w.closed_on, CASE WHEN t.open = 0 THEN SUBSTR(t.closed_at, 1, 10) END) AS closed_on, COALESCE(w.action, CASE WHEN t.open = 0 THEN COALESCE(t.outcome_note, t.outcome) END) AS action
        """

    static func decode(_ r: any SQLRow) throws -> Warning {
        Warning(id: try r.decode(column: "id", as: String.self).uuid, code: try r.decode(column: "code", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                unitName: try r.decode(column: "unit_name", as: String.self), period: try r.decode(column: "period", as: String.self), rule: try r.decode(column: "rule", as: String.self),
                value: try r.decode(column: "value", as: Double.self), against: try r.decode(column: "against", as: Double.self), raisedOn: try r.decode(column: "raised_on", as: String.self),
                dueOn: try r.decode(column: "due_on", as: String.self), taskID: try r.decode(column: "task_id", as: String.self).uuid,
                closedOn: try r.decode(column: "closed_on", as: String?.self), action: try r.decode(column: "action", as: String?.self))
    }

    /// The warnings of the scope, open first (soonest due), at most `limit`; `openOnly` leaves the closed out.
    public func list(openOnly: Bool = false, limit: Int = 2000, in scope: Scope) async throws -> [Warning] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM warnings w JOIN org_units u ON u.id = w.unit_id LEFT JOIN tasks t ON t.id = w.task_id
                WHERE \(engine.startsWith("w.path", scope.path)) \(unsafeRaw: openOnly ? "AND w.closed_on IS NULL AND (t.open IS NULL OR t.open = 1)" : "")
                ORDER BY CASE WHEN w.closed_on IS NULL AND (t.open IS NULL OR t.open = 1) THEN 0 ELSE 1 END, w.due_on, w.raised_on DESC, w.id LIMIT \(bind: limit)
                """).all().map(Self.decode)
        }
    }

    /// Per unit of the scope: the warnings raised in `year`, and those still open.
    public func counts(year: Int, in scope: Scope) async throws -> [String: (raised: Int, open: Int)] {
        let engine = db.engine
        return try await db.read { db in
            var out: [String: (raised: Int, open: Int)] = [:]
            for r in try await db.raw("""
                SELECT u.code, COUNT(*) AS raised, SUM(CASE WHEN w.closed_on IS NULL AND (t.open IS NULL OR t.open = 1) THEN 1 ELSE 0 END) AS open
                FROM warnings w JOIN org_units u ON u.id = w.unit_id LEFT JOIN tasks t ON t.id = w.task_id
                WHERE \(engine.startsWith("w.path", scope.path)) AND w.raised_on >= \(bind: "\(year)-01-01") AND w.raised_on <= \(bind: "\(year)-12-31") GROUP BY u.code
                """).all() {
                out[try r.decode(column: "code", as: String.self)] = (try r.decode(column: "raised", as: Int.self), try r.decode(column: "open", as: Int?.self) ?? 0)
            }
            return out
        }
    }

    /// 办结: closes a warning of the scope with what was done (its task closes too). Throws
    /// `not-found`, `conflict` `closed`, `invalid` (`/action` `required` or `too-long` (2,000)).
    @discardableResult
    public func close(_ id: UUID, action: String, in scope: Scope, by actor: Actor) async throws -> Warning {
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors()
        if action.trimmed.isEmpty { errors.add("/action", "required", "请填写采取的措施。", "Say what was done.") } else if action.count > 2000 { errors.add("/action", "too-long", "不超过 2000 字。", "At most 2,000 characters.") }
        let checked = errors
        try await db.transaction { db in
            guard let r = try await db.raw("""
                SELECT w.path, w.task_id, COALESCE(w.closed_on, CASE WHEN t.open = 0 THEN t.closed_at END) AS closed_on FROM warnings w LEFT JOIN tasks t ON t.id = w.task_id
                WHERE w.id = \(bind: id.text) AND \(engine.startsWith("w.path", scope.path))
                """).first() else {
                throw RenkouError.notFound(Text("预警", "warning"))
            }
            try checked.throwIfAny()
            guard try r.decode(column: "closed_on", as: String?.self) == nil else { throw RenkouError(.conflict, "closed", Text("该预警已办结。", "This warning is closed already.")) }
            try await db.raw("""
                UPDATE warnings SET closed_on = \(bind: today.description), action = \(bind: action.trimmed), closed_by = \(bind: actor.username) WHERE id = \(bind: id.text)
                """).run()
            try await TaskStore.settle(id: try r.decode(column: "task_id", as: String.self).uuid, outcome: "done", env: env, actor: actor, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "warning", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["action": action.trimmed]))
        }
        return try await warning(id, in: scope)
    }

    /// One warning of the scope. Throws `not-found`.
    public func warning(_ id: UUID, in scope: Scope) async throws -> Warning {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM warnings w JOIN org_units u ON u.id = w.unit_id LEFT JOIN tasks t ON t.id = w.task_id
                WHERE w.id = \(bind: id.text) AND \(engine.startsWith("w.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("预警", "warning")) }
            return try Self.decode(r)
        }
    }

    // MARK: vetoes

    /// 一票否决: records a veto item against a unit of the scope for a year, with its evidence. Throws
    /// `invalid` (`/unit` `unknown-unit`, `/year` `out-of-range`, `/item` `code-unknown`, `/evidence`
    /// `required`).
    @discardableResult
    public func veto(unit: String, year: Int, item: String, evidence: String, in scope: Scope, by actor: Actor) async throws -> Veto {
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors()
        TargetStore.checkYear(year, &errors)
        let items = env.policy(.vetoItems, on: today)
        if !items.contains(where: { $0.code == item }) { errors.add("/item", "code-unknown", "请选择否决事项。", "Choose the veto item.") }
        if evidence.trimmed.isEmpty { errors.add("/evidence", "required", "请写明依据（案件、抽查记录等）。", "Give the evidence (the case, the spot check …).") }
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let u = try await OrgStore.unit(code: unit, in: scope, engine: engine, db)
            if u == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            try errors.throwIfAny()
            let id = env.newID()
            try await db.raw("""
                INSERT INTO vetoes (id, unit_id, path, year, item, evidence, recorded_by, recorded_on, created_at)
                VALUES (\(bind: id.text), \(bind: u!.id.text), \(bind: u!.path), \(bind: year), \(bind: item), \(bind: evidence.trimmed), \(bind: actor.username), \(bind: today.description),
                        \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "veto", entityID: id.text, path: u!.path, after: AuditLog.json(["item": item, "year": String(year)]))
            return id
        }
        return try await vetoes(year: year, in: scope).first { $0.id == id }!
    }

    /// Withdraws a veto of the scope (found wrong on review), with the reason; it stays on record.
    /// Throws `not-found`, `invalid` (`/reason` `required`).
    public func withdraw(_ id: UUID, reason: String, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        guard !reason.trimmed.isEmpty else { throw RenkouError.invalid([FieldError("/reason", "required", Text("请写明撤销理由。", "Give the reason."))]) }
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path FROM vetoes WHERE id = \(bind: id.text) AND withdrawn_on IS NULL AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("否决记录", "veto"))
            }
            try await db.raw("UPDATE vetoes SET withdrawn_on = \(bind: Day(env.now()).description), withdrawn_reason = \(bind: reason.trimmed) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "veto", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["withdrawn": reason.trimmed]))
        }
    }

    /// The vetoes of the scope in a year (withdrawn ones too, marked), and those on the units above it
    /// do not count for it.
    public func vetoes(year: Int, in scope: Scope) async throws -> [Veto] {
        let engine = db.engine, items = env.policy(.vetoItems, on: Day(year: year, month: 12, day: 31)!)
        return try await db.read { db in
            try await db.raw("""
                SELECT v.*, u.code AS unit_code, u.name AS unit_name FROM vetoes v JOIN org_units u ON u.id = v.unit_id
                WHERE v.year = \(bind: year) AND \(engine.startsWith("v.path", scope.path)) ORDER BY v.path, v.recorded_on
                """).all().map { r in
                let item = try r.decode(column: "item", as: String.self)
                return Veto(id: try r.decode(column: "id", as: String.self).uuid, unitCode: try r.decode(column: "unit_code", as: String.self),
                            unitName: try r.decode(column: "unit_name", as: String.self), year: year, item: item, itemName: items.first { $0.code == item }?.name.zh ?? item,
                            evidence: try r.decode(column: "evidence", as: String.self), recordedOn: try r.decode(column: "recorded_on", as: String.self),
                            recordedBy: try r.decode(column: "recorded_by", as: String.self), withdrawnOn: try r.decode(column: "withdrawn_on", as: String?.self),
                            withdrawnReason: try r.decode(column: "withdrawn_reason", as: String?.self))
            }
        }
    }

    /// The units of the scope vetoed in a year (a veto not withdrawn), by code.
    public func vetoed(year: Int, in scope: Scope) async throws -> Set<String> {
        Set(try await vetoes(year: year, in: scope).filter { $0.withdrawnOn == nil }.map(\.unitCode))
    }
}

extension Stores {
    public var warnings: WarningStore { WarningStore(db: db, env: env, indicators: indicators) }
}
