/// 指标: a figure defined once (what is counted above and below the line, its unit, its target and
/// which way is better, the period it is counted over), so that pages, API, dashboards and assessment
/// compute and explain it the same way. Each module declares its own; the store layer gives each one
/// SQL that yields the figure per unit and the records behind it.
public struct Indicator: Sendable, Codable, Equatable, Identifiable {
    /// How the figure reads.
    public enum Unit: String, Sendable, Codable {
        /// numerator / denominator, shown as a percentage.
        case percent
        /// numerator / denominator × 100, shown as a number (the sex ratio at birth).
        case per100 = "per-100"
        /// The numerator alone.
        case count
    }
    /// Which way is better.
    public enum Direction: String, Sendable, Codable { case higher, lower }

    /// A stable code such as `M02-certificate-holding`.
    public let code: String
    /// The module that declares it.
    public let module: String
    public let name: Text
    public let numerator: Text
    public let denominator: Text
    public let unit: Unit
    /// The target as a fraction for percentages (0.95 for 95 %), nil when there is none.
    public let target: Double?
    public let direction: Direction
    /// The period it is counted over: a day for a stock (who holds a certificate today), a month or
    /// a year for a flow (births registered in time).
    public let period: Period.Kind

    /// The permission its records (the people behind the figure) need besides reading the module, as
    /// `module.action` (`services.see-rh`: who does not use a method is a reproductive-health detail);
    /// nil when reading the module is enough. Figures are for everyone.
    public let detailPermission: String?

    public var id: String { code }

    public init(code: String, module: String, name: Text, numerator: Text, denominator: Text, unit: Unit = .percent,
                target: Double?, direction: Direction = .higher, period: Period.Kind = .day, detailPermission: Permission? = nil) {
        self.code = code; self.module = module; self.name = name; self.numerator = numerator; self.denominator = denominator
        self.unit = unit; self.target = target; self.direction = direction; self.period = period
        self.detailPermission = detailPermission?.description
    }

    /// A value of the indicator as people write it: `98%` for 0.98, `105` per 100, `14` for a count.
    public func shown(_ value: Double) -> String {
        unit == .count ? String(format: "%g", value) : String(format: "%g", (value * 1000).rounded() / 10) + (unit == .percent ? "%" : "")
    }

    /// Whether `role` may see the records behind the figure (never the leaders' account).
    public func recordsVisible(to role: Role) -> Bool {
        guard role.seesPersonRecords else { return false }
        guard let p = detailPermission else { return true }
        let parts = p.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let action = Action(rawValue: parts[1]) else { return false }
        return role.can(Permission(parts[0], action))
    }
}

/// 统计期: the days an indicator is counted over, first and last included.
public struct Period: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case day, month, quarter
        case year
        /// 计划生育统计年度: 1 October of the year before to 30 September.
        case statisticalYear = "statistical-year"
    }
    public let kind: Kind
    public let start: Day
    public let end: Day
    /// The day the figure is read on, when it is read within the period (what has fallen due by then
    /// counts; what falls due later in the period does not yet). Nil: the period's end.
    public var asOf: Day?

    public init(kind: Kind, start: Day, end: Day) { self.kind = kind; self.start = start; self.end = end }

    /// The last day that counts: the day it is read on, or the period's end if that comes first.
    public var counted: Day { asOf.map { $0 < end ? $0 : end } ?? end }

    /// The period of `kind` that contains `day`, read on `day`.
    public static func containing(_ day: Day, _ kind: Kind) -> Period {
        var p = period(containing: day, kind)
        p.asOf = day
        return p
    }

    static func period(containing day: Day, _ kind: Kind) -> Period {
        switch kind {
        case .day:
            return Period(kind: kind, start: day, end: day)
        case .month:
            return Period(kind: kind, start: Day(year: day.year, month: day.month, day: 1)!,
                          end: Day(year: day.year, month: day.month, day: Day.daysIn(month: day.month, year: day.year))!)
        case .quarter:
            let first = (day.month - 1) / 3 * 3 + 1
            return Period(kind: kind, start: Day(year: day.year, month: first, day: 1)!,
                          end: Day(year: day.year, month: first + 2, day: Day.daysIn(month: first + 2, year: day.year))!)
        case .year:
            return Period(kind: kind, start: Day(year: day.year, month: 1, day: 1)!, end: Day(year: day.year, month: 12, day: 31)!)
        case .statisticalYear:
            let endYear = day.month >= 10 ? day.year + 1 : day.year
            return Period(kind: kind, start: Day(year: endYear - 1, month: 10, day: 1)!, end: Day(year: endYear, month: 9, day: 30)!)
        }
    }

    /// `2026-11-29`, `2026-11`, `2026-Q4`, `2026`, `2026 统计年度` style labels.
    public var description: String {
        switch kind {
        case .day: start.description
        case .month: String(start.description.prefix(7))
        case .quarter: "\(start.year)-Q\((start.month - 1) / 3 + 1)"
        case .year: String(start.year)
        case .statisticalYear: "\(start.year)-10/\(end.year)-09"
        }
    }
}

/// An indicator's figures for a unit in a period. The rate is nil when there is nothing to count.
public struct RateFigure: Sendable, Codable, Equatable {
    public let code: String
    public let numerator: Int
    public let denominator: Int
    public let target: Double?
    public let direction: Indicator.Direction
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
    /// Whether the rate meets the target (nil without a rate or a target).
    public var meetsTarget: Bool? {
        guard let rate, let target else { return nil }
        return direction == .higher ? rate >= target - 1e-9 : rate <= target + 1e-9
    }
    public init(code: String, numerator: Int, denominator: Int, target: Double?, direction: Indicator.Direction = .higher) {
        self.code = code; self.numerator = numerator; self.denominator = denominator; self.target = target; self.direction = direction
    }
    enum CodingKeys: String, CodingKey { case code, numerator, denominator, target }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code), numerator: try c.decode(Int.self, forKey: .numerator),
                  denominator: try c.decode(Int.self, forKey: .denominator), target: try c.decodeIfPresent(Double.self, forKey: .target))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code); try c.encode(numerator, forKey: .numerator); try c.encode(denominator, forKey: .denominator)
        try c.encodeIfPresent(target, forKey: .target)
    }
}
