import Foundation

/// 目标管理责任制: each unit's yearly targets for the indicators of every module, allocated down the
/// tree; responsibility agreements (责任书); early warnings (预警督办) on the unit's task list; the
/// one-vote veto (一票否决).
public struct AssessmentCoreModule: CoreModule {
    public init() {}
    public let name = "assessment"
    public var grants: [Grant] {
        [Grant(.assessment(.read), [.admin, .district, .street, .community, .viewer]),
         // a warning answered with what was done; an agreement signed
         Grant(.assessment(.write), [.admin, .district, .street, .community]),
         // targets set and allocated to the units below
         Grant(.assessment(.plan), [.admin, .district, .street]),
         // a veto recorded or withdrawn
         Grant(.assessment(.approve), [.admin, .district])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.warningRules.declare([
            (Day(year: 2008, month: 1, day: 1)!, WarningRule.shipped,
             "月度评估、预警督办（seed 003 目标管理责任制；阈值各地自定：此处取目标的 95% 以下、或比上月差 10 个百分点以上，分母不足 5 不预警；10 个工作日内办结）"),
         ]),
         PolicyRule.scoreScheme.declare([
            (Day(year: 2008, month: 1, day: 1)!, ScoreItem.seed002,
             "百分制考核（seed 002：宣教 10、政策法规 5、流动人口 10、药具 5、统计 10、入户抽查 60，帐实相符率 98% 以上得满分）；各项按指标打分，达到目标得满分、低于下限不得分、其间按比例；统计中的报表按时报送由考核组打分复核"),
         ]),
         PolicyRule.vetoItems.declare([
            (Day(year: 2008, month: 1, day: 1)!, VetoItem.shipped,
             "一票否决事项（seed 001、002：入户抽查发现瞒报出生、统计数据弄虚作假、严重投诉查实、两非案件查实；各地可改）"),
         ])]
    }
}

extension Permission {
    /// A permission of the assessment module.
    public static func assessment(_ action: Action) -> Permission { Permission("assessment", action) }
}

/// A rule that raises a warning for a unit: its figure under `belowTarget` × its target (over it,
/// for a figure where lower is better), or a monthly figure with a target whose last complete month is
/// worse than the month before by `worseBy`. Figures with fewer than `minDenominator` records counted
/// raise none.
public struct WarningRule: Sendable, Codable, Equatable {
    /// The indicator's code; nil: every indicator with a target (ratios with a band excepted).
    public var code: String?
    /// The share of the target under which a warning is raised (0.95).
    public var belowTarget: Double?
    /// The fall from the month before to the last complete month (0.10: ten percentage points) that raises one.
    public var worseBy: Double?
    public var minDenominator: Int
    /// Working days to answer it.
    public var days: Int
    public init(code: String? = nil, belowTarget: Double? = nil, worseBy: Double? = nil, minDenominator: Int = 5, days: Int = 10) {
        self.code = code; self.belowTarget = belowTarget; self.worseBy = worseBy; self.minDenominator = minDenominator; self.days = days
    }
    public static let shipped = [WarningRule(belowTarget: 0.95, worseBy: 0.10)]

    /// Whether `rate` falls short of `target` by the rule (`direction`: which way is better).
    public func below(rate: Double, target: Double, direction: Indicator.Direction) -> Bool {
        guard let b = belowTarget else { return false }
        return direction == .higher ? rate < target * b - 1e-9 : rate > target * (2 - b) + 1e-9
    }

    /// Whether `rate` is worse than `previous` by the rule's margin.
    public func worse(rate: Double, previous: Double, direction: Indicator.Direction) -> Bool {
        guard let w = worseBy else { return false }
        return direction == .higher ? previous - rate > w + 1e-9 : rate - previous > w + 1e-9
    }
}

extension PolicyRule where Value == [WarningRule] {
    /// 预警规则.
    public static let warningRules = PolicyRule("assessment.warning-rules", Text("预警规则", "Warning rules"))
}

