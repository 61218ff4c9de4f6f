import Foundation

/// 国家免费孕前优生健康检查: the 19 items of the check (DOMAIN-RULES §2.2; the list is the same in
/// every source found: the annex 《孕前优生健康检查基本项目明细表》).
public enum PrePregnancyItem: String, Sendable, Codable, CaseIterable {
    case education, history, physical, vaginalSecretion = "vaginal-secretion", bloodRoutine = "blood-routine", urineRoutine = "urine-routine"
    case bloodType = "blood-type", bloodGlucose = "blood-glucose", liverFunction = "liver-function", hepatitisB = "hepatitis-b"
    case kidneyFunction = "kidney-function", thyroid, syphilis, rubella, cytomegalovirus, toxoplasma, ultrasound
    case riskAssessment = "risk-assessment", followUp = "follow-up"

    public var label: Text {
        switch self {
        case .education: Text("优生健康教育", "Health education")
        case .history: Text("病史询问", "Medical history")
        case .physical: Text("体格检查", "Physical examination")
        case .vaginalSecretion: Text("阴道分泌物", "Vaginal secretion")
        case .bloodRoutine: Text("血常规", "Blood count")
        case .urineRoutine: Text("尿常规", "Urinalysis")
        case .bloodType: Text("血型（ABO、Rh）", "Blood type (ABO, Rh)")
        case .bloodGlucose: Text("血糖", "Blood glucose")
        case .liverFunction: Text("肝功能（谷丙转氨酶）", "Liver function (ALT)")
        case .hepatitisB: Text("乙肝五项", "Hepatitis B markers")
        case .kidneyFunction: Text("肾功能（肌酐）", "Kidney function (creatinine)")
        case .thyroid: Text("甲状腺功能（TSH）", "Thyroid (TSH)")
        case .syphilis: Text("梅毒螺旋体", "Syphilis")
        case .rubella: Text("风疹病毒 IgG", "Rubella IgG")
        case .cytomegalovirus: Text("巨细胞病毒 IgM/IgG", "Cytomegalovirus IgM/IgG")
        case .toxoplasma: Text("弓形体 IgM/IgG", "Toxoplasma IgM/IgG")
        case .ultrasound: Text("妇科超声", "Gynaecological ultrasound")
        case .riskAssessment: Text("风险评估和咨询指导", "Risk assessment and counselling")
        case .followUp: Text("早孕和妊娠结局随访", "Early-pregnancy and outcome follow-up")
        }
    }
    /// The items done for the woman only (the man's check has the others).
    public var womanOnly: Bool { [.vaginalSecretion, .bloodType, .bloodGlucose, .thyroid, .rubella, .cytomegalovirus, .toxoplasma, .ultrasound].contains(self) }
}

/// An item's result.
public enum ItemResult: String, Sendable, Codable, CaseIterable {
    case normal, abnormal, notDone = "not-done"
    public var label: Text {
        switch self {
        case .normal: Text("未见异常", "Normal")
        case .abnormal: Text("异常", "Abnormal")
        case .notDone: Text("未做", "Not done")
        }
    }
}

/// 风险人群: general (results explained by phone) or high (face-to-face counselling, further tests or referral).
public enum RiskGroup: String, Sendable, Codable, CaseIterable {
    case general, high
    public var label: Text { self == .general ? Text("一般人群", "General") : Text("高风险人群", "High risk") }
}

/// 早孕随访结果 (1 已孕, 2 未孕, 3 失访) and 妊娠结局随访结果 (1 已分娩, 2 失访, 3 未分娩), as the national data centre codes them (DOMAIN-RULES §2.4).
public enum PrePregnancyFinding: String, Sendable, Codable, CaseIterable {
    case pregnant, notPregnant = "not-pregnant", delivered, notDelivered = "not-delivered", lost
    public var label: Text {
        switch self {
        case .pregnant: Text("已孕", "Pregnant")
        case .notPregnant: Text("未孕", "Not pregnant")
        case .delivered: Text("已分娩", "Delivered")
        case .notDelivered: Text("未分娩", "Not delivered")
        case .lost: Text("失访", "Lost to follow-up")
        }
    }
    /// The findings of the early-pregnancy follow-up and of the outcome follow-up.
    public static let early: [PrePregnancyFinding] = [.pregnant, .notPregnant, .lost]
    public static let outcome: [PrePregnancyFinding] = [.delivered, .notDelivered, .lost]
}

