import Foundation

/// 社会抚养费: whether the fee could be decided and collected on a day. Legal basis 人口与计划生育法
/// (2001) art. 41 and 国务院《社会抚养费征收管理办法》(2002-09-01); abolished by the 2021 amendment
/// (2021-08-20): decided amounts already collected are not refunded, the rest is no longer collected
/// (DOMAIN-RULES §6).
public struct MaintenanceFeeRule: Sendable, Codable, Equatable {
    public var collectable: Bool
    public init(collectable: Bool) { self.collectable = collectable }
}

extension PolicyRule where Value == MaintenanceFeeRule {
    /// 社会抚养费: in force or abolished on a day.
    public static let maintenanceFee = PolicyRule("births.maintenance-fee", Text("社会抚养费", "Social maintenance fee"))
}

extension PolicyRule where Value == Bool {
    /// 社会抚养费台账: whether this deployment keeps its old fee cases (off unless a deployment's policy
    /// file switches it on).
    public static let feeLedger = PolicyRule("births.fee-ledger", Text("社会抚养费台账（历史案件）", "Social maintenance fee ledger (old cases)"))
}

/// How a fee case ended. Under the 2021 rules: 已缴清 (fully paid, not refunded), 部分缴纳 (the rest
/// waived), 未征收 (nothing collected, no action), 撤回执行 (the office withdrew its application to
/// the court, which ends enforcement and lifts the credit restrictions).
public enum FeeClosure: String, Sendable, Codable, CaseIterable {
    case paid, partlyPaid = "partly-paid", uncollected, enforcementWithdrawn = "enforcement-withdrawn"
    public var label: Text {
        switch self {
        case .paid: Text("已缴清（不予退还）", "Paid in full (not refunded)")
        case .partlyPaid: Text("部分缴纳，余额不再征收", "Partly paid; the rest no longer collected")
        case .uncollected: Text("未征收，不再征收", "Nothing collected; no longer collected")
        case .enforcementWithdrawn: Text("撤回强制执行申请，解除失信限制", "Court enforcement withdrawn; credit restrictions lifted")
        }
    }
}

/// A legacy fee case (征收决定) with its collections and its talks with the hukou region.
public struct FeeCase: Sendable, Codable, Equatable {
    public var id: UUID
    /// 案件编号, `SF-` and a sequence.
    public var number: String
    public var personID: UUID
    public var name: String
    public var idNumber: String
    public var spouseName: String?
    /// The child's birth date: before 2021-08-20, when the fee was still law.
    public var childBirthDate: String
    /// 征收决定书文号 and its date.
    public var decisionNumber: String
    public var decidedOn: String
    /// Yuan.
    public var amount: Int
    /// 分期: the number of instalments agreed (1: all at once).
    public var instalments: Int
    public var collected: Int
    /// Where the person's hukou is (协商: the region asked to collect or to agree).
    public var hukouRegion: String?
    public var unitCode: String
    public var unitName: String
    public var closure: FeeClosure?
    public var closedOn: String?
    public var closureNote: String?
    public var collections: [FeeCollection] = []
    public var negotiations: [FeeNegotiation] = []
    public init(id: UUID, number: String, personID: UUID, name: String, idNumber: String, spouseName: String?, childBirthDate: String, decisionNumber: String,
                decidedOn: String, amount: Int, instalments: Int, collected: Int, hukouRegion: String?, unitCode: String, unitName: String,
                closure: FeeClosure?, closedOn: String?, closureNote: String?) {
        self.id = id; self.number = number; self.personID = personID; self.name = name; self.idNumber = idNumber; self.spouseName = spouseName
        self.childBirthDate = childBirthDate; self.decisionNumber = decisionNumber; self.decidedOn = decidedOn; self.amount = amount
        self.instalments = instalments; self.collected = collected; self.hukouRegion = hukouRegion; self.unitCode = unitCode; self.unitName = unitName
        self.closure = closure; self.closedOn = closedOn; self.closureNote = closureNote
    }
    public var isOpen: Bool { closure == nil }
    /// What was decided and not collected (yuan).
    public var outstanding: Int { amount - collected }
}

/// One payment received (yuan), with its receipt.
public struct FeeCollection: Sendable, Codable, Equatable {
    public var day: String
    public var amount: Int
    public var receipt: String
    public var by: String
    public init(day: String, amount: Int, receipt: String, by: String) { self.day = day; self.amount = amount; self.receipt = receipt; self.by = by }
}

/// A step of the talks with the hukou region (协商): who was asked, what was said.
public struct FeeNegotiation: Sendable, Codable, Equatable {
    public var day: String
    public var region: String
    public var text: String
    public var by: String
    public init(day: String, region: String, text: String, by: String) { self.day = day; self.region = region; self.text = text; self.by = by }
}

/// A fee case as entered from the old paper files.
public struct FeeCaseInput: Sendable, Codable, Equatable {
    public var person: String?
    public var spouseName: String?
    public var childBirthDate: String?
    public var decisionNumber: String?
    public var decidedOn: String?
    public var amount: Int?
    public var instalments: Int?
    public var hukouRegion: String?
    public init(person: String? = nil, spouseName: String? = nil, childBirthDate: String? = nil, decisionNumber: String? = nil, decidedOn: String? = nil,
                amount: Int? = nil, instalments: Int? = nil, hukouRegion: String? = nil) {
        self.person = person; self.spouseName = spouseName; self.childBirthDate = childBirthDate; self.decisionNumber = decisionNumber
        self.decidedOn = decidedOn; self.amount = amount; self.instalments = instalments; self.hukouRegion = hukouRegion
    }
}

extension BirthIndicator {
    /// 征收到位率 of the legacy cases decided in the period: yuan collected over yuan decided.
    public static let feeCollection = Indicator(code: "B07-fee-collection", module: "births", name: Text("社会抚养费征收到位率（历史案件）", "Maintenance fee collected (old cases)"),
        numerator: Text("已征收金额（元）", "Yuan collected"), denominator: Text("期内作出征收决定的金额（元）", "Yuan decided in the period"),
        target: nil, period: .year)
}
