import Foundation
import RenkouCore
import SQLKit

/// The cycle of a run: review, posting, objections, approval, the bank file, the return file.
extension BenefitStore {
    // MARK: The cycle

    /// The line of the scope with its run, for a step; throws `not-found`.
    static func line(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> (line: BenefitLine, run: UUID, state: RunState, path: String) {
        guard let r = try await db.raw("""
            SELECT l.*, u.name AS unit_name, r.state AS run_state FROM benefit_lines l JOIN org_units u ON u.id = l.unit_id JOIN benefit_runs r ON r.id = l.run_id
            WHERE l.id = \(bind: id.text) AND \(engine.startsWith("l.path", scope.path))
            """).first() else { throw RenkouError.notFound(Text("名单行", "line")) }
        return (try decodeLine(r), try r.decode(column: "run_id", as: String.self).uuid, RunState(rawValue: try r.decode(column: "run_state", as: String.self)) ?? .draft,
                try r.decode(column: "path", as: String.self))
    }

    /// 评议: the community takes a line off the list (with the reason) or puts it back, while the run is
    /// under review. Throws `not-found`, `conflict` (`run-state`: posted or later), `invalid` (`/reason` `required`).
    public func review(_ lineID: UUID, remove reason: String?, in scope: Scope, by actor: Actor) async throws -> BenefitLine {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let (line, _, state, path) = try await Self.line(lineID, in: scope, engine: engine, db)
            guard state == .draft else { throw RenkouError(.conflict, "run-state", Text("名单已公示，不能再改；有异议请登记异议。", "The list is posted: it is not edited any more; file an objection instead.")) }
            let reason = reason?.trimmed.nilIfBlank
            if reason == nil, line.removedReason == nil, !line.eligible {
                throw RenkouError.invalid([FieldError("/reason", "required", Text("不符合条件的不能列入。", "A person the rule excludes cannot be put on the list."))])
            }
            try await db.raw("UPDATE benefit_lines SET removed_reason = \(bind: reason) WHERE id = \(bind: lineID.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_line", entityID: lineID.text, path: path, after: AuditLog.json(["removed": reason ?? ""]))
            var l = line; l.removedReason = reason
            return l
        }
    }

    /// 公示: puts a run under review on the public board for the policy's posting days. Throws
    /// `not-found`, `conflict` (`run-state`).
    public func post(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> BenefitRun {
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard run.state == .draft else { throw RenkouError(.conflict, "run-state", Text("只能公示评议中的名单。", "Only a list under review can be posted.")) }
            let until = today.adding(days: env.policy(.postingDays, on: today))
            try await db.raw("UPDATE benefit_runs SET state = 'posted', posted_on = \(bind: today.description), posting_until = \(bind: until.description) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_run", entityID: id.text, path: path, after: AuditLog.json(["posted": until.description]))
        }
        return try await run(id, in: scope)
    }