/// 一票否决事项.
public struct VetoItem: Sendable, Codable, Equatable {
    public var code: String
    public var name: Text
    public init(code: String, name: Text) { self.code = code; self.name = name }
    public static let shipped: [VetoItem] = [
        VetoItem(code: "concealed-birth", name: Text("入户抽查发现瞒报出生", "A concealed birth found in the spot check")),
        VetoItem(code: "data-falsification", name: Text("统计数据弄虚作假", "Falsified statistics")),
        VetoItem(code: "serious-complaint", name: Text("严重投诉举报查实", "A serious complaint upheld")),
        VetoItem(code: "two-non", name: Text("辖区发生两非案件并查实", "Illegal sex determination or sex-selective abortion established")),
    ]
}

extension PolicyRule where Value == [VetoItem] {
    /// 一票否决事项.
    public static let vetoItems = PolicyRule("assessment.veto-items", Text("一票否决事项", "One-vote veto items"))
}

/// A unit's target for an indicator in a year (`value` a fraction for a rate, like `Indicator.target`).
public struct UnitTarget: Sendable, Codable, Equatable {
    public var code: String
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var value: Double
    /// `hand`, `same` (the parent's), `proportional` (to a base).
    public var method: String
    public var base: String?
    public var setBy: String
    public init(code: String, unitCode: String, unitName: String, year: Int, value: Double, method: String, base: String?, setBy: String) {
        self.code = code; self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.value = value; self.method = method; self.base = base; self.setBy = setBy
    }
}

/// How a target is split among the units below.
public enum AllocationMethod: String, Sendable, Codable, CaseIterable {
    /// Each unit below gets the parent's target (a rate).
    case same
    /// Each unit's value typed; checked against the parent's.
    case hand
    /// A count split in proportion to a base (women of reproductive age, population, households).
    case proportional
}

/// What a count is split in proportion to.
public enum AllocationBase: String, Sendable, Codable, CaseIterable {
    /// 育龄妇女: active women 15–49.
    case wra
    case population
    case households
    public var label: Text {
        switch self {
        case .wra: Text("育龄妇女数", "Women of reproductive age")
        case .population: Text("人口数", "Population")
        case .households: Text("户数", "Households")
        }
    }
}

/// 目标责任书: what a unit signed for a year, with the targets it contains.
public struct ResponsibilityAgreement: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var terms: String
    public var signatories: String
    public var signedOn: String
    public var hasScan: Bool
    public var targets: [UnitTarget]
    public init(id: UUID, unitCode: String, unitName: String, year: Int, terms: String, signatories: String, signedOn: String, hasScan: Bool, targets: [UnitTarget]) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.terms = terms; self.signatories = signatories; self.signedOn = signedOn
        self.hasScan = hasScan; self.targets = targets
    }
}

/// 预警: a unit's figure that fell short, with its 督办 task and what was done.
public struct Warning: Sendable, Codable, Equatable {
    public var id: UUID
    public var code: String
    public var unitCode: String
    public var unitName: String
    /// The period read (`2026-11`).
    public var period: String
    /// `below-target` or `worse-than-last-month`.
    public var rule: String
    public var value: Double
    /// The target, or last month's rate.
    public var against: Double
    public var raisedOn: String
    public var dueOn: String
    public var taskID: UUID
    public var closedOn: String?
    public var action: String?
    public init(id: UUID, code: String, unitCode: String, unitName: String, period: String, rule: String, value: Double, against: Double, raisedOn: String, dueOn: String,
                taskID: UUID, closedOn: String?, action: String?) {
        self.id = id; self.code = code; self.unitCode = unitCode; self.unitName = unitName; self.period = period; self.rule = rule; self.value = value; self.against = against
        self.raisedOn = raisedOn; self.dueOn = dueOn; self.taskID = taskID; self.closedOn = closedOn; self.action = action
    }
}

