import Foundation
import RenkouCore
import SQLKit

/// The public board, corrections after approval, and what follows the registry.
extension BenefitStore {
    // MARK: The public board

    /// One line as the public board shows it: masked.
    public struct PublicLine: Sendable, Codable, Equatable {
        public let number: Int; public let name: String; public let idNumber: String; public let unit: String; public let amount: Int
    }
    /// A posted list on the public board.
    public struct PublicRun: Sendable, Codable, Equatable {
        public let id: UUID; public let programme: BenefitProgramme; public let year: Int; public let unit: String; public let postingUntil: String; public let lines: [PublicLine]
    }

    /// 公示栏: the lists now posted, their payable lines with names and ID numbers masked.
    public func board() async throws -> [PublicRun] {
        let today = Day(env.now()).description
        return try await db.read { db in
            var out: [PublicRun] = []
            for r in try await db.raw("SELECT r.id, r.programme, r.year, r.posting_until, u.name FROM benefit_runs r JOIN org_units u ON u.id = r.unit_id WHERE r.state = 'posted' AND r.posting_until >= \(bind: today) ORDER BY r.posted_on DESC").all() {
                let id = try r.decode(column: "id", as: String.self)
                let lines = try await db.raw("SELECT \(unsafeRaw: Self.lineColumns) WHERE l.run_id = \(bind: id) AND l.eligible = 1 AND l.removed_reason IS NULL ORDER BY l.number").all().map(Self.decodeLine)
                out.append(PublicRun(id: id.uuid, programme: BenefitProgramme(rawValue: try r.decode(column: "programme", as: String.self)) ?? .childcareSubsidy,
                                     year: try r.decode(column: "year", as: Int.self), unit: try r.decode(column: "name", as: String.self),
                                     postingUntil: try r.decode(column: "posting_until", as: String.self),
                                     lines: lines.map { PublicLine(number: $0.number, name: Mask.name($0.name), idNumber: Mask.idNumber($0.idNumber), unit: $0.unitName, amount: $0.amount) }))
            }
            return out
        }
    }

    /// An objection from the public board to line `number` of a run still posted. Throws `invalid`
    /// (`/number` `no-such-line`: no payable line of that number on the board), and `object`'s errors.
    public func publicObjection(run: UUID, number: Int, text: String) async throws {
        let today = Day(env.now()).description
        let line = try await db.read { db in
            try await db.raw("""
                SELECT l.id FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id WHERE r.id = \(bind: run.text) AND r.state = 'posted' AND r.posting_until >= \(bind: today)
                AND l.number = \(bind: number) AND l.eligible = 1 AND l.removed_reason IS NULL
                """).first()?.decode(column: "id", as: String.self).uuid
        }
        guard let line else { throw RenkouError.invalid([FieldError("/number", "no-such-line", Text("公示中的名单没有这一行。", "The posted list has no such line."))]) }
        try await object(to: line, text: text, source: "public", in: .everything, by: Actor(userID: nil, username: "public", client: "public"))
    }

    /// The run that a run, a line or an objection of the scope belongs to (a page returns to it). Throws `not-found`.
    public func runOf(any id: UUID, in scope: Scope) async throws -> UUID {
        let engine = db.engine
        return try await db.read { db in
            if try await db.raw("SELECT id FROM benefit_runs WHERE id = \(bind: id.text)").first() != nil { return id }
            if let r = try await db.raw("SELECT run_id FROM benefit_lines WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() {
                return try r.decode(column: "run_id", as: String.self).uuid
            }
            if let r = try await db.raw("SELECT l.run_id FROM benefit_objections o JOIN benefit_lines l ON l.id = o.line_id WHERE o.id = \(bind: id.text) AND \(engine.startsWith("o.path", scope.path))").first() {
                return try r.decode(column: "run_id", as: String.self).uuid
            }
            throw RenkouError.notFound(Text("扶助名单", "benefit run"))
        }
    }

    /// Discards a list still under review (drawn by mistake, or a benchmark's). Throws `not-found`, `conflict` (`run-state`).
    public func discard(_ id: UUID, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard run.state == .draft else { throw RenkouError(.conflict, "run-state", Text("只能撤销评议中的名单。", "Only a list under review can be discarded.")) }
            try await db.raw("DELETE FROM benefit_objections WHERE line_id IN (SELECT id FROM benefit_lines WHERE run_id = \(bind: id.text))").run()
            try await db.raw("DELETE FROM benefit_lines WHERE run_id = \(bind: id.text)").run()
            try await db.raw("DELETE FROM benefit_runs WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .delete, entity: "benefit_run", entityID: id.text, path: path)
        }
    }

