import Foundation

/// 避孕药具: free contraceptive supplies kept by lot and expiry at warehouses, service points and
/// dispensing machines, moved only by immutable stock events, each card's balance kept as it goes.
public struct SuppliesCoreModule: CoreModule {
    public init() {}
    public let name = "supplies"
    public var grants: [Grant] {
        [Grant(.supplies(.read), [.admin, .district, .street, .community, .grid, .provider, .storekeeper]),
         // receiving, issuing, dispensing, counting: the storekeepers and the offices that hand supplies out
         Grant(.supplies(.write), [.admin, .district, .street, .community, .provider, .storekeeper]),
         // the catalogue and the stock locations
         Grant(.supplies(.administer), [.admin, .district, .storekeeper])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.nearExpiryMonths.declare([
            (Day(year: 2010, month: 1, day: 1)!, 6, "近效期药具提示：效期不足 6 个月（OpenLMIS OLMIS-3186 的 6 个月提醒；近效期先出 DOMAIN-RULES §8）"),
         ]),
         PolicyRule.yearlyQuota.declare([
            (Day(year: 2017, month: 1, day: 1)!, ["condom": 120, "oral-pill": 13, "emergency-pill": 2, "injectable": 13, "topical": 120],
             "免费避孕药具每人每年限量：口服药 13 板、紧急避孕药 2 盒、避孕针 13 支、外用药 120 枚、避孕套 120 只（昆明；2017 年起纳入国家基本公共卫生服务，DOMAIN-RULES §8）"),
         ]),
         PolicyRule.resupplyDays.declare([
            (Day(year: 2017, month: 1, day: 1)!, ["oral-pill": 28, "injectable": 84, "condom": 3, "topical": 3],
             "药具按周期发放：口服药 1 板一个周期（28 天），避孕针 1 支 12 周（84 天），避孕套、外用药按每月 10 只（每只约 3 天；年限量 120 的十二分之一）（DOMAIN-RULES §8；随访表同此）"),
         ]),
         PolicyRule.maxMonthsOfStock.declare([
            (Day(year: 2010, month: 1, day: 1)!, 3, "最高库存月数：建议订货量 = 月均消耗 × 3 − 现有库存（OpenLMIS 的 maxPeriodsOfStock；各地按季度计划）"),
         ]),
         PolicyRule.writeOffLimitPerMille.declare([
            (Day(year: 2010, month: 1, day: 1)!, 5, "年报损率低于 5‰（破损、过期、丢失、报废 ÷ 年发出量；DOMAIN-RULES §8）"),
         ]),
         PolicyRule.machineLimit.declare([
            (Day(year: 2011, month: 1, day: 1)!, MachineLimit(intervalDays: 30, minAge: 18, maxAge: 60),
             "自助发放机：凭二代身份证每人每月限领 1 盒（长沙 2011、南昌），年龄 18–60 岁（福清 2016）；各地可改（DOMAIN-RULES §8）"),
         ])]
    }
}

extension Permission {
    /// A permission of the supplies module.
    public static func supplies(_ action: Action) -> Permission { Permission("supplies", action) }
}

extension PolicyRule where Value == [String: Int] {
    /// 每人每年限量: units of a category (the product's unit) one person is handed free in a calendar
    /// year; a category without an entry has no limit.
    public static let yearlyQuota = PolicyRule("supplies.yearly-quota", Text("免费药具每人每年限量", "Free supplies per person per year"))
}

extension PolicyRule where Value == [String: Int] {
    /// 发放周期: days one unit of a category covers (a pack of pills a 28-day cycle, an injection 84
    /// days, a condom about 3); a hand-out to a user of that method is due again after quantity × days.
    public static let resupplyDays = PolicyRule("supplies.resupply-days", Text("每单位药具使用天数", "Days one unit covers"))
}

