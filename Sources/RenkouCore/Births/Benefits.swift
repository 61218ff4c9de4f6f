import Foundation

/// 奖励扶助等项目: the benefit programmes a street runs each year (the childcare subsidy by quarter
/// or year), each an eligibility rule over registry facts and a dated amount rule.
public enum BenefitProgramme: String, Sendable, Codable, CaseIterable {
    /// 育儿补贴: 3,600 yuan a year per child under three, from 2025-01-01 (300 a month).
    case childcareSubsidy = "childcare-subsidy"
    /// 农村部分计划生育家庭奖励扶助: rural parents of one child or two daughters, from 60.
    case rewardAssistance = "reward-assistance"
    /// 计划生育家庭特别扶助: parents of an only child who died (the mother 49 or older).
    case specialAssistance = "special-assistance"
    /// 计划生育手术并发症扶助: by the complication's grade.
    case complicationAssistance = "complication-assistance"
    /// 独生子女父母奖励: parents of one child of the one-child years, in the form and amount the region
    /// sets (`births.only-child-reward`).
    case onlyChildParents = "only-child-parents"

    public var label: Text {
        switch self {
        case .childcareSubsidy: Text("育儿补贴", "Childcare subsidy")
        case .rewardAssistance: Text("农村部分计划生育家庭奖励扶助", "Rural family reward assistance")
        case .specialAssistance: Text("计划生育家庭特别扶助", "Special assistance (only child died)")
        case .complicationAssistance: Text("计划生育手术并发症扶助", "Complication assistance")
        case .onlyChildParents: Text("独生子女父母奖励", "One-child parents' reward")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 扶助标准 on a day, in yuan (dated: DOMAIN-RULES §5).
public struct BenefitAmounts: Sendable, Codable, Equatable {
    /// 育儿补贴 per child per month (3,600 a year).
    public var childcarePerMonth: Int
    /// 奖扶 per person per year.
    public var rewardPerYear: Int
    /// 特扶 per person per month when the only child died.
    public var specialDeathPerMonth: Int
    /// 特扶 per person per month when the only child is disabled (grade 3 or worse); nil in a
    /// deployment file written before it was asked (read as 0).
    public var specialDisabledPerMonth: Int?
    /// 并发症扶助 per person per month by grade 1, 2, 3.
    public var complicationPerMonth: [Int]
    public init(childcarePerMonth: Int, rewardPerYear: Int, specialDeathPerMonth: Int, specialDisabledPerMonth: Int? = nil, complicationPerMonth: [Int]) {
        self.childcarePerMonth = childcarePerMonth; self.rewardPerYear = rewardPerYear; self.specialDeathPerMonth = specialDeathPerMonth
        self.specialDisabledPerMonth = specialDisabledPerMonth
        self.complicationPerMonth = complicationPerMonth
    }
}

/// 育儿补贴的月份: the months (1–12) of `year` a child born on `born` is subsidised: from the month after
/// its birth to the month of its third birthday, those in which the policy pays the subsidy (it began
/// in January 2025: `BenefitAmounts.childcarePerMonth`). Born December 2023: 12 months in 2025 and 12
/// in 2026, 24 in all (the NHC's example: 7,200 yuan).
public func childcareMonths(born: Day, year: Int, policy: Policy) -> [Int] {
    let birth = born.year * 12 + (born.month - 1)
    return (1...12).filter { m in
        let ym = year * 12 + (m - 1)
        return ym > birth && ym <= birth + 36 && policy(.benefitAmounts, on: Day(year: year, month: m, day: 1)!).childcarePerMonth > 0
    }
}

/// 扶助对象条件 on a day (DOMAIN-RULES §5.1–5.2): the rural reward's age, birth years and youngest
/// child's years; special assistance's age of the mother.
public struct BenefitEligibility: Sendable, Codable, Equatable {
    public var rewardMinAge: Int
    public var bornFrom: String
    public var rewardYoungestFrom: String
    public var rewardYoungestTo: String
    public var specialMotherMinAge: Int
    public init(rewardMinAge: Int, bornFrom: String, rewardYoungestFrom: String, rewardYoungestTo: String, specialMotherMinAge: Int) {
        self.rewardMinAge = rewardMinAge; self.bornFrom = bornFrom; self.rewardYoungestFrom = rewardYoungestFrom
        self.rewardYoungestTo = rewardYoungestTo; self.specialMotherMinAge = specialMotherMinAge
    }
}

/// A line's state of payment.
public enum PaymentState: String, Sendable, Codable, CaseIterable {
    case pending, sent, paid, returned
    public var label: Text {
        switch self {
        case .pending: Text("待发放", "To pay")
        case .sent: Text("已送银行", "Sent to the bank")
        case .paid: Text("已到账", "Paid")
        case .returned: Text("被退回", "Returned")
        }
    }
}

/// A benefit year's (or quarter's) run: drafted from the registry, reviewed by the communities,
/// posted publicly, approved by the district, paid through the bank and reconciled.
public enum RunState: String, Sendable, Codable, CaseIterable {
    case draft, posted, approved, paid, reconciled
    public var label: Text {
        switch self {
        case .draft: Text("评议中", "Under review")
        case .posted: Text("公示中", "Posted")
        case .approved: Text("已审批", "Approved")
        case .paid: Text("已送银行", "Sent to the bank")
        case .reconciled: Text("已对账", "Reconciled")
        }
    }
}

/// One run with its counts and money (yuan).
public struct BenefitRun: Sendable, Codable, Equatable {
    public var id: UUID
    public var programme: BenefitProgramme
    public var year: Int
    public var unitCode: String
    public var unitName: String
    public var state: RunState
    public var postedOn: String?
    public var postingUntil: String?
    public var approvedBy: String?
    public var approvedOn: String?
    public var eligible: Int
    public var excluded: Int
    public var held: Int
    public var amount: Int
    /// 0 for the year's main list; 1–4 for a quarter's supplementary list (季度增补) of the childcare
    /// subsidy: the children who became eligible since the year's earlier lists.
    public var quarter: Int = 0
    /// 按时兑现期限: the day the money should have arrived, fixed at approval (`births.payment-days`
    /// working days later).
    public var payBy: String?
    public init(id: UUID, programme: BenefitProgramme, year: Int, unitCode: String, unitName: String, state: RunState, postedOn: String?, postingUntil: String?,
                approvedBy: String?, approvedOn: String?, eligible: Int, excluded: Int, held: Int, amount: Int) {
        self.id = id; self.programme = programme; self.year = year; self.unitCode = unitCode; self.unitName = unitName; self.state = state
        self.postedOn = postedOn; self.postingUntil = postingUntil; self.approvedBy = approvedBy; self.approvedOn = approvedOn
        self.eligible = eligible; self.excluded = excluded; self.held = held; self.amount = amount
    }

    /// The list's name: the year, and the quarter of a supplementary list.
    public var title: Text {
        quarter == 0 ? Text("\(year) 年", "\(year)") : Text("\(year) 年第 \(quarter) 季度增补", "\(year) Q\(quarter) supplement")
    }
}

/// One person of a run: eligible with the facts that made them so and the amount, or excluded with
/// the rule that excluded them; removed at review, held by an objection, and paid or returned.
public struct BenefitLine: Sendable, Codable, Equatable {
    public var id: UUID
    /// 行号: the line's number in its run, printed on the bank file and the public board.
    public var number: Int
    public var personID: UUID
    public var name: String
    public var idNumber: String
    public var unitName: String
    public var eligible: Bool
    /// Why, in words (age, hukou, children, the child's birth month, the months counted).
    public var facts: String
    public var amount: Int
    public var removedReason: String?
    public var held: Bool
    public var payment: PaymentState
    public var returnReason: String?
    /// The day the bank paid it (from the return file, or the day the file was read).
    public var paidOn: String?
    public init(id: UUID, number: Int, personID: UUID, name: String, idNumber: String, unitName: String, eligible: Bool, facts: String, amount: Int,
                removedReason: String?, held: Bool, payment: PaymentState, returnReason: String?) {
        self.id = id; self.number = number; self.personID = personID; self.name = name; self.idNumber = idNumber; self.unitName = unitName
        self.eligible = eligible; self.facts = facts; self.amount = amount; self.removedReason = removedReason; self.held = held
        self.payment = payment; self.returnReason = returnReason
    }
    /// Paid out in this run: eligible, not removed, not held.
    public var payable: Bool { eligible && removedReason == nil && !held }
}

/// 独生子女父母奖励 as a region pays it (local and highly variable, DOMAIN-RULES §5.3): yearly from an
/// age, or once; for parents of exactly one child born in the one-child years; urban parents only
/// where rural ones get the reward assistance instead.
public struct OnlyChildReward: Sendable, Codable, Equatable {
    public enum Form: String, Sendable, Codable { case yearly, once }
    public var form: Form
    /// Yuan: a year's amount, or the one payment.
    public var amount: Int
    public var fromAge: Int
    /// The only child born in these years (the one-child policy's).
    public var childBornFrom: String
    public var childBornTo: String
    /// Whether parents with an agricultural hukou are left to the rural reward assistance.
    public var urbanOnly: Bool
    public init(form: Form, amount: Int, fromAge: Int, childBornFrom: String, childBornTo: String, urbanOnly: Bool) {
        self.form = form; self.amount = amount; self.fromAge = fromAge; self.childBornFrom = childBornFrom; self.childBornTo = childBornTo; self.urbanOnly = urbanOnly
    }
}

extension PolicyRule where Value == OnlyChildReward {
    /// 独生子女父母奖励: the region's form and amount.
    public static let onlyChildReward = PolicyRule("births.only-child-reward", Text("独生子女父母奖励", "One-child parents' reward"))
}

extension PolicyRule where Value == BenefitAmounts {
    /// 扶助标准: the amounts of the programmes on a day.
    public static let benefitAmounts = PolicyRule("births.benefit-amounts", Text("扶助与补贴标准", "Benefit amounts"))
}

extension PolicyRule where Value == BenefitEligibility {
    /// 扶助对象条件: who the reward and special assistance are for.
    public static let benefitEligibility = PolicyRule("births.benefit-eligibility", Text("扶助对象条件", "Who the assistance is for"))
}

extension PolicyRule where Value == Int {
    /// 按时兑现: working days from a list's approval by which its money should be in the accounts.
    public static let paymentDays = PolicyRule("births.payment-days", Text("兑现时限（工作日）", "Working days from approval to payment"))

    /// 公示期: days a run's list stays on the public board before it can be approved.
    public static let postingDays = PolicyRule("births.posting-days", Text("公示天数", "Days of public posting"))
}

/// 计划生育特殊家庭: a family that lost its only child or cares for one disabled. It has two named
/// contacts (双岗联系人: one of the community, one of the association), visits at the policy's rhythm
/// (on the task list), and a record of the help given.
public struct SpecialFamily: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var name: String
    public var idNumber: String
    public var unitCode: String
    public var unitName: String
    public var situation: FamilySituation
    /// The community's contact (an account) and the association's (a name and a phone).
    public var communityContact: String
    public var associationContact: String
    public var associationPhone: String?
    public var since: String
    public var lastContact: String?
    public var nextVisit: String
    public init(id: UUID, personID: UUID, name: String, idNumber: String, unitCode: String, unitName: String, situation: FamilySituation, communityContact: String,
                associationContact: String, associationPhone: String?, since: String, lastContact: String?, nextVisit: String) {
        self.id = id; self.personID = personID; self.name = name; self.idNumber = idNumber; self.unitCode = unitCode; self.unitName = unitName
        self.situation = situation; self.communityContact = communityContact; self.associationContact = associationContact; self.associationPhone = associationPhone
        self.since = since; self.lastContact = lastContact; self.nextVisit = nextVisit
    }
}

/// Why a family is a special family.
public enum FamilySituation: String, Sendable, Codable, CaseIterable {
    case childDied = "child-died", childDisabled = "child-disabled"
    public var label: Text { self == .childDied ? Text("独生子女死亡", "Only child died") : Text("独生子女伤残", "Only child disabled") }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 帮扶: what was done for a special family.
public enum HelpKind: String, Sendable, Codable, CaseIterable {
    case visit, medicalChannel = "medical-channel", hardshipRelief = "hardship-relief", festivalVisit = "festival-visit", care = "care-activity"
    public var label: Text {
        switch self {
        case .visit: Text("走访慰问", "Home visit")
        case .medicalChannel: Text("就医绿色通道", "Medical green channel")
        case .hardshipRelief: Text("困难救助", "Hardship relief")
        case .festivalVisit: Text("节日慰问", "Festival visit")
        case .care: Text("生育关怀活动", "Family-care activity")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// One help given.
public struct FamilyHelp: Sendable, Codable, Equatable {
    public var id: UUID
    public var day: String
    public var kind: HelpKind
    public var note: String?
    public var by: String
    public init(id: UUID, day: String, kind: HelpKind, note: String?, by: String) { self.id = id; self.day = day; self.kind = kind; self.note = note; self.by = by }
}

extension FieldTask.Kind {
    /// 特殊家庭走访: a special family's visit is due.
    public static let familyVisit = Self("family-visit")
}
