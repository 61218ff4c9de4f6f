import Foundation

/// 生育政策 in force on a day: the children a couple may have, whether more needed an approval (再生育审批,
/// abolished 2021-08-20), and the paper a birth got (生育服务证 before 2016, 生育登记 since).
public struct BirthPolicy: Sendable, Codable, Equatable {
    public enum Document: String, Sendable, Codable { case serviceCertificate = "service-certificate", registration }
    public var childrenAllowed: Int
    public var approvalForMore: Bool
    public var document: Document
    public init(childrenAllowed: Int, approvalForMore: Bool, document: Document) {
        self.childrenAllowed = childrenAllowed; self.approvalForMore = approvalForMore; self.document = document
    }
    /// 政策内: a child of this order born under this policy (with an approval where one was needed and given).
    public func isCompliant(order: Int, approved: Bool) -> Bool { order <= childrenAllowed || (approvalForMore && approved) }
}

/// 子女数计算: which of a couple's children count (policy data by date and region).
public struct ChildCountRules: Sendable, Codable, Equatable {
    public var countDeceased: Bool
    public var countAdopted: Bool
    public var countFromEarlierMarriages: Bool
    public init(countDeceased: Bool, countAdopted: Bool, countFromEarlierMarriages: Bool) {
        self.countDeceased = countDeceased; self.countAdopted = countAdopted; self.countFromEarlierMarriages = countFromEarlierMarriages
    }
}