/// 一票否决: an item recorded against a unit for a year, with its evidence.
public struct Veto: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var item: String
    public var itemName: String
    public var evidence: String
    public var recordedOn: String
    public var recordedBy: String
    public var withdrawnOn: String?
    public var withdrawnReason: String?
    public init(id: UUID, unitCode: String, unitName: String, year: Int, item: String, itemName: String, evidence: String, recordedOn: String, recordedBy: String,
                withdrawnOn: String?, withdrawnReason: String?) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.item = item; self.itemName = itemName; self.evidence = evidence
        self.recordedOn = recordedOn; self.recordedBy = recordedBy; self.withdrawnOn = withdrawnOn; self.withdrawnReason = withdrawnReason
    }
}

extension FieldTask.Kind {
    /// 预警督办: a unit's figure fell short; say what was done.
    public static let warning = Self("warning")
}

/// 入户抽查: households of a community drawn at random from a recorded seed (the same seed draws the
/// same households), visited by a team with a sheet of what the registry says, what was found at the
/// door entered field by field; the accuracy (帐实相符率) counts the fields that matched.
public struct SpotCheck: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var seed: Int
    public var drawnOn: String
    public var households: Int
    public var visited: Int
    /// Fields compared (and people found who were not on the registry's list).
    public var checked: Int
    public var matched: Int
    public var accuracy: Double? { checked == 0 ? nil : Double(matched) / Double(checked) }
    public init(id: UUID, unitCode: String, unitName: String, year: Int, seed: Int, drawnOn: String, households: Int, visited: Int, checked: Int, matched: Int) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.seed = seed; self.drawnOn = drawnOn; self.households = households
        self.visited = visited; self.checked = checked; self.matched = matched
    }
    /// 50–60 households a community (seed 002); 50 when not asked.
    public static let defaultSize = 50
}

/// A person on a visit sheet, as the registry has her.
public struct SheetMember: Sendable, Codable, Equatable {
    public var personID: UUID
    public var name: String
    public var sex: String
    public var birthDate: String?
    public var maritalStatus: String?
    public init(personID: UUID, name: String, sex: String, birthDate: String?, maritalStatus: String?) {
        self.personID = personID; self.name = name; self.sex = sex; self.birthDate = birthDate; self.maritalStatus = maritalStatus
    }
}

/// A household on a visit sheet.
public struct SheetHousehold: Sendable, Codable, Equatable {
    public var householdID: UUID
    public var number: String
    public var address: String?
    public var position: Int
    public var visitedOn: String?
    public var members: [SheetMember]
    public init(householdID: UUID, number: String, address: String?, position: Int, visitedOn: String?, members: [SheetMember]) {
        self.householdID = householdID; self.number = number; self.address = address; self.position = position; self.visitedOn = visitedOn; self.members = members
    }
}

/// What the team found of one registered member: whether she lives there, and each field as found
/// (nil: not asked).
public struct MemberFinding: Sendable, Codable, Equatable {
    public var person: UUID
    public var present: Bool
    public var name: String?
    public var sex: String?
    public var birthDate: String?
    public var maritalStatus: String?
    public init(person: UUID, present: Bool, name: String? = nil, sex: String? = nil, birthDate: String? = nil, maritalStatus: String? = nil) {
        self.person = person; self.present = present; self.name = name; self.sex = sex; self.birthDate = birthDate; self.maritalStatus = maritalStatus
    }
}

/// Someone found living in the household who is not on the registry's list (a birth not registered …).
public struct UnlistedPerson: Sendable, Codable, Equatable {
    public var name: String
    public var birthDate: String?
    public var note: String?
    public init(name: String, birthDate: String? = nil, note: String? = nil) { self.name = name; self.birthDate = birthDate; self.note = note }
}

/// One household's visit.
public struct HouseholdVisit: Sendable, Codable, Equatable {
    public var household: UUID
    public var day: String?
    public var members: [MemberFinding]
    public var unlisted: [UnlistedPerson]
    public init(household: UUID, day: String? = nil, members: [MemberFinding], unlisted: [UnlistedPerson] = []) {
        self.household = household; self.day = day; self.members = members; self.unlisted = unlisted
    }
}

extension FieldTask.Kind {
    /// 抽查核实: a difference found at the door, for the worker to check and correct (nothing changes by itself).
    public static let spotCheck = Self("spot-check")
}