extension PolicyRule where Value == Int {
    /// 最高库存月数: the suggested order fills a location up to this many months of its average use.
    public static let maxMonthsOfStock = PolicyRule("supplies.max-months-of-stock", Text("最高库存月数", "Maximum months of stock"))
    /// 报损率上限 (‰): written off, damaged, expired or lost against what went out in the year; above it a location's line is flagged.
    public static let writeOffLimitPerMille = PolicyRule("supplies.write-off-limit", Text("年报损率上限（‰）", "Yearly write-off limit (per mille)"))
    /// 近效期: a lot whose expiry is within this many months is flagged and issued first.
    public static let nearExpiryMonths = PolicyRule("supplies.near-expiry-months", Text("近效期提示（月）", "Near-expiry warning (months)"))
}

/// 药具类别.
public enum ProductCategory: String, Sendable, Codable, CaseIterable {
    case condom, oralPill = "oral-pill", emergencyPill = "emergency-pill", injectable, topical, iud, implant
    public var label: Text {
        switch self {
        case .condom: Text("避孕套", "Condoms")
        case .oralPill: Text("口服避孕药", "Oral pills")
        case .emergencyPill: Text("紧急避孕药", "Emergency pills")
        case .injectable: Text("避孕针", "Injectables")
        case .topical: Text("外用避孕药", "Topical")
        case .iud: Text("宫内节育器", "IUDs")
        case .implant: Text("皮下埋植剂", "Implants")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
    /// The method a person using this category follows (its resupply visits), if any.
    public var method: ContraceptiveMethod? {
        switch self {
        case .condom: .condom
        case .oralPill: .oralPill
        case .injectable: .injectable
        case .topical: .topical
        case .emergencyPill, .iud, .implant: nil
        }
    }
}

/// 品种: one product of the catalogue: its code, name, category, the unit it is counted in and how
/// many units a pack (box) holds.
public struct Product: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var category: ProductCategory
    /// 计量单位: 只, 板, 支, 个 …
    public var unit: String
    public var packSize: Int
    public init(code: String, name: String, category: ProductCategory, unit: String, packSize: Int) {
        self.code = code; self.name = name; self.category = category; self.unit = unit; self.packSize = packSize
    }
}

/// 批号: a product's lot, with its manufacture and expiry days.
public struct Lot: Sendable, Codable, Equatable {
    public var id: UUID
    public var product: String
    public var lotCode: String
    public var manufacturedOn: String?
    public var expiresOn: String
    public init(id: UUID, product: String, lotCode: String, manufacturedOn: String?, expiresOn: String) {
        self.id = id; self.product = product; self.lotCode = lotCode; self.manufacturedOn = manufacturedOn; self.expiresOn = expiresOn
    }
}

/// 存放点类型.
public enum LocationKind: String, Sendable, Codable, CaseIterable {
    /// 药具库: the district's or a street's store.
    case warehouse
    /// 发放点: a service station or community point that hands supplies to people.
    case servicePoint = "service-point"
    /// 自助发放机.
    case machine
    public var label: Text {
        switch self {
        case .warehouse: Text("药具库", "Warehouse")
        case .servicePoint: Text("发放点", "Service point")
        case .machine: Text("自助发放机", "Dispensing machine")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// A place stock is kept, in a unit of the tree.
public struct StockLocation: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: LocationKind
    public var unitID: UUID
    public var unitName: String
    /// A machine's slots and the units each holds.
    public var slots: Int?
    public var capacity: Int?
    public init(id: UUID, name: String, kind: LocationKind, unitID: UUID, unitName: String, slots: Int?, capacity: Int?) {
        self.id = id; self.name = name; self.kind = kind; self.unitID = unitID; self.unitName = unitName; self.slots = slots; self.capacity = capacity
    }
}

/// 出入库事件: what moves stock. Each is immutable; a mistake is undone by a reversal.
public enum StockEventKind: String, Sendable, Codable, CaseIterable {
    /// 入库: a delivery received by lot (its document, the receipt check).
    case receive
    /// 调拨: from one location to another (out of one card, into another).
    case transfer
    /// 发放: handed to a person of the registry, or counted without one at an event.
    case dispense
    /// 自助发放: a machine's vend.
    case vend
    /// 调整: with a typed reason.
    case adjust
    /// 盘点: the count found on the shelf on a day (the balance from then on).
    case count
    /// 冲销: undoes an earlier event.
    case reversal
    public var label: Text {
        switch self {
        case .receive: Text("入库", "Receipt")
        case .transfer: Text("调拨", "Transfer")
        case .dispense: Text("发放", "Dispensed")
        case .vend: Text("自助发放", "Vended")
        case .adjust: Text("调整", "Adjustment")
        case .count: Text("盘点", "Count")
        case .reversal: Text("冲销", "Reversal")
        }
    }
}

/// 调整原因: why an adjustment changes stock, and which way.
public enum AdjustmentReason: String, Sendable, Codable, CaseIterable {
    case damaged, expired, lost, found, writeOff = "write-off"
    /// +1 adds to stock, -1 takes away.
    /// 报损: what counts toward the yearly write-off rate (all but `found`).
    public var isLoss: Bool { self != .found }
    public var sign: Int { self == .found ? 1 : -1 }
    public var label: Text {
        switch self {
        case .damaged: Text("破损", "Damaged")
        case .expired: Text("过期", "Expired")
        case .lost: Text("丢失", "Lost")
        case .found: Text("盘盈", "Found")
        case .writeOff: Text("报废", "Written off")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// A stock event as a worker enters it. `lot` may be left out of an issue: the lots that expire first
/// are used (近效期先出). `quantity` in the product's units; for a count, the quantity found.
public struct StockEventInput: Sendable, Codable, Equatable {
    public var kind: String?
    public var location: String?
    /// A transfer's destination.
    public var destination: String?
    public var product: String?
    public var lot: String?
    /// A receipt's new lot: its code and days.
    public var lotCode: String?
    public var manufacturedOn: String?
    public var expiresOn: String?
    public var quantity: Int?
    public var occurredOn: String?
    public var reason: String?
    /// 单据号: a receipt's delivery note, a count's sheet.
    public var document: String?
    /// A dispense's person (the registry's id), or none (at an event).
    public var person: String?
    public var note: String?
    public init(kind: String? = nil, location: String? = nil, destination: String? = nil, product: String? = nil, lot: String? = nil, lotCode: String? = nil,
                manufacturedOn: String? = nil, expiresOn: String? = nil, quantity: Int? = nil, occurredOn: String? = nil, reason: String? = nil,
                document: String? = nil, person: String? = nil, note: String? = nil) {
        self.kind = kind; self.location = location; self.destination = destination; self.product = product; self.lot = lot; self.lotCode = lotCode
        self.manufacturedOn = manufacturedOn; self.expiresOn = expiresOn; self.quantity = quantity; self.occurredOn = occurredOn; self.reason = reason
        self.document = document; self.person = person; self.note = note
    }
}

/// One line of a stock card: what an event did to a location's lot, and the balance after it.
public struct StockLine: Sendable, Codable, Equatable {
    public var eventID: UUID
    public var kind: StockEventKind
    public var occurredOn: String
    /// + in, − out; a count's line holds the difference it found.
    public var delta: Int
    public var balance: Int
    public var reason: String?
    public var document: String?
    public var reversed: Bool
    public init(eventID: UUID, kind: StockEventKind, occurredOn: String, delta: Int, balance: Int, reason: String?, document: String?, reversed: Bool) {
        self.eventID = eventID; self.kind = kind; self.occurredOn = occurredOn; self.delta = delta; self.balance = balance
        self.reason = reason; self.document = document; self.reversed = reversed
    }
}

/// Stock on hand of one location's lot: the balance read from its card, with the lot's expiry flags.
public struct StockOnHand: Sendable, Codable, Equatable {
    public var locationID: UUID
    public var locationName: String
    public var product: String
    public var productName: String
    public var lotID: UUID
    public var lotCode: String
    public var expiresOn: String
    public var balance: Int
    public var expired: Bool
    public var nearExpiry: Bool
    public init(locationID: UUID, locationName: String, product: String, productName: String, lotID: UUID, lotCode: String, expiresOn: String, balance: Int, expired: Bool, nearExpiry: Bool) {
        self.locationID = locationID; self.locationName = locationName; self.product = product; self.productName = productName; self.lotID = lotID
        self.lotCode = lotCode; self.expiresOn = expiresOn; self.balance = balance; self.expired = expired; self.nearExpiry = nearExpiry
    }
}

/// 自助发放机限领: one box per person every `intervalDays`, adults from `minAge` to `maxAge` (the
/// pilots: Changsha 2011 a month, Chongqing 2012 two weeks, Fuqing 2016 22 days and 18–60;
/// DOMAIN-RULES §8). Policy data: a region sets its own.
public struct MachineLimit: Sendable, Codable, Equatable {
    public var intervalDays: Int
    public var minAge: Int
    public var maxAge: Int
    public init(intervalDays: Int, minAge: Int, maxAge: Int) { self.intervalDays = intervalDays; self.minAge = minAge; self.maxAge = maxAge }
}

extension PolicyRule where Value == MachineLimit {
    /// 自助发放机限领规则.
    public static let machineLimit = PolicyRule("supplies.machine-limit", Text("自助发放机限领规则", "Dispensing machine limits"))
}

extension FieldTask.Kind {
    /// 发放机故障或缺货: a machine reported a fault or ran empty; the worker of its unit goes.
    public static let machineAlert = Self("supply-machine")
}

/// What a machine is told before it vends: allowed or not, why, and until when a refusal holds.
/// Nothing in it, nor in what is kept of it, names the person: only a keyed hash of the number.
public struct MachineDecision: Sendable, Codable, Equatable {
    public var allow: Bool
    /// `ok`, `within-limit`, `age`, `invalid-id`
    public var reason: String
    /// The check to name when the vend is reported (allowed ones).
    public var checkID: UUID?
    /// The first day another box may be taken (`within-limit`).
    public var nextOn: String?
    public init(allow: Bool, reason: String, checkID: UUID?, nextOn: String?) { self.allow = allow; self.reason = reason; self.checkID = checkID; self.nextOn = nextOn }
}

/// 盘点表: a location's count on a day: each lot's book balance and what was found on the shelf.
/// Drafted, counted, then signed with a document number, which books the differences as counts.
public struct CountSheet: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var lotID: UUID
        public var lotCode: String
        public var product: String
        public var productName: String
        public var book: Int
        public var counted: Int?
        public var difference: Int? { counted.map { $0 - book } }
        public init(lotID: UUID, lotCode: String, product: String, productName: String, book: Int, counted: Int?) {
            self.lotID = lotID; self.lotCode = lotCode; self.product = product; self.productName = productName; self.book = book; self.counted = counted
        }
    }
    public var id: UUID
    public var locationID: UUID
    public var locationName: String
    public var countedOn: String
    /// `draft`, `counted`, `signed`
    public var state: String
    public var document: String?
    public var lines: [Line]
    public init(id: UUID, locationID: UUID, locationName: String, countedOn: String, state: String, document: String?, lines: [Line]) {
        self.id = id; self.locationID = locationID; self.locationName = locationName; self.countedOn = countedOn; self.state = state; self.document = document; self.lines = lines
    }
}

/// The supplies' rates.
public enum SuppliesIndicator {
    /// 帐物相符率: lines of signed count sheets whose count matched the books (seeds 003/004: 帐物相符).
    public static let booksMatch = Indicator(code: "S01-books-match", module: "supplies", name: Text("帐物相符率", "Books match the shelves"),
        numerator: Text("盘点数与账面数相符的批号", "Lots whose count matched the books"), denominator: Text("期内签字盘点的批号", "Lots counted on signed sheets in the period"),
        target: 1.0, period: .month)
}
