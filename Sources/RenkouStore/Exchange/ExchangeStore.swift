import Crypto
import Foundation
import RenkouCore
import SQLKit

/// This node's identity and peers, and the receiving end of the exchange: a signed message is
/// verified against its sender's key, refused when the sender is unknown or disabled, the signature
/// does not match the exact bytes, or its time is outside the replay window; a message seen before is
/// answered with the acknowledgement it got the first time, and applied only once.
public struct ExchangeStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// How far a message's `sentAt` may be from the receiver's clock (seconds): a replayed old message
    /// falls outside it; a message that waited in an outbox is signed again when it is sent.
    public static let replayWindow: TimeInterval = 300

    // MARK: Identity

    /// This node's code, URL and public key; the key pair is made the first time it is asked for.
    /// `code` and `url` set (or change) what the node calls itself; `hub` turns forwarding on or off;
    /// `rotateKey` makes a new key pair (peers then need the new public key; until they have it, they
    /// refuse this node's messages, which wait in the outbox). Throws `invalid` (`/code`
    /// `code-format`: 2–12 digits; `/url` `url-format`).
    public func identity(code: String? = nil, url: String? = nil, hub: Bool? = nil, rotateKey: Bool = false, by actor: Actor) async throws -> NodeIdentity {
        var errors = FieldErrors()
        if let code, !(2...12).contains(code.count) || !code.allSatisfy(\.isASCIIDigit) { errors.add("/code", "code-format", "节点代码应为 2–12 位数字（行政区划代码）。", "A node code is 2–12 digits (its area code).") }
        if let url, !Self.isValidURL(url) { errors.add("/url", "url-format", "地址应为 http:// 或 https:// 开头的完整地址（不带查询参数）。", "The URL is a full http:// or https:// address without a query.") }
        try errors.throwIfAny()
        let env = self.env
        return try await db.transaction { db in
            if var node = try await Self.identityRow(db) {
                if code != nil || url != nil || hub != nil || rotateKey {
                    node.code = code ?? node.code; node.url = url ?? node.url; node.isHub = hub ?? node.isHub
                    if rotateKey {
                        let key = Curve25519.Signing.PrivateKey()
                        node.publicKey = key.publicKey.rawRepresentation.base64EncodedString()
                        try await db.raw("UPDATE exchange_identity SET private_key = \(bind: key.rawRepresentation.base64EncodedString()), public_key = \(bind: node.publicKey) WHERE id = 1").run()
                    }
                    try await db.raw("UPDATE exchange_identity SET code = \(bind: node.code), url = \(bind: node.url), is_hub = \(bind: node.isHub ? 1 : 0) WHERE id = 1").run()
                    try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_identity", entityID: node.code, path: "/",
                                             after: AuditLog.json(["code": node.code, "url": node.url, "hub": String(node.isHub), "publicKey": node.publicKey]))
                }
                return node
            }
            let key = Curve25519.Signing.PrivateKey()
            let node = NodeIdentity(code: code ?? "000000", url: url ?? "http://127.0.0.1:8080", publicKey: key.publicKey.rawRepresentation.base64EncodedString(), isHub: hub ?? false)
            try await db.raw("""
                INSERT INTO exchange_identity (id, code, url, private_key, public_key, created_at, is_hub)
                VALUES (1, \(bind: node.code), \(bind: node.url), \(bind: key.rawRepresentation.base64EncodedString()), \(bind: node.publicKey), \(bind: Timestamp.string(env.now())),
                        \(bind: node.isHub ? 1 : 0))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "exchange_identity", entityID: node.code, path: "/", after: AuditLog.json(node))
            return node
        }
    }

    static func identityRow(_ db: any SQLDatabase) async throws -> NodeIdentity? {
        try await db.raw("SELECT code, url, public_key, is_hub FROM exchange_identity WHERE id = 1").first().map {
            NodeIdentity(code: try $0.decode(column: "code", as: String.self), url: try $0.decode(column: "url", as: String.self),
                         publicKey: try $0.decode(column: "public_key", as: String.self), isHub: try $0.decode(column: "is_hub", as: Int.self) == 1)
        }
    }

    /// This node as set up, or nil before anyone ran `renkou exchange identity` (nothing is made here).
    public func currentIdentity() async throws -> NodeIdentity? {
        try await db.read { try await Self.identityRow($0) }
    }

    /// Whether `url` is an absolute http(s) address a peer can be reached at.
    static func isValidURL(_ url: String) -> Bool {
        guard let c = URLComponents(string: url), let scheme = c.scheme, ["http", "https"].contains(scheme), let host = c.host, !host.isEmpty, c.query == nil else { return false }
        return true
    }

    /// This node's code and signing key, read once for a pass of the sender. Throws `unavailable`
    /// (`key`) when the stored key is damaged.
    func signer() async throws -> Signer {
        if try await currentIdentity() == nil { _ = try await identity(by: .cli("exchange")) }
        let r = try await db.read { try await $0.raw("SELECT code, private_key FROM exchange_identity WHERE id = 1").first()! }
        guard let bytes = Data(base64Encoded: try r.decode(column: "private_key", as: String.self)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw RenkouError(.unavailable, "key", Text("本节点密钥损坏。", "This node's key is damaged."))
        }
        return Signer(code: try r.decode(column: "code", as: String.self), keyBytes: key.rawRepresentation)
    }

    /// Seals messages as this node: `sentAt` now, the sender filled in when empty (a forwarded
    /// message keeps its origin), the exact body bytes and the base64 Ed25519 signature over them.
    struct Signer: Sendable {
        let code: String
        let keyBytes: Data
        var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: keyBytes) }
        func seal(_ message: MessageEnvelope, at now: Date) throws -> (body: Data, signature: String) {
            var m = message
            if m.sender.isEmpty { m.sender = code }
            m.sentAt = Timestamp.string(now)
            let body = try JSONEncoder.sorted.encode(m)
            return (body, try key.signature(for: body).base64EncodedString())
        }
    }

    // MARK: Peers

    /// Adds a peer, or replaces one with the same code (its old key kept as the previous one). Throws
    /// `invalid` (`/code` `code-format`, `/url` `url-format`, `/key` `key-format`: base64 of 32
    /// bytes, `/areas` `code-format`: digit prefixes).
    @discardableResult
    public func addPeer(code: String, url: String, key: String, areas: [String], isDefault: Bool = false, by actor: Actor) async throws -> ExchangePeer {
        var errors = FieldErrors()
        let code = code.trimmed, url = url.trimmed, key = key.trimmed, areas = areas.map(\.trimmed).filter { !$0.isEmpty }
        if !(2...12).contains(code.count) || !code.allSatisfy(\.isASCIIDigit) { errors.add("/code", "code-format", "节点代码应为 2–12 位数字。", "A node code is 2–12 digits.") }
        if !Self.isValidURL(url) { errors.add("/url", "url-format", "地址应为 http:// 或 https:// 开头的完整地址（不带查询参数）。", "The URL is a full http:// or https:// address without a query.") }
        if (try? Curve25519.Signing.PublicKey(rawRepresentation: Data(base64Encoded: key) ?? Data())) == nil {
            errors.add("/key", "key-format", "公钥应为 32 字节 Ed25519 公钥的 base64。", "The key is the base64 of a 32-byte Ed25519 public key.")
        }
        if areas.contains(where: { !$0.allSatisfy(\.isASCIIDigit) || $0.count > 12 }) { errors.add("/areas", "code-format", "服务区域应为区划代码前缀（数字）。", "Areas are area-code prefixes (digits).") }
        if areas.isEmpty && !isDefault { errors.add("/areas", "required", "请填写对方服务的区划代码前缀，或设为默认路由。", "Give the area prefixes the peer serves, or make it the default route.") }
        try errors.throwIfAny()
        let env = self.env
        let peer = ExchangePeer(code: code, url: url, publicKey: key, areas: areas, isDefault: isDefault, enabled: true, addedAt: Timestamp.string(env.now()))
        try await db.transaction { db in
            let old = try await db.raw("SELECT public_key FROM exchange_peers WHERE code = \(bind: code)").first()?.decode(column: "public_key", as: String.self)
            if isDefault { try await db.raw("UPDATE exchange_peers SET is_default = 0").run() }
            try await db.raw("DELETE FROM exchange_peers WHERE code = \(bind: code)").run()
            try await db.raw("""
                INSERT INTO exchange_peers (code, url, public_key, areas, is_default, enabled, previous_key, added_at, added_by)
                VALUES (\(bind: code), \(bind: url), \(bind: key), \(bind: areas.joined(separator: ",")), \(bind: isDefault ? 1 : 0), 1, \(bind: old == key ? nil : old),
                        \(bind: peer.addedAt), \(bind: actor.username))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: old == nil ? .create : .update, entity: "exchange_peer", entityID: code, path: "/", after: AuditLog.json(peer))
        }
        return peer
    }

    /// Every peer, by code.
    public func peers() async throws -> [ExchangePeer] {
        try await db.read { db in
            try await db.raw("SELECT * FROM exchange_peers ORDER BY code").all().map(Self.decodePeer)
        }
    }

    static func decodePeer(_ r: any SQLRow) throws -> ExchangePeer {
        ExchangePeer(code: try r.decode(column: "code", as: String.self), url: try r.decode(column: "url", as: String.self),
                     publicKey: try r.decode(column: "public_key", as: String.self),
                     areas: try r.decode(column: "areas", as: String.self).split(separator: ",").map(String.init),
                     isDefault: try r.decode(column: "is_default", as: Int.self) == 1, enabled: try r.decode(column: "enabled", as: Int.self) == 1,
                     addedAt: try r.decode(column: "added_at", as: String.self))
    }

    /// Turns a peer off (its messages are refused, none are routed to it) or on again. Throws `not-found`.
    public func setPeer(_ code: String, enabled: Bool, by actor: Actor) async throws {
        let env = self.env
        try await db.transaction { db in
            guard try await db.raw("SELECT code FROM exchange_peers WHERE code = \(bind: code)").first() != nil else { throw RenkouError.notFound(Text("交换节点", "peer")) }
            try await db.raw("UPDATE exchange_peers SET enabled = \(bind: enabled ? 1 : 0) WHERE code = \(bind: code)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_peer", entityID: code, path: "/", after: AuditLog.json(["enabled": String(enabled)]))
        }
    }

    /// The peer a message about `area` goes to (longest prefix, else the hub).
    public func route(_ area: String) async throws -> ExchangePeer? { ExchangeRouting.route(area, peers: try await peers()) }

    // MARK: Receiving

    /// What the receiver answers: the message's id, whether it was taken now or before, and when.
    public struct Acknowledgement: Sendable, Codable, Equatable {
        public var messageId: UUID
        /// `accepted` the first time, `duplicate` after.
        public var status: String
        public var receivedAt: String
        public var receiver: String
    }

    /// How long after a peer's key is replaced its previous key is still accepted (seconds): the
    /// peer may still be signing with it while the rotation reaches both sides.
    public static let keyGrace: TimeInterval = 7 * 86_400

    /// Takes a message from a peer: `sender` (the node that delivers it: the origin, or the last hub in
    /// `via`) and `signature` from the headers, `body` the exact bytes. A message for this node is
    /// stored and applied; a hub stores a message for another node it has a route for and puts it in
    /// its outbox, in one transaction (`forwarded`), so it goes on with the same guarantees.
    /// Throws `unauthorized` (`not-configured`, `unknown-sender`, `bad-signature`), `invalid`
    /// (`bad-message`, `wrong-receiver`, `replay-window`); every refusal is recorded. A message seen
    /// before is answered with the first acknowledgement, its status `duplicate`; nothing is applied twice.
    public func receive(body: Data, sender: String?, signature: String?, client: String?) async throws -> Acknowledgement {
        let results = try await receive(batch: [(body, signature)], sender: sender, client: client)
        switch results[0] {
        case .success(let ack): return ack
        case .failure(let error): throw error
        }
    }

    /// Takes several messages delivered by one peer in one request (`POST /api/v1/exchange/inbox/batch`):
    /// each checked like a single one, the new ones stored and applied in one transaction (or, should
    /// that fail, each in its own), the refusals recorded together. Returns one result per message, in
    /// order: its acknowledgement (`accepted` or `duplicate`) or why it was refused.
    public func receive(batch: [(body: Data, signature: String?)], sender: String?, client: String?) async throws -> [Result<Acknowledgement, RenkouError>] {
        let env = self.env, now = env.now()
        var results = [Result<Acknowledgement, RenkouError>?](repeating: nil, count: batch.count)
        var refusals: [(RenkouError, String?)] = []
        func refuse(_ i: Int, _ error: RenkouError, _ messageID: String? = nil) { results[i] = .failure(error); refusals.append((error, messageID)) }
        // who delivers: this node set up, a known and enabled peer, its keys
        var checked: [(index: Int, message: MessageEnvelope, body: Data, destination: ExchangeRouting.Destination)] = []
        let me = try await currentIdentity()
        let peers = try await peers()
        let peer = peers.first { $0.code == sender && $0.enabled }
        var keys: [Curve25519.Signing.PublicKey] = []
        if let peer { keys = try await self.keys(of: peer) }
        for (i, item) in batch.enumerated() {
            guard let me else { refuse(i, RenkouError(.unauthorized, "not-configured", Text("本节点尚未启用信息交换。", "This node does not take part in the exchange yet."))); continue }
            guard let sender, peer != nil else { refuse(i, RenkouError(.unauthorized, "unknown-sender", Text("未知或已停用的交换节点。", "Unknown or disabled sender."))); continue }
            guard let signature = item.signature, let sig = Data(base64Encoded: signature), keys.contains(where: { $0.isValidSignature(sig, for: item.body) }) else {
                refuse(i, RenkouError(.unauthorized, "bad-signature", Text("签名与报文不符。", "The signature does not match the message."))); continue
            }
            // delivered by its sender, or by the last hub it passed through
            // a relayed message only from the hub this node would route the origin through (no peer speaks for another)
            guard let message = try? JSONDecoder().decode(MessageEnvelope.self, from: item.body),
                  message.sender == sender || (message.via?.last == sender && ExchangeRouting.route(message.sender, peers: peers)?.code == sender) else {
                refuse(i, RenkouError(.invalid, "bad-message", Text("报文格式错误。", "The message is not well formed."))); continue
            }
            let destination = ExchangeRouting.destination(message.receiver, me: me, peers: peers, via: [message.sender] + (message.via ?? []))
            guard destination != .elsewhere else {
                refuse(i, RenkouError(.invalid, "wrong-receiver", Text("报文的接收方不是本节点，本节点也不转发。", "The message is for another node, and this node does not forward it.")), message.id.text)
                continue
            }
            checked.append((i, message, item.body, destination))
        }
        // A duplicate is answered before the time check: a retry of a message already taken is not an attack.
        var fresh: [(index: Int, message: MessageEnvelope, body: Data, destination: ExchangeRouting.Destination)] = []
        let seen = try await acknowledgements(of: checked.map(\.message))
        for c in checked {
            if var ack = seen[c.message.id] { ack.status = "duplicate"; results[c.index] = .success(ack); continue }
            guard let sent = Timestamp.date(c.message.sentAt), abs(sent.timeIntervalSince(now)) <= Self.replayWindow else {
                refuse(c.index, RenkouError(.invalid, "replay-window", Text("报文时间超出允许范围（±5 分钟）。", "The message's time is outside the replay window (±5 minutes).")), c.message.id.text)
                continue
            }
            // the same message twice in one batch: the second is a duplicate of the first
            if fresh.contains(where: { $0.message.id == c.message.id && $0.message.sender == c.message.sender }) { continue }
            fresh.append(c)
        }
        let recorded = refusals.count
        if !refusals.isEmpty {
            let rows = refusals
            try await db.transaction { db in
                for (error, messageID) in rows {
                    try await db.raw("""
                        INSERT INTO exchange_rejections (id, sender, message_id, reason, received_at, client)
                        VALUES (\(bind: env.newID().text), \(bind: sender), \(bind: messageID), \(bind: error.code), \(bind: Timestamp.string(now)), \(bind: client))
                        """).run()
                }
            }
        }
        if let me, !fresh.isEmpty {
            let fresh = fresh
            let ack = { @Sendable (m: MessageEnvelope) in Acknowledgement(messageId: m.id, status: "accepted", receivedAt: Timestamp.string(now), receiver: me.code) }
            do {
                // stored and applied in one transaction: each message is matched and tasked exactly once
                try await db.transaction { db in
                    for f in fresh { try await Self.take(f.message, body: f.body, destination: f.destination, ack: ack(f.message), me: me, env: env, db) }
                }
                for f in fresh { results[f.index] = .success(ack(f.message)) }
            } catch {
                // one of them failed (or another delivery of one came in at once): each on its own, the others unharmed
                for f in fresh {
                    do {
                        try await db.transaction { db in try await Self.take(f.message, body: f.body, destination: f.destination, ack: ack(f.message), me: me, env: env, db) }
                        results[f.index] = .success(ack(f.message))
                    } catch {
                        if var first = try await acknowledgements(of: [f.message])[f.message.id] { first.status = "duplicate"; results[f.index] = .success(first) }
                        else if try await db.read({ try await $0.raw("SELECT id FROM exchange_inbox WHERE id = \(bind: f.message.id.text)").first() }) != nil {
                            // the id is another node's message: this one cannot be taken under it
                            refuse(f.index, RenkouError(.invalid, "id-taken", Text("报文编号已被其他节点的报文使用。", "Another node's message has this id.")), f.message.id.text)
                        } else {
                            // not taken: the sender tries it again later
                            results[f.index] = .failure(RenkouError(.unavailable, "not-applied", Text("报文暂未能处理，请稍后重发。", "The message could not be applied now; send it again later.")))
                        }
                    }
                }
            }
        }
        // a message repeated inside the batch gets its first taken copy's acknowledgement, or the same answer
        for (i, r) in results.enumerated() where r == nil {
            let m = checked.first { $0.index == i }!.message
            switch fresh.first(where: { $0.message.id == m.id }).flatMap({ results[$0.index] }) {
            case .success(var ack)?: ack.status = "duplicate"; results[i] = .success(ack)
            case .failure(let e)?: results[i] = .failure(e)
            case nil: results[i] = .failure(RenkouError(.unavailable, "not-applied", Text("报文暂未能处理，请稍后重发。", "The message could not be applied now; send it again later.")))
            }
        }
        if refusals.count > recorded {
            let rows = Array(refusals[recorded...])
            try await db.transaction { db in
                for (error, messageID) in rows {
                    try await db.raw("""
                        INSERT INTO exchange_rejections (id, sender, message_id, reason, received_at, client)
                        VALUES (\(bind: env.newID().text), \(bind: sender), \(bind: messageID), \(bind: error.code), \(bind: Timestamp.string(now)), \(bind: client))
                        """).run()
                }
            }
        }
        return results.map { $0! }
    }

    /// Stores one checked message and applies it (or queues it onward, at a hub), in the caller's transaction.
    static func take(_ message: MessageEnvelope, body: Data, destination: ExchangeRouting.Destination, ack: Acknowledgement, me: NodeIdentity,
                     env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO exchange_inbox (id, sender, kind, business_key, sent_at, body, state, ack, received_at)
            VALUES (\(bind: message.id.text), \(bind: message.sender), \(bind: message.kind.rawValue), \(bind: message.businessKey), \(bind: message.sentAt),
                    \(bind: String(decoding: body, as: UTF8.self)), 'received', \(bind: String(decoding: try JSONEncoder.sorted.encode(ack), as: UTF8.self)), \(bind: ack.receivedAt))
            """).run()
        if case .forward(let next) = destination {
            var onward = message
            onward.via = (message.via ?? []) + [me.code]
            try await insertOutgoing(onward, peer: next, path: "/", forwarded: true, env: env, db)
            try await db.raw("UPDATE exchange_inbox SET state = 'forwarded' WHERE id = \(bind: message.id.text)").run()
            return
        }
        try await apply(message, me: me, env: env, db)
    }

    /// The first acknowledgements of the messages already taken, by id (one query).
    func acknowledgements(of messages: [MessageEnvelope]) async throws -> [UUID: Acknowledgement] {
        guard !messages.isEmpty else { return [:] }
        return try await db.read { db in
            var found: [UUID: Acknowledgement] = [:]
            for chunk in stride(from: 0, to: messages.count, by: 500).map({ Array(messages[$0..<min($0 + 500, messages.count)]) }) {
                for r in try await db.raw("SELECT id, sender, ack FROM exchange_inbox WHERE id IN (\(SQLList(chunk.map { SQLBind($0.id.text) })))").all() {
                    let id = try r.decode(column: "id", as: String.self), sender = try r.decode(column: "sender", as: String.self)
                    guard let m = chunk.first(where: { $0.id.text == id && $0.sender == sender }) else { continue }
                    found[m.id] = try JSONDecoder().decode(Acknowledgement.self, from: Data(try r.decode(column: "ack", as: String.self).utf8))
                }
            }
            return found
        }
    }

    /// The keys a peer's signature is checked against: its key, and its previous key for
    /// `keyGrace` after a rotation.
    func keys(of peer: ExchangePeer) async throws -> [Curve25519.Signing.PublicKey] {
        let previous = try await db.read { try await $0.raw("SELECT previous_key FROM exchange_peers WHERE code = \(bind: peer.code)").first()?.decode(column: "previous_key", as: String?.self) }
        let inGrace = Timestamp.date(peer.addedAt).map { env.now().timeIntervalSince($0) <= Self.keyGrace } ?? false
        return ([peer.publicKey] + (inGrace ? [previous].compactMap { $0 } : [])).compactMap {
            Data(base64Encoded: $0).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
        }
    }

    /// A message received, as stored.
    public struct Received: Sendable, Codable, Equatable {
        public let message: MessageEnvelope
        public let state: String
        public let receivedAt: String
    }

    /// The messages received, newest first. They name people of other regions: `actor`'s read is audited.
    public func inbox(limit: Int = 200, by actor: Actor? = nil) async throws -> [Received] {
        let env = self.env
        if let actor { try await db.transaction { try await AuditLog.write($0, at: env.now(), actor: actor, action: .read, entity: "exchange_messages", entityID: "in", path: "/") } }
        return try await db.read { db in
            try await db.raw("SELECT body, state, received_at FROM exchange_inbox ORDER BY received_at DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 1000))))").all().map {
                Received(message: try JSONDecoder().decode(MessageEnvelope.self, from: Data(try $0.decode(column: "body", as: String.self).utf8)),
                         state: try $0.decode(column: "state", as: String.self), receivedAt: try $0.decode(column: "received_at", as: String.self))
            }
        }
    }

    /// A refusal, as recorded.
    public struct Rejection: Sendable, Codable, Equatable {
        public let sender: String?
        public let messageId: String?
        public let reason: String
        public let receivedAt: String
    }

    /// The refused messages, newest first.
    public func rejections(limit: Int = 200) async throws -> [Rejection] {
        try await db.read { db in
            try await db.raw("SELECT sender, message_id, reason, received_at FROM exchange_rejections ORDER BY received_at DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 1000))))").all().map {
                Rejection(sender: try $0.decode(column: "sender", as: String?.self), messageId: try $0.decode(column: "message_id", as: String?.self),
                          reason: try $0.decode(column: "reason", as: String.self), receivedAt: try $0.decode(column: "received_at", as: String.self))
            }
        }
    }

    // MARK: Sending

    /// A message made ready to send from this node: `sentAt` now, the body's exact bytes and their
    /// signature (what goes in the `Renkou-Signature` header).
    public func signed(_ message: MessageEnvelope) async throws -> (body: Data, signature: String) {
        try await signer().seal(message, at: env.now())
    }
}

extension Stores {
    public var exchange: ExchangeStore { ExchangeStore(db: db, env: env) }
}
