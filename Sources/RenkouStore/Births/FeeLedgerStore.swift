import Foundation
import RenkouCore
import SQLKit

/// 社会抚养费台账 (legacy, off by default): a deployment that switches it on (`births.fee-ledger`)
/// keeps its old cases: the decision, the amount and instalments, the collections, the talks with the
/// hukou region, and the closure under the 2021 rules (collected amounts are not refunded, the rest is
/// no longer collected). No case is opened for a child born, or a decision made, on or after the day
/// the fee was abolished (`births.maintenance-fee`, 2021-08-20), and nothing is collected after it.
/// Every read names a person and is audited.
public struct FeeLedgerStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Whether this deployment keeps the ledger today.
    public var isEnabled: Bool { env.policy(.feeLedger, on: Day(env.now())) }

    func requireEnabled() throws {
        guard isEnabled else { throw RenkouError(.notFound, "ledger-off", Text("本系统未启用社会抚养费台账。", "This deployment does not keep the maintenance fee ledger.")) }
    }

    /// Enters an old case about a person of the scope. Throws `not-found` (`ledger-off`), `invalid`
    /// (`/person` `unknown-person`; `/childBirthDate`, `/decidedOn` `required`, `date-format`,
    /// `date-future`, `fee-abolished`; `/decidedOn` `before-birth`; `/decisionNumber` `required`;
    /// `/amount` `range`; `/instalments` `range`; `/hukouRegion` `code-format`).
    public func open(_ input: FeeCaseInput, in scope: Scope, by actor: Actor) async throws -> FeeCase {
        try requireEnabled()
        let engine = db.engine, env = self.env, id = env.newID(), today = Day(env.now())
        var errors = FieldErrors()
        let born = Day.checked(input.childBirthDate, "/childBirthDate", today: today, required: true, &errors)
        let decided = Day.checked(input.decidedOn, "/decidedOn", today: today, required: true, &errors)
        for (day, pointer) in [(born, "/childBirthDate"), (decided, "/decidedOn")] {
            if let day, !env.policy(.maintenanceFee, on: day).collectable {
                errors.add(pointer, "fee-abolished", "\(day) 社会抚养费已取消（2021-08-20 起），不能立案。", "The fee was abolished on 2021-08-20; no case for \(day).")
            }
        }
        if let born, let decided, decided < born { errors.add("/decidedOn", "before-birth", "征收决定不能早于孩子出生。", "The decision cannot precede the birth.") }
        let number = input.decisionNumber?.trimmed ?? ""
        if number.isEmpty { errors.add("/decisionNumber", "required", "请填写征收决定书文号。", "Give the decision's reference.") }
        let amount = input.amount ?? 0
        if !(1...10_000_000).contains(amount) { errors.add("/amount", "range", "金额应为 1–10,000,000 元。", "The amount is 1–10,000,000 yuan.") }
        let instalments = input.instalments ?? 1
        if !(1...120).contains(instalments) { errors.add("/instalments", "range", "分期数应为 1–120。", "Instalments are 1–120.") }
        let region = input.hukouRegion?.trimmed.nilIfBlank
        if let region, !(region.count == 6 && region.allSatisfy(\.isASCIIDigit)) {
            errors.add("/hukouRegion", "code-format", "户籍地代码应为 6 位数字（GB/T 2260）。", "The hukou region is a 6-digit GB/T 2260 code.")
        }
        guard let personID = input.person.flatMap(UUID.init(uuidString:)) else {
            errors.add("/person", "unknown-person", "请选择人员。", "Choose the person."); try errors.throwIfAny(); fatalError("unreachable")
        }
        try errors.throwIfAny()
        try await db.transaction { db in
            let p = try await PersonStore.require(personID, in: scope, engine: engine, db)
            let last = try await db.raw("SELECT MAX(number) AS n FROM fee_cases").first()?.decode(column: "n", as: String?.self)
            let next = (last.flatMap { Int($0.dropFirst(3)) } ?? 0) + 1
            try await db.raw("""
                INSERT INTO fee_cases (id, number, person_id, spouse_name, child_birth_date, decision_number, decided_on, amount, instalments, hukou_region,
                                       unit_id, path, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: "SF-" + String(format: "%06d", next)), \(bind: p.id.text), \(bind: input.spouseName?.trimmed.nilIfBlank),
                        \(bind: born!.description), \(bind: number), \(bind: decided!.description), \(bind: amount), \(bind: instalments), \(bind: region ?? p.hukouRegion),
                        \(bind: p.unitID.text), \(bind: p.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "fee_case", entityID: id.text, path: p.path, after: AuditLog.json(input))
        }
        return try await feeCase(id, in: scope, by: actor)
    }

    static let columns = """
        c.*, p.name, p.id_number, u.code AS unit_code, u.name AS unit_name,
        (SELECT COALESCE(SUM(k.amount), 0) FROM fee_collections k WHERE k.case_id = c.id) AS collected
        FROM fee_cases c JOIN persons p ON p.id = c.person_id JOIN org_units u ON u.id = c.unit_id
        """

    static func decode(_ r: any SQLRow) throws -> FeeCase {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        return FeeCase(id: try r.decode(column: "id", as: String.self).uuid, number: try r.decode(column: "number", as: String.self),
                       personID: try r.decode(column: "person_id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                       idNumber: try text("id_number") ?? "", spouseName: try text("spouse_name"), childBirthDate: try r.decode(column: "child_birth_date", as: String.self),
                       decisionNumber: try r.decode(column: "decision_number", as: String.self), decidedOn: try r.decode(column: "decided_on", as: String.self),
                       amount: try r.decode(column: "amount", as: Int.self), instalments: try r.decode(column: "instalments", as: Int.self),
                       collected: try r.decode(column: "collected", as: Int.self), hukouRegion: try text("hukou_region"),
                       unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                       closure: try text("closure").flatMap(FeeClosure.init(rawValue:)), closedOn: try text("closed_on"), closureNote: try text("closure_note"))
    }

    static func find(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> FeeCase {
        guard let r = try await db.raw("SELECT \(unsafeRaw: columns) WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))").first() else {
            throw RenkouError.notFound(Text("社会抚养费案件", "fee case"))
        }
        return try decode(r)
    }

    /// A case of the scope with its collections and talks; the read is audited. Throws `not-found`.
    public func feeCase(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> FeeCase {
        try requireEnabled()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            var c = try await Self.find(id, in: scope, engine: engine, db)
            c.collections = try await db.raw("SELECT * FROM fee_collections WHERE case_id = \(bind: id.text) ORDER BY day, id").all().map {
                FeeCollection(day: try $0.decode(column: "day", as: String.self), amount: try $0.decode(column: "amount", as: Int.self),
                              receipt: try $0.decode(column: "receipt", as: String.self), by: try $0.decode(column: "by_user", as: String.self))
            }
            c.negotiations = try await db.raw("SELECT * FROM fee_negotiations WHERE case_id = \(bind: id.text) ORDER BY day, id").all().map {
                FeeNegotiation(day: try $0.decode(column: "day", as: String.self), region: try $0.decode(column: "region", as: String.self),
                               text: try $0.decode(column: "text", as: String.self), by: try $0.decode(column: "by_user", as: String.self))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "fee_case", entityID: id.text, path: try await c.unitPath(db))
            return c
        }
    }

    /// The cases of the scope, open ones first; the list names people and is audited.
    public func cases(openOnly: Bool = false, in scope: Scope, by actor: Actor) async throws -> [FeeCase] {
        try requireEnabled()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) WHERE \(engine.startsWith("c.path", scope.path)) \(unsafeRaw: openOnly ? "AND c.closure IS NULL" : "")
                ORDER BY CASE WHEN c.closure IS NULL THEN 0 ELSE 1 END, c.decided_on, c.number LIMIT 1000
                """).all().map(Self.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "fee_cases", entityID: openOnly ? "open" : "all", path: scope.path,
                                     after: AuditLog.json(["shown": String(rows.count)]))
            return rows
        }
    }

    /// Records a payment on an open case. Throws `not-found`, `conflict` (`closed`), `invalid` (`/day`
    /// `required`, `date-format`, `date-future`, `before-decision`, `no-longer-collected` (on or after
    /// the abolition); `/amount` `over-amount` (more than is outstanding) or `range`; `/receipt` `required`).
    public func collect(_ id: UUID, day: String?, amount: Int?, receipt: String?, in scope: Scope, by actor: Actor) async throws -> FeeCase {
        try requireEnabled()
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let c = try await Self.find(id, in: scope, engine: engine, db)
            guard c.isOpen else { throw RenkouError(.conflict, "closed", Text("案件已结案。", "The case is closed.")) }
            var errors = FieldErrors()
            let d = Day.checked(day, "/day", today: today, required: true, &errors)
            if let d, d.description < c.decidedOn { errors.add("/day", "before-decision", "缴款日期不能早于征收决定。", "A payment cannot precede the decision.") }
            if let d, !env.policy(.maintenanceFee, on: d).collectable {
                errors.add("/day", "no-longer-collected", "2021-08-20 起社会抚养费不再征收。", "Nothing is collected on or after 2021-08-20.")
            }
            let a = amount ?? 0
            if a < 1 { errors.add("/amount", "range", "金额应大于 0。", "The amount is more than 0.") }
            else if a > c.outstanding { errors.add("/amount", "over-amount", "超过未缴金额（\(c.outstanding) 元）。", "More than is outstanding (\(c.outstanding) yuan).") }
            let r = receipt?.trimmed ?? ""
            if r.isEmpty { errors.add("/receipt", "required", "请填写票据号。", "Give the receipt number.") }
            try errors.throwIfAny()
            try await db.raw("""
                INSERT INTO fee_collections (id, case_id, day, amount, receipt, by_user, path)
                VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: d!.description), \(bind: a), \(bind: r), \(bind: actor.username), \(bind: c.unitPath(db)))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "fee_case", entityID: id.text, path: try await c.unitPath(db),
                                     after: AuditLog.json(["collected": String(a), "day": d!.description, "receipt": r]))
        }
        return try await feeCase(id, in: scope, by: actor)
    }

    /// Notes a step of the talks with the hukou region (协商). Throws `not-found`, `invalid` (`/day`,
    /// `/region` `code-format`, `/text` `required`).
    public func negotiate(_ id: UUID, day: String?, region: String?, text: String?, in scope: Scope, by actor: Actor) async throws -> FeeCase {
        try requireEnabled()
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let c = try await Self.find(id, in: scope, engine: engine, db)
            var errors = FieldErrors()
            let d = Day.checked(day, "/day", today: today, required: true, &errors)
            let code = region?.trimmed.nilIfBlank ?? c.hukouRegion ?? ""
            if !(code.count == 6 && code.allSatisfy(\.isASCIIDigit)) { errors.add("/region", "code-format", "户籍地代码应为 6 位数字。", "The region is a 6-digit code.") }
            let t = text?.trimmed ?? ""
            if t.isEmpty { errors.add("/text", "required", "请填写协商情况。", "Say what was agreed or asked.") }
            try errors.throwIfAny()
            try await db.raw("""
                INSERT INTO fee_negotiations (id, case_id, day, region, text, by_user, path)
                VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: d!.description), \(bind: code), \(bind: t), \(bind: actor.username), \(bind: c.unitPath(db)))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "fee_case", entityID: id.text, path: try await c.unitPath(db), after: AuditLog.json(["negotiation": t]))
        }
        return try await feeCase(id, in: scope, by: actor)
    }

    /// 结案 under the 2021 rules: paid in full, partly paid (the rest waived) or nothing collected;
    /// `enforcementWithdrawn` when the office withdraws its court application (enforcement ends and the
    /// credit restrictions are lifted). Nothing collected is refunded. While the fee was still law only
    /// a fully paid case closes. Throws `not-found`, `conflict` (`closed`, `still-collectable`).
    public func close(_ id: UUID, enforcementWithdrawn: Bool = false, note: String? = nil, in scope: Scope, by actor: Actor) async throws -> FeeCase {
        try requireEnabled()
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            let c = try await Self.find(id, in: scope, engine: engine, db)
            try await Self.close(c, enforcementWithdrawn: enforcementWithdrawn, note: note, env: env, actor: actor, db)
        }
        return try await feeCase(id, in: scope, by: actor)
    }

    @discardableResult
    static func close(_ c: FeeCase, enforcementWithdrawn: Bool, note: String?, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws -> FeeClosure {
        let today = Day(env.now())
        guard c.isOpen else { throw RenkouError(.conflict, "closed", Text("案件已结案。", "The case is closed.")) }
        let closure: FeeClosure = c.outstanding == 0 ? .paid : enforcementWithdrawn ? .enforcementWithdrawn : c.collected > 0 ? .partlyPaid : .uncollected
        if closure != .paid && env.policy(.maintenanceFee, on: today).collectable {
            throw RenkouError(.conflict, "still-collectable", Text("社会抚养费尚未取消，未缴清的案件不能结案。", "While the fee is law, only a case paid in full closes."))
        }
        try await db.raw("""
            UPDATE fee_cases SET closure = \(bind: closure.rawValue), closed_on = \(bind: today.description), closure_note = \(bind: note?.trimmed.nilIfBlank)
            WHERE id = \(bind: c.id.text)
            """).run()
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "fee_case", entityID: c.id.text, path: try await c.unitPath(db),
                                 after: AuditLog.json(["closure": closure.rawValue, "collected": String(c.collected), "waived": String(c.outstanding)]))
        return closure
    }

    /// Closes every open case of the scope under the 2021 rules; returns how many ended each way.
    public func closeAll(in scope: Scope, by actor: Actor) async throws -> [FeeClosure: Int] {
        try requireEnabled()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            var out: [FeeClosure: Int] = [:]
            for r in try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE c.closure IS NULL AND \(engine.startsWith("c.path", scope.path)) ORDER BY c.number").all() {
                out[try await Self.close(try Self.decode(r), enforcementWithdrawn: false, note: "依 2021 年修正的人口与计划生育法统一结案", env: env, actor: actor, db), default: 0] += 1
            }
            return out
        }
    }

    /// 征收到位率 (B07): yuan collected over yuan decided, for the cases decided in the period under a path.
    static let definition = IndicatorDefinition(BirthIndicator.feeCollection, from: "fee_cases x",
        base: { p, _ in "x.decided_on >= '\(p.start.description)' AND x.decided_on <= '\(p.end.description)'" },
        numerator: { _, _ in "x.amount = (SELECT COALESCE(SUM(k.amount), 0) FROM fee_collections k WHERE k.case_id = x.id)" }, key: "x.id",
        record: "x.person_id AS id, (SELECT name FROM persons p WHERE p.id = x.person_id) AS name, (SELECT id_number FROM persons p WHERE p.id = x.person_id) AS id_number, x.number AS detail, 'person' AS link",
        counts: { path, p, engine, db, _ in
            let r = try await db.raw("""
                SELECT CAST(COALESCE(SUM(x.amount), 0) AS BIGINT) AS decided,
                       CAST(COALESCE(SUM((SELECT COALESCE(SUM(k.amount), 0) FROM fee_collections k WHERE k.case_id = x.id)), 0) AS BIGINT) AS collected
                FROM fee_cases x WHERE \(engine.startsWith("x.path", path)) AND x.decided_on >= \(bind: p.start.description) AND x.decided_on <= \(bind: p.end.description)
                """).first()!
            return (try r.decode(column: "collected", as: Int.self), try r.decode(column: "decided", as: Int.self))
        })
}

extension FeeCase {
    /// The path the case's rows are filed under.
    func unitPath(_ db: any SQLDatabase) async throws -> String {
        try await db.raw("SELECT path FROM fee_cases WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
    }
}

extension Stores {
    public var fees: FeeLedgerStore { FeeLedgerStore(db: db, env: env) }
}