/// The assessment's own figures.
public enum AssessmentIndicator {
    /// 帐实相符率: the fields of the year's spot checks that matched the registry (people not on it count
    /// as a field that did not).
    public static let accuracy = Indicator(code: "A01-spot-check-accuracy", module: "assessment", name: Text("入户抽查帐实相符率", "Spot-check accuracy"),
        numerator: Text("与登记一致的项", "Fields as registered"), denominator: Text("本年抽查核对的项（含未登记人员）", "Fields checked this year (people not registered included)"),
        target: 0.98, period: .year)
}

/// One item of the 100-point sheet: scored from an indicator (full marks at the unit's target,
/// linear below it down to `floor`, zero under it), by hand (with evidence, counted once reviewed),
/// or as a deduction of `perEvent` for each event (warnings left open past their deadline), at most
/// `points`.
public struct ScoreItem: Sendable, Codable, Equatable {
    public var code: String
    public var category: Text
    public var name: Text
    public var points: Double
    /// `indicator`, `hand` or `deduction`.
    public var kind: String
    public var indicator: String?
    /// The rate under which the item scores nothing (an indicator item).
    public var floor: Double?
    public var perEvent: Double?
    /// An indicator item with nothing to count in the year (no births, no landlords): full marks when
    /// true (nothing was done wrong), none when false (the spot check not done).
    public var fullWhenNone: Bool
    public init(code: String, category: Text, name: Text, points: Double, kind: String, indicator: String? = nil, floor: Double? = nil, perEvent: Double? = nil, fullWhenNone: Bool = true) {
        self.code = code; self.category = category; self.name = name; self.points = points; self.kind = kind; self.indicator = indicator; self.floor = floor; self.perEvent = perEvent
        self.fullWhenNone = fullWhenNone
    }
    enum CodingKeys: String, CodingKey { case code, category, name, points, kind, indicator, floor, perEvent, fullWhenNone }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code), category: try c.decode(Text.self, forKey: .category), name: try c.decode(Text.self, forKey: .name),
                  points: try c.decode(Double.self, forKey: .points), kind: try c.decode(String.self, forKey: .kind), indicator: try c.decodeIfPresent(String.self, forKey: .indicator),
                  floor: try c.decodeIfPresent(Double.self, forKey: .floor), perEvent: try c.decodeIfPresent(Double.self, forKey: .perEvent),
                  fullWhenNone: try c.decodeIfPresent(Bool.self, forKey: .fullWhenNone) ?? true)
    }

    /// The points of an indicator item for `rate` against `target` (which way is better: `direction`).
    public func points(rate: Double, target: Double, direction: Indicator.Direction) -> Double {
        let floor = self.floor ?? 0
        if direction == .higher {
            if rate >= target - 1e-9 { return points }
            if rate <= floor || target <= floor { return 0 }
            return points * (rate - floor) / (target - floor)
        }
        if rate <= target + 1e-9 { return points }
        if rate >= floor || floor <= target { return 0 }
        return points * (floor - rate) / (floor - target)
    }

    static let publicity = Text("宣传教育", "Publicity and education"), law = Text("政策法规", "Policy and law"), migrants = Text("流动人口", "Floating population")
    static let supplies = Text("药具管理", "Contraceptive supplies"), statistics = Text("统计工作", "Statistics"), spot = Text("入户抽查", "Household spot check")
    /// Seed 002's sheet: 宣教 10, 政策法规 5, 流动人口 10, 药具 5, 统计 10, 入户抽查 60.
    public static let seed002: [ScoreItem] = [
        ScoreItem(code: "trainings", category: publicity, name: Text("宣传培训完成率", "Trainings held"), points: 4, kind: "indicator", indicator: "O01-trainings", floor: 0.5),
        ScoreItem(code: "knowledge", category: publicity, name: Text("知识知晓率", "Knowledge rate"), points: 3, kind: "indicator", indicator: "O02-knowledge", floor: 0.6),
        ScoreItem(code: "key-dates", category: publicity, name: Text("节点宣传", "Key dates marked"), points: 3, kind: "indicator", indicator: "O05-key-dates", floor: 0.5),
        ScoreItem(code: "policy-births", category: law, name: Text("政策生育率", "Policy-compliant births"), points: 5, kind: "indicator", indicator: "B02-policy-compliant-births", floor: 0.9),
        ScoreItem(code: "migrant-registration", category: migrants, name: Text("流动人口信息登记率", "Migrants registered"), points: 4, kind: "indicator", indicator: "M01-registration", floor: 0.8),
        ScoreItem(code: "landlord-agreements", category: migrants, name: Text("出租户协议签订率", "Landlord agreements"), points: 3, kind: "indicator", indicator: "M04-landlord-agreements", floor: 0.8),
        ScoreItem(code: "employer-agreements", category: migrants, name: Text("用工单位协议签订率", "Employer agreements"), points: 3, kind: "indicator", indicator: "M05-employer-agreements", floor: 0.8),
        ScoreItem(code: "books-match", category: supplies, name: Text("帐物相符率", "Books match the stock"), points: 2, kind: "indicator", indicator: "S01-books-match", floor: 0.9),
        ScoreItem(code: "supplies-distribution", category: supplies, name: Text("药具免费发放率", "Supplies handed out"), points: 3, kind: "indicator", indicator: "S02-supplies-distribution", floor: 0.8),
        ScoreItem(code: "completeness", category: statistics, name: Text("主要项目完整率", "Records complete"), points: 3, kind: "indicator", indicator: "R01-completeness", floor: 0.9),
        ScoreItem(code: "consistency", category: statistics, name: Text("逻辑关系准确率", "Records consistent"), points: 3, kind: "indicator", indicator: "R02-consistency", floor: 0.9),
        ScoreItem(code: "reports", category: statistics, name: Text("报表按时报送（评分）", "Reports on time (scored by hand)"), points: 2, kind: "hand"),
        ScoreItem(code: "warnings", category: statistics, name: Text("预警督办逾期未办（每件扣 0.5 分）", "Warnings left past their deadline (0.5 each)"), points: 2, kind: "deduction", perEvent: 0.5),
        ScoreItem(code: "spot-check", category: spot, name: Text("入户抽查帐实相符率", "Spot-check accuracy"), points: 60, kind: "indicator", indicator: "A01-spot-check-accuracy", floor: 0.9, fullWhenNone: false),
    ]
}

