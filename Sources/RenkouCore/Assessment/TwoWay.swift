import Foundation

/// 双向考核: how this node scores each counterpart region from the exchange between them — as the
/// hukou region of the people living here (its answers to our requests, its acceptance of our
/// messages) and as the inflow region of our people living there (whether it registered them and
/// told us). The counterpart scores us the same way from its own records. An item is a rate read
/// from the exchange, scored like the 100-point sheet's (full at `target`, nothing under `floor`,
/// linear between).
public struct TwoWayItem: Sendable, Codable, Equatable {
    public var code: String
    /// `hukou` (the counterpart as the hukou region) or `inflow` (as the inflow region).
    public var role: String
    public var name: Text
    public var points: Double
    /// `requests-replied`, `requests-on-time`, `messages-accepted` or `outflow-notified`.
    public var measure: String
    public var target: Double
    public var floor: Double
    public init(code: String, role: String, name: Text, points: Double, measure: String, target: Double, floor: Double) {
        self.code = code; self.role = role; self.name = name; self.points = points; self.measure = measure; self.target = target; self.floor = floor
    }

    /// The item's points for a rate (nil: nothing to count, full marks: nothing was done wrong).
    public func score(_ rate: Double?) -> Double {
        guard let rate else { return points }
        return ScoreItem(code: code, category: name, name: name, points: points, kind: "indicator", floor: floor).points(rate: rate, target: target, direction: .higher)
    }

    /// The measures the store knows.
    public static let measures = ["requests-replied", "requests-on-time", "messages-accepted", "outflow-notified"]

    static let hukou = "hukou", inflow = "inflow"
    /// Seed 003: 信息通报反馈率、接受率均达 90% 以上; the points are this deployment's choice.
    public static let shipped: [TwoWayItem] = [
        TwoWayItem(code: "replied", role: hukou, name: Text("协查反馈率", "Requests answered"), points: 40, measure: "requests-replied", target: 0.9, floor: 0.5),
        TwoWayItem(code: "on-time", role: hukou, name: Text("协查反馈及时率", "Requests answered in time"), points: 30, measure: "requests-on-time", target: 0.9, floor: 0.5),
        TwoWayItem(code: "accepted", role: hukou, name: Text("信息接收率", "Messages accepted"), points: 30, measure: "messages-accepted", target: 0.9, floor: 0.5),
        TwoWayItem(code: "notified", role: inflow, name: Text("流出人口通报率（我方流出人员在对方登记并通报的）", "Our people there registered and reported to us"),
                   points: 100, measure: "outflow-notified", target: 0.9, floor: 0.5),
    ]
}

extension PolicyRule where Value == [TwoWayItem] {
    /// 流动人口双向考核评分表.
    public static let twoWayScheme = PolicyRule("assessment.two-way", Text("流动人口双向考核评分表", "Two-way assessment of floating-population work"))
}

/// A counterpart region's score in one role for a year: each item's rate (numerator / denominator),
/// its points and the total out of the items' points.
public struct CounterpartScore: Sendable, Codable, Equatable {
    /// The counterpart node's code (its area code prefix).
    public var counterpart: String
    /// `hukou` or `inflow`.
    public var role: String
    public var year: Int
    public var items: [CounterpartItem]
    public var total: Double
    public var max: Double
    public init(counterpart: String, role: String, year: Int, items: [CounterpartItem], total: Double, max: Double) {
        self.counterpart = counterpart; self.role = role; self.year = year; self.items = items; self.total = total; self.max = max
    }
}

/// One item of a counterpart's score.
public struct CounterpartItem: Sendable, Codable, Equatable {
    public var code: String
    public var name: Text
    public var numerator: Int
    public var denominator: Int
    public var points: Double
    public var max: Double
    public init(code: String, name: Text, numerator: Int, denominator: Int, points: Double, max: Double) {
        self.code = code; self.name = name; self.numerator = numerator; self.denominator = denominator; self.points = points; self.max = max
    }
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
}

/// How a counterpart would score us from the same exchange (its requests we answered, in time): our
/// own side, so that an office sees what the other region will see.
public struct OurAnswers: Sendable, Codable, Equatable {
    public var counterpart: String
    public var received: Int
    public var answered: Int
    public var onTime: Int
    public var notices: Int
    public init(counterpart: String, received: Int, answered: Int, onTime: Int, notices: Int) {
        self.counterpart = counterpart; self.received = received; self.answered = answered; self.onTime = onTime; self.notices = notices
    }
}
