import Foundation

/// 妊娠结局: how a pregnancy ended (or that it was lost to follow-up).
public enum PregnancyOutcome: String, Sendable, Codable, CaseIterable {
    case liveBirth = "live-birth", stillbirth, miscarriage, inducedAbortion = "induced-abortion", ectopic, lost
    public var label: Text {
        switch self {
        case .liveBirth: Text("活产", "Live birth")
        case .stillbirth: Text("死胎死产", "Stillbirth")
        case .miscarriage: Text("自然流产", "Miscarriage")
        case .inducedAbortion: Text("人工流产", "Induced abortion")
        case .ectopic: Text("宫外孕", "Ectopic pregnancy")
        case .lost: Text("失访", "Lost to follow-up")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// Where the system learnt of a pregnancy.
public enum PregnancySource: String, Sendable, Codable, CaseIterable {
    case checkUp = "check-up", followUp = "follow-up", prePregnancy = "pre-pregnancy", hospital, report
    public var label: Text {
        switch self {
        case .checkUp: Text("查孕", "Pregnancy check")
        case .followUp: Text("随访", "Follow-up visit")
        case .prePregnancy: Text("孕前优生早孕随访", "Pre-pregnancy follow-up")
        case .hospital: Text("医院", "Hospital")
        case .report: Text("本人报告", "Her own report")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 孕情: a pregnancy from the day it was known to its outcome. A birth recorded in the registry (the
/// mother linked) ends her open pregnancy as a live birth; an abortion service ends it as induced.
public struct Pregnancy: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var personName: String
    public var source: PregnancySource
    public var detectedOn: String
    /// 末次月经 and the expected day (LMP + 280 days) when known.
    public var lastMenstrualPeriod: String?
    public var expectedOn: String?
    public var outcome: PregnancyOutcome?
    public var outcomeOn: String?
    public var childID: UUID?
    public var note: String?
    public var unitCode: String
    public init(id: UUID, personID: UUID, personName: String, source: PregnancySource, detectedOn: String, lastMenstrualPeriod: String?, expectedOn: String?,
                outcome: PregnancyOutcome?, outcomeOn: String?, childID: UUID?, note: String?, unitCode: String) {
        self.id = id; self.personID = personID; self.personName = personName; self.source = source; self.detectedOn = detectedOn
        self.lastMenstrualPeriod = lastMenstrualPeriod; self.expectedOn = expectedOn; self.outcome = outcome; self.outcomeOn = outcomeOn
        self.childID = childID; self.note = note; self.unitCode = unitCode
    }
    public var isOpen: Bool { outcome == nil }
}

/// What a form sends to open a pregnancy.
public struct PregnancyInput: Sendable, Codable {
    public var person: String?
    public var source: String?
    public var detectedOn: String?
    public var lastMenstrualPeriod: String?
    public var note: String?
    public init(person: String? = nil, source: String? = nil, detectedOn: String? = nil, lastMenstrualPeriod: String? = nil, note: String? = nil) {
        self.person = person; self.source = source; self.detectedOn = detectedOn; self.lastMenstrualPeriod = lastMenstrualPeriod; self.note = note
    }

    /// Checked: errors `required`, `code-unknown`, `date-format`, `future-date`, `lmp-after-detection`, `lmp-too-early` (over 44 weeks before).
    public func checked(today: Day) throws -> (person: UUID, source: PregnancySource, detected: Day, lmp: Day?) {
        var errors = FieldErrors()
        let person = self.person.flatMap { UUID(uuidString: $0.trimmed) }
        if person == nil { errors.add("/person", "required", "请指定孕妇。", "Choose the woman.") }
        let source = PregnancySource(rawValue: self.source ?? "report")
        if source == nil { errors.add("/source", "code-unknown", "来源代码无效。", "Unknown source.") }
        let detected = Day.checked(detectedOn, "/detectedOn", today: today, required: true, &errors)
        let lmp = Day.checked(lastMenstrualPeriod, "/lastMenstrualPeriod", today: today, required: false, &errors)
        if let lmp, let detected {
            if detected < lmp { errors.add("/lastMenstrualPeriod", "lmp-after-detection", "末次月经不能晚于发现日期。", "The last period cannot be after the day the pregnancy was known.") }
            else if lmp.adding(days: 308) < detected { errors.add("/lastMenstrualPeriod", "lmp-too-early", "末次月经早于发现日期 44 周以上。", "The last period is over 44 weeks before the day the pregnancy was known.") }
        }
        try errors.throwIfAny()
        return (person!, source!, detected!, lmp)
    }
}

extension Day {
    /// A form's day checked into `errors` under `pointer`: `required`, `date-format` or `future-date`.
    public static func checked(_ text: String?, _ pointer: String, today: Day, required: Bool, _ errors: inout FieldErrors) -> Day? {
        guard let t = text?.trimmed, !t.isEmpty else {
            if required { errors.add(pointer, "required", "请填写日期。", "Give the date.") }
            return nil
        }
        guard let d = Day(t) else { errors.add(pointer, "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD."); return nil }
        if today < d { errors.add(pointer, "future-date", "日期不能晚于今天。", "The date cannot be in the future."); return nil }
        return d
    }
}
