import Foundation

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