    /// 异议: an objection to one line, from the public board or a worker, while the list is posted or
    /// approved and unpaid: that line's payment is held until it is resolved. Throws `not-found`,
    /// `conflict` (`run-state`), `invalid` (`/text` `required`, too long over 500 characters).
    @discardableResult
    public func object(to lineID: UUID, text: String, source: String, in scope: Scope, by actor: Actor) async throws -> Objection {
        let text = text.trimmed
        var errors = FieldErrors()
        if text.isEmpty { errors.add("/text", "required", "请写明异议的内容。", "Say what the objection is.") }
        if text.count > 500 { errors.add("/text", "too-long", "异议不超过 500 字。", "An objection has at most 500 characters.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, id = env.newID(), today = Day(env.now())
        try await db.transaction { db in
            let (_, _, state, path) = try await Self.line(lineID, in: scope, engine: engine, db)
            guard state == .posted || state == .approved else {
                throw RenkouError(.conflict, "run-state", Text("名单不在公示或待发放阶段，不能登记异议。", "The list is not posted or awaiting payment: no objection can be filed."))
            }
            try await db.raw("""
                INSERT INTO benefit_objections (id, line_id, text, source, filed_on, path)
                VALUES (\(bind: id.text), \(bind: lineID.text), \(bind: text), \(bind: source), \(bind: today.description), \(bind: path))
                """).run()
            try await db.raw("UPDATE benefit_lines SET held = 1 WHERE id = \(bind: lineID.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "benefit_objection", entityID: id.text, path: path)
        }
        return try await objection(id, in: .everything)
    }

    func objection(_ id: UUID, in scope: Scope) async throws -> Objection {
        let engine = db.engine
        let run = try await db.read { db in
            try await db.raw("SELECT l.run_id FROM benefit_objections o JOIN benefit_lines l ON l.id = o.line_id WHERE o.id = \(bind: id.text) AND \(engine.startsWith("o.path", scope.path))").first()?
                .decode(column: "run_id", as: String.self).uuid
        }
        guard let run, let o = try await objections(run, in: scope).first(where: { $0.id == id }) else { throw RenkouError.notFound(Text("异议", "objection")) }
        return o
    }

    /// Resolves an objection: upheld, the line comes off the list (with the finding); dismissed, its
    /// payment is released (when no other objection holds it). Throws `not-found`, `conflict`
    /// (`resolved`), `invalid` (`/resolution` `required`).
    public func resolve(_ id: UUID, upheld: Bool, resolution: String, in scope: Scope, by actor: Actor) async throws -> Objection {
        let resolution = resolution.trimmed
        guard !resolution.isEmpty else { throw RenkouError.invalid([FieldError("/resolution", "required", Text("请写明核实结果。", "Say what the check found."))]) }
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT line_id, resolved_on, path FROM benefit_objections WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("异议", "objection"))
            }
            guard try r.decode(column: "resolved_on", as: String?.self) == nil else { throw RenkouError(.conflict, "resolved", Text("该异议已处理。", "This objection is resolved already.")) }
            let line = try r.decode(column: "line_id", as: String.self)
            try await db.raw("UPDATE benefit_objections SET resolved_on = \(bind: today.description), upheld = \(bind: upheld ? 1 : 0), resolution = \(bind: resolution) WHERE id = \(bind: id.text)").run()
            if upheld { try await db.raw("UPDATE benefit_lines SET removed_reason = \(bind: "异议成立：" + resolution) WHERE id = \(bind: line)").run() }
            try await db.raw("""
                UPDATE benefit_lines SET held = CASE WHEN EXISTS (SELECT 1 FROM benefit_objections o WHERE o.line_id = benefit_lines.id AND o.resolved_on IS NULL) THEN 1 ELSE 0 END
                WHERE id = \(bind: line)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_objection", entityID: id.text,
                                     path: try r.decode(column: "path", as: String.self), after: AuditLog.json(["upheld": upheld ? "1" : "0"]))
        }
        return try await objection(id, in: scope)
    }

    /// 审批: the district approves a posted run once its posting period is over; the list is not
    /// edited by it, and its facts stay as they were drawn. Held lines wait for their objection.
    /// Throws `not-found`, `conflict` (`run-state`, `posting-period` while the list is still posted).
    public func approve(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> BenefitRun {
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard run.state == .posted else { throw RenkouError(.conflict, "run-state", Text("只能审批公示过的名单。", "Only a posted list can be approved.")) }
            let drawnBy = try await db.raw("SELECT created_by FROM benefit_runs WHERE id = \(bind: id.text)").first()!.decode(column: "created_by", as: String.self)
            if drawnBy == actor.username { throw RenkouError(.conflict, "four-eyes", Text("生成名单的人不能审批同一名单。", "Whoever drew a list does not approve it.")) }
            if let until = run.postingUntil, today.description <= until {
                throw RenkouError(.conflict, "posting-period", Text("公示期至 \(until)，期满后才能审批。", "The list is posted until \(until); it is approved after that."))
            }
            let payBy = env.policy.calendar.adding(workingDays: env.policy(.paymentDays, on: today), to: today)
            try await db.raw("""
                UPDATE benefit_runs SET state = 'approved', approved_by = \(bind: actor.username), approved_on = \(bind: today.description), pay_by = \(bind: payBy.description)
                WHERE id = \(bind: id.text)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_run", entityID: id.text, path: path, after: AuditLog.json(["approved": today.description]))
        }
        return try await run(id, in: scope)
    }

    /// The bank file of an approved run.
    public struct PaymentFile: Sendable {
        /// CSV, UTF-8: a header row, one row per payment (行号, 姓名, 公民身份号码, 金额, 项目, 年度), and a
        /// control row `合计,<people>,<lines>,<amount>`.
        public let csv: String
        public let batch: Int
        public let people: Int
        public let lines: Int
        public let amount: Int
    }

    /// 发放文件: a new batch of every payable line not yet sent (held ones wait), the lines marked as sent
    /// with the batch's number; a line released later goes in the next batch. Throws `not-found`,
    /// `forbidden` (the run is not all in the actor's area), `conflict` (`run-state`: not approved;
    /// `nothing-to-pay`).
    public func paymentFile(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> PaymentFile {
        let engine = db.engine, env = self.env, today = Day(env.now())
        let batch = try await db.transaction { db -> Int in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard [.approved, .paid, .reconciled].contains(run.state) else { throw RenkouError(.conflict, "run-state", Text("名单审批后才能生成发放文件。", "The list is approved before it is paid.")) }
            let batch = (try await db.raw("SELECT MAX(batch) AS b FROM benefit_lines WHERE run_id = \(bind: id.text)").first()?.decode(column: "b", as: Int?.self) ?? 0) + 1
            try await db.raw("""
                UPDATE benefit_lines SET payment = 'sent', batch = \(bind: batch)
                WHERE run_id = \(bind: id.text) AND eligible = 1 AND removed_reason IS NULL AND held = 0 AND payment = 'pending'
                """).run()
            let n = try await db.raw("SELECT COUNT(*) AS n FROM benefit_lines WHERE run_id = \(bind: id.text) AND batch = \(bind: batch)").first()!.decode(column: "n", as: Int.self)
            guard n > 0 else { throw RenkouError(.conflict, "nothing-to-pay", Text("没有待发放的款项。", "Nothing is waiting to be paid.")) }
            try await db.raw("UPDATE benefit_runs SET state = 'paid', paid_on = \(bind: today.description) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "benefit_payment_file", entityID: id.text, path: path,
                                     after: AuditLog.json(["batch": String(batch), "lines": String(n)]))
            return batch
        }
        return try await paymentFile(id, batch: batch, in: scope, by: actor)
    }

    /// A batch's bank file again (nothing changes). Throws `not-found`, `forbidden`.
    public func paymentFile(_ id: UUID, batch: Int, in scope: Scope, by actor: Actor) async throws -> PaymentFile {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            let rows = try await db.raw("SELECT number, name, id_number, amount FROM benefit_lines WHERE run_id = \(bind: id.text) AND batch = \(bind: batch) ORDER BY number").all()
            guard !rows.isEmpty else { throw RenkouError.notFound(Text("发放批次", "payment batch")) }
            var csv = "行号,姓名,公民身份号码,金额,项目,年度\n", amount = 0, people = Set<String>()
            for r in rows {
                let a = try r.decode(column: "amount", as: Int.self), n = try r.decode(column: "id_number", as: String.self)
                amount += a; people.insert(n)
                csv += [String(try r.decode(column: "number", as: Int.self)), CSV.escape(try r.decode(column: "name", as: String.self)), n, String(a), run.programme.rawValue, String(run.year)].joined(separator: ",") + "\n"
            }
            csv += "合计,\(people.count),\(rows.count),\(amount)\n"
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "benefit_payment_file", entityID: id.text, path: path, after: AuditLog.json(["batch": String(batch)]))
            return PaymentFile(csv: csv, batch: batch, people: people.count, lines: rows.count, amount: amount)
        }
    }

