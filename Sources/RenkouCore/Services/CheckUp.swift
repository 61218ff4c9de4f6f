import Foundation

/// 双查/三查: the checks of a round. 查孕 (pregnancy), 查环 (IUD in place) and 查病 (gynaecological disease).
public enum CheckUpKind: String, Sendable, Codable, CaseIterable {
    case pregnancy, iud, gynaecological
    public var label: Text {
        switch self {
        case .pregnancy: Text("查孕", "Pregnancy check")
        case .iud: Text("查环", "IUD check")
        case .gynaecological: Text("查病", "Gynaecological check")
        }
    }
    /// The results a check of this kind can have: `exempt` (免检, with a reason) and `absent` (未到检) for all.
    public var results: [CheckUpResult] {
        switch self {
        case .pregnancy: [.negative, .positive, .exempt, .absent]
        case .iud: [.normal, .abnormal, .exempt, .absent]
        case .gynaecological: [.normal, .abnormal, .exempt, .absent]
        }
    }
}

/// A check's result.
public enum CheckUpResult: String, Sendable, Codable, CaseIterable {
    case negative, positive, normal, abnormal, exempt, absent
    public var label: Text {
        switch self {
        case .negative: Text("未孕", "Not pregnant")
        case .positive: Text("已孕", "Pregnant")
        case .normal: Text("正常", "Normal")
        case .abnormal: Text("异常", "Abnormal")
        case .exempt: Text("免检", "Exempt")
        case .absent: Text("未到检", "Did not come")
        }
    }
    /// Whether the result counts as checked (coverage counts a woman once every due check has one of these).
    public var isChecked: Bool { ![.absent].contains(self) }
}

/// 双查/三查 rules, dated configuration (`PolicyRule.checkUpRules`): how many rounds a unit runs a year
/// and the days after a birth or an abortion, the years after a sterilisation, in which a woman is
/// exempt from the pregnancy check. Source: the 2005 norm (DOMAIN-RULES §1.6); the round count is local (2–4).
public struct CheckUpRules: Sendable, Codable, Equatable {
    public var roundsPerYear: Int
    public var exemptDaysAfterBirth: Int
    public var exemptDaysAfterAbortion: Int
    public var exemptYearsAfterSterilisation: Int
    public init(roundsPerYear: Int, exemptDaysAfterBirth: Int, exemptDaysAfterAbortion: Int, exemptYearsAfterSterilisation: Int) {
        self.roundsPerYear = roundsPerYear; self.exemptDaysAfterBirth = exemptDaysAfterBirth
        self.exemptDaysAfterAbortion = exemptDaysAfterAbortion; self.exemptYearsAfterSterilisation = exemptYearsAfterSterilisation
    }
    public static let shipped = CheckUpRules(roundsPerYear: 2, exemptDaysAfterBirth: 30, exemptDaysAfterAbortion: 30, exemptYearsAfterSterilisation: 1)
}

/// 查环查孕轮次: one round of a unit, with its due list (fixed when it opens) and its coverage.
public struct CheckUpRound: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var name: String
    public var startsOn: String
    public var endsOn: String
    /// Women on the due list (not exempt) and those whose every due check has a result.
    public var due: Int
    public var checked: Int
    public var createdBy: String
    public var coverage: Double? { due == 0 ? nil : Double(checked) / Double(due) }
    public init(id: UUID, unitCode: String, unitName: String, name: String, startsOn: String, endsOn: String, due: Int, checked: Int, createdBy: String) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.name = name; self.startsOn = startsOn; self.endsOn = endsOn
        self.due = due; self.checked = checked; self.createdBy = createdBy
    }
}

/// One woman on a round's due list: the checks due and their results (reproductive-health details).
public struct CheckUp: Sendable, Codable, Equatable {
    public var id: UUID
    public var roundID: UUID
    public var personID: UUID
    public var personName: String
    public var unitName: String
    /// The kinds due, in `CheckUpKind` order, and each one's result when recorded.
    public var due: [CheckUpKind]
    public var results: [String: CheckUpResult]
    public var checkedOn: String?
    public var note: String?
    public init(id: UUID, roundID: UUID, personID: UUID, personName: String, unitName: String, due: [CheckUpKind], results: [String: CheckUpResult], checkedOn: String?, note: String?) {
        self.id = id; self.roundID = roundID; self.personID = personID; self.personName = personName; self.unitName = unitName
        self.due = due; self.results = results; self.checkedOn = checkedOn; self.note = note
    }
}

/// What a round's form sends: its unit, name and days.
public struct CheckUpRoundInput: Sendable, Codable {
    public var unit: String?
    public var name: String?
    public var startsOn: String?
    public var endsOn: String?
    public init(unit: String? = nil, name: String? = nil, startsOn: String? = nil, endsOn: String? = nil) { self.unit = unit; self.name = name; self.startsOn = startsOn; self.endsOn = endsOn }

    /// The round's days, checked. Errors: `required`, `date-format`, `ends-before-start`, `round-too-long` (over a year).
    public func checkedDays() throws -> (name: String, start: Day, end: Day) {
        var errors = FieldErrors()
        let name = self.name?.trimmed ?? ""
        if name.isEmpty { errors.add("/name", "required", "请填写轮次名称（如 2026 年第二轮）。", "Name the round (e.g. 2026, round 2).") }
        func day(_ s: String?, _ field: String) -> Day? {
            guard let s = s?.trimmed, !s.isEmpty else { errors.add(field, "required", "请填写日期。", "Give the date."); return nil }
            guard let d = Day(s) else { errors.add(field, "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD."); return nil }
            return d
        }
        let start = day(startsOn, "/startsOn"), end = day(endsOn, "/endsOn")
        if let start, let end {
            if end < start { errors.add("/endsOn", "ends-before-start", "结束日期早于开始日期。", "The round ends before it starts.") }
            else if start.adding(days: 366) < end { errors.add("/endsOn", "round-too-long", "一轮不超过一年。", "A round lasts at most a year.") }
        }
        try errors.throwIfAny()
        return (name, start!, end!)
    }
}

/// What a check's form sends: the day and a result per kind (`pregnancy`, `iud`, `gynaecological`).
public struct CheckUpResultInput: Sendable, Codable {
    public var date: String?
    public var results: [String: String]?
    public var note: String?
    public init(date: String? = nil, results: [String: String]? = nil, note: String? = nil) { self.date = date; self.results = results; self.note = note }
}

extension PolicyRule where Value == CheckUpRules {
    /// 双查/三查: rounds a year and the pregnancy-check exemptions.
    public static let checkUpRules = PolicyRule("services.check-up-rules", Text("双查规则", "Check-up rounds"))
}