/// A couple's free pre-pregnancy check: a registry person, the spouse (in the registry or not), the
/// items with their results, the risk group and counselling, and the two follow-ups' findings.
public struct PrePregnancyCheck: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var personName: String
    public var spouseID: UUID?
    public var spouseName: String?
    public var checkedOn: String
    public var items: [String: ItemResult]
    public var risk: RiskGroup
    public var counselling: String?
    public var earlyFinding: PrePregnancyFinding?
    public var earlyOn: String?
    public var outcomeFinding: PrePregnancyFinding?
    public var outcomeOn: String?
    public var unitCode: String
    public init(id: UUID, personID: UUID, personName: String, spouseID: UUID?, spouseName: String?, checkedOn: String, items: [String: ItemResult], risk: RiskGroup,
                counselling: String?, earlyFinding: PrePregnancyFinding?, earlyOn: String?, outcomeFinding: PrePregnancyFinding?, outcomeOn: String?, unitCode: String) {
        self.id = id; self.personID = personID; self.personName = personName; self.spouseID = spouseID; self.spouseName = spouseName
        self.checkedOn = checkedOn; self.items = items; self.risk = risk; self.counselling = counselling; self.earlyFinding = earlyFinding
        self.earlyOn = earlyOn; self.outcomeFinding = outcomeFinding; self.outcomeOn = outcomeOn; self.unitCode = unitCode
    }
}

/// What the check's form sends (`POST /api/v1/prepregnancy-checks`).
public struct PrePregnancyInput: Sendable, Codable {
    public var person: String?
    /// The spouse in the registry, or one outside it by name and ID number.
    public var spouse: String?
    public var spouseName: String?
    public var spouseIDNumber: String?
    public var date: String?
    /// Results by item code; items left out count as not done.
    public var items: [String: String]?
    public var risk: String?
    public var counselling: String?
    public init() {}

    /// Checked. Errors: `required`, `code-unknown` (an item or a result), `date-format`, `future-date`,
    /// `spouse-required` (neither a registry spouse nor a name), `id-number` (an outside spouse's number),
    /// `counselling-required` (high risk without counselling recorded).
    public func checked(today: Day) throws -> (person: UUID, spouse: UUID?, day: Day, items: [String: ItemResult], risk: RiskGroup) {
        var errors = FieldErrors()
        let person = self.person.flatMap { UUID(uuidString: $0.trimmed) }
        if person == nil { errors.add("/person", "required", "请指定受检者。", "Choose the person checked.") }
        var spouse: UUID?
        if let s = self.spouse?.trimmed, !s.isEmpty {
            spouse = UUID(uuidString: s)
            if spouse == nil { errors.add("/spouse", "code-unknown", "配偶编号无效。", "Unknown spouse.") }
        } else if (spouseName ?? "").trimmed.isEmpty {
            errors.add("/spouseName", "spouse-required", "请指定配偶（登记中的人员，或填写姓名）。", "Name the spouse (a person of the registry, or by name).")
        } else if let n = spouseIDNumber?.trimmed, !n.isEmpty, !CitizenID.check(n, today: today).valid {
            errors.add("/spouseIDNumber", "id-number", "配偶身份证号无效。", "The spouse's ID number is not valid.")
        }
        let day = Day.checked(date, "/date", today: today, required: true, &errors)
        var items: [String: ItemResult] = [:]
        for (code, value) in self.items ?? [:] {
            guard PrePregnancyItem(rawValue: code) != nil else { errors.add("/items/\(code)", "code-unknown", "检查项目代码无效。", "Unknown item."); continue }
            guard let r = ItemResult(rawValue: value) else { errors.add("/items/\(code)", "code-unknown", "结果应为 normal、abnormal 或 not-done。", "The result is normal, abnormal or not-done."); continue }
            items[code] = r
        }
        let risk = RiskGroup(rawValue: self.risk ?? "general")
        if risk == nil { errors.add("/risk", "code-unknown", "风险人群应为 general 或 high。", "The risk group is general or high.") }
        if risk == .high, (counselling ?? "").trimmed.isEmpty {
            errors.add("/counselling", "counselling-required", "高风险人群须记录咨询指导。", "A high-risk couple's counselling is recorded.")
        }
        try errors.throwIfAny()
        return (person!, spouse, day!, items, risk!)
    }
}

/// 孕前优生 follow-ups on the common schedule list (`FollowUpSchedules`): the early-pregnancy follow-up
/// after the check, and the outcome follow-up after a pregnancy found.
extension FollowUpSchedules {
    public static let prePregnancyEarly = "prepregnancy-early"
    public static let prePregnancyOutcome = "prepregnancy-outcome"

    /// What a visit of a schedule can find: the pre-pregnancy follow-ups' own findings, else `FollowUpFinding`.
    public static func findings(_ key: String) -> [Codes.Entry] {
        switch key {
        case prePregnancyEarly: PrePregnancyFinding.early.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        case prePregnancyOutcome: PrePregnancyFinding.outcome.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        default: FollowUpFinding.entries
        }
    }
    /// Schedules whose visit only the service roles record (their findings tell what they are about).
    public static func healthOnly(_ key: String) -> Bool { key.hasPrefix("prepregnancy-") }
}