    /// What a bank's return file did.
    public struct Reconciliation: Sendable, Codable, Equatable {
        public var paid: Int
        public var returned: Int
        /// Return rows matching no sent line (by 行号 and ID number), by their row in the file.
        public var unmatched: [Int]
        /// Sent lines the file did not mention (still waiting).
        public var waiting: Int
    }

    /// 对账: reads the bank's return file (CSV: 行号, 公民身份号码, 金额, 结果 成功|退回, 原因, and an
    /// optional 到账日期 YYYY-MM-DD; a header row and the control row are skipped): each sent line becomes
    /// paid (on the bank's date, or today without one) or returned (its reason kept; returned lines come
    /// back in the next run); rows that match nothing are reported, never guessed.
    /// Throws `not-found`, `conflict` (`run-state`: nothing was sent).
    public func reconcile(_ id: UUID, returnFile: String, in scope: Scope, by actor: Actor) async throws -> Reconciliation {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard [.paid, .reconciled].contains(run.state) else { throw RenkouError(.conflict, "run-state", Text("还没有送银行的发放文件。", "Nothing has been sent to the bank yet.")) }
            var result = Reconciliation(paid: 0, returned: 0, unmatched: [], waiting: 0)
            for (i, line) in returnFile.split(whereSeparator: \.isNewline).enumerated() {
                let f = CSV.fields(line).map(\.trimmed)
                guard f.count >= 4, let number = Int(f[0]) else { if i > 0 && f.first != "合计" { result.unmatched.append(i + 1) }; continue }
                guard let r = try await db.raw("""
                    SELECT id, amount FROM benefit_lines WHERE run_id = \(bind: id.text) AND number = \(bind: number) AND id_number = \(bind: f[1].uppercased()) AND payment = 'sent'
                    """).first(), try r.decode(column: "amount", as: Int.self) == Int(f[2]) else { result.unmatched.append(i + 1); continue }
                // The bank's word for the result: paid or returned; anything else is not guessed at.
                let word = f[3].lowercased()
                guard let ok: Bool = ["成功", "已到账", "paid", "ok", "success"].contains(word) ? true : ["退回", "失败", "returned", "failed", "fail"].contains(word) ? false : nil else {
                    result.unmatched.append(i + 1); continue
                }
                // The bank's 到账日期 when the file gives one: a real day between the approval and today, or the row is
                // reported, not guessed at; without the column, the day the file is read.
                let today = Day(env.now())
                var paidOn: Day? = ok ? today : nil
                if ok, f.count > 5, !f[5].isEmpty {
                    guard let d = Day(f[5]), d <= today, d.description >= (run.approvedOn ?? "") else { result.unmatched.append(i + 1); continue }
                    paidOn = d
                }
                try await db.raw("""
                    UPDATE benefit_lines SET payment = \(bind: ok ? "paid" : "returned"), return_reason = \(bind: ok ? nil : (f.count > 4 ? f[4] : f[3])),
                        paid_on = \(bind: paidOn?.description)
                    WHERE id = \(bind: try r.decode(column: "id", as: String.self))
                    """).run()
                if ok { result.paid += 1 } else { result.returned += 1 }
            }
            result.waiting = try await db.raw("SELECT COUNT(*) AS n FROM benefit_lines WHERE run_id = \(bind: id.text) AND payment = 'sent'").first()!.decode(column: "n", as: Int.self)
            // Reconciled once nothing is at the bank and nothing payable waits (a held line released later reopens it).
            let pending = try await db.raw("SELECT COUNT(*) AS n FROM benefit_lines WHERE run_id = \(bind: id.text) AND payment = 'pending' AND eligible = 1 AND removed_reason IS NULL").first()!.decode(column: "n", as: Int.self)
            if result.waiting == 0 && pending == 0 { try await db.raw("UPDATE benefit_runs SET state = 'reconciled' WHERE id = \(bind: id.text)").run() }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_run", entityID: id.text, path: path,
                                     after: AuditLog.json(["paid": String(result.paid), "returned": String(result.returned), "unmatched": String(result.unmatched.count)]))
            return result
        }
    }
}
