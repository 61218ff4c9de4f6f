import Foundation

/// 宣传教育与计生协会: publicity activities on the four key dates and all year, trainings and the
/// population school (人口学校) against yearly targets, the publicity boards renewed every quarter,
/// surveys (知识知晓、满意度测评、双评) with results per unit, and the association (计生协会) with its
/// members, groups, 中心户长, 五老 and volunteers, whose information reports become field tasks.
public struct OutreachCoreModule: CoreModule {
    public init() {}
    public let name = "outreach"
    public var grants: [Grant] {
        [Grant(.outreach(.read), [.admin, .district, .street, .community, .grid]),
         // recording an activity, a training's attendance, a renewal, survey answers, a volunteer's report
         Grant(.outreach(.write), [.admin, .district, .street, .community, .grid]),
         // surveys' questions and the association's units
         Grant(.outreach(.administer), [.admin, .district, .street])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.keyDates.declare([
            (Day(year: 2008, month: 1, day: 1)!, KeyDate.shipped,
             "“四大节点”：5.26 计划生育协会活动日、7.11 世界人口日、9.25 公开信发表纪念日、10.28 男性健康日（seed 000，2008 年街道人口计生工作要点）"),
         ]),
         PolicyRule.outreachTargets.declare([
            (Day(year: 2008, month: 1, day: 1)!, OutreachTargets.shipped,
             "人口学校每年教育培训不少于 14 次：宣传员、协会小组长、发药员每年不少于 2 次，育龄群众全年不少于 12 次；每季度更新 1 次宣传栏；生殖健康和预防艾滋病知识知晓率 90% 以上（seed 000）；群众满意程度（seed 001，比例各地自定，此处取 90%）"),
         ])]
    }
}

extension Permission {
    /// A permission of the outreach module.
    public static func outreach(_ action: Action) -> Permission { Permission("outreach", action) }
}

