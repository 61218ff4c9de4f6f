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
         PolicyRule.twoWayScheme.declare([
            (Day(year: 2008, month: 1, day: 1)!, TwoWayItem.shipped,
             "流动人口双向考核（seed 004 同安区“双向考核”；seed 003：信息通报反馈率、接受率均达 90% 以上；分值各地自定：户籍地反馈 40、及时 30、接收 30，流入地通报 100）"),
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
