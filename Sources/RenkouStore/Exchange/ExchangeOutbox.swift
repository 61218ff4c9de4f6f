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
    /// The most messages one batch delivery may carry.
    public static let maxBatch = 500
    /// The most bytes of message bodies the sender puts in one batch (the receiver takes JSON bodies
    /// up to 64 KiB; each item adds its signature and quoting).
    static let batchBytes = 56 * 1024

    /// This node's code, or nil when the deployment has not set up the exchange (then nothing is sent).
    static func nodeCode(_ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT code FROM exchange_identity WHERE id = 1").first()?.decode(column: "code", as: String.self)
    }

    /// Puts a message in the outbox inside the caller's transaction, addressed by routing `area` (the
    /// person's hukou region). Returns the message as addressed, or nil when no peer serves the area
    /// or the exchange is not set up.
    @discardableResult
    static func enqueue(_ message: MessageEnvelope, area: String, path: String, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> MessageEnvelope? {
        guard let me = try await nodeCode(db), !area.hasPrefix(me) else { return nil }
        let peers = try await db.raw("SELECT * FROM exchange_peers").all().map(decodePeer)
        guard let peer = ExchangeRouting.route(area, peers: peers) else { return nil }
        var m = message
        // the area is the address: the node that serves it (directly, or behind a hub) takes it
        m.sender = me; m.receiver = area
        try await insertOutgoing(m, peer: peer.code, path: path, env: env, db)
        return m
    }

    /// 更正/撤销: a later message about a business key this node has sent before (an update or a void),
    /// in the caller's transaction, to the same receiver by the same hop. Nothing when nothing was sent.
    static func follow(_ businessKey: String, kind: MessageKind, payload: [String: String], _ ctx: EventContext) async throws {
        guard let last = try await ctx.db.raw("""
            SELECT receiver, envelope, path FROM exchange_outbox WHERE business_key = \(bind: businessKey) AND forwarded = 0 ORDER BY id DESC LIMIT 1
            """).first() else { return }
        let earlier = try JSONDecoder().decode(MessageEnvelope.self, from: Data(try last.decode(column: "envelope", as: String.self).utf8))
        let m = MessageEnvelope(id: ctx.env.newID(), kind: kind, subject: earlier.subject, businessKey: businessKey, sender: earlier.sender, receiver: earlier.receiver,
                                sentAt: "", payload: payload)
        try await insertOutgoing(m, peer: try last.decode(column: "receiver", as: String.self), path: try last.decode(column: "path", as: String.self), env: ctx.env, ctx.db)
    }

    /// The one outbox row of a message, due now; `peer` is the next hop (the receiver itself, or a
    /// hub). A hub's `forwarded` rows are not its own requests: the rates leave them out.
    static func insertOutgoing(_ m: MessageEnvelope, peer: String, path: String, forwarded: Bool = false, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        let now = Timestamp.string(env.now())
        try await db.raw("""
            INSERT INTO exchange_outbox (id, receiver, kind, business_key, envelope, state, attempts, next_attempt_at, created_at, path, forwarded)
            VALUES (\(bind: m.id.text), \(bind: peer), \(bind: m.kind.rawValue), \(bind: m.businessKey), \(bind: String(decoding: try JSONEncoder.sorted.encode(m), as: UTF8.self)),
                    'pending', 0, \(bind: now), \(bind: now), \(bind: path), \(bind: forwarded ? 1 : 0))
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

    /// What one attempt at one message came to.
    enum Attempt: Sendable, Equatable {
        case delivered
        /// The peer refused it (4xx other than 408 and 429): an operator looks, no blind retry.
        case refused(String)
        /// The link or the peer failed: tried again later.
        case failed(String)
    }

    /// Sends the messages that are due, each to its next hop (the receiver, or the hub): signed again
    /// with a fresh `sentAt`, posted, and marked delivered on the peer's acknowledgement. Each peer's
    /// messages go `concurrency` at a time, peers side by side; a peer that fails once in a pass gets
    /// no more attempts in it (its other messages wait, their attempts not counted), so one dead link
    /// does not hold the others. After `maxAttempts` a message is `failed` and becomes a task for an
    /// operator (the node's own unit).
    public func deliverDue(limit: Int = 1000, timeout: TimeInterval = 10, concurrency: Int = 4, batchSize: Int = 100) async throws -> Delivery {
        let now = Timestamp.string(env.now())
        let due = try await db.read { db in
            try await db.raw("SELECT id, receiver, envelope, attempts FROM exchange_outbox WHERE state = 'pending' AND next_attempt_at <= \(bind: now) ORDER BY created_at, id LIMIT \(unsafeRaw: String(limit))")
                .all().map { (id: try $0.decode(column: "id", as: String.self), receiver: try $0.decode(column: "receiver", as: String.self),
                              text: try $0.decode(column: "envelope", as: String.self), attempts: try $0.decode(column: "attempts", as: Int.self)) }
        }
        guard !due.isEmpty, try await currentIdentity() != nil else { return Delivery() }
        let signer = try await signer()
        let peers = try await self.peers()
        let receivers = due.map(\.receiver).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return try await withThrowingTaskGroup(of: Delivery.self) { group in
            for receiver in receivers {
                let mine = due.filter { $0.receiver == receiver }
                group.addTask {
                    var result = Delivery()
                    // the addressed peer only; a disabled or removed one waits
                    guard let peer = peers.first(where: { $0.code == receiver && $0.enabled }),
                          let url = URL(string: peer.url)?.appendingPathComponent("api/v1/exchange") else {
                        for m in mine { if try await retry(m.id, attempts: m.attempts, error: "no route to \(receiver)") { result.retrying += 1 } else { result.failed += 1 } }
                        return result
                    }
                    // batches of at most `batchSize` messages and `batchBytes` bytes, `concurrency` requests in flight;
                    // one message a request to a peer without batches
                    var start = 0, batches = true
                    while start < mine.count {
                        var groups: [[String]] = [], end = start
                        while end < mine.count && groups.count < concurrency {
                            var group: [String] = [], bytes = 0
                            while end < mine.count && group.count < (batches ? batchSize : 1) && (group.isEmpty || bytes + mine[end].text.utf8.count + 200 <= Self.batchBytes) {
                                group.append(mine[end].text); bytes += mine[end].text.utf8.count + 200; end += 1
                            }
                            groups.append(group)
                        }
                        let chunk = Array(mine[start..<end])
                        let inBatches = batches, now = env.now()
                        let answers = try await withThrowingTaskGroup(of: (Int, [Attempt]?).self) { posts in
                            for (g, texts) in groups.enumerated() {
                                posts.addTask {
                                    inBatches ? (g, await Self.post(batch: texts, signer: signer, to: url, at: now, timeout: timeout))
                                              : (g, [await Self.post(texts[0], signer: signer, to: url.appendingPathComponent("inbox"), at: now, timeout: timeout)])
                                }
                            }
                            var all = [[Attempt]??](repeating: nil, count: groups.count)
                            for try await (g, a) in posts { all[g] = .some(a) }
                            return all.map { $0! }
                        }
                        // the peer has no batch endpoint (404, 405): the same messages again, one at a time
                        if batches && answers.contains(where: { $0 == nil }) { batches = false; continue }
                        start += chunk.count
                        let outcomes = answers.flatMap { $0! }
                        let stop = try await record(zip(chunk.map { ($0.id, $0.attempts) }, outcomes).map { ($0.0, $0.1, $1) }, into: &result)
                        if stop { break }
                    }
                    return result
                }
            }
            var total = Delivery()
            for try await r in group { total.delivered += r.delivered; total.retrying += r.retrying; total.refused += r.refused; total.failed += r.failed }
            return total
        }
    }

    /// The `code` of a problem response.
    struct ProblemCode: Decodable { let code: String? }

    /// Refusals that a peer's operator can fix (a key not yet exchanged or rotated, a clock, a node not
    /// set up): tried again with the backoff, not stopped at once.
    static let transient: Set<String> = ["not-configured", "unknown-sender", "bad-signature", "replay-window"]

    /// One POST of several stored envelopes to `{url}/inbox/batch`, each sealed now: one attempt per
    /// message, in order; nil when the peer has no batch endpoint (404, 405).
    static func post(batch texts: [String], signer: Signer, to url: URL, at now: Date, timeout: TimeInterval) async -> [Attempt]? {
        var items: [BatchItem] = [], unreadable: Set<Int> = []
        for (i, text) in texts.enumerated() {
            guard let message = try? JSONDecoder().decode(MessageEnvelope.self, from: Data(text.utf8)), let (body, signature) = try? signer.seal(message, at: now) else {
                unreadable.insert(i); continue
            }
            items.append(BatchItem(body: String(decoding: body, as: UTF8.self), signature: signature))
        }
        var attempts: [Attempt] = []
        if !items.isEmpty {
            var request = URLRequest(url: url.appendingPathComponent("inbox/batch"), timeoutInterval: timeout)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(signer.code, forHTTPHeaderField: "Renkou-Sender")
            request.httpBody = try? JSONEncoder.sorted.encode(BatchRequest(messages: items))
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                switch status {
                case 200:
                    guard let answer = try? JSONDecoder().decode(BatchAnswer.self, from: data), answer.results.count == items.count else {
                        attempts = Array(repeating: .failed("an unreadable batch answer"), count: items.count); break
                    }
                    attempts = answer.results.map { r in
                        switch r.status {
                        case "accepted", "duplicate": .delivered
                        case "refused" where Self.transient.contains(r.code ?? ""): .failed("refused: \(r.code ?? "")")
                        case "refused": .refused("\(r.code ?? "refused")")
                        default: .failed("\(r.status) \(r.code ?? "")")
                        }
                    }
                // no batch endpoint, or a body larger than the peer takes: one at a time
                case 404, 405, 413: return nil
                case 400..<500 where status != 408 && status != 429:
                    attempts = Array(repeating: .refused("\(status) " + String(decoding: data.prefix(300), as: UTF8.self)), count: items.count)
                default: attempts = Array(repeating: .failed("HTTP \(status)"), count: items.count)
                }
            } catch {
                attempts = Array(repeating: .failed(String(describing: error).prefix(300).description), count: items.count)
            }
        }
        var it = attempts.makeIterator()
        return texts.indices.map { unreadable.contains($0) ? .refused("unreadable envelope") : it.next()! }
    }

    /// The batch delivery's wire shapes (docs/EXCHANGE.md): the exact body text of each message with
    /// its signature; the answers in the same order.
    public struct BatchItem: Codable, Sendable { public let body: String; public let signature: String }
    public struct BatchRequest: Codable, Sendable { public let messages: [BatchItem] }
    public struct BatchResult: Codable, Sendable {
        public var messageId: UUID?
        /// `accepted`, `duplicate`, `refused` or `failed` (not applied now: send it again later)
        public var status: String
        public var receivedAt: String?
        public var receiver: String?
        /// Why it was refused (the single delivery's problem code).
        public var code: String?
        public init(_ r: Result<Acknowledgement, RenkouError>) {
            switch r {
            case .success(let ack): messageId = ack.messageId; status = ack.status; receivedAt = ack.receivedAt; receiver = ack.receiver
            // a message not applied now is `failed` (the sender tries it again); any other reason is a refusal
            case .failure(let e): status = e.kind == .unavailable ? "failed" : "refused"; code = e.code
            }
        }
    }
    public struct BatchAnswer: Codable, Sendable { public let results: [BatchResult]; public init(results: [BatchResult]) { self.results = results } }

    /// One POST of a stored envelope, sealed now.
    static func post(_ text: String, signer: Signer, to url: URL, at now: Date, timeout: TimeInterval) async -> Attempt {
        guard let message = try? JSONDecoder().decode(MessageEnvelope.self, from: Data(text.utf8)), let (body, signature) = try? signer.seal(message, at: now) else {
            return .refused("unreadable envelope")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(signer.code, forHTTPHeaderField: "Renkou-Sender")
        request.setValue(signature, forHTTPHeaderField: "Renkou-Signature")
        request.httpBody = body
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            switch status {
            case 200, 202: return .delivered
            case 400..<500 where status != 408 && status != 429:
                let text = String(decoding: data.prefix(300), as: UTF8.self)
                // a key or a clock to fix on one side, or the peer not set up yet: tried again later
                let code = (try? JSONDecoder().decode(ProblemCode.self, from: data))?.code ?? ""
                return Self.transient.contains(code) || status == 401 ? .failed("\(status) " + text) : .refused("\(status) " + text)
            default: return .failed("HTTP \(status)")
            }
        } catch {
            return .failed(String(describing: error).prefix(300).description)
        }
    }

    /// Writes a chunk's outcomes: the delivered in one transaction, a refusal or a failure each with
    /// its next step. Returns whether the peer failed (no more attempts at it in this pass).
    func record(_ outcomes: [(id: String, attempts: Int, attempt: Attempt)], into result: inout Delivery) async throws -> Bool {
        let delivered = outcomes.filter { if case .delivered = $0.attempt { true } else { false } }.map(\.id)
        if !delivered.isEmpty {
            let now = Timestamp.string(env.now())
            try await db.transaction { db in
                try await db.raw("""
                    UPDATE exchange_outbox SET state = 'delivered', attempts = attempts + 1, last_error = NULL, delivered_at = \(bind: now)
                    WHERE id IN (\(SQLList(delivered.map { SQLBind($0) })))
                    """).run()
            }
            result.delivered += delivered.count
        }
        var stop = false
        for o in outcomes {
            switch o.attempt {
            case .delivered: break
            case .refused(let why): try await fail(o.id, error: why, state: "refused"); result.refused += 1
            case .failed(let why):
                stop = true
                if try await retry(o.id, attempts: o.attempts, error: why) { result.retrying += 1 } else { result.failed += 1 }
            }
        }
        return stop
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
        if n >= Self.maxAttempts { try await fail(id, error: error); return false }
        let next = Timestamp.string(env.now().addingTimeInterval(min(3600, 10 * pow(2, Double(n - 1)))))
        try await db.transaction { db in
            try await db.raw("UPDATE exchange_outbox SET attempts = \(bind: n), last_error = \(bind: error), next_attempt_at = \(bind: next) WHERE id = \(bind: id)").run()
        }
        return true
    }

    /// The last attempt failed: the message is `failed` and an operator's task (报文待处理) lands on
    /// the list of the node's own unit (the unit whose code is the node's, else the top of the tree).
    func fail(_ id: String, error: String, state: String = "failed") async throws {
        let env = self.env
        try await db.transaction { db in
            try await db.raw("UPDATE exchange_outbox SET state = \(bind: state), attempts = attempts + 1, last_error = \(bind: error) WHERE id = \(bind: id)").run()
            // a node without units (a bare hub) has no task list: its operator sees the message on /exchange
            guard let row = try await db.raw("SELECT kind, receiver FROM exchange_outbox WHERE id = \(bind: id)").first(),
                  let unit = try await db.raw("""
                    SELECT id, path FROM (SELECT id, path, 0 AS r FROM org_units WHERE code = (SELECT code FROM exchange_identity WHERE id = 1)
                                          UNION ALL SELECT id, path, 1 AS r FROM (SELECT id, path FROM org_units ORDER BY LENGTH(path), path LIMIT 1) top) u
                    ORDER BY r LIMIT 1
                    """).first() else { return }
            let kind = MessageKind(rawValue: try row.decode(column: "kind", as: String.self))?.label.zh ?? ""
            let task = try await TaskStore.add(TaskStore.New(kind: .exchangeStuck, subject: "\(kind)报文发往 \(try row.decode(column: "receiver", as: String.self)) \(state == "refused" ? "被拒收" : "失败")",
                                                             idNumber: nil, personID: nil, object: FieldTask.Object("exchange-outbox", id.uuid),
                                                             note: (state == "refused" ? "对方拒收：" : "已重试 \(Self.maxAttempts) 次：") + "\(error.prefix(120))。请检查对方地址、密钥或时钟后重发，或手工关闭。",
                                                             unitID: try unit.decode(column: "id", as: String.self).uuid, path: try unit.decode(column: "path", as: String.self),
                                                             due: Day(env.now()), source: "exchange"), env: env, actor: Actor(userID: nil, username: "exchange", client: "exchange"), db)
            try await db.raw("UPDATE exchange_outbox SET task_id = \(bind: task.text) WHERE id = \(bind: id)").run()
        }
    }

    /// 手工关闭: an operator gives up on a refused or failed message, with the reason (audited); its
    /// operator task closes. Throws `not-found`, `invalid` (`/reason` `required`).
    public func close(_ id: UUID, reason: String, by actor: Actor) async throws {
        let why = reason.trimmed
        guard !why.isEmpty else { throw RenkouError.invalid([FieldError("/reason", "required", Text("请填写关闭原因。", "Give the reason for closing it."))]) }
        let env = self.env
        try await db.transaction { db in
            guard let row = try await db.raw("SELECT task_id FROM exchange_outbox WHERE id = \(bind: id.text) AND state IN ('refused', 'failed')").first() else {
                throw RenkouError.notFound(Text("待处理的报文", "stuck message"))
            }
            try await db.raw("UPDATE exchange_outbox SET state = 'closed', closed_reason = \(bind: why) WHERE id = \(bind: id.text)").run()
            if let task = try row.decode(column: "task_id", as: String?.self) { try await TaskStore.settle(id: task.uuid, outcome: "done", env: env, actor: actor, db) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_message", entityID: id.text, path: "/", after: AuditLog.json(["closed": why]))
        }
    }

    /// A message waiting or sent, as the outbox holds it.
    public struct Outgoing: Sendable, Codable, Equatable {
        public let message: MessageEnvelope
        /// The next hop: the receiver itself, or a hub.
        public let peer: String
        /// pending, delivered, refused, failed, closed
        public let state: String
        public let attempts: Int
        public let lastError: String?
        public let deliveredAt: String?
        public var createdAt: String?
        /// When the next attempt is due (pending).
        public var nextAttemptAt: String?
        /// A request's reply day, and its answer when it came.
        public var deadline: String?
        public var repliedAt: String?
        public var replyFound: Bool?
        public var replyResult: String?
        /// Why an operator closed it by hand.
        public var closedReason: String?
        /// Passed on by this node as a hub.
        public var forwarded: Bool?
    }

    static func decodeOutgoing(_ r: any SQLRow) throws -> Outgoing {
        var o = Outgoing(message: try JSONDecoder().decode(MessageEnvelope.self, from: Data(try r.decode(column: "envelope", as: String.self).utf8)),
                         peer: try r.decode(column: "receiver", as: String.self), state: try r.decode(column: "state", as: String.self),
                         attempts: try r.decode(column: "attempts", as: Int.self), lastError: try r.decode(column: "last_error", as: String?.self),
                         deliveredAt: try r.decode(column: "delivered_at", as: String?.self))
        o.createdAt = try r.decode(column: "created_at", as: String.self); o.nextAttemptAt = try r.decode(column: "next_attempt_at", as: String.self)
        o.deadline = try r.decode(column: "deadline", as: String?.self); o.repliedAt = try r.decode(column: "replied_at", as: String?.self)
        o.replyFound = try r.decode(column: "reply_found", as: Int?.self).map { $0 == 1 }; o.replyResult = try r.decode(column: "reply_result", as: String?.self)
        o.closedReason = try r.decode(column: "closed_reason", as: String?.self); o.forwarded = try r.decode(column: "forwarded", as: Int.self) == 1
        return o
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
                """).all().map(Self.decodeOutgoing)
        }
    }

    /// One sent message with its history: made, attempts and the last error, the next attempt,
    /// delivered (acknowledged), the reply, or closed by hand and why. Audited. Throws `not-found`.
    public func outgoing(_ id: UUID, by actor: Actor) async throws -> Outgoing {
        let env = self.env
        return try await db.transaction { db in
            guard let r = try await db.raw("SELECT * FROM exchange_outbox WHERE id = \(bind: id.text)").first() else { throw RenkouError.notFound(Text("报文", "message")) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "exchange_message", entityID: id.text, path: try r.decode(column: "path", as: String.self))
            return try Self.decodeOutgoing(r)
        }
    }

    /// The exchange counted, no person read: the outbox and the inbox by state, the refusals by
    /// reason, the open exchange visits and how many distinct messages they come from (equal when
    /// every message was applied once).
    public struct Counts: Sendable, Equatable {
        public var outbox: [String: Int]
        public var inbox: [String: Int]
        public var rejected: [String: Int]
        public var visits: Int
        public var visitedMessages: Int
    }

    /// The exchange counted (`Counts`).
    public func counts() async throws -> Counts {
        try await db.read { db in
            func count(_ sql: String) async throws -> [String: Int] {
                Dictionary(uniqueKeysWithValues: try await db.raw("\(unsafeRaw: sql)").all().map {
                    (try $0.decode(column: "k", as: String.self), try $0.decode(column: "n", as: Int.self))
                })
            }
            let visits = try await db.raw("""
                SELECT COUNT(*) AS n, COUNT(DISTINCT object_id) AS m FROM tasks WHERE kind = 'exchange-visit' AND open = 1
                """).first()!
            return Counts(outbox: try await count("SELECT state AS k, COUNT(*) AS n FROM exchange_outbox GROUP BY state"),
                          inbox: try await count("SELECT state AS k, COUNT(*) AS n FROM exchange_inbox GROUP BY state"),
                          rejected: try await count("SELECT reason AS k, COUNT(*) AS n FROM exchange_rejections GROUP BY reason"),
                          visits: try visits.decode(column: "n", as: Int.self), visitedMessages: try visits.decode(column: "m", as: Int.self))
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
            if let task = try await db.raw("SELECT task_id FROM exchange_outbox WHERE id = \(bind: id.text)").first()?.decode(column: "task_id", as: String?.self) {
                try await TaskStore.settle(id: task.uuid, outcome: "done", env: env, actor: actor, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_message", entityID: id.text, path: "/", after: AuditLog.json(["retry": "now"]))
        }
    }

    // MARK: The receiving workflow

    /// What a message for this node does, in the receiving transaction, once: a reply is kept with its
    /// request; a notice, update or void counts only when it is the newest about its business key
    /// (UUIDv7 order; an older one is recorded as `superseded`); a newer one closes the visits the
    /// earlier ones opened; a notice, a request or an update that is not a departure is matched (配对)
    /// and becomes a home visit, and a request about nobody here is answered at once (查无此人).
    static func apply(_ m: MessageEnvelope, me: NodeIdentity, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        func set(_ state: String) async throws { try await db.raw("UPDATE exchange_inbox SET state = \(bind: state) WHERE id = \(bind: m.id.text)").run() }
        if m.kind == .reply { try await applyReply(m, env: env, db); try await set("applied"); return }
        let actor = Actor(userID: nil, username: "exchange:\(m.sender)", client: "exchange")
        if [.notice, .update, .void].contains(m.kind), !m.businessKey.isEmpty {
            // PostgreSQL takes batches side by side: messages about one key wait for each other (SQLite has one writer)
            if db.dialect.name == "postgresql" {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: m.sender + "|" + m.businessKey)))").run()
            }
            let same = "x.sender = \(bind: m.sender) AND x.business_key = \(bind: m.businessKey) AND x.id <> \(bind: m.id.text) AND x.kind IN ('notice', 'update', 'void')" as SQLQueryString
            if try await db.raw("SELECT x.id FROM exchange_inbox x WHERE \(same) AND x.id > \(bind: m.id.text) LIMIT 1").first() != nil { try await set("superseded"); return }
            for row in try await db.raw("SELECT t.id FROM exchange_inbox x JOIN tasks t ON t.id = x.task_id WHERE \(same) AND t.open = 1").all() {
                try await TaskStore.settle(id: try row.decode(column: "id", as: String.self).uuid, outcome: "superseded", env: env, actor: actor, db)
            }
        }
        if m.kind == .request && m.payload["question"] == "childcare-claim" {
            let person = try await answerClaimCheck(m, env: env, db)
            try await db.raw("""
                UPDATE exchange_inbox SET state = 'answered', person_id = \(bind: person),
                    path = COALESCE((SELECT path FROM persons WHERE id = \(bind: person)), (SELECT path FROM org_units WHERE code = \(bind: me.code)), '/')
                WHERE id = \(bind: m.id.text)
                """).run()
            return
        }
        let ends = m.kind == .void || m.payload["event"] == "stay-closed"
        let applied = try await match(m, visit: !ends, env: env, actor: actor, db)
        // filed under the matched person's unit, or this node's own unit (its code) when nobody matched
        var path = applied.path ?? "/"
        if applied.path == nil {
            path = try await db.raw("SELECT COALESCE((SELECT path FROM org_units WHERE code = \(bind: me.code)), '/') AS path").first()!.decode(column: "path", as: String.self)
        }
        try await db.raw("""
            UPDATE exchange_inbox SET state = \(bind: m.kind == .void ? "voided" : applied.person == nil ? "not-found" : "matched"), person_id = \(bind: applied.person),
                task_id = \(bind: applied.task), path = \(bind: path)
            WHERE id = \(bind: m.id.text)
            """).run()
        if applied.person == nil && m.kind == .request {
            try await enqueueReply(to: m, found: false, result: "查无此人", env: env, db)
        }
    }

    /// 配对: the living person a message is about, by ID number, else by name and birth date when
    /// exactly one fits; with `visit`, a home-visit task (核实) on her community's list, due by the
    /// message's deadline (else the ordinary one).
    static func match(_ m: MessageEnvelope, visit: Bool, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws -> (person: String?, task: String?, path: String?) {
        var row = try await db.raw("SELECT id, name, id_number, unit_id, path FROM persons WHERE id_number = \(bind: CitizenID.normalize(m.subject.idNumber)) AND status = 'active'").first()
        if row == nil, let born = m.subject.birthDate {
            // by name and birth date only when exactly one living person fits: a visit never goes to a namesake
            let fits = try await db.raw("SELECT id, name, id_number, unit_id, path FROM persons WHERE name = \(bind: m.subject.name) AND birth_date = \(bind: born) AND status = 'active' LIMIT 2").all()
            if fits.count == 1 { row = fits[0] }
        }
        guard let row else { return (nil, nil, nil) }
        let person = try row.decode(column: "id", as: String.self), path = try row.decode(column: "path", as: String.self)
        guard visit else { return (person, nil, path) }
        let deadlines = env.policy(.exchangeDeadlines, on: Day(env.now()))
        let due = m.deadline.flatMap(Day.init) ?? Day(env.now()).adding(days: m.deadlineClass == .urgent ? deadlines.urgentDays : deadlines.ordinaryDays)
        let what = switch (m.kind, m.payload["event"]) {
        case (.request, _): "\(m.sender)协查\(ExchangeStore.questions[m.payload["question"] ?? ""]?.zh ?? "")"
        case (_, "stay-opened"): "在\(m.sender)登记流入（\(m.payload["since"] ?? "")）"
        case (_, "birth"): "在\(m.sender)生育（\(m.payload["born"] ?? "")，\(m.payload["sex"] == "1" ? "男" : m.payload["sex"] == "2" ? "女" : "")孩）"
        default: "\(m.sender)\(m.kind.label.zh)"
        }
        let task = try await TaskStore.add(TaskStore.New(kind: .exchangeVisit, subject: try row.decode(column: "name", as: String.self), idNumber: try row.decode(column: "id_number", as: String?.self),
                                                         personID: person.uuid, object: FieldTask.Object("exchange-message", m.id), note: "信息交换：\(what)，请入户核实",
                                                         unitID: try row.decode(column: "unit_id", as: String.self).uuid, path: try row.decode(column: "path", as: String.self),
                                                         due: due, source: "exchange"), env: env, actor: actor, db)
        return (person, task.text, path)
    }
}
