import Crypto
import Foundation
import RenkouCore
import SQLKit

/// 自助发放机: a machine speaks with its own token; before it vends it asks whether the card's holder
/// may take a box (the per-person limit and age of the policy), and it reports what it vended and
/// its faults. What is kept of a person is an HMAC-SHA256 of the ID number under this deployment's
/// key: enough to enforce the limit, not to learn who she is.
extension SupplyStore {
    /// Gives a machine a new token (the old one stops working): shown once, kept as its SHA-256.
    /// Throws `invalid` (`/location` `unknown-location`, `not-a-machine`).
    public func issueMachineToken(_ location: UUID, in scope: Scope, by actor: Actor) async throws -> String {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let (machine, path) = try await Self.requireLocation(location.text, field: "location", in: scope, engine: engine, db)
            guard machine.kind == .machine else { throw RenkouError.invalid([FieldError("/location", "not-a-machine", Text("这不是自助发放机。", "This is not a dispensing machine."))]) }
            let token = Secrets.random()
            try await db.raw("DELETE FROM supply_machines WHERE location_id = \(bind: location.text)").run()
            try await db.raw("INSERT INTO supply_machines (location_id, token_hash, created_at) VALUES (\(bind: location.text), \(bind: Secrets.sha256(token)), \(bind: Timestamp.string(env.now())))").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "supply_machine", entityID: location.text, path: path, after: AuditLog.json(["token": "issued"]))
            return token
        }
    }

    /// The machine a token belongs to. Throws `unauthorized` (`machine-token`).
    func machine(_ id: UUID, token: String?) async throws -> (StockLocation, String) {
        try await db.read { db in
            guard let token, let r = try await db.raw("""
                SELECT l.*, u.name AS unit_name FROM supply_machines m JOIN stock_locations l ON l.id = m.location_id JOIN org_units u ON u.id = l.unit_id
                WHERE m.location_id = \(bind: id.text) AND m.token_hash = \(bind: Secrets.sha256(token))
                """).first() else {
                throw RenkouError(.unauthorized, "machine-token", Text("发放机令牌无效。", "The machine's token is not valid."))
            }
            return (try Self.decodeLocation(r), try r.decode(column: "path", as: String.self))
        }
    }

    /// The keyed hash of an ID number (HMAC-SHA256 under the deployment's key, made on first use).
    /// The key is `RENKOU_MACHINE_KEY` from the deployment's environment when set (then a copy of the
    /// database alone cannot test guesses of a number against the hashes); without it, a key made
    /// on first use and kept in the database.
    func personHash(_ idNumber: String, _ db: any SQLDatabase) async throws -> String {
        var key = ProcessInfo.processInfo.environment["RENKOU_MACHINE_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if key == nil {
            try await db.raw("INSERT INTO supply_secrets (id, hmac_key) VALUES (1, \(bind: Secrets.random())) ON CONFLICT (id) DO NOTHING").run()
            key = try await db.raw("SELECT hmac_key FROM supply_secrets WHERE id = 1").first()!.decode(column: "hmac_key", as: String.self)
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(idNumber.utf8), using: SymmetricKey(data: Data(key!.utf8)))
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// 限领核验: may the holder of this ID card take a box of `product` from this machine now? Denied
    /// when the number is not a valid one (`invalid-id`, nothing kept), outside the ages
    /// (`age`), or when she took one within the interval at any machine (`within-limit`, with the
    /// day she may again). Throws `unauthorized` (`machine-token`).
    public func check(machine id: UUID, token: String?, idNumber: String, product: String) async throws -> MachineDecision {
        let (machine, path) = try await self.machine(id, token: token)
        let env = self.env, today = Day(env.now()), limit = env.policy(.machineLimit, on: today)
        let number = CitizenID.normalize(idNumber)
        guard number.count == 18, CitizenID.checkCharacter(String(number.prefix(17))) == number.last,
              let born = CitizenID.birthDateAndSex(number).flatMap({ Day($0.birthDate) }) else {
            return MachineDecision(allow: false, reason: "invalid-id", checkID: nil, nextOn: nil)
        }
        let age = today.year - born.year - ((today.month, today.day) < (born.month, born.day) ? 1 : 0)
        return try await db.transaction { db in
            let hash = try await personHash(number, db)
            var decision = MachineDecision(allow: true, reason: "ok", checkID: env.newID(), nextOn: nil)
            if age < limit.minAge || age > limit.maxAge {
                decision = MachineDecision(allow: false, reason: "age", checkID: nil, nextOn: nil)
            } else if let last = try await db.raw("""
                SELECT MAX(vended_at) AS at FROM machine_checks WHERE person_hash = \(bind: hash) AND vended_at IS NOT NULL
                """).first()?.decode(column: "at", as: String?.self), let lastDay = Timestamp.date(last).map(Day.init),
                      today < lastDay.adding(days: limit.intervalDays) {
                decision = MachineDecision(allow: false, reason: "within-limit", checkID: nil, nextOn: lastDay.adding(days: limit.intervalDays).description)
            }
            try await db.raw("""
                INSERT INTO machine_checks (id, location_id, person_hash, product, allowed, reason, decided_at, path)
                VALUES (\(bind: (decision.checkID ?? env.newID()).text), \(bind: machine.id.text), \(bind: hash), \(bind: product), \(bind: decision.allow ? 1 : 0),
                        \(bind: decision.reason), \(bind: Timestamp.string(env.now())), \(bind: path))
                """).run()
            return decision
        }
    }

    /// What a machine reports: `vend` (a box out, after an allowed check of that product: the check is
    /// spent, the limit checked again and the stock event recorded, the lot that expires first, all in
    /// one transaction), `fault` or `empty` (a task for the worker of its unit). Throws
    /// `unauthorized` (`machine-token`), `invalid` (`/kind` `code-unknown`, `/check`
    /// `unknown-check`: not allowed, spent, another machine's or another product's), `conflict`
    /// (`within-limit`: she took a box since the check) and what a vend event throws (`insufficient-stock`).
    public func report(machine id: UUID, token: String?, kind: String, product: String?, check: UUID?) async throws {
        let (machine, path) = try await self.machine(id, token: token)
        let env = self.env, actor = Actor(userID: nil, username: "machine:\(machine.name)", client: "machine")
        switch kind {
        case "vend":
            guard let check, let product else {
                throw RenkouError.invalid([FieldError("/check", "unknown-check", Text("自助发放须给出核验编号。", "A vend names its check."))])
            }
            let engine = db.engine, limit = env.policy(.machineLimit, on: Day(env.now()))
            // one transaction: the check spent, the limit checked again (two checks may have been allowed before either vended), the stock moved
            try await db.transaction { db in
                guard let row = try await db.raw("""
                    SELECT person_hash FROM machine_checks WHERE id = \(bind: check.text) AND location_id = \(bind: machine.id.text) AND allowed = 1 AND vended_at IS NULL
                    AND product = \(bind: product)
                    """).first(), let hash = try row.decode(column: "person_hash", as: String?.self) else {
                    throw RenkouError.invalid([FieldError("/check", "unknown-check", Text("核验编号无效、未获准、已使用或不是该品种的。", "The check is unknown, was refused, is spent, or is for another product."))])
                }
                if db.dialect.name == "postgresql" { try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "vend:" + hash)))").run() }
                let since = Timestamp.string(env.now().addingTimeInterval(-Double(limit.intervalDays) * 86_400))
                if try await db.raw("SELECT id FROM machine_checks WHERE person_hash = \(bind: hash) AND vended_at >= \(bind: since)").first() != nil {
                    throw RenkouError(.conflict, "within-limit", Text("此人在限领期内已领取。", "This person took a box within the limit period."))
                }
                try await db.raw("UPDATE machine_checks SET vended_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: check.text)").run()
                _ = try await Self.record(StockEventInput(kind: "vend", location: machine.id.text, product: product, quantity: 1, note: "check \(check.text)"),
                                          in: Scope(path: path), by: actor, env: env, engine: engine, db)
            }
        case "fault", "empty":
            try await db.transaction { db in
                try await TaskStore.add(TaskStore.New(kind: .machineAlert, subject: "\(machine.name)\(kind == "fault" ? "故障" : "缺货")", idNumber: nil, personID: nil,
                                                      object: FieldTask.Object("stock-location", machine.id), note: kind == "fault" ? "发放机报告故障，请上门检修。" : "发放机已空，请补货。",
                                                      unitID: machine.unitID, path: path, due: Day(env.now()), source: "supplies"), env: env, actor: actor, db)
            }
        default:
            throw RenkouError.invalid([FieldError("/kind", "code-unknown", Text("事件应为 vend、fault 或 empty。", "The event is vend, fault or empty."))])
        }
    }
}