/// A registration's state: submitted (waiting to be looked at), accepted (materials complete, the
/// time limit runs), needs information (back to the couple; the limit starts again when it comes
/// back), registered (the voucher is out) or refused (with its reason).
public enum RegistrationState: String, Sendable, Codable, CaseIterable {
    case submitted, accepted, needsInformation = "needs-information", registered, refused
    public var label: Text {
        switch self {
        case .submitted: Text("已提交", "Submitted")
        case .accepted: Text("已受理", "Accepted")
        case .needsInformation: Text("待补充材料", "Needs information")
        case .registered: Text("已登记", "Registered")
        case .refused: Text("不予登记", "Refused")
        }
    }
    /// Still with the office (the time limit runs or is about to).
    public var isOpen: Bool { self == .submitted || self == .accepted }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// How the application came in.
public enum RegistrationChannel: String, Sendable, Codable, CaseIterable {
    case counter, online = "public", proxy
    public var label: Text {
        switch self {
        case .counter: Text("窗口", "At the counter")
        case .online: Text("网上申请", "Online")
        case .proxy: Text("代办", "By a worker for the couple")
        }
    }
}

/// Where it is registered: the hukou place or the residence, of either spouse (2021 guidance).
public enum RegistrationBasis: String, Sendable, Codable, CaseIterable {
    case motherHukou = "mother-hukou", fatherHukou = "father-hukou", motherResidence = "mother-residence", fatherResidence = "father-residence"
    public var label: Text {
        switch self {
        case .motherHukou: Text("女方户籍地", "The mother's hukou place")
        case .fatherHukou: Text("男方户籍地", "The father's hukou place")
        case .motherResidence: Text("女方现居住地", "The mother's residence")
        case .fatherResidence: Text("男方现居住地", "The father's residence")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// What a registration form sends: the couple (registry persons or by name and ID number), the
/// office's unit, before the birth the expected day, after it the child, the documents.
public struct BirthRegistrationInput: Sendable, Codable {
    public var unit: String?
    public var basis: String?
    public var motherName: String?
    public var motherIDNumber: String?
    public var fatherName: String?
    public var fatherIDNumber: String?
    public var phone: String?
    /// Before the birth: the expected day. After it: the child's name, sex and birth day.
    public var expectedOn: String?
    public var childName: String?
    public var childSex: String?
    public var childBornOn: String?
    /// 身份证 or 户口簿; `pledge` (承诺) stands in for any other paper.
    public var document: String?
    public var pledge: Bool?
    public var note: String?
    /// At the counter: the day the paper application came in, when it is entered later (at most 30 days back).
    public var receivedOn: String?
    /// 再生育审批 of an older birth entered now: the approval's reference and day (only where the birth
    /// policy of the child's date required one for its order; the approvals ended on 2021-08-20).
    public var approvalNumber: String?
    public var approvedOn: String?
    public init() {}

    /// The input checked: every problem at once. Errors: `required`, `id-number` (with the check's
    /// own code), `same-person`, `code-unknown`, `date-format`, `future-date`, `expected-past` (an
    /// expected day more than a year ago), `birth-or-expected` (neither or both), `pledge-required`
    /// (the pledge box, for an online application), `phone`, `received-too-early`.
    public func checked(today: Day, online: Bool) throws -> CheckedRegistration {
        var errors = FieldErrors()
        func person(_ name: String?, _ number: String?, _ prefix: String) -> (String, String)? {
            let n = name?.trimmed ?? "", id = CitizenID.normalize(number ?? "")
            if n.isEmpty { errors.add("/\(prefix)Name", "required", "请填写姓名。", "Give the name.") }
            if id.isEmpty { errors.add("/\(prefix)IDNumber", "required", "请填写公民身份号码。", "Give the ID number."); return nil }
            let check = CitizenID.check(id, today: today)
            if !check.valid {
                let e = check.errors.first
                errors.add("/\(prefix)IDNumber", e?.code ?? "id-number", e?.message.zh ?? "身份号码无效。", e?.message.en ?? "The ID number is not valid.")
                return nil
            }
            return (n, check.normalized ?? id)
        }
        let mother = person(motherName, motherIDNumber, "mother"), father = person(fatherName, fatherIDNumber, "father")
        if let m = mother, let f = father, m.1 == f.1 { errors.add("/fatherIDNumber", "same-person", "双方身份号码相同。", "Both spouses have the same ID number.") }
        let basis = RegistrationBasis(rawValue: self.basis ?? RegistrationBasis.motherHukou.rawValue)
        if basis == nil { errors.add("/basis", "code-unknown", "登记地依据无效。", "Unknown basis.") }
        var expected: Day?
        if let t = expectedOn?.trimmed, !t.isEmpty {
            expected = Day(t)
            if expected == nil { errors.add("/expectedOn", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
            else if expected! < today.adding(days: -365) { errors.add("/expectedOn", "expected-past", "预产期已过一年以上，请填写孩子的出生信息。", "The expected day is over a year ago: give the child's birth instead.") }
            else if today.adding(days: 730) < expected! { errors.add("/expectedOn", "expected-far", "预产期不能晚于两年以后。", "The expected day is at most two years ahead.") }
        }
        let born = Day.checked(childBornOn, "/childBornOn", today: today, required: false, &errors)
        if (expected == nil) == (born == nil), (childBornOn ?? "").trimmed.isEmpty, (expectedOn ?? "").trimmed.isEmpty {
            errors.add("/expectedOn", "birth-or-expected", "出生前登记请填写预产期，出生后补登请填写孩子的出生日期。", "Before the birth give the expected day; after it, the child's birth day.")
        }
        if born != nil {
            if (childName ?? "").trimmed.isEmpty { errors.add("/childName", "required", "请填写孩子的姓名。", "Give the child's name.") }
            if !["1", "2"].contains(childSex ?? "") { errors.add("/childSex", "required", "请选择孩子的性别。", "Choose the child's sex.") }
        }
        let document = self.document ?? "id-card"
        if !["id-card", "household-booklet"].contains(document) { errors.add("/document", "code-unknown", "证件应为身份证或户口簿。", "The document is the ID card or the household booklet.") }
        if online, pledge != true { errors.add("/pledge", "pledge-required", "网上申请须勾选个人承诺。", "An online application needs the pledge ticked.") }
        let received = online ? nil : Day.checked(receivedOn, "/receivedOn", today: today, required: false, &errors)
        if let received, received < today.adding(days: -30) { errors.add("/receivedOn", "received-too-early", "收件日期不能早于 30 天前。", "The application came in at most 30 days ago.") }
        var approval: (number: String, on: Day)?
        if let n = approvalNumber?.trimmed, !n.isEmpty {
            if online { errors.add("/approvalNumber", "counter-only", "再生育审批只能在窗口补录。", "An approval is entered at the counter.") }
            if let on = Day.checked(approvedOn, "/approvedOn", today: today, required: true, &errors) { approval = (n, on) }
        }
        if let p = phone?.trimmed, !p.isEmpty, !(p.count == 11 && p.allSatisfy { $0.isASCII && $0.isNumber } && p.hasPrefix("1")) {
            errors.add("/phone", "phone", "手机号码应为 11 位数字。", "The mobile number has 11 digits.")
        }
        try errors.throwIfAny()
        return CheckedRegistration(mother: mother!, father: father!, basis: basis!, expected: born == nil ? expected : nil, born: born,
                                   childName: childName.map(PersonName.normalize)?.nilIfEmpty, childSex: born == nil ? nil : childSex, document: document, received: received ?? today,
                                   approval: approval)
    }
}

/// A registration input that passed its checks.
public struct CheckedRegistration: Sendable {
    public let mother: (name: String, idNumber: String)
    public let father: (name: String, idNumber: String)
    public let basis: RegistrationBasis
    public let expected: Day?
    public let born: Day?
    public let childName: String?
    public let childSex: String?
    public let document: String
    /// The day the application came in (the time limit counts from it).
    public let received: Day
    /// 再生育审批: the reference and day of an older birth's approval.
    public let approval: (number: String, on: Day)?
}

/// 生育登记: one couple's registration of a coming or a born child.
public struct BirthRegistration: Sendable, Codable, Equatable {
    public var id: UUID
    /// 登记编号 / the tracking number given to the couple (`SY-2026-7KQ2M9XD`).
    public var number: String
    public var state: RegistrationState
    public var channel: RegistrationChannel
    public var basis: RegistrationBasis
    public var unitCode: String
    public var unitName: String
    public var motherName: String
    public var motherIDNumber: String
    public var motherID: UUID?
    public var fatherName: String
    public var fatherIDNumber: String
    public var fatherID: UUID?
    public var phone: String?
    public var expectedOn: String?
    public var childName: String?
    public var childSex: String?
    public var childBornOn: String?
    public var childID: UUID?
    /// The couple's children counted by the rules (`ChildCountRules`) when it came in, and so this child's order.
    public var childrenBefore: Int
    public var childOrder: Int { childrenBefore + 1 }
    /// Within the birth policy of the child's day (or the expected day).
    public var compliant: Bool
    public var document: String
    public var pledge: Bool
    public var submittedOn: String
    /// The last day of the time limit, in working days from the day the application was complete.
    public var dueOn: String?
    public var decidedOn: String?
    public var decisionNote: String?
    public var voucherToken: String?
    public var note: String?
    public var enteredBy: String
    public var enteredAt: String
    /// 再生育审批 of an older birth: its reference and day.
    public var approvalNumber: String?
    public var approvedOn: String?

    public init(id: UUID, number: String, state: RegistrationState, channel: RegistrationChannel, basis: RegistrationBasis, unitCode: String, unitName: String, motherName: String, motherIDNumber: String, motherID: UUID?, fatherName: String, fatherIDNumber: String, fatherID: UUID?, phone: String?, expectedOn: String?, childName: String?, childSex: String?, childBornOn: String?, childID: UUID?, childrenBefore: Int, compliant: Bool, document: String, pledge: Bool, submittedOn: String, dueOn: String?, decidedOn: String?, decisionNote: String?, voucherToken: String?, note: String?, enteredBy: String, enteredAt: String) {
        self.id = id; self.number = number; self.state = state; self.channel = channel; self.basis = basis; self.unitCode = unitCode; self.unitName = unitName; self.motherName = motherName; self.motherIDNumber = motherIDNumber; self.motherID = motherID; self.fatherName = fatherName; self.fatherIDNumber = fatherIDNumber; self.fatherID = fatherID; self.phone = phone; self.expectedOn = expectedOn; self.childName = childName; self.childSex = childSex; self.childBornOn = childBornOn; self.childID = childID; self.childrenBefore = childrenBefore; self.compliant = compliant; self.document = document; self.pledge = pledge; self.submittedOn = submittedOn; self.dueOn = dueOn; self.decidedOn = decidedOn; self.decisionNote = decisionNote; self.voucherToken = voucherToken; self.note = note; self.enteredBy = enteredBy; self.enteredAt = enteredAt
    }

    public func isOverdue(on day: Day) -> Bool { state.isOpen && (dueOn.map { $0 < day.description } ?? false) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