/// 活动类别.
public enum OutreachKind: String, Sendable, Codable, CaseIterable {
    /// 宣传活动: a stall, a lecture, a performance, materials handed out.
    case publicity
    /// 培训: a training for propagandists or for residents.
    case training
    /// 人口学校: a session of the population school (counts as a training).
    case school
    /// 协会会议: an association meeting, with minutes.
    case meeting
    /// 志愿服务: volunteers' service (visits, care).
    case service
    public var label: Text {
        switch self {
        case .publicity: Text("宣传活动", "Publicity")
        case .training: Text("培训", "Training")
        case .school: Text("人口学校", "Population school")
        case .meeting: Text("协会会议", "Association meeting")
        case .service: Text("志愿服务", "Volunteer service")
        }
    }
    /// Counts against the yearly training targets.
    public var isTraining: Bool { self == .training || self == .school }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// Whom a training is for.
public enum TrainingAudience: String, Sendable, Codable, CaseIterable {
    /// 宣传员、协会小组长、发药员、楼组长和志愿者.
    case propagandist
    /// 育龄群众.
    case resident
    public var label: Text {
        switch self {
        case .propagandist: Text("宣传员、小组长、发药员", "Propagandists and group leaders")
        case .resident: Text("育龄群众", "Residents")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 宣传节点: a day of the year every community marks with a publicity activity.
public struct KeyDate: Sendable, Codable, Equatable {
    public var code: String
    public var month: Int
    public var day: Int
    public var name: Text
    public init(code: String, month: Int, day: Int, name: Text) { self.code = code; self.month = month; self.day = day; self.name = name }
    /// The day in `year`.
    public func on(_ year: Int) -> Day { Day(year: year, month: month, day: day)! }
    public static let shipped: [KeyDate] = [
        KeyDate(code: "association-day", month: 5, day: 26, name: Text("5.26 计划生育协会活动日", "26 May, Family Planning Association Day")),
        KeyDate(code: "population-day", month: 7, day: 11, name: Text("7.11 世界人口日", "11 July, World Population Day")),
        KeyDate(code: "open-letter-day", month: 9, day: 25, name: Text("9.25 公开信发表纪念日", "25 September, anniversary of the Open Letter")),
        KeyDate(code: "mens-health-day", month: 10, day: 28, name: Text("10.28 男性健康日", "28 October, Men's Health Day")),
    ]
}

/// A community's yearly targets (each community the same; a policy file changes them).
public struct OutreachTargets: Sendable, Codable, Equatable {
    /// Trainings a year for propagandists, group leaders and distributors.
    public var propagandistTrainings: Int
    /// Trainings (population-school sessions included) a year for residents.
    public var residentTrainings: Int
    /// The knowledge rate to reach (0.9 = 90 %).
    public var knowledgeRate: Double
    /// The satisfaction rate of surveys to reach.
    public var satisfactionRate: Double
    /// Months between renewals of a publicity board (3: every quarter).
    public var boardRenewalMonths: Int
    /// Days before a key date (or a board's renewal) that its reminder lands on the task list.
    public var reminderDays: Int
    public init(propagandistTrainings: Int, residentTrainings: Int, knowledgeRate: Double, satisfactionRate: Double, boardRenewalMonths: Int, reminderDays: Int) {
        self.propagandistTrainings = propagandistTrainings; self.residentTrainings = residentTrainings; self.knowledgeRate = knowledgeRate
        self.satisfactionRate = satisfactionRate; self.boardRenewalMonths = boardRenewalMonths; self.reminderDays = reminderDays
    }
    public static let shipped = OutreachTargets(propagandistTrainings: 2, residentTrainings: 12, knowledgeRate: 0.9, satisfactionRate: 0.9, boardRenewalMonths: 3, reminderDays: 14)
    /// Trainings a year in all (14 shipped).
    public var trainings: Int { propagandistTrainings + residentTrainings }
}

extension PolicyRule where Value == [KeyDate] {
    /// 宣传节点.
    public static let keyDates = PolicyRule("outreach.key-dates", Text("宣传节点", "Publicity key dates"))
}

extension PolicyRule where Value == OutreachTargets {
    /// 宣传培训年度目标.
    public static let outreachTargets = PolicyRule("outreach.targets", Text("宣传培训年度目标", "Yearly publicity and training targets"))
}

/// Materials handed out at an activity: kind and count (折页 200, 避孕套 500).
public struct MaterialLine: Sendable, Codable, Equatable {
    public var kind: String
    public var count: Int
    public init(kind: String, count: Int) { self.kind = kind; self.count = count }
}

/// What a worker records of an activity. `attendees` are registry people (ID numbers or registry
/// ids); `headcount` is the number who came when they are not named (at least the named ones).
public struct ActivityInput: Sendable, Codable, Equatable {
    public var kind: String?
    public var unit: String?
    public var day: String?
    public var topic: String?
    public var place: String?
    public var audience: String?
    public var trainer: String?
    public var keyDate: String?
    public var materials: [MaterialLine]?
    public var attendees: [String]?
    public var headcount: Int?
    public var minutes: String?
    /// The association that held it (a meeting's).
    public var association: String?
    public init(kind: String? = nil, unit: String? = nil, day: String? = nil, topic: String? = nil, place: String? = nil, audience: String? = nil, trainer: String? = nil,
                keyDate: String? = nil, materials: [MaterialLine]? = nil, attendees: [String]? = nil, headcount: Int? = nil, minutes: String? = nil, association: String? = nil) {
        self.kind = kind; self.unit = unit; self.day = day; self.topic = topic; self.place = place; self.audience = audience; self.trainer = trainer
        self.keyDate = keyDate; self.materials = materials; self.attendees = attendees; self.headcount = headcount; self.minutes = minutes; self.association = association
    }
}

/// One registry person at an activity (ID number masked in lists).
public struct Attendee: Sendable, Codable, Equatable {
    public var personID: UUID
    public var name: String
    public var idNumber: String
    public init(personID: UUID, name: String, idNumber: String) { self.personID = personID; self.name = name; self.idNumber = idNumber }
}

/// An activity as recorded.
public struct Activity: Sendable, Codable, Equatable {
    public var id: UUID
    public var kind: OutreachKind
    public var unitCode: String
    public var unitName: String
    public var day: String
    public var topic: String
    public var place: String?
    public var audience: TrainingAudience?
    public var trainer: String?
    public var keyDate: String?
    public var materials: [MaterialLine]
    /// Everyone who came: the named attendees or the headcount, whichever is larger.
    public var headcount: Int
    public var minutes: String?
    public var associationID: UUID?
    public var photos: Int
    /// The named attendees (on the activity's own page; empty in lists).
    public var attendees: [Attendee]
    public init(id: UUID, kind: OutreachKind, unitCode: String, unitName: String, day: String, topic: String, place: String?, audience: TrainingAudience?, trainer: String?,
                keyDate: String?, materials: [MaterialLine], headcount: Int, minutes: String?, associationID: UUID?, photos: Int, attendees: [Attendee]) {
        self.id = id; self.kind = kind; self.unitCode = unitCode; self.unitName = unitName; self.day = day; self.topic = topic; self.place = place; self.audience = audience
        self.trainer = trainer; self.keyDate = keyDate; self.materials = materials; self.headcount = headcount; self.minutes = minutes; self.associationID = associationID
        self.photos = photos; self.attendees = attendees
    }
}

/// A community's year against its targets.
public struct OutreachProgress: Sendable, Codable, Equatable {
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var propagandistTrainings: Int
    public var residentTrainings: Int
    public var propagandistTarget: Int
    public var residentTarget: Int
    public var publicity: Int
    /// The key dates passed by the day read, with whether the unit marked each: code → held.
    public var keyDates: [String: Bool]
    /// Trainings the year's share so far asks for and the unit has not held (pro rata by month).
    public var behind: Int
    public var boardsOverdue: Int
    public init(unitCode: String, unitName: String, year: Int, propagandistTrainings: Int, residentTrainings: Int, propagandistTarget: Int, residentTarget: Int,
                publicity: Int, keyDates: [String: Bool], behind: Int, boardsOverdue: Int) {
        self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.propagandistTrainings = propagandistTrainings; self.residentTrainings = residentTrainings
        self.propagandistTarget = propagandistTarget; self.residentTarget = residentTarget; self.publicity = publicity; self.keyDates = keyDates; self.behind = behind
        self.boardsOverdue = boardsOverdue
    }
}

/// 宣传栏（板报、橱窗）: a board a community keeps and renews every quarter.
public struct PublicityBoard: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var name: String
    public var place: String?
    public var createdOn: String
    public var lastRenewedOn: String?
    public var lastTheme: String?
    /// The last day of the quarter (renewal period) it must next be renewed in.
    public var nextDueOn: String
    public var overdue: Bool
    public init(id: UUID, unitCode: String, unitName: String, name: String, place: String?, createdOn: String, lastRenewedOn: String?, lastTheme: String?, nextDueOn: String, overdue: Bool) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.name = name; self.place = place; self.createdOn = createdOn; self.lastRenewedOn = lastRenewedOn
        self.lastTheme = lastTheme; self.nextDueOn = nextDueOn; self.overdue = overdue
    }
}

extension FieldTask.Kind {
    /// 信息反馈核实: a volunteer's report waits for the worker to check it.
    public static let volunteerReport = Self("volunteer-report")
    /// 宣传提醒: a key date comes up, or a board is due for renewal.
    public static let outreachReminder = Self("outreach-reminder")
}

/// The outreach rates.
public enum OutreachIndicator {
    /// 培训完成率: trainings held this year (each community's counted up to its target, by audience)
    /// against the targets of its communities.
    public static let trainings = Indicator(code: "O01-trainings", module: "outreach", name: Text("宣传培训完成率", "Trainings held against target"),
        numerator: Text("已开展的培训（每社区按对象计至目标数）", "Trainings held (each community's counted up to its target)"),
        denominator: Text("各社区全年培训目标（宣传员 2 次、群众 12 次）", "The communities' yearly targets (2 for propagandists, 12 for residents)"), target: 1.0, period: .year)
    /// 知识知晓率: right answers among the answers of the year's knowledge surveys.
    public static let knowledge = Indicator(code: "O02-knowledge", module: "outreach", name: Text("知识知晓率", "Knowledge rate"),
        numerator: Text("答对的题次", "Answers right"), denominator: Text("本年知识调查的全部答题", "Answers in the year's knowledge surveys"), target: 0.9, period: .year)
    /// 宣传栏按季更新率: boards renewed in the quarter, among those it was due for (the quarter over, or renewed).
    public static let boardRenewals = Indicator(code: "O03-board-renewals", module: "outreach", name: Text("宣传栏按季更新率", "Boards renewed each quarter"),
        numerator: Text("本季度已更新的", "Renewed in the quarter"), denominator: Text("本季度应更新的（季度已过或已更新）", "Due in the quarter (the quarter over, or renewed)"),
        target: 1.0, period: .quarter)
    /// 群众满意率: satisfied answers among the answers of the year's satisfaction surveys and 双评.
    public static let satisfaction = Indicator(code: "O04-survey-satisfaction", module: "outreach", name: Text("群众满意率（测评）", "Residents satisfied (surveys)"),
        numerator: Text("满意或基本满意的答题", "Answers satisfied"), denominator: Text("本年满意度测评和双评的全部答题", "Answers in the year's satisfaction surveys"),
        target: 0.9, period: .year)
    /// 节点宣传开展率: the key dates passed this year that each community marked with an activity within
    /// 15 days of the date.
    public static let keyDates = Indicator(code: "O05-key-dates", module: "outreach", name: Text("节点宣传开展率", "Key dates marked"),
        numerator: Text("开展了节点宣传的", "Marked with an activity"), denominator: Text("各社区本年已到的宣传节点", "Key dates passed this year, per community"), target: 1.0, period: .year)
}
