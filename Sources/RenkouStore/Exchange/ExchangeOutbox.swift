import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RenkouCore
import SQLKit

/// The sending end: messages wait in the outbox, written in the transaction of the change that
/// caused them, until a peer acknowledges them; a failed attempt is tried again later (10 s, 20 s,
/// 40 s … at most an hour apart); a peer's refusal (4xx) stops the message for an operator.
extension ExchangeStore {
    /// Attempts before a message is left for an operator.
    public static let maxAttempts = 12

    /// This node's code, or nil when the deployment has not set up the exchange (then nothing is sent).
    static func nodeCode(_ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT code FROM exchange_identity WHERE id = 1").first()?.decode(column: "code", as: String.self)
    }

    /// Puts a message in the outbox inside the caller's transaction, addressed by routing `area` (the
    /// person's hukou region). Returns false when no peer serves the area or the exchange is not set up.
    @discardableResult
    static func enqueue(_ message: MessageEnvelope, area: String, path: String, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> Bool {
        guard let me = try await nodeCode(db), !area.hasPrefix(me) else { return false }
        let peers = try await db.raw("SELECT * FROM exchange_peers").all().map(decodePeer)
        guard let peer = ExchangeRouting.route(area, peers: peers) else { return false }
        var m = message
        m.sender = me; m.receiver = peer.code
        try await insertOutgoing(m, peer: peer.code, path: path, env: env, db)
        return true
    }

    /// The one outbox row of a message, due now.
    static func insertOutgoing(_ m: MessageEnvelope, peer: String, path: String, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        let now = Timestamp.string(env.now())
        try await db.raw("""
            INSERT INTO exchange_outbox (id, receiver, kind, business_key, envelope, state, attempts, next_attempt_at, created_at, path)
            VALUES (\(bind: m.id.text), \(bind: peer), \(bind: m.kind.rawValue), \(bind: m.businessKey), \(bind: String(decoding: try JSONEncoder.sorted.encode(m), as: UTF8.self)),
                    'pending', 0, \(bind: now), \(bind: now), \(bind: path))
            """).run()
    }

    /// What one pass of the sender did.
    public struct Delivery: Sendable, Codable, Equatable {
        public var delivered = 0
        public var retrying = 0
        public var refused = 0
        public var failed = 0
        public init() {}
    }

    /// Sends the messages that are due, each to its peer (through the hub when it has no direct route):
    /// signed again with a fresh `sentAt`, posted, and marked delivered on the peer's acknowledgement.
    public func deliverDue(limit: Int = 200, timeout: TimeInterval = 10) async throws -> Delivery {
        let now = Timestamp.string(env.now())
        let due = try await db.read { db in
            try await db.raw("SELECT id, receiver, envelope, attempts FROM exchange_outbox WHERE state = 'pending' AND next_attempt_at <= \(bind: now) ORDER BY created_at LIMIT \(unsafeRaw: String(limit))")
                .all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "receiver", as: String.self),
                              try $0.decode(column: "envelope", as: String.self), try $0.decode(column: "attempts", as: Int.self)) }
        }
        var result = Delivery()
        guard let me = try await currentIdentity()?.code else { return result }
        let peers = try await self.peers()
        var unreachable: Set<String> = []
        for (id, receiver, text, attempts) in due {
            // A peer that failed once in this pass is not tried again in it: the others do not wait behind it.
            if unreachable.contains(receiver) { continue }
            guard let message = try? JSONDecoder().decode(MessageEnvelope.self, from: Data(text.utf8)) else {
                try await mark(id, state: "failed", error: "unreadable envelope"); result.failed += 1; continue
            }
            // The addressed peer only (a hub that cannot forward yet would refuse it); a disabled one waits.
            guard let peer = peers.first(where: { $0.code == receiver && $0.enabled }),
                  let url = URL(string: peer.url)?.appendingPathComponent("api/v1/exchange/inbox") else {
                try await retry(id, attempts: attempts, error: "no route to \(receiver)"); result.retrying += 1; continue
            }
            let (body, signature) = try await signed(message)
            var request = URLRequest(url: url, timeoutInterval: timeout)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(me, forHTTPHeaderField: "Renkou-Sender")
            request.setValue(signature, forHTTPHeaderField: "Renkou-Signature")
            request.httpBody = body
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                switch status {
                case 200, 202:
                    try await mark(id, state: "delivered", error: nil); result.delivered += 1
                case 400..<500 where status != 408 && status != 429:
                    // the peer refused this message: an operator looks at it (a key or clock to fix), no blind retry
                    try await mark(id, state: "refused", error: "\(status) " + String(decoding: data.prefix(300), as: UTF8.self)); result.refused += 1
                default:
                    unreachable.insert(receiver)
                    if try await retry(id, attempts: attempts, error: "HTTP \(status)") { result.retrying += 1 } else { result.failed += 1 }
                }
            } catch {
                unreachable.insert(receiver)
                if try await retry(id, attempts: attempts, error: String(describing: error).prefix(300).description) { result.retrying += 1 } else { result.failed += 1 }
            }
        }
        return result
    }

    func mark(_ id: String, state: String, error: String?) async throws {
        let now = Timestamp.string(env.now())
        try await db.transaction { db in
            try await db.raw("""
                UPDATE exchange_outbox SET state = \(bind: state), attempts = attempts + 1, last_error = \(bind: error),
                    delivered_at = \(bind: state == "delivered" ? now : nil) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Schedules the next attempt (doubling from 10 s, at most an hour); after the last, the message
    /// is `failed` and waits for an operator. Returns whether it will be tried again.
    @discardableResult
    func retry(_ id: String, attempts: Int, error: String) async throws -> Bool {
        let n = attempts + 1
        if n >= Self.maxAttempts { try await mark(id, state: "failed", error: error); return false }
        let next = Timestamp.string(env.now().addingTimeInterval(min(3600, 10 * pow(2, Double(n - 1)))))
        try await db.transaction { db in
            try await db.raw("UPDATE exchange_outbox SET attempts = \(bind: n), last_error = \(bind: error), next_attempt_at = \(bind: next) WHERE id = \(bind: id)").run()
        }
        return true
    }

    /// A message waiting or sent, as the outbox holds it.
    public struct Outgoing: Sendable, Codable, Equatable {
        public let message: MessageEnvelope
        public let peer: String
        public let state: String
        public let attempts: Int
        public let lastError: String?
        public let deliveredAt: String?
    }

    /// The outbox, newest first; `state` filters (pending, delivered, refused, failed, closed). The
    /// messages name people: `actor`'s read is audited.
    public func outbox(state: String? = nil, limit: Int = 200, by actor: Actor? = nil) async throws -> [Outgoing] {
        let env = self.env
        if let actor { try await db.transaction { try await AuditLog.write($0, at: env.now(), actor: actor, action: .read, entity: "exchange_messages", entityID: "out", path: "/") } }
        return try await db.read { db in
            try await db.raw("""
                SELECT * FROM exchange_outbox \(unsafeRaw: state == nil ? "" : "WHERE state = ")\(state.map { "\(bind: $0)" as SQLQueryString } ?? "")
                ORDER BY created_at DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 1000))))
                """).all().map {
                Outgoing(message: try JSONDecoder().decode(MessageEnvelope.self, from: Data(try $0.decode(column: "envelope", as: String.self).utf8)),
                         peer: try $0.decode(column: "receiver", as: String.self), state: try $0.decode(column: "state", as: String.self),
                         attempts: try $0.decode(column: "attempts", as: Int.self), lastError: try $0.decode(column: "last_error", as: String?.self),
                         deliveredAt: try $0.decode(column: "delivered_at", as: String?.self))
            }
        }
    }

    /// An operator sends a refused or failed message again now (audited).
    public func retryNow(_ id: UUID, by actor: Actor) async throws {
        let env = self.env
        try await db.transaction { db in
            guard try await db.raw("SELECT id FROM exchange_outbox WHERE id = \(bind: id.text) AND state IN ('refused', 'failed')").first() != nil else {
                throw RenkouError.notFound(Text("待处理的报文", "stuck message"))
            }
            try await db.raw("UPDATE exchange_outbox SET state = 'pending', attempts = 0, next_attempt_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_message", entityID: id.text, path: "/", after: AuditLog.json(["retry": "now"]))
        }
    }

    // MARK: The receiving workflow

    /// 配对: what a notice about a stay becomes on the receiving side: the person found by ID number
    /// (else by name and birth date) gets a home-visit task (核实) due by the ordinary deadline; no match
    /// is recorded as not found. Runs in the receiving transaction, once per message.
    static func apply(_ m: MessageEnvelope, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> (person: String?, task: String?) {
        guard m.kind == .notice || m.kind == .request else { return (nil, nil) }
        var row = try await db.raw("SELECT id, name, id_number, unit_id, path FROM persons WHERE id_number = \(bind: CitizenID.normalize(m.subject.idNumber)) AND status = 'active'").first()
        if row == nil, let born = m.subject.birthDate {
            // by name and birth date only when exactly one living person fits: a visit never goes to a namesake
            let fits = try await db.raw("SELECT id, name, id_number, unit_id, path FROM persons WHERE name = \(bind: m.subject.name) AND birth_date = \(bind: born) AND status = 'active' LIMIT 2").all()
            if fits.count == 1 { row = fits[0] }
        }
        guard let row else { return (nil, nil) }
        let person = try row.decode(column: "id", as: String.self)
        let deadlines = env.policy(.exchangeDeadlines, on: Day(env.now()))
        let due = m.deadline.flatMap(Day.init) ?? Day(env.now()).adding(days: m.deadlineClass == .urgent ? deadlines.urgentDays : deadlines.ordinaryDays)
        let what = m.payload["event"] == "stay-opened" ? "在\(m.sender)登记流入（\(m.payload["since"] ?? "")）"
            : m.kind == .request ? "\(m.sender)协查\(ExchangeStore.questions[m.payload["question"] ?? ""]?.zh ?? "")" : m.kind.label.zh
        let task = try await TaskStore.add(TaskStore.New(kind: .exchangeVisit, subject: try row.decode(column: "name", as: String.self), idNumber: try row.decode(column: "id_number", as: String?.self),
                                                         personID: person.uuid, object: FieldTask.Object("exchange-message", m.id), note: "信息交换：\(what)，请入户核实",
                                                         unitID: try row.decode(column: "unit_id", as: String.self).uuid, path: try row.decode(column: "path", as: String.self),
                                                         due: due, source: "exchange"), env: env, actor: Actor(userID: nil, username: "exchange:\(m.sender)", client: "exchange"), db)
        return (person, task.text)
    }
}
