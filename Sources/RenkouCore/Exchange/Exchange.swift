import Foundation

/// 信息交换: deployments (nodes) exchange signed messages about the people they both serve: notices
/// (通报), verification requests (协查) and replies (反馈). A node is known by its area code and an
/// Ed25519 public key; peers serve area-code prefixes, and a hub takes everything else.
public struct ExchangeCoreModule: CoreModule {
    public init() {}
    public let name = "exchange"
    public var grants: [Grant] {
        [Grant(.exchange(.read), [.admin, .district, .street, .community]),
         Grant(.exchange(.write), [.admin, .district, .street, .community]),
         // Peers and keys: the deployment's administrators only.
         Grant(.exchange(.administer), [.admin])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.exchangeDeadlines.declare([
            (Day(year: 2010, month: 1, day: 1)!, ExchangeDeadlines(urgentDays: 15, ordinaryDays: 30, monthlyCutoffDay: 20),
             "流动人口计划生育信息交换工作制度：现孕重点对象协查为紧急件 15 日内反馈，其他协查 30 日内；每月 20 日为当月协查和服务管理信息报送截止日 (DOMAIN-RULES §7)"),
         ])]
    }
}

extension Permission {
    /// A permission of the exchange module.
    public static func exchange(_ action: Action) -> Permission { Permission("exchange", action) }
}

/// 时限: days to reply by deadline class, and the monthly cut-off day.
public struct ExchangeDeadlines: Sendable, Codable, Equatable {
    public var urgentDays: Int
    public var ordinaryDays: Int
    public var monthlyCutoffDay: Int
    public init(urgentDays: Int, ordinaryDays: Int, monthlyCutoffDay: Int) {
        self.urgentDays = urgentDays; self.ordinaryDays = ordinaryDays; self.monthlyCutoffDay = monthlyCutoffDay
    }
}

extension PolicyRule where Value == ExchangeDeadlines {
    /// 协查反馈时限: urgent 15 days, ordinary 30, the monthly cut-off on the 20th.
    public static let exchangeDeadlines = PolicyRule("exchange.deadlines", Text("协查反馈时限", "Exchange reply deadlines"))
}

extension FieldTask.Kind {
    /// 信息交换核实: a home visit asked for by another region's notice or request; its result is the reply.
    public static let exchangeVisit = Self("exchange-visit")
    /// 报文待处理: a message that failed its last delivery attempt, for the node's operator.
    public static let exchangeStuck = Self("exchange-stuck")
}

/// What a message is.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    /// 通报: something happened (a stay opened or closed, a birth registered).
    case notice
    /// 协查: please verify and reply by the deadline.
    case request
    /// 反馈: the answer to a request (`inReplyTo`).
    case reply
    /// A newer version of an earlier notice about the same business key.
    case update
    /// An earlier notice withdrawn.
    case void
    public var label: Text {
        switch self {
        case .notice: Text("通报", "Notice")
        case .request: Text("协查", "Verification request")
        case .reply: Text("反馈", "Reply")
        case .update: Text("更正", "Update")
        case .void: Text("撤销", "Void")
        }
    }
}

/// 紧急 (15 days) or 急 (30 days), or none (a notice).
public enum DeadlineClass: String, Sendable, Codable, CaseIterable {
    case urgent, ordinary, none
}

/// The person a message is about, as the sender knows them. The ID number is carried as written: a
/// wrong check character is accepted (the national platform did not enforce it either).
public struct MessageSubject: Sendable, Codable, Equatable {
    public var idNumber: String
    public var name: String
    public var birthDate: String?
    public init(idNumber: String, name: String, birthDate: String?) { self.idNumber = idNumber; self.name = name; self.birthDate = birthDate }
}

