import Foundation

/// 自助发放机对账: one machine's month for one product: opening (the books at its start, as last
/// month's count left them) + refilled (the machine's own refill reports) − vended (its vends, booked as reported) ±
/// adjusted (its other movements: transfers out, adjustments) − closing (the books at its end, set by
/// the month's count) = difference. A difference, a month not
/// counted, or refills the books' transfers into the machine (`booksIn`) do not match are flagged.
public struct MachineReconciliation: Sendable, Codable, Equatable {
    public var locationID: UUID
    public var machine: String
    public var month: String
    public var product: String
    public var productName: String
    public var opening: Int
    public var refilled: Int
    public var booksIn: Int
    public var vended: Int
    /// Other movements of the machine's books in the month: transfers out, adjustments, reversals
    /// (− taken out), which explain a difference.
    public var adjusted: Int
    public var closing: Int
    public var closingCounted: Bool
    public var faults: Int
    /// opening + refilled − vended + adjusted − closing: what is missing (+) or over (−).
    public var difference: Int { opening + refilled - vended + adjusted - closing }
    public var flagged: Bool { difference != 0 || refilled != booksIn || !closingCounted }
    public init(locationID: UUID, machine: String, month: String, product: String, productName: String, opening: Int, refilled: Int, booksIn: Int,
                vended: Int, adjusted: Int, closing: Int, closingCounted: Bool, faults: Int) {
        self.locationID = locationID; self.machine = machine; self.month = month; self.product = product; self.productName = productName; self.opening = opening
        self.refilled = refilled; self.booksIn = booksIn; self.vended = vended; self.adjusted = adjusted; self.closing = closing
        self.closingCounted = closingCounted; self.faults = faults
    }
}

/// 药具月报: one location's month for one product, in the product's units: opening + received +
/// transferred in − transferred out − dispensed − vended ± adjusted ± counted = closing; with the
/// planning figures (average monthly consumption of the last three months, months of stock, the
/// suggested order up to the maximum months of stock) and the year's write-off rate so far (‰,
/// flagged above the limit).
public struct StockReportLine: Sendable, Codable, Equatable {
    public var locationID: UUID
    public var location: String
    public var kind: LocationKind
    public var product: String
    public var productName: String
    public var unit: String
    public var opening: Int
    public var received: Int
    public var transferredIn: Int
    public var transferredOut: Int
    public var dispensed: Int
    public var vended: Int
    /// Adjustments and reversals (+ found, − lost …).
    public var adjusted: Int
    /// What counts found against the books (− fewer on the shelf).
    public var countDifference: Int
    public var closing: Int
    /// 月均消耗: dispensed + vended + transferred out over the three months ending with this one, ÷ 3.
    public var averageMonthlyConsumption: Double
    /// Closing ÷ average monthly consumption (nil when nothing was used).
    public var monthsOfStock: Double?
    /// max(0, average × maximum months − closing), rounded up.
    public var suggestedOrder: Int
    /// Written off this year to the month's end (‰ of what went out), nil when nothing went out.
    public var writeOffPerMille: Double?
    public var writeOffFlagged: Bool
    public var nearExpiry: Int
    public var expired: Int
    public init(locationID: UUID, location: String, kind: LocationKind, product: String, productName: String, unit: String, opening: Int, received: Int, transferredIn: Int,
                transferredOut: Int, dispensed: Int, vended: Int, adjusted: Int, countDifference: Int, closing: Int, averageMonthlyConsumption: Double,
                monthsOfStock: Double?, suggestedOrder: Int, writeOffPerMille: Double?, writeOffFlagged: Bool, nearExpiry: Int, expired: Int) {
        self.locationID = locationID; self.location = location; self.kind = kind; self.product = product; self.productName = productName; self.unit = unit
        self.opening = opening; self.received = received; self.transferredIn = transferredIn; self.transferredOut = transferredOut; self.dispensed = dispensed
        self.vended = vended; self.adjusted = adjusted; self.countDifference = countDifference; self.closing = closing
        self.averageMonthlyConsumption = averageMonthlyConsumption; self.monthsOfStock = monthsOfStock; self.suggestedOrder = suggestedOrder
        self.writeOffPerMille = writeOffPerMille; self.writeOffFlagged = writeOffFlagged; self.nearExpiry = nearExpiry; self.expired = expired
    }
}

extension SuppliesIndicator {
    /// 药具免费发放率: married women of reproductive age using a short-acting method at the period's
    /// end (condom, pill, injectable, topical) who were handed supplies in the period.
    public static let distribution = Indicator(code: "S02-supplies-distribution", module: "supplies", name: Text("药具免费发放率", "Free supplies handed to method users"),
        numerator: Text("期内领取过药具的", "Handed free supplies in the period"), denominator: Text("期末使用短效避孕方法的已婚育龄妇女", "Married women of reproductive age using a short-acting method at the period's end"),
        target: 1.0, period: .month)
    /// 流入已婚育龄群众避孕药具免费发放率: the same for the women registered as inflow (seeds 003 and
    /// 004 set it at 100%).
    public static let inflowDistribution = Indicator(code: "S03-inflow-supplies-distribution", module: "supplies", name: Text("流入已婚育龄群众避孕药具免费发放率", "Free supplies handed to inflow method users"),
        numerator: Text("期内领取过药具的", "Handed free supplies in the period"), denominator: Text("期末使用短效避孕方法的流入已婚育龄妇女", "Inflow married women of reproductive age using a short-acting method at the period's end"),
        target: 1.0, period: .month)
}