extension PolicyRule where Value == [ScoreItem] {
    /// 考核评分表.
    public static let scoreScheme = PolicyRule("assessment.scheme", Text("考核评分表", "Assessment sheet"))
}

/// An item's points for a unit, with how they were reached.
public struct ItemScore: Sendable, Codable, Equatable {
    public var code: String
    public var category: String
    public var name: String
    public var max: Double
    public var points: Double
    /// How: the rate against the target and floor, the reviewed hand score and its evidence, the events.
    public var trail: String
    public init(code: String, category: String, name: String, max: Double, points: Double, trail: String) {
        self.code = code; self.category = category; self.name = name; self.max = max; self.points = points; self.trail = trail
    }
}

/// A unit's sheet for a year: its items, the total, and whether it is vetoed (marked whatever its score).
public struct UnitScore: Sendable, Codable, Equatable {
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var total: Double
    public var items: [ItemScore]
    public var vetoed: Bool
    public init(unitCode: String, unitName: String, year: Int, total: Double, items: [ItemScore], vetoed: Bool) {
        self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.total = total; self.items = items; self.vetoed = vetoed
    }
}

/// A hand score waiting for (or past) its review.
public struct HandScore: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var item: String
    public var points: Double
    public var evidence: String
    public var scoredBy: String
    public var reviewedBy: String?
    public init(id: UUID, unitCode: String, unitName: String, year: Int, item: String, points: Double, evidence: String, scoredBy: String, reviewedBy: String?) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.item = item; self.points = points; self.evidence = evidence
        self.scoredBy = scoredBy; self.reviewedBy = reviewedBy
    }
}