/// 报文: one message between nodes. Sent as JSON (keys sorted, UTF-8); the sender signs the exact
/// body bytes with its Ed25519 key (header `Renkou-Signature`, base64) and names itself
/// (`Renkou-Sender`). `sentAt` is set on each delivery attempt (ISO 8601, UTC), so a message that
/// waited is still inside the receiver's replay window; `id` (UUIDv7) stays the same and is what
/// the receiver deduplicates on.
public struct MessageEnvelope: Sendable, Codable, Equatable {
    public var id: UUID
    public var kind: MessageKind
    public var subject: MessageSubject
    /// What the message is about, stable across updates (`stay:<id>`, `birth:<number>`).
    public var businessKey: String
    /// Node codes (area codes).
    public var sender: String
    public var receiver: String
    public var inReplyTo: UUID?
    public var sentAt: String
    public var deadlineClass: DeadlineClass
    /// The day a reply is due (requests).
    public var deadline: String?
    public var payloadVersion: Int
    /// The kind's content: `event` (stay-opened, stay-closed, birth), `since`, `place`, `question`,
    /// `found`, `result` … as text.
    public var payload: [String: String]
    /// The hubs the message passed through, in order (absent when sent directly). Each hop signs the
    /// message again with its own key; the last entry is the node that delivered it.
    public var via: [String]?
    public init(id: UUID, kind: MessageKind, subject: MessageSubject, businessKey: String, sender: String, receiver: String, inReplyTo: UUID? = nil,
                sentAt: String, deadlineClass: DeadlineClass = .none, deadline: String? = nil, payloadVersion: Int = 1, payload: [String: String] = [:], via: [String]? = nil) {
        self.id = id; self.kind = kind; self.subject = subject; self.businessKey = businessKey; self.sender = sender; self.receiver = receiver
        self.inReplyTo = inReplyTo; self.sentAt = sentAt; self.deadlineClass = deadlineClass; self.deadline = deadline
        self.payloadVersion = payloadVersion; self.payload = payload; self.via = via
    }
}

/// A deployment this one talks to: its code, where it is reached, its public key (base64 of the raw
/// 32 bytes) and the area-code prefixes it serves. A peer with `isDefault` is the hub: it takes the
/// messages no other peer's prefix matches.
public struct ExchangePeer: Sendable, Codable, Equatable {
    public var code: String
    public var url: String
    public var publicKey: String
    public var areas: [String]
    public var isDefault: Bool
    public var enabled: Bool
    public var addedAt: String
    public init(code: String, url: String, publicKey: String, areas: [String], isDefault: Bool, enabled: Bool, addedAt: String) {
        self.code = code; self.url = url; self.publicKey = publicKey; self.areas = areas; self.isDefault = isDefault; self.enabled = enabled; self.addedAt = addedAt
    }
}

/// This deployment as its peers know it.
public struct NodeIdentity: Sendable, Codable, Equatable {
    public var code: String
    public var url: String
    public var publicKey: String
    /// 枢纽: whether the node forwards messages addressed to other nodes it has a route for.
    public var isHub: Bool
    public init(code: String, url: String, publicKey: String, isHub: Bool = false) { self.code = code; self.url = url; self.publicKey = publicKey; self.isHub = isHub }
}

/// 路由: the peer a message about an area code goes to: the enabled peer with the longest matching
/// prefix, else the default route (the hub), else none.
public enum ExchangeRouting {
    public static func route(_ area: String, peers: [ExchangePeer]) -> ExchangePeer? {
        specific(area, peers: peers) ?? peers.first { $0.enabled && $0.isDefault }
    }

    /// The enabled peer whose prefix matches `area` longest (a peer's own code counts as a prefix it
    /// serves), without the default route.
    public static func specific(_ area: String, peers: [ExchangePeer]) -> ExchangePeer? {
        let enabled = peers.filter(\.enabled)
        let best = enabled.flatMap { p in (p.areas + [p.code]).filter { !$0.isEmpty && area.hasPrefix($0) }.map { (p, $0.count) } }.max { $0.1 < $1.1 }
        return best?.0
    }

    /// What a node does with a message addressed to `receiver` (a node code or an area code).
    public enum Destination: Equatable, Sendable {
        /// This node takes it.
        case here
        /// A hub passes it on to this peer.
        case forward(String)
        /// Neither: the message is refused as `wrong-receiver`.
        case elsewhere
    }

    /// Where a message for `receiver` goes at node `me`: here when it is addressed to `me` or to an
    /// area under `me` that no peer serves more closely; to the peer that serves it when `me` is a hub
    /// (never back to a node it already passed through); else it is not for this node.
    public static func destination(_ receiver: String, me: NodeIdentity, peers: [ExchangePeer], via: [String]) -> Destination {
        let closer = specific(receiver, peers: peers)
        if receiver == me.code { return .here }
        if receiver.hasPrefix(me.code), closer.map({ p in (p.areas + [p.code]).filter { receiver.hasPrefix($0) }.map(\.count).max() ?? 0 <= me.code.count }) ?? true {
            return .here
        }
        guard me.isHub, let next = closer ?? route(receiver, peers: peers), !via.contains(next.code), !via.contains(me.code), via.count < 8 else { return .elsewhere }
        return .forward(next.code)
    }
}
