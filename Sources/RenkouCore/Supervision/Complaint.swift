import Foundation

/// 两民主 supervision: complaints, reports and petitions from the public, each with a tracking code,
/// routed to a unit, answered within its category's deadline, reopened, escalated and rated.
public struct SupervisionCoreModule: CoreModule {
    public init() {}
    public let name = "supervision"
    public var grants: [Grant] {
        [Grant(.supervision(.read), [.admin, .district, .street, .community, .grid]),
         // filing a case for a caller, answering, reassigning, closing
         Grant(.supervision(.write), [.admin, .district, .street, .community]),
         // the service guide (办事指南), kept by the district
         Grant(.supervision(.administer), [.admin, .district])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.complaintCategories.declare([
            (Day(year: 2022, month: 5, day: 1)!, ComplaintCategory.shipped,
             "投诉、举报按类别限期办结（工作日，各地可改：12345 热线一般诉求 15 个工作日为常见做法，全国无统一规定）；信访事项自受理之日起 60 日内办结（《信访工作条例》2022-05-01 施行，第三十二条）；两非举报仍受理（《人口与计划生育法》2021 修正第三十九条）"),
         ]),
         PolicyRule.responseTemplates.declare([
            (Day(year: 2022, month: 5, day: 1)!, ResponseTemplate.shipped, "答复范本：各地按本地做法修改（信访答复须载明处理意见和复查途径，《信访工作条例》第三十二、三十五条）"),
         ])]
    }
}

extension Permission {
    /// A permission of the supervision module.
    public static func supervision(_ action: Action) -> Permission { Permission("supervision", action) }
}

