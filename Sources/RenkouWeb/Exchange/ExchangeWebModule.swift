import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RenkouCore
import RenkouStore

/// The exchange between deployments: `POST /api/v1/exchange/inbox` for peers (a signature, not a
/// user token), the identity, peers and received messages for users, and the page that shows them.
struct ExchangeWebModule: WebModule {
    let name = "exchange"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { ExchangePages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { ExchangeAPI.register(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/exchange", Text("信息交换", "Exchange"), order: 90, permission: .exchange(.read))] }
    var strings: [String: Text] { ExchangePages.strings }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.exchangeVisit, Text("协查核实", "Exchange visit"), link: { $0.object.map { ExchangePages.messagePath($0.id) } },
                                               action: { t in t.object.map { (ExchangePages.messagePath($0.id), Text("反馈", "Reply")) } })),
         ExtensionPoint.taskKinds(TaskKindView(.exchangeStuck, Text("报文待处理", "Stuck message"), link: { _ in "/exchange?out=failed#outbox" },
                                               action: { _ in ("/exchange?out=failed#outbox", Text("处理", "Handle")) })),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "exchange"))]
    }
}

enum ExchangeAPI {
    struct PeerBody: Decodable { let code: String?; let url: String?; let key: String?; let areas: [String]?; let isDefault: Bool? }
    struct RequestBody: Decodable { let person: String?; let question: String?; let urgent: Bool? }
    struct ReplyBody: Decodable { let found: Bool?; let result: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        // A peer's delivery: the body's exact bytes are what the signature covers.
        api.on(.post, "/api/v1/exchange/inbox") { request, context in
            let body = try await Body.collect(request, context: context)
            let ack = try await deps.stores.exchange.receive(body: Data(buffer: body), sender: request.headers[HTTPField.Name("Renkou-Sender")!],
                                                             signature: request.headers[HTTPField.Name("Renkou-Signature")!], client: context.client)
            return try JSON.response(ack, status: ack.status == "accepted" ? .accepted : .ok)
        }
        // Several messages from one peer in one request: each with its own signature, one answer each, in order.
        api.on(.post, "/api/v1/exchange/inbox/batch") { request, context in
            let batch = try await Body.json(ExchangeStore.BatchRequest.self, request, context: context)
            guard (1...ExchangeStore.maxBatch).contains(batch.messages.count) else {
                throw RenkouError.invalid([FieldError("/messages", "batch-size", Text("一次应发送 1–\(ExchangeStore.maxBatch) 条报文。", "Send 1 to \(ExchangeStore.maxBatch) messages at a time."))])
            }
            let results = try await deps.stores.exchange.receive(batch: batch.messages.map { (Data($0.body.utf8), $0.signature) },
                                                                 sender: request.headers[HTTPField.Name("Renkou-Sender")!], client: context.client)
            return try JSON.response(ExchangeStore.BatchAnswer(results: results.map(ExchangeStore.BatchResult.init)))
        }
        api.on(.get, "/api/v1/exchange/identity") { _, context in
            _ = try context.require(.exchange(.read))
            guard let me = try await deps.stores.exchange.currentIdentity() else { throw RenkouError.notFound(Text("本节点身份（请先运行 renkou exchange identity）", "this node's identity (run renkou exchange identity first)")) }
            return try JSON.response(me)
        }
        api.on(.get, "/api/v1/exchange/peers") { _, context in
            _ = try context.require(.exchange(.administer))
            return try JSON.response(try await deps.stores.exchange.peers())
        }
        api.on(.post, "/api/v1/exchange/peers") { request, context in
            _ = try context.require(.exchange(.administer))
            let b = try await Body.json(PeerBody.self, request, context: context)
            return try JSON.response(try await deps.stores.exchange.addPeer(code: b.code ?? "", url: b.url ?? "", key: b.key ?? "", areas: b.areas ?? [],
                                                                             isDefault: b.isDefault ?? false, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/exchange/requests") { request, context in
            _ = try context.require(.exchange(.write))
            let b = try await Body.json(RequestBody.self, request, context: context)
            guard let person = b.person.flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/person", "unknown-person", Text("请给出人员编号。", "Give the person's id."))])
            }
            return try JSON.response(try await deps.stores.exchange.request(person: person, question: b.question ?? "", urgent: b.urgent ?? false, in: context.scope, by: context.actor),
                                     status: .created)
        }
        api.on(.get, "/api/v1/exchange/requests") { _, context in
            _ = try context.require(.exchange(.read))
            return try JSON.response(try await deps.stores.exchange.requests(in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/exchange/messages/{id}/reply") { request, context in
            _ = try context.require(.exchange(.write))
            let b = try await Body.json(ReplyBody.self, request, context: context)
            try await deps.stores.exchange.reply(to: try context.uuid("id", Text("报文", "message")), found: b.found ?? true, result: b.result ?? "", in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
        // An operator's hand on a stuck message (refused or failed): send again now, or close with the reason.
        api.on(.post, "/api/v1/exchange/messages/{id}/retry") { _, context in
            _ = try context.require(.exchange(.administer))
            try await deps.stores.exchange.retryNow(try context.uuid("id", Text("报文", "message")), by: context.actor)
            return Response(status: .noContent)
        }
        struct CloseBody: Decodable { let reason: String? }
        api.on(.post, "/api/v1/exchange/messages/{id}/close") { request, context in
            _ = try context.require(.exchange(.administer))
            let b = try await Body.json(CloseBody.self, request, context: context)
            try await deps.stores.exchange.close(try context.uuid("id", Text("报文", "message")), reason: b.reason ?? "", by: context.actor)
            return Response(status: .noContent)
        }
        // Whole envelopes name people of other regions: the deployment's administrators only, each read audited.
        api.on(.get, "/api/v1/exchange/messages") { request, context in
            _ = try context.require(.exchange(.administer))
            switch request.query("direction") ?? "in" {
            case "in": return try JSON.response(try await deps.stores.exchange.inbox(by: context.actor))
            case "out": return try JSON.response(try await deps.stores.exchange.outbox(state: request.query("state"), by: context.actor))
            default: throw RenkouError.invalid([FieldError("/direction", "code-unknown", Text("direction 应为 in 或 out。", "direction is in or out."))])
            }
        }
    }
}

/// `/exchange`: this node, its peers (administrators), the messages received and the ones refused.
enum ExchangePages {
    static let strings: [String: Text] = [
        "exchange": Text("信息交换", "Exchange"),
        "exchange_intro": Text("本节点与其他地区部署之间的通报、协查和反馈。报文以本节点密钥签名；对方节点、公钥和服务区域由管理员配置。",
                               "Notices, verification requests and replies between this deployment and others. Messages are signed with this node's key; peers, their keys and the areas they serve are set by an administrator."),
        "node_code": Text("节点代码", "Node code"),
        "node_url": Text("访问地址", "URL"),
        "public_key": Text("公钥", "Public key"),
        "peers": Text("对方节点", "Peers"),
        "no_peers": Text("尚未配置对方节点。", "No peers yet."),
        "peer_areas": Text("服务区域", "Areas served"),
        "default_route": Text("默认路由（枢纽）", "Default route (hub)"),
        "inbox": Text("收到的报文", "Received"),
        "no_messages": Text("没有报文。", "No messages."),
        "message_kind": Text("类型", "Kind"),
        "sender": Text("发送方", "Sender"),
        "business_key": Text("业务编号", "Business key"),
        "received_at": Text("收到时间", "Received"),
        "rejections": Text("拒收的报文", "Refused"),
        "outbox": Text("发出的报文", "Sent"),
        "attempts": Text("次数", "Attempts"),
        "last_error": Text("最近错误", "Last error"),
        "retry_now": Text("重新发送", "Send again"),
        "close_by_hand": Text("手工关闭", "Close by hand"),
        "close_reason": Text("关闭原因", "Why it is closed"),
        "hub": Text("枢纽", "Hub"),
        "hub_yes": Text("本节点转发发往其他节点的报文", "This node forwards messages for other nodes"),
        "filter": Text("筛选", "Filter"),
        "requests_sent": Text("发出的协查", "Verification requests sent"),
        "new_request": Text("发起协查", "Ask for a verification"),
        "question": Text("协查事项", "Question"),
        "deadline": Text("反馈期限", "Reply due"),
        "urgent": Text("紧急（现孕对象，15 日）", "Urgent (a pregnant woman: 15 days)"),
        "send": Text("发送", "Send"),
        "reply": Text("反馈", "Reply"),
        "found_yes": Text("已核实", "Found and checked"),
        "found_no": Text("查无此人", "Not found"),
        "visit_result": Text("核实结果", "What the visit found"),
    ]

    struct PeerRow { let code: String, url: String, areas: String, key: String, state: String }
    struct MessageRow { let kind: String, sender: String, subject: String, key: String, state: String, at: String }
    struct StateOption { let code: String, label: String; let selected: Bool }
    /// The outbox's states, as the filter offers them.
    static let outStates: [Codes.Entry] = [
        Codes.Entry(code: "", label: Text("全部", "All")), Codes.Entry(code: "pending", label: Text("待发送", "Waiting")),
        Codes.Entry(code: "delivered", label: Text("已送达", "Delivered")), Codes.Entry(code: "refused", label: Text("被拒收", "Refused")),
        Codes.Entry(code: "failed", label: Text("发送失败", "Failed")), Codes.Entry(code: "closed", label: Text("已手工关闭", "Closed by hand")),
    ]
    struct RejectionRow { let sender: String, reason: String, at: String }
    static func messagePath(_ id: UUID) -> String { "/exchange/messages/\(id.text)" }
    struct RequestRow { let subject: String, question: String, deadline: String, state: String; let overdue: Bool }
    struct OutRow { let kind: String, peer: String, subject: String, state: String, attempts: Int, error: String; let retryAction: String?; let closeAction: String; let href: String }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/exchange") { request, context -> Response in
            let account = try context.require(.exchange(.read))
            let lang = context.lang
            let me = try await deps.stores.exchange.currentIdentity() ?? NodeIdentity(code: "—", url: "renkou exchange identity --code … --url …", publicKey: "—")
            // The messages (other regions' people, masked) and the peers are the administrators'; the offices work from the task list.
            let admin = account.role.can(.exchange(.administer))
            let peers = admin ? try await deps.stores.exchange.peers() : []
            let received = admin ? try await deps.stores.exchange.inbox(limit: 100, by: context.actor) : []
            let refused = admin ? try await deps.stores.exchange.rejections(limit: 50) : []
            let outState = request.query("out").flatMap { $0.isEmpty ? nil : $0 }
            let sent = admin ? try await deps.stores.exchange.outbox(state: outState, limit: 100, by: context.actor) : []
            let canWrite = account.role.can(.exchange(.write)), today = Day(deps.stores.env.now()).description
            let asked = try await deps.stores.exchange.requests(in: context.scope, by: context.actor)
            let model = ExchangeView(
                code: me.code, url: me.url, publicKey: me.publicKey, isHub: me.isHub, isAdmin: admin,
                outStates: outStates.map { StateOption(code: $0.code, label: $0.label(lang), selected: $0.code == (outState ?? "")) },
                peers: peers.map { PeerRow(code: $0.code, url: $0.url, areas: $0.areas.joined(separator: ", ") + ($0.isDefault ? " · " + Text("默认路由", "default route")(lang) : ""),
                                           key: String($0.publicKey.prefix(12)) + "…", state: ($0.enabled ? Text("启用", "enabled") : Text("停用", "disabled"))(lang)) },
                hasPeers: !peers.isEmpty,
                messages: received.map { r in
                    // Another region's data shows only as far as the message carries it: the name masked on the list.
                    MessageRow(kind: r.message.kind.label(lang), sender: r.message.sender, subject: "\(Mask.name(r.message.subject.name)) \(Mask.idNumber(r.message.subject.idNumber))",
                               key: r.message.businessKey, state: r.state, at: r.receivedAt)
                },
                hasMessages: !received.isEmpty,
                rejections: refused.map { RejectionRow(sender: $0.sender ?? "—", reason: $0.reason, at: $0.receivedAt) }, hasRejections: !refused.isEmpty,
                outbox: sent.map { o in
                    OutRow(kind: o.message.kind.label(lang), peer: o.peer, subject: "\(Mask.name(o.message.subject.name)) \(Mask.idNumber(o.message.subject.idNumber))",
                           state: outStates.first { $0.code == o.state }?.label(lang) ?? o.state, attempts: o.attempts, error: o.lastError ?? "",
                           retryAction: admin && ["refused", "failed"].contains(o.state) ? "/exchange/outbox/\(o.message.id.text)/retry" : nil,
                           closeAction: "/exchange/outbox/\(o.message.id.text)/close", href: "/exchange/outbox/\(o.message.id.text)")
                }, hasOutbox: !sent.isEmpty,
                requests: asked.map { r in
                    RequestRow(subject: "\(r.message.subject.name) \(r.message.subject.idNumber)", question: ExchangeStore.questions[r.message.payload["question"] ?? ""]?(lang) ?? "",
                               deadline: r.deadline ?? "", state: r.repliedAt.map { d in "\(d.prefix(10)) · " + ((r.found ?? false) ? "" : Text("查无此人 · ", "not found · ")(lang)) + (r.result ?? "") } ?? r.state,
                               overdue: r.repliedAt == nil && (r.deadline ?? "9999") < today)
                }, hasRequests: !asked.isEmpty, canRequest: canWrite,
                requestFields: [FormField(name: "person", label: Text("人员编号", "Person's id")(lang), value: request.query("person") ?? "", required: true),
                                PersonPages.select("question", Text("协查事项", "Question"), ExchangeStore.questions.sorted { $0.key < $1.key }.map { Codes.Entry(code: $0.key, label: $0.value) },
                                                   ["question": "pregnancy"], empty: Text("请选择", "Choose"), lang: lang)])
            return deps.renderer.html("exchange/exchange", title: Text("信息交换", "Exchange"), model: model, context: context, request: request)
        }
        router.post("/exchange/requests") { request, context -> Response in
            _ = try context.require(.exchange(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            guard let person = form["person"].flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/person", "unknown-person", Text("请给出人员编号。", "Give the person's id."))])
            }
            let m = try await deps.stores.exchange.request(person: person, question: form["question"] ?? "", urgent: form["urgent"] != nil, in: context.scope, by: context.actor)
            return Redirect.to("/exchange", notice: Text("协查已发出，反馈期限 \(m.deadline ?? "")。", "Request sent; reply due \(m.deadline ?? "")."))
        }
        @Sendable func message(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let r = try await deps.stores.exchange.received(id, in: context.scope, by: context.actor)
            let m = r.message
            let model = ExchangeMessageView(
                kind: m.kind.label(lang), sender: m.sender, personHref: r.personID.map(SitePath.person) ?? "", name: m.subject.name,
                question: m.kind == .request ? ExchangeStore.questions[m.payload["question"] ?? ""]?(lang) ?? "" : (m.payload["event"] ?? ""),
                deadline: m.deadline ?? "", replied: r.repliedAt ?? "", canReply: r.repliedAt == nil, action: messagePath(id) + "/reply", message: error?.message(lang))
            return deps.renderer.html("exchange/message", title: Text("协查核实", "Exchange visit"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/exchange/messages/{id}") { request, context -> Response in
            _ = try context.require(.exchange(.write))
            return try await message(try context.uuid("id", Text("报文", "message")), error: nil, request: request, context: context)
        }
        router.post("/exchange/messages/{id}/reply") { request, context -> Response in
            _ = try context.require(.exchange(.write))
            let id = try context.uuid("id", Text("报文", "message")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.exchange.reply(to: id, found: form["found"] != "no", result: form["result"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to("/tasks", notice: Text("已反馈，核实任务已办结。", "Replied; the visit task is closed."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await message(id, error: error, request: request, context: context)
            }
        }
        router.post("/exchange/outbox/{id}/retry") { request, context -> Response in
            _ = try context.require(.exchange(.administer))
            _ = try await RenkouWeb.Form.read(request, context: context)
            try await deps.stores.exchange.retryNow(try context.uuid("id", Text("报文", "message")), by: context.actor)
            return Redirect.to("/exchange", notice: Text("已安排重新发送。", "It will be sent again now."))
        }
        // A sent message's history, for the operator: made, attempts, the last error, the next try, delivered, the reply.
        router.get("/exchange/outbox/{id}") { request, context -> Response in
            _ = try context.require(.exchange(.administer))
            let lang = context.lang
            let o = try await deps.stores.exchange.outgoing(try context.uuid("id", Text("报文", "message")), by: context.actor)
            let m = o.message
            func row(_ label: Text, _ value: String?) -> OutgoingView.Fact? { value.flatMap { $0.isEmpty ? nil : OutgoingView.Fact(label: label(lang), value: $0) } }
            let facts: [OutgoingView.Fact?] = [
                row(Text("类型", "Kind"), m.kind.label(lang)), row(Text("人员", "Person"), "\(Mask.name(m.subject.name)) \(Mask.idNumber(m.subject.idNumber))"),
                row(Text("业务编号", "Business key"), m.businessKey), row(Text("发送方", "Sender"), m.sender), row(Text("接收方", "Receiver"), m.receiver),
                row(Text("下一跳", "Next hop"), o.peer), row(Text("经由", "Via"), m.via?.joined(separator: " → ")),
                row(Text("转发", "Forwarded"), o.forwarded == true ? Text("本节点作为枢纽转发", "passed on by this node as a hub")(lang) : nil),
                row(Text("内容", "Payload"), m.payload.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.key == "child" ? Mask.name($0.value) : $0.value)" }.joined(separator: "；")),
                row(Text("生成时间", "Made"), o.createdAt), row(Text("状态", "State"), outStates.first { $0.code == o.state }?.label(lang) ?? o.state),
                row(Text("发送次数", "Attempts"), String(o.attempts)), row(Text("最近错误", "Last error"), o.lastError),
                row(Text("下次发送", "Next attempt"), o.state == "pending" ? o.nextAttemptAt : nil), row(Text("送达（对方确认）", "Delivered (acknowledged)"), o.deliveredAt),
                row(Text("反馈期限", "Reply due"), o.deadline),
                row(Text("反馈", "Reply"), o.repliedAt.map { "\($0) · " + ((o.replyFound ?? false) ? "" : Text("查无此人 · ", "not found · ")(lang)) + (o.replyResult ?? "") }),
                row(Text("手工关闭原因", "Closed by hand because"), o.closedReason),
            ]
            let stuck = ["refused", "failed"].contains(o.state)
            let model = OutgoingView(facts: facts.compactMap { $0 }, retryAction: stuck ? "/exchange/outbox/\(m.id.text)/retry" : nil, closeAction: "/exchange/outbox/\(m.id.text)/close")
            return deps.renderer.html("exchange/outgoing", title: Text("发出的报文", "Sent message"), model: model, context: context, request: request)
        }
        router.post("/exchange/outbox/{id}/close") { request, context -> Response in
            _ = try context.require(.exchange(.administer))
            let form = try await RenkouWeb.Form.read(request, context: context)
            try await deps.stores.exchange.close(try context.uuid("id", Text("报文", "message")), reason: form["reason"] ?? "", by: context.actor)
            return Redirect.to("/exchange", notice: Text("报文已手工关闭。", "The message is closed."))
        }
    }
}

/// The exchange page.
struct ExchangeView {
    let code: String, url: String, publicKey: String
    let isHub: Bool
    let isAdmin: Bool
    let outStates: [ExchangePages.StateOption]
    let peers: [ExchangePages.PeerRow]; let hasPeers: Bool
    let messages: [ExchangePages.MessageRow]; let hasMessages: Bool
    let rejections: [ExchangePages.RejectionRow]; let hasRejections: Bool
    let outbox: [ExchangePages.OutRow]; let hasOutbox: Bool
    let requests: [ExchangePages.RequestRow]; let hasRequests: Bool; let canRequest: Bool
    let requestFields: [FormField]
}

/// A sent message's history.
struct OutgoingView {
    struct Fact { let label: String, value: String }
    let facts: [Fact]
    let retryAction: String?
    let closeAction: String
}

/// A received message about one of the office's people, with the reply form.
struct ExchangeMessageView {
    let kind: String, sender: String, personHref: String, name: String, question: String, deadline: String, replied: String
    let canReply: Bool
    let action: String
    let message: String?
}
