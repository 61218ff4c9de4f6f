import Foundation
import RenkouCore
import SQLKit

/// 协查 and 反馈: the inflow side asks the hukou side to verify something about a person by a deadline
/// (urgent 15 days, ordinary 30: policy); the hukou side's office answers from its home visit, or the
/// system answers "not found" (查无此人) at once when nobody matches; the answer travels back as a
/// reply and is kept with the request.
extension ExchangeStore {
    /// What a request may ask.
    public static let questions: [String: Text] = [
        "pregnancy": Text("是否怀孕", "Whether she is pregnant"),
        "contraception": Text("避孕节育情况", "Contraception"),
        "marital-status": Text("婚姻状况", "Marital status"),
        "residence": Text("是否在户籍地居住", "Whether she lives at the hukou place"),
        "childcare-claim": Text("育儿补贴是否已在当地申领", "Whether the childcare subsidy is claimed there"),
    ]

    /// 育儿补贴申领核查: a request about a child's childcare subsidy is answered at once from the
    /// receiver's benefit lists, no visit: `found` says whether the child is known there (in the
    /// registry or on a list), `claimed` whether an eligible line lists it, with the years in `result`.
    static func answerClaimCheck(_ m: MessageEnvelope, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> String? {
        let number = CitizenID.normalize(m.subject.idNumber)
        let years = try await db.raw("""
            SELECT DISTINCT r.year FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
            WHERE r.programme = 'childcare-subsidy' AND l.id_number = \(bind: number) AND l.eligible = 1 AND l.removed_reason IS NULL ORDER BY r.year
            """).all().map { try $0.decode(column: "year", as: Int.self) }
        let person = try await db.raw("SELECT id FROM persons WHERE id_number = \(bind: number)").first()?.decode(column: "id", as: String.self)
        let result = years.isEmpty ? "本地未申领育儿补贴" : "本地已列入育儿补贴名单（\(years.map(String.init).joined(separator: "、"))年）"
        try await enqueueReply(to: m, found: person != nil || !years.isEmpty, result: result, extra: ["claimed": years.isEmpty ? "no" : "yes"], env: env, db)
        return person
    }

    /// Sends a verification request about a person of the scope to the node that serves her hukou
    /// region. Throws `invalid` (`/question` `code-unknown`; `/person` `unknown-person` or
    /// `id-number-pending`, `no-hukou-region`), `conflict` (`no-route`: no peer serves the region, or
    /// the exchange is not set up).
    public func request(person: UUID, question: String, urgent: Bool, in scope: Scope, by actor: Actor) async throws -> MessageEnvelope {
        guard Self.questions[question] != nil else {
            throw RenkouError.invalid([FieldError("/question", "code-unknown", Text("协查事项应为 pregnancy、contraception、marital-status、residence 或 childcare-claim。", "The question is pregnancy, contraception, marital-status, residence or childcare-claim."))])
        }
        let engine = db.engine, env = self.env, today = Day(env.now())
        let days = env.policy(.exchangeDeadlines, on: today)
        return try await db.transaction { db in
            let p = try await PersonStore.require(person, in: scope, engine: engine, db)
            guard let number = p.idNumber else {
                throw RenkouError.invalid([FieldError("/person", "id-number-pending", Text("该人员尚无身份号码，不能协查。", "This person has no ID number yet."))])
            }
            guard let area = p.hukouRegion else {
                throw RenkouError.invalid([FieldError("/person", "no-hukou-region", Text("该人员没有户籍地代码。", "This person has no hukou region code."))])
            }
            let deadline = today.adding(days: urgent ? days.urgentDays : days.ordinaryDays)
            var m = MessageEnvelope(id: env.newID(), kind: .request, subject: MessageSubject(idNumber: number, name: p.name, birthDate: p.birthDate),
                                    businessKey: "", sender: "", receiver: "", sentAt: "", deadlineClass: urgent ? .urgent : .ordinary, deadline: deadline.description,
                                    payload: ["question": question])
            m.businessKey = "request:\(m.id.text)"
            guard let addressed = try await Self.enqueue(m, area: area, path: p.path, env: env, db) else {
                throw RenkouError(.conflict, "no-route", Text("没有节点服务户籍地 \(area)（或本节点尚未启用信息交换）。", "No node serves the hukou region \(area) (or this node is not set up)."))
            }
            try await db.raw("UPDATE exchange_outbox SET deadline = \(bind: deadline.description), person_id = \(bind: p.id.text) WHERE id = \(bind: m.id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "exchange_request", entityID: m.id.text, path: p.path,
                                     after: AuditLog.json(["person": p.id.text, "question": question, "deadline": deadline.description]))
            return addressed
        }
    }

    /// Puts a reply to a received message in the outbox, addressed to the node that sent it: straight
    /// to it when it is a peer, else the way routing goes (the hub it came through).
    static func enqueueReply(to m: MessageEnvelope, found: Bool, result: String, extra: [String: String] = [:], env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        guard let me = try await nodeCode(db) else { return }
        let peers = try await db.raw("SELECT * FROM exchange_peers").all().map(decodePeer)
        let hop = ExchangeRouting.route(m.sender, peers: peers)?.code ?? m.via?.last ?? m.sender
        let reply = MessageEnvelope(id: env.newID(), kind: .reply, subject: m.subject, businessKey: m.businessKey, sender: me, receiver: m.sender, inReplyTo: m.id,
                                    sentAt: "", payload: extra.merging(["found": found ? "yes" : "no", "result": result]) { $1 })
        try await insertOutgoing(reply, peer: hop, path: "/", env: env, db)
        try await db.raw("UPDATE exchange_inbox SET replied_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: m.id.text) AND sender = \(bind: m.sender)").run()
    }

    /// A received message as its office sees it: about one of its own people (so nothing beyond what
    /// the message carries about the other region), with the question and the deadline.
    public struct ReceivedForOffice: Sendable, Codable, Equatable {
        public let message: MessageEnvelope
        public let state: String
        public let personID: UUID?
        public let repliedAt: String?
    }

    /// A received message about a person of the scope (matched there). Throws `not-found`.
    public func received(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> ReceivedForOffice {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            guard let r = try await db.raw("""
                SELECT x.body, x.state, x.person_id, x.replied_at, p.path FROM exchange_inbox x JOIN persons p ON p.id = x.person_id
                WHERE x.id = \(bind: id.text) AND \(engine.startsWith("p.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("报文", "message")) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "exchange_message", entityID: id.text, path: try r.decode(column: "path", as: String.self))
            return ReceivedForOffice(message: try JSONDecoder().decode(MessageEnvelope.self, from: Data(try r.decode(column: "body", as: String.self).utf8)),
                             state: try r.decode(column: "state", as: String.self), personID: try r.decode(column: "person_id", as: String?.self).flatMap(UUID.init(uuidString:)),
                             repliedAt: try r.decode(column: "replied_at", as: String?.self))
        }
    }

    /// 反馈: the office answers a request (or a notice) about one of its people from its visit: the
    /// reply goes back to the sender, and the visit task closes. Throws `not-found`, `conflict`
    /// (`replied`), `invalid` (`/result` `required`).
    public func reply(to id: UUID, found: Bool, result: String, in scope: Scope, by actor: Actor) async throws {
        let text = result.trimmed
        guard !text.isEmpty else { throw RenkouError.invalid([FieldError("/result", "required", Text("请填写核实结果。", "Give what the visit found."))]) }
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("""
                SELECT x.body, x.replied_at, x.task_id, p.path FROM exchange_inbox x JOIN persons p ON p.id = x.person_id
                WHERE x.id = \(bind: id.text) AND \(engine.startsWith("p.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("报文", "message")) }
            if try r.decode(column: "replied_at", as: String?.self) != nil { throw RenkouError(.conflict, "replied", Text("已经反馈过。", "It has been answered already.")) }
            let m = try JSONDecoder().decode(MessageEnvelope.self, from: Data(try r.decode(column: "body", as: String.self).utf8))
            try await Self.enqueueReply(to: m, found: found, result: text, env: env, db)
            if let task = try r.decode(column: "task_id", as: String?.self).flatMap(UUID.init(uuidString:)) {
                try await TaskStore.settle(id: task, outcome: "done", env: env, actor: actor, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "exchange_message", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["found": found ? "yes" : "no", "result": text]))
        }
    }

    /// A reply received: kept with the request it answers (the first reply counts; a later one is recorded, not applied).
    static func applyReply(_ m: MessageEnvelope, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        guard let original = m.inReplyTo else { return }
        try await db.raw("""
            UPDATE exchange_outbox SET replied_at = \(bind: Timestamp.string(env.now())), reply_found = \(bind: m.payload["found"] == "yes" ? 1 : 0), reply_result = \(bind: m.payload["result"])
            WHERE id = \(bind: original.text) AND replied_at IS NULL
            """).run()
    }

    /// A request sent, with its answer when it came.
    public struct SentRequest: Sendable, Codable, Equatable {
        public let message: MessageEnvelope
        public let state: String
        public let deadline: String?
        public let repliedAt: String?
        public let found: Bool?
        public let result: String?
    }

    /// The requests sent about people of the scope, newest first (they name people: audited).
    public func requests(in scope: Scope, by actor: Actor) async throws -> [SentRequest] {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let rows = try await db.raw("""
                SELECT envelope, state, deadline, replied_at, reply_found, reply_result FROM exchange_outbox
                WHERE kind = 'request' AND \(engine.startsWith("path", scope.path)) ORDER BY created_at DESC LIMIT 500
                """).all().map { r in
                SentRequest(message: try JSONDecoder().decode(MessageEnvelope.self, from: Data(try r.decode(column: "envelope", as: String.self).utf8)),
                            state: try r.decode(column: "state", as: String.self), deadline: try r.decode(column: "deadline", as: String?.self),
                            repliedAt: try r.decode(column: "replied_at", as: String?.self), found: try r.decode(column: "reply_found", as: Int?.self).map { $0 == 1 },
                            result: try r.decode(column: "reply_result", as: String?.self))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "exchange_requests", entityID: "sent", path: scope.path, after: AuditLog.json(["shown": String(rows.count)]))
            return rows
        }
    }
}
