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
    /// `code` and `url` set (or change) what the node calls itself. Throws `invalid` (`/code`
    /// `code-format`: 2–12 digits; `/url` `url-format`).
    public func identity(code: String? = nil, url: String? = nil, by actor: Actor) async throws -> NodeIdentity {
        var errors = FieldErrors()
        if let code, !(2...12).contains(code.count) || !code.allSatisfy(\.isASCIIDigit) { errors.add("/code", "code-format", "节点代码应为 2–12 位数字（行政区划代码）。", "A node code is 2–12 digits (its area code).") }
        if let url, !Self.isValidURL(url) { errors.add("/url", "url-format", "地址应为 http:// 或 https:// 开头的完整地址（不带查询参数）。", "The URL is a full http:// or https:// address without a query.") }
        try errors.throwIfAny()
        let env = self.env
        return try await db.transaction { db in
            if let r = try await db.raw("SELECT code, url, public_key FROM exchange_identity WHERE id = 1").first() {
                var node = NodeIdentity(code: try r.decode(column: "code", as: String.self), url: try r.decode(column: "url", as: String.self),
                                        publicKey: try r.decode(column: "public_key", as: String.self))
                if code != nil || url != nil {
                    node.code = code ?? node.code; node.url = url ?? node.url
                    try await db.raw("UPDATE exchange_identity SET code = \(bind: node.code), url = \(bind: node.url) WHERE id = 1").run()
                    try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_identity", entityID: node.code, path: "/", after: AuditLog.json(node))
                }
                return node
            }
            let key = Curve25519.Signing.PrivateKey()
            let node = NodeIdentity(code: code ?? "000000", url: url ?? "http://127.0.0.1:8080", publicKey: key.publicKey.rawRepresentation.base64EncodedString())
            try await db.raw("""
                INSERT INTO exchange_identity (id, code, url, private_key, public_key, created_at)
                VALUES (1, \(bind: node.code), \(bind: node.url), \(bind: key.rawRepresentation.base64EncodedString()), \(bind: node.publicKey), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "exchange_identity", entityID: node.code, path: "/", after: AuditLog.json(node))
            return node
        }
    }

    /// This node as set up, or nil before anyone ran `renkou exchange identity` (nothing is made here).
    public func currentIdentity() async throws -> NodeIdentity? {
        try await db.read { db in
            try await db.raw("SELECT code, url, public_key FROM exchange_identity WHERE id = 1").first().map {
                NodeIdentity(code: try $0.decode(column: "code", as: String.self), url: try $0.decode(column: "url", as: String.self),
                             publicKey: try $0.decode(column: "public_key", as: String.self))
            }
        }
    }

    /// Whether `url` is an absolute http(s) address a peer can be reached at.
    static func isValidURL(_ url: String) -> Bool {
        guard let c = URLComponents(string: url), let scheme = c.scheme, ["http", "https"].contains(scheme), let host = c.host, !host.isEmpty, c.query == nil else { return false }
        return true
    }

    /// Signs `body` with this node's private key: base64 of the 64-byte Ed25519 signature.
    public func sign(_ body: Data) async throws -> String {
        _ = try await identity(by: .cli("exchange"))
        let raw = try await db.read { try await $0.raw("SELECT private_key FROM exchange_identity WHERE id = 1").first()!.decode(column: "private_key", as: String.self) }
        guard let bytes = Data(base64Encoded: raw) else { throw RenkouError(.unavailable, "key", Text("本节点密钥损坏。", "This node's key is damaged.")) }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes).signature(for: body).base64EncodedString()
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

    /// Takes a message from a peer: `sender` and `signature` from the headers, `body` the exact bytes.
    /// Throws `unauthorized` (`unknown-sender`, `bad-signature`), `invalid` (`bad-message`,
    /// `wrong-receiver`, `replay-window`); every refusal is recorded. A message seen before is answered
    /// with the first acknowledgement, its status `duplicate`; nothing is applied twice.
    public func receive(body: Data, sender: String?, signature: String?, client: String?) async throws -> Acknowledgement {
        let env = self.env
        func refuse(_ error: RenkouError, messageID: String? = nil) async throws -> Never {
            try await db.transaction { db in
                try await db.raw("""
                    INSERT INTO exchange_rejections (id, sender, message_id, reason, received_at, client)
                    VALUES (\(bind: env.newID().text), \(bind: sender), \(bind: messageID), \(bind: error.code), \(bind: Timestamp.string(env.now())), \(bind: client))
                    """).run()
            }
            throw error
        }
        guard let me = try await currentIdentity() else {
            try await refuse(RenkouError(.unauthorized, "not-configured", Text("本节点尚未启用信息交换。", "This node does not take part in the exchange yet.")))
        }
        guard let sender, let peer = try await peers().first(where: { $0.code == sender && $0.enabled }) else {
            try await refuse(RenkouError(.unauthorized, "unknown-sender", Text("未知或已停用的交换节点。", "Unknown or disabled sender.")))
        }
        guard let signature, let sig = Data(base64Encoded: signature), let keyBytes = Data(base64Encoded: peer.publicKey),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes), key.isValidSignature(sig, for: body) else {
            try await refuse(RenkouError(.unauthorized, "bad-signature", Text("签名与报文不符。", "The signature does not match the message.")))
        }
        guard let message = try? JSONDecoder().decode(MessageEnvelope.self, from: body), message.sender == sender else {
            try await refuse(RenkouError(.invalid, "bad-message", Text("报文格式错误。", "The message is not well formed.")))
        }
        guard message.receiver == me.code else {
            try await refuse(RenkouError(.invalid, "wrong-receiver", Text("报文的接收方不是本节点。", "The message is for another node.")), messageID: message.id.text)
        }
        // A duplicate is answered before the time check: a retry of a message already taken is not an attack.
        if let ack = try await acknowledgement(of: message.id, from: sender) { var again = ack; again.status = "duplicate"; return again }
        guard let sent = Timestamp.date(message.sentAt), abs(sent.timeIntervalSince(env.now())) <= Self.replayWindow else {
            try await refuse(RenkouError(.invalid, "replay-window", Text("报文时间超出允许范围（±5 分钟）。", "The message's time is outside the replay window (±5 minutes).")), messageID: message.id.text)
        }
        let ack = Acknowledgement(messageId: message.id, status: "accepted", receivedAt: Timestamp.string(env.now()), receiver: me.code)
        do {
            try await db.transaction { db in
                // stored and applied in one transaction: a message is matched and tasked exactly once
                try await db.raw("""
                    INSERT INTO exchange_inbox (id, sender, kind, business_key, sent_at, body, state, ack, received_at)
                    VALUES (\(bind: message.id.text), \(bind: sender), \(bind: message.kind.rawValue), \(bind: message.businessKey), \(bind: message.sentAt),
                            \(bind: String(decoding: body, as: UTF8.self)), 'received', \(bind: String(decoding: try JSONEncoder.sorted.encode(ack), as: UTF8.self)), \(bind: ack.receivedAt))
                    """).run()
                if message.kind == .reply {
                    try await Self.applyReply(message, env: env, db)
                    try await db.raw("UPDATE exchange_inbox SET state = 'applied' WHERE id = \(bind: message.id.text)").run()
                    return
                }
                let applied = try await Self.apply(message, env: env, db)
                // filed under the matched person's unit, or this node's own unit (its code) when nobody matched
                let path = try await db.raw("""
                    SELECT COALESCE((SELECT path FROM persons WHERE id = \(bind: applied.person)), (SELECT path FROM org_units WHERE code = \(bind: me.code)), '/') AS path
                    """).first()!.decode(column: "path", as: String.self)
                try await db.raw("""
                    UPDATE exchange_inbox SET state = \(bind: applied.person == nil ? "not-found" : "matched"), person_id = \(bind: applied.person), task_id = \(bind: applied.task),
                        path = \(bind: path)
                    WHERE id = \(bind: message.id.text)
                    """).run()
                // 查无此人: a request about nobody here is answered at once
                if applied.person == nil && message.kind == .request {
                    try await Self.enqueueReply(to: message, found: false, result: "查无此人", env: env, db)
                }
            }
        } catch {
            // Two deliveries of one message at once: the second finds the first's row.
            if let first = try await acknowledgement(of: message.id, from: sender) { var again = first; again.status = "duplicate"; return again }
            throw error
        }
        return ack
    }

    func acknowledgement(of id: UUID, from sender: String) async throws -> Acknowledgement? {
        try await db.read { db in
            try await db.raw("SELECT ack FROM exchange_inbox WHERE id = \(bind: id.text) AND sender = \(bind: sender)").first().map {
                try JSONDecoder().decode(Acknowledgement.self, from: Data(try $0.decode(column: "ack", as: String.self).utf8))
            }
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
        var m = message
        m.sender = try await identity(by: .cli("exchange")).code
        m.sentAt = Timestamp.string(env.now())
        let body = try JSONEncoder.sorted.encode(m)
        return (body, try await sign(body))
    }
}

extension Stores {
    public var exchange: ExchangeStore { ExchangeStore(db: db, env: env) }
}
