import Crypto
import Foundation
import RenkouCore
import RenkouFiles
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

    /// The machine a token belongs to, and its unit's path. Throws `unauthorized` (`machine-token`).
    public func machine(_ id: UUID, token: String?) async throws -> (StockLocation, String) {
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
    /// on first use and kept in the database. Either is read once per process and database.
    func personHash(_ idNumber: String, _ db: any SQLDatabase) async throws -> String {
        let key = try await MachineKeys.shared.key(for: self.db) {
            if let env = ProcessInfo.processInfo.environment["RENKOU_MACHINE_KEY"], !env.isEmpty { return env }
            if let kept = try await db.raw("SELECT hmac_key FROM supply_secrets WHERE id = 1").first() { return try kept.decode(column: "hmac_key", as: String.self) }
            let make: @Sendable (any SQLDatabase) async throws -> String = { db in
                try await db.raw("INSERT INTO supply_secrets (id, hmac_key) VALUES (1, \(bind: Secrets.random())) ON CONFLICT (id) DO NOTHING").run()
                return try await db.raw("SELECT hmac_key FROM supply_secrets WHERE id = 1").first()!.decode(column: "hmac_key", as: String.self)
            }
            // made on the writer when asked from a read (a reader cannot write)
            return db is ReadSession ? try await self.db.write(make) : try await make(db)
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(idNumber.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// 限领核验: may the holder of this ID card take a box of `product` from this machine now? Denied
    /// when the number is not a valid one (`invalid-id`, nothing kept), outside the ages
    /// (`age`), when she took one within the interval at any machine (`within-limit`, with the
    /// day she may again), or while a box allowed to her in the last two minutes has not been
    /// reported (`pending`: one card at two machines at once). Throws `unauthorized` (`machine-token`).
    /// One connection, two statements: the token, her last vend and a pending check read together,
    /// then the check kept (on PostgreSQL in a transaction holding the card's lock).
    public func check(machine id: UUID, token: String?, idNumber: String, product: String) async throws -> MachineDecision {
        let env = self.env, today = Day(env.now()), limit = env.policy(.machineLimit, on: today)
        let number = CitizenID.normalize(idNumber)
        let valid = number.count == 18 && CitizenID.checkCharacter(String(number.prefix(17))) == number.last
        let born = valid ? CitizenID.birthDateAndSex(number).flatMap({ Day($0.birthDate) }) : nil
        let engine = db.engine
        @Sendable func decide(_ db: any SQLDatabase) async throws -> MachineDecision {
            let hash = try await personHash(number, db)
            // two machines asked for one card at once: one answer at a time (SQLite has one connection already)
            if engine == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "vend:" + hash)))").run() }
            guard let token, let r = try await db.raw("""
                SELECT l.path, (SELECT MAX(c.vended_at) FROM machine_checks c WHERE c.person_hash = \(bind: hash) AND c.vended_at IS NOT NULL) AS last,
                       (SELECT COUNT(*) FROM machine_checks c WHERE c.person_hash = \(bind: hash) AND c.allowed = 1 AND c.vended_at IS NULL
                        AND c.decided_at >= \(bind: Timestamp.string(env.now().addingTimeInterval(-Self.pendingSeconds)))) AS pending
                FROM supply_machines m JOIN stock_locations l ON l.id = m.location_id
                WHERE m.location_id = \(bind: id.text) AND m.token_hash = \(bind: Secrets.sha256(token))
                """).first() else {
                throw RenkouError(.unauthorized, "machine-token", Text("发放机令牌无效。", "The machine's token is not valid."))
            }
            guard let born else { return MachineDecision(allow: false, reason: "invalid-id", checkID: nil, nextOn: nil) }
            let path = try r.decode(column: "path", as: String.self)
            let age = born.age(on: today)
            var decision = MachineDecision(allow: true, reason: "ok", checkID: env.newID(), nextOn: nil)
            if age < limit.minAge || age > limit.maxAge {
                decision = MachineDecision(allow: false, reason: "age", checkID: nil, nextOn: nil)
            } else if let last = try r.decode(column: "last", as: String?.self), let lastDay = Timestamp.date(last).map(Day.init), today < lastDay.adding(days: limit.intervalDays) {
                decision = MachineDecision(allow: false, reason: "within-limit", checkID: nil, nextOn: lastDay.adding(days: limit.intervalDays).description)
            } else if try r.decode(column: "pending", as: Int.self) > 0 {
                decision = MachineDecision(allow: false, reason: "pending", checkID: nil, nextOn: nil)
            }
            try await db.raw("""
                INSERT INTO machine_checks (id, location_id, person_hash, product, allowed, reason, decided_at, path)
                VALUES (\(bind: (decision.checkID ?? env.newID()).text), \(bind: id.text), \(bind: hash), \(bind: product), \(bind: decision.allow ? 1 : 0),
                        \(bind: decision.reason), \(bind: Timestamp.string(env.now())), \(bind: path))
                """).run()
            return decision
        }
        return engine == .postgres ? try await db.transaction(decide) : try await db.write(decide)
    }

    /// How long an allowed check whose box has not been reported holds the card (`pending`).
    static let pendingSeconds = 120.0

    /// What a machine reports: `vend` (a box out, after an allowed check of that product: the check is
    /// spent, the limit checked again and the stock event recorded, the lot that expires first, all in
    /// one transaction), `refill` (its counter's count of units loaded: kept for the month's
    /// reconciliation; the stock moves by the worker's transfer), `fault` or `empty` (a task for the
    /// worker of its unit). Every report is kept without a person (a vend names its check). Throws
    /// `unauthorized` (`machine-token`), `invalid` (`/kind` `code-unknown`, `/check`
    /// `unknown-check`: not allowed, spent, another machine's or another product's, `/product`
    /// `unknown-product`, `/quantity` `out-of-range`), `conflict` (`within-limit`: she took a box
    /// since the check) and what a vend event throws (`insufficient-stock`).
    /// `at`, the machine's own time of the event (ISO 8601 or `YYYY-MM-DD HH:MM`, not after now), makes
    /// the report the same as its log line: told both ways, it counts once (`/at` `date-format`).
    public func report(machine id: UUID, token: String?, kind: String, product: String?, check: UUID?, quantity: Int? = nil, at: String? = nil) async throws {
        let (machine, path) = try await self.machine(id, token: token)
        let env = self.env, engine = db.engine, now = env.now()
        var report = MachineReport(kind: kind, product: product, quantity: quantity ?? (kind == "vend" ? 1 : nil), check: check, at: now, source: "api", key: nil)
        if let at = at?.trimmed, !at.isEmpty {
            guard let time = Self.logTime(at), time <= now.addingTimeInterval(300) else {
                throw RenkouError.invalid([FieldError("/at", "date-format", Text("时间应为 YYYY-MM-DD HH:MM，且不晚于现在。", "The time is YYYY-MM-DD HH:MM, not in the future."))])
            }
            report.at = time; report.key = report.lineKey(machine.id)
        }
        let told = report
        _ = try await db.transaction { db in
            try await Self.lockMachine(machine.id, db)
            return try await Self.apply(told, machine: machine, path: path, env: env, engine: engine, db)
        }
    }

    /// One machine's reports are booked one at a time (PostgreSQL; SQLite has one writer).
    static func lockMachine(_ id: UUID, _ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" { try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "machine:" + id.text)))").run() }
    }

    /// One report of a machine, from the API or a line of its log.
    struct MachineReport: Sendable {
        var kind: String
        var product: String?
        var quantity: Int?
        var check: UUID?
        var at: Date
        var source: String
        /// A log line's identity (a log uploaded twice counts once); the API's reports are their own.
        var key: String?
        /// The identity of what it says, whatever the file's form: machine, time to the millisecond,
        /// event, product, quantity, check.
        func lineKey(_ machine: UUID) -> String {
            Secrets.sha256([machine.text, Timestamp.string(at), kind, product ?? "", quantity.map(String.init) ?? "", check?.text ?? ""].joined(separator: "|"))
        }
    }

    /// Applies a report inside the caller's transaction. Returns false when it was applied before (the
    /// same log line, or a vend whose check is spent by this very report).
    @discardableResult
    static func apply(_ r: MachineReport, machine: StockLocation, path: String, env: RenkouCore.Environment, engine: Engine, _ db: any SQLDatabase) async throws -> Bool {
        let actor = Actor(userID: nil, username: "machine:\(machine.name)", client: "machine")
        let key = r.key ?? env.newID().text
        if r.key != nil, try await db.raw("SELECT id FROM machine_reports WHERE line_key = \(bind: key)").first() != nil { return false }
        let day = Day(r.at), quantity: Int
        switch r.kind {
        case "vend":
            guard let check = r.check, let product = r.product else {
                throw RenkouError.invalid([FieldError("/check", "unknown-check", Text("自助发放须给出核验编号。", "A vend names its check."))])
            }
            // a check spent already at this machine for this product: the same vend, told twice (the API and the log)
            if r.key != nil, try await db.raw("""
                SELECT id FROM machine_checks WHERE id = \(bind: check.text) AND location_id = \(bind: machine.id.text) AND product = \(bind: product) AND vended_at IS NOT NULL
                """).first() != nil { return false }
            let limit = env.policy(.machineLimit, on: day)
            guard let row = try await db.raw("""
                SELECT person_hash, decided_at FROM machine_checks WHERE id = \(bind: check.text) AND location_id = \(bind: machine.id.text) AND allowed = 1 AND vended_at IS NULL
                AND product = \(bind: product)
                """).first(), let hash = try row.decode(column: "person_hash", as: String?.self),
                  // a box comes out after its check, not before (a minute's grace for the machine's clock)
                  let decided = Timestamp.date(try row.decode(column: "decided_at", as: String.self)), r.at >= decided.addingTimeInterval(-60) else {
                throw RenkouError.invalid([FieldError("/check", "unknown-check", Text("核验编号无效、未获准、已使用、不是该品种的，或早于核验。", "The check is unknown, was refused, is spent, is for another product, or came after the vend."))])
            }
            // the limit checked again as the box is reported now (a check allowed long ago and a newer one
            // may both have been allowed); a log's vend is what happened: booked as it was
            if r.source == "api" {
                if db.dialect.name == "postgresql" { try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "vend:" + hash)))").run() }
                let since = Timestamp.string(r.at.addingTimeInterval(-Double(limit.intervalDays) * 86_400))
                if try await db.raw("SELECT id FROM machine_checks WHERE person_hash = \(bind: hash) AND vended_at >= \(bind: since)").first() != nil {
                    throw RenkouError(.conflict, "within-limit", Text("此人在限领期内已领取。", "This person took a box within the limit period."))
                }
            }
            try await db.raw("UPDATE machine_checks SET vended_at = \(bind: Timestamp.string(r.at)) WHERE id = \(bind: check.text)").run()
            _ = try await Self.record(StockEventInput(kind: "vend", location: machine.id.text, product: product, quantity: 1, occurredOn: day.description, note: "check \(check.text)"),
                                      in: Scope(path: path), by: actor, env: env, engine: engine, db)
            quantity = 1
        case "refill":
            guard let product = r.product, try await db.raw("SELECT code FROM supply_products WHERE code = \(bind: product)").first() != nil else {
                throw RenkouError.invalid([FieldError("/product", "unknown-product", Text("药具品种不存在。", "No such product."))])
            }
            guard let q = r.quantity, (1...100_000).contains(q) else {
                throw RenkouError.invalid([FieldError("/quantity", "out-of-range", Text("补货数量应为正整数。", "A refill's quantity is a whole number above zero."))])
            }
            quantity = q
        case "fault", "empty":
            // one open task per machine: a second report, or an old log line, adds to nothing
            if try await db.raw("SELECT id FROM tasks WHERE open = 1 AND kind = \(bind: FieldTask.Kind.machineAlert.rawValue) AND object_id = \(bind: machine.id.text)").first() == nil {
              try await TaskStore.add(TaskStore.New(kind: .machineAlert, subject: "\(machine.name)\(r.kind == "fault" ? "故障" : "缺货")", idNumber: nil, personID: nil,
                                                  object: FieldTask.Object("stock-location", machine.id), note: r.kind == "fault" ? "发放机报告故障，请上门检修。" : "发放机已空，请补货。",
                                                  unitID: machine.unitID, path: path, due: max(day, Day(env.now())), source: "supplies"), env: env, actor: actor, db)
            }
            quantity = 0
        default:
            throw RenkouError.invalid([FieldError("/kind", "code-unknown", Text("事件应为 vend、refill、fault 或 empty。", "The event is vend, refill, fault or empty."))])
        }
        try await db.raw("""
            INSERT INTO machine_reports (id, location_id, kind, product, quantity, check_id, occurred_at, occurred_on, source, line_key, path)
            VALUES (\(bind: env.newID().text), \(bind: machine.id.text), \(bind: r.kind), \(bind: r.product), \(bind: quantity), \(bind: r.check?.text),
                    \(bind: Timestamp.string(r.at)), \(bind: day.description), \(bind: r.source), \(bind: key), \(bind: path))
            """).run()
        return true
    }

    /// What an uploaded machine log did: its lines, those applied, those told before (skipped).
    public struct LogResult: Sendable, Codable, Equatable {
        public var lines: Int
        public var applied: Int
        public var duplicates: Int
        public var byKind: [String: Int]
    }

    /// 发放机日志: a machine's log file (CSV or XLSX: `time,event,product,quantity,check` with a header
    /// line; time as `YYYY-MM-DD HH:MM[:SS]` in the deployment's zone or ISO 8601) uploaded by the
    /// machine (its token) or by a worker over the machine's unit. All or nothing: every bad line is
    /// reported (`/lines/N/time` `date-format`, `future-date`, `/lines/N/event` `code-unknown`,
    /// `/lines/N/product` `unknown-product`, `/lines/N/quantity` `out-of-range`, `/lines/N/check`
    /// `unknown-check`, `/lines/N` with a vend's own refusal) and nothing is kept; a line told before
    /// (the same log again, or a vend the API reported) is skipped. Throws `invalid` (`/file`
    /// `empty` or `header`) too, and `unauthorized` (`machine-token`) for a wrong token. A worker's
    /// upload (`scope`, `user`) is audited under the machine's unit.
    public func uploadLog(machine id: UUID, token: String?, file: URL, in scope: Scope?, by user: Actor? = nil) async throws -> LogResult {
        let (machine, path): (StockLocation, String)
        if let scope {
            let engine = db.engine
            (machine, path) = try await db.read { db in try await Self.requireLocation(id.text, field: "location", in: scope, engine: engine, db) }
            guard machine.kind == .machine else { throw RenkouError.invalid([FieldError("/location", "not-a-machine", Text("这不是自助发放机。", "This is not a dispensing machine."))]) }
        } else {
            (machine, path) = try await self.machine(id, token: token)
        }
        let env = self.env, engine = db.engine, now = env.now()
        let known = Set(try await products().map(\.code))
        var reports: [(Int, MachineReport)] = [], errors = FieldErrors(), header: [String]?
        try await TableFile.read(file) { cells, line in
            let c = cells.map { $0.trimmingCharacters(in: .whitespaces) }
            guard header != nil else { header = c.map { $0.lowercased() }; return }
            func cell(_ name: String) -> String { header!.firstIndex(of: name).flatMap { $0 < c.count ? c[$0] : nil } ?? "" }
            let at = Self.logTime(cell("time")), event = cell("event").lowercased(), product = cell("product"), q = cell("quantity"), check = cell("check")
            if at == nil { errors.add("/lines/\(line)/time", "date-format", "第 \(line) 行时间应为 YYYY-MM-DD HH:MM。", "Line \(line): the time is YYYY-MM-DD HH:MM.") }
            if let at, at > now.addingTimeInterval(300) { errors.add("/lines/\(line)/time", "future-date", "第 \(line) 行时间晚于现在。", "Line \(line): the time is in the future.") }
            if !["vend", "refill", "fault", "empty"].contains(event) { errors.add("/lines/\(line)/event", "code-unknown", "第 \(line) 行事件应为 vend、refill、fault 或 empty。", "Line \(line): the event is vend, refill, fault or empty.") }
            if ["vend", "refill"].contains(event), !known.contains(product) { errors.add("/lines/\(line)/product", "unknown-product", "第 \(line) 行药具品种不存在。", "Line \(line): no such product.") }
            let quantity = q.isEmpty ? (event == "vend" ? 1 : nil) : Int(q)
            if event == "refill", !(1...100_000).contains(quantity ?? 0) { errors.add("/lines/\(line)/quantity", "out-of-range", "第 \(line) 行补货数量应为正整数。", "Line \(line): the quantity is a whole number above zero.") }
            if event == "vend", quantity != 1 { errors.add("/lines/\(line)/quantity", "out-of-range", "第 \(line) 行每次发放 1 盒。", "Line \(line): a vend is one box.") }
            if event == "vend", UUID(uuidString: check) == nil { errors.add("/lines/\(line)/check", "unknown-check", "第 \(line) 行缺少核验编号。", "Line \(line): a vend names its check.") }
            var report = MachineReport(kind: event, product: product.isEmpty ? nil : product, quantity: event == "fault" || event == "empty" ? nil : quantity,
                                       check: UUID(uuidString: check), at: at ?? now, source: "log", key: nil)
            report.key = report.lineKey(machine.id)
            reports.append((line, report))
            if reports.count > Self.maxLogLines { throw RenkouError.invalid([FieldError("/file", "too-many-lines", Text("日志超过 \(Self.maxLogLines) 行，请分月上传。", "The log has more than \(Self.maxLogLines) lines: upload it a month at a time."))]) }
        }
        if header == nil || !(["time", "event"].allSatisfy { header!.contains($0) }) {
            throw RenkouError.invalid([FieldError("/file", header == nil ? "empty" : "header", Text("日志应有表头 time,event,product,quantity,check。", "The log needs the header time,event,product,quantity,check."))])
        }
        try errors.throwIfAny()
        let sorted = reports.sorted { $0.1.at < $1.1.at }, count = reports.count
        return try await db.transaction { db in
            try await Self.lockMachine(machine.id, db)
            var result = LogResult(lines: count, applied: 0, duplicates: 0, byKind: [:])
            for (line, r) in sorted {
                do {
                    if try await Self.apply(r, machine: machine, path: path, env: env, engine: engine, db) {
                        result.applied += 1; result.byKind[r.kind, default: 0] += 1
                    } else { result.duplicates += 1 }
                } catch let e as RenkouError {
                    // the line that was refused, and why; nothing of the log is kept
                    throw RenkouError.invalid([FieldError("/lines/\(line)", e.fields.first?.code ?? e.code, Text("第 \(line) 行：\(e.fields.first?.message.zh ?? e.message.zh)", "Line \(line): \(e.fields.first?.message.en ?? e.message.en)"))])
                }
            }
            if let user {
                try await AuditLog.write(db, at: env.now(), actor: user, action: .create, entity: "machine_log", entityID: machine.id.text, path: path,
                                         after: AuditLog.json(["lines": String(result.lines), "applied": String(result.applied), "duplicates": String(result.duplicates)]))
            }
            return result
        }
    }

    /// The most lines one log may have (about a month of a busy machine many times over).
    public static let maxLogLines = 100_000

    /// A log's time: ISO 8601, or `YYYY-MM-DD HH:MM[:SS]` in the deployment's zone.
    static func logTime(_ text: String) -> Date? {
        if let d = Timestamp.date(text) { return d }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = Day(String(parts[0])) else { return nil }
        let hms = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }), (0..<24).contains(hms[0]!), (0..<60).contains(hms[1]!), (0..<60).contains(hms.count == 3 ? hms[2]! : 0) else { return nil }
        return Day.calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hms[0], minute: hms[1], second: hms.count == 3 ? hms[2] : 0))
    }
}

/// The deployment's machine hash key, read once per open database (the environment's, or the one kept
/// in the database, made on first use).
final class MachineKeys: @unchecked Sendable {
    static let shared = MachineKeys()
    func key(for database: Database, _ load: () async throws -> String) async throws -> String {
        if let k = database.memo.value("supplies.machine-key") { return k }
        let k = try await load()
        database.memo.set("supplies.machine-key", k)
        return k
    }
}