    /// How many bank batches a run has had.
    public func batches(_ id: UUID, in scope: Scope) async throws -> Int {
        _ = try await run(id, in: scope)
        return try await db.read { db in try await db.raw("SELECT MAX(batch) AS b FROM benefit_lines WHERE run_id = \(bind: id.text)").first()?.decode(column: "b", as: Int?.self) ?? 0 }
    }

    /// A death or a move out recorded in the registry: the person's payments not yet sent are held by an
    /// objection from the registry (source `registry`) that a worker resolves. Run inside the event's transaction.
    static func holdFromRegistry(person: UUID, reason: String, _ ctx: EventContext) async throws {
        let today = Day(ctx.env.now()).description
        for r in try await ctx.db.raw("""
            SELECT l.id, l.path FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
            WHERE l.person_id = \(bind: person.text) AND l.payment = 'pending' AND l.eligible = 1 AND l.removed_reason IS NULL AND r.state <> 'reconciled'
            """).all() {
            let line = try r.decode(column: "id", as: String.self)
            try await ctx.db.raw("""
                INSERT INTO benefit_objections (id, line_id, text, source, filed_on, path)
                VALUES (\(bind: ctx.env.newID().text), \(bind: line), \(bind: reason), 'registry', \(bind: today), \(bind: try r.decode(column: "path", as: String.self)))
                """).run()
            try await ctx.db.raw("UPDATE benefit_lines SET held = 1 WHERE id = \(bind: line)").run()
        }
    }

    /// 更正: after approval a line's amount is changed, or the line taken off (amount 0), by an entry with
    /// its reason, never by an edit; only while its money has not gone to the bank. Throws `not-found`,
    /// `conflict` (`run-state`: not approved yet, edit it in review; `sent`: already at the bank),
    /// `invalid` (`/amount` `range`, `/reason` `required`).
    public func correct(_ lineID: UUID, amount: Int, reason: String, in scope: Scope, by actor: Actor) async throws -> BenefitLine {
        let reason = reason.trimmed
        var errors = FieldErrors()
        if !(0...1_000_000).contains(amount) { errors.add("/amount", "range", "金额应为 0–1000000 元（0 即不再发放）。", "The amount is 0 to 1,000,000 yuan (0 takes the line off).") }
        if reason.isEmpty { errors.add("/reason", "required", "请写明更正理由。", "Give the reason for the correction.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, today = Day(env.now())
        return try await db.transaction { db in
            let (line, _, state, path) = try await Self.line(lineID, in: scope, engine: engine, db)
            guard [.approved, .paid, .reconciled].contains(state) else {
                throw RenkouError(.conflict, "run-state", Text("名单尚未审批：请在评议中修改。", "The list is not approved yet: change it in review."))
            }
            guard line.payment == .pending, line.eligible, line.removedReason == nil else {
                throw RenkouError(.conflict, "sent", Text("该笔已送银行或已不在名单中，差额请在下一期名单中处理。", "This line is at the bank or off the list: settle the difference in the next list."))
            }
            try await db.raw("""
                INSERT INTO benefit_corrections (id, line_id, amount_before, amount_after, reason, by_user, day, path)
                VALUES (\(bind: env.newID().text), \(bind: lineID.text), \(bind: line.amount), \(bind: amount), \(bind: reason), \(bind: actor.username), \(bind: today.description), \(bind: path))
                """).run()
            if amount == 0 {
                try await db.raw("UPDATE benefit_lines SET removed_reason = \(bind: "审批后更正：" + reason) WHERE id = \(bind: lineID.text)").run()
            } else {
                try await db.raw("UPDATE benefit_lines SET amount = \(bind: amount) WHERE id = \(bind: lineID.text)").run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_line", entityID: lineID.text, path: path,
                                     after: AuditLog.json(["correction": "\(line.amount)→\(amount)", "reason": reason]))
            var l = line; if amount == 0 { l.removedReason = "审批后更正：" + reason } else { l.amount = amount }
            return l
        }
    }
}