/// 投诉 / 举报 / 信访.
public enum ComplaintKind: String, Sendable, Codable, CaseIterable {
    /// 投诉: about the service a person got.
    case complaint
    /// 举报: reporting a violation (两非, falsified data …).
    case report
    /// 信访: a petition under the 信访工作条例.
    case petition
    public var label: Text {
        switch self {
        case .complaint: Text("投诉", "Complaint")
        case .report: Text("举报", "Report")
        case .petition: Text("信访", "Petition")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// A category of cases: what it is about, which kind, its deadline (in working days of the policy
/// calendar, or in calendar days), whether it is sensitive (then only `roles` see it) and whether an
/// upheld report earns the reward (有奖举报).
public struct ComplaintCategory: Sendable, Codable, Equatable {
    public var code: String
    public var name: Text
    public var kind: ComplaintKind
    /// The time to answer, counted from the day it was received.
    public var days: Int
    /// `working` (the policy calendar's working days) or `calendar`.
    public var unit: String
    /// Only these roles see a sensitive category's cases (nil: every role that reads cases).
    public var roles: [Role]?
    public var reward: Bool
    public init(code: String, name: Text, kind: ComplaintKind, days: Int, unit: String = "working", roles: [Role]? = nil, reward: Bool = false) {
        self.code = code; self.name = name; self.kind = kind; self.days = days; self.unit = unit; self.roles = roles; self.reward = reward
    }

    /// The day a case received on `day` is due.
    public func due(from day: Day, calendar: WorkingDayCalendar) -> Day {
        unit == "calendar" ? day.adding(days: days) : calendar.adding(workingDays: days, to: day)
    }

    /// Whether `role` may see cases of this category.
    public func visible(to role: Role) -> Bool { roles.map { $0.contains(role) } ?? true }

    public static let shipped: [ComplaintCategory] = [
        ComplaintCategory(code: "service", name: Text("服务态度与办事效率", "Service and delays"), kind: .complaint, days: 15),
        ComplaintCategory(code: "benefits", name: Text("奖励扶助与育儿补贴", "Benefits and subsidies"), kind: .complaint, days: 15),
        ComplaintCategory(code: "records", name: Text("个人信息有误", "Wrong personal records"), kind: .complaint, days: 10),
        ComplaintCategory(code: "supplies", name: Text("避孕药具发放", "Contraceptive supplies"), kind: .complaint, days: 10),
        ComplaintCategory(code: "two-non", name: Text("两非（非医学需要的胎儿性别鉴定和选择性别人工终止妊娠）", "Illegal fetal sex determination or sex-selective abortion"),
                          kind: .report, days: 15, roles: [.admin, .district], reward: true),
        ComplaintCategory(code: "falsified-data", name: Text("统计数据弄虚作假", "Falsified statistics"), kind: .report, days: 15, roles: [.admin, .district]),
        ComplaintCategory(code: "petition", name: Text("信访事项", "Petition"), kind: .petition, days: 60, unit: "calendar"),
    ]
}

extension PolicyRule where Value == [ComplaintCategory] {
    /// 投诉举报类别及办理时限.
    public static let complaintCategories = PolicyRule("supervision.complaint-categories", Text("投诉举报类别及办理时限", "Complaint categories and deadlines"))
}

/// 办理状态. A case goes received → assigned → in progress → answered → closed; the complainant (or
/// a worker) may reopen an answered or closed one with a reason, and it is answered again.
public enum ComplaintState: String, Sendable, Codable, CaseIterable {
    case received, assigned, inProgress = "in-progress", answered, closed, reopened
    public var label: Text {
        switch self {
        case .received: Text("已受理", "Received")
        case .assigned: Text("已交办", "Assigned")
        case .inProgress: Text("办理中", "In progress")
        case .answered: Text("已答复", "Answered")
        case .closed: Text("已办结", "Closed")
        case .reopened: Text("已重新办理", "Reopened")
        }
    }
    /// Still waiting for an answer.
    public var open: Bool { [.received, .assigned, .inProgress, .reopened].contains(self) }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 受理渠道.
public enum ComplaintChannel: String, Sendable, Codable, CaseIterable {
    case web, phone, counter, letter
    public var label: Text {
        switch self {
        case .web: Text("网上", "Online")
        case .phone: Text("电话", "Phone")
        case .counter: Text("来访", "In person")
        case .letter: Text("来信", "Letter")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// What a complainant (or a worker for a caller) files. Named or anonymous: an anonymous case keeps
/// no name, phone or address.
public struct ComplaintInput: Sendable, Codable, Equatable {
    public var category: String?
    /// The community (or street) it is about: the case goes to it.
    public var unit: String?
    public var subject: String?
    public var body: String?
    public var anonymous: Bool?
    public var name: String?
    public var phone: String?
    public var channel: String?
    public init(category: String? = nil, unit: String? = nil, subject: String? = nil, body: String? = nil, anonymous: Bool? = nil, name: String? = nil, phone: String? = nil,
                channel: String? = nil) {
        self.category = category; self.unit = unit; self.subject = subject; self.body = body; self.anonymous = anonymous; self.name = name; self.phone = phone; self.channel = channel
    }
}

/// One step of a case's history: who did what, when, and what they wrote; internal notes are
/// never shown to the complainant.
public struct ComplaintStep: Sendable, Codable, Equatable {
    public var at: String
    public var action: String
    public var state: ComplaintState
    public var note: String?
    public var internalOnly: Bool
    public var by: String
    public init(at: String, action: String, state: ComplaintState, note: String?, internalOnly: Bool, by: String) {
        self.at = at; self.action = action; self.state = state; self.note = note; self.internalOnly = internalOnly; self.by = by
    }
}

/// A case as a worker sees it. `name` and `phone` are the complainant's, given only to the one who
/// handles the case (and masked for everybody else); an anonymous case has neither.
public struct Complaint: Sendable, Codable, Equatable {
    public var id: UUID
    public var trackingCode: String
    public var kind: ComplaintKind
    public var category: String
    public var categoryName: String
    public var unitID: UUID
    public var unitName: String
    public var channel: ComplaintChannel
    public var subject: String
    public var body: String
    public var anonymous: Bool
    public var name: String?
    public var phone: String?
    public var state: ComplaintState
    public var receivedOn: String
    public var dueOn: String
    public var answeredOn: String?
    public var answer: String?
    public var handler: String?
    /// Times it went up the tree because it was overdue.
    public var escalations: Int
    public var rating: Int?
    public var partlyResolved: Bool?
    public var upheld: Bool?
    public var rewardYuan: Int?
    public var steps: [ComplaintStep]
    public init(id: UUID, trackingCode: String, kind: ComplaintKind, category: String, categoryName: String, unitID: UUID, unitName: String, channel: ComplaintChannel,
                subject: String, body: String, anonymous: Bool, name: String?, phone: String?, state: ComplaintState, receivedOn: String, dueOn: String,
                answeredOn: String?, answer: String?, handler: String?, escalations: Int, rating: Int?, partlyResolved: Bool?, upheld: Bool?, rewardYuan: Int?,
                steps: [ComplaintStep]) {
        self.id = id; self.trackingCode = trackingCode; self.kind = kind; self.category = category; self.categoryName = categoryName; self.unitID = unitID
        self.unitName = unitName; self.channel = channel; self.subject = subject; self.body = body; self.anonymous = anonymous; self.name = name; self.phone = phone
        self.state = state; self.receivedOn = receivedOn; self.dueOn = dueOn; self.answeredOn = answeredOn; self.answer = answer; self.handler = handler
        self.escalations = escalations; self.rating = rating; self.partlyResolved = partlyResolved; self.upheld = upheld; self.rewardYuan = rewardYuan; self.steps = steps
    }
    /// Open past its due day on `day`.
    public func overdue(on day: Day) -> Bool { state.open && dueOn < day.description }
}

/// What the public tracking page shows: no name, no phone, no internal note.
public struct PublicComplaint: Sendable, Codable, Equatable {
    public var trackingCode: String
    public var kind: ComplaintKind
    public var categoryName: String
    public var unitName: String
    public var subject: String
    public var state: ComplaintState
    public var receivedOn: String
    public var dueOn: String
    public var answeredOn: String?
    public var answer: String?
    public var rating: Int?
    public var partlyResolved: Bool?
    /// The steps the complainant may see (no internal notes), oldest first.
    public var steps: [ComplaintStep]
    public init(_ c: Complaint) {
        trackingCode = c.trackingCode; kind = c.kind; categoryName = c.categoryName; unitName = c.unitName; subject = c.subject; state = c.state
        receivedOn = c.receivedOn; dueOn = c.dueOn; answeredOn = c.answeredOn; answer = c.answer; rating = c.rating; partlyResolved = c.partlyResolved
        // no worker's name: not who did a step, not whom it was passed to
        steps = c.steps.filter { !$0.internalOnly }.map { var s = $0; s.by = ""; if s.action == "assign" { s.note = nil }; return s }
    }
}

extension FieldTask.Kind {
    /// 投诉举报办理: a case waits for its unit's answer.
    public static let complaint = Self("complaint")
}

/// The supervision rates.
public enum SupervisionIndicator {
    /// 按期办结率: cases whose due day fell in the period and was answered by it, against all whose due
    /// day fell in it and has passed, answered or not (open overdue cases count against the rate).
    public static let onTime = Indicator(code: "V01-complaints-on-time", module: "supervision", name: Text("投诉举报按期办结率", "Complaints answered on time"),
        numerator: Text("在期限内答复的", "Answered by the due day"), denominator: Text("期内到期的（含逾期未办的）", "Due in the period (open overdue ones included)"),
        target: 1.0, period: .month)
    /// 满意率: ratings of 4 or 5 of five among the answers rated in the period.
    public static let satisfaction = Indicator(code: "V02-complaint-satisfaction", module: "supervision", name: Text("投诉答复满意率", "Satisfied with the answer"),
        numerator: Text("评价满意（4–5 分）的", "Rated 4 or 5 of 5"), denominator: Text("期内评价的答复", "Answers rated in the period"),
        target: 0.9, period: .month)
}

/// 办事指南: one service the offices provide, as the public reads it and as the board by the office
/// door shows it: what it is, who may apply, the documents to bring, the steps, where, the fee (none
/// for these services), the time limit in working days, and the legal basis.
public struct GuideEntry: Sendable, Codable, Equatable {
    /// A short code for links (`birth-registration`).
    public var code: String
    public var name: String
    public var summary: String
    public var eligibility: String
    /// One document a line.
    public var documents: [String]
    /// One step a line, in order.
    public var steps: [String]
    public var place: String
    /// 收费: "不收费" for every service shipped.
    public var fee: String
    /// 办理时限 in working days (0: on the spot).
    public var timeLimitDays: Int
    public var legalBasis: String
    /// The order on the list.
    public var position: Int
    public var updatedOn: String?
    public init(code: String, name: String, summary: String, eligibility: String, documents: [String], steps: [String], place: String, fee: String,
                timeLimitDays: Int, legalBasis: String, position: Int, updatedOn: String? = nil) {
        self.code = code; self.name = name; self.summary = summary; self.eligibility = eligibility; self.documents = documents; self.steps = steps
        self.place = place; self.fee = fee; self.timeLimitDays = timeLimitDays; self.legalBasis = legalBasis; self.position = position; self.updatedOn = updatedOn
    }
}

/// 答复范本: a text a handler starts an answer from, for some categories (nil: every one). Policy data,
/// so a deployment writes its own.
public struct ResponseTemplate: Sendable, Codable, Equatable {
    public var code: String
    public var title: Text
    /// The categories it suits (nil: all).
    public var categories: [String]?
    public var text: String
    public init(code: String, title: Text, categories: [String]? = nil, text: String) { self.code = code; self.title = title; self.categories = categories; self.text = text }
    /// Whether it suits a case of `category`.
    public func suits(_ category: String) -> Bool { categories.map { $0.contains(category) } ?? true }

    public static let shipped: [ResponseTemplate] = [
        ResponseTemplate(code: "resolved", title: Text("已核实并整改", "Checked and put right"),
                         text: "您反映的问题已收悉。经核实，情况属实，我们已于　月　日采取以下措施：　。如仍有问题，请凭查询码在网上重新提出，或拨打服务站电话。感谢您的监督。"),
        ResponseTemplate(code: "not-founded", title: Text("经核实不属实", "Checked, not founded"),
                         text: "您反映的问题已收悉。经调查核实：　。据此，反映的情况与事实不符。如对答复有异议，可凭查询码重新提出，我们将另行复核。"),
        ResponseTemplate(code: "benefit-policy", title: Text("待遇政策解释", "The benefit rules explained"), categories: ["benefits"],
                         text: "您咨询的待遇按照现行规定办理：申领对象为　，标准为　，申请材料为　，办理时限为　个工作日。经查，您的申请目前处于　阶段，预计　前办结。"),
        ResponseTemplate(code: "records-corrected", title: Text("信息已更正", "Records corrected"), categories: ["records"],
                         text: "您反映的个人信息登记问题已核实，已将　更正为　。更正记录已留存备查。"),
        ResponseTemplate(code: "two-non-checked", title: Text("两非举报核查结果", "Result of a two-non report"), categories: ["two-non"],
                         text: "您的举报已由区卫生健康部门会同相关部门核查：　。对查实的违法行为已依法处理。举报属实的，按有奖举报规定发放奖励，请凭查询码联系领取。"),
        ResponseTemplate(code: "petition-reply", title: Text("信访事项处理意见", "Decision on a petition"), categories: ["petition"],
                         text: "您的信访事项已于　受理。经调查，处理意见如下：　。如对本处理意见不服，可自收到之日起 30 日内向上一级行政机关请求复查。"),
    ]
}

extension PolicyRule where Value == [ResponseTemplate] {
    /// 答复范本.
    public static let responseTemplates = PolicyRule("supervision.response-templates", Text("投诉举报答复范本", "Answer templates"))
}
