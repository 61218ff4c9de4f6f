import Foundation

/// What a user submits to create or correct a person. On a correction, absent fields stay as they are.
public struct PersonInput: Sendable, Codable, Equatable {
    public var name: String?
    public var idNumber: String?
    public var unit: String?
    public var sex: String?
    public var birthDate: String?
    public var ethnicGroup: String?
    public var education: String?
    public var occupation: String?
    public var hukouType: String?
    public var hukouRegion: String?
    public var hukouAddress: String?
    public var address: String?
    public var building: String?
    public var room: String?
    public var phone: String?
    public var maritalStatus: String?
    public var firstMarriageDate: String?
    public var status: String?
    public var category: String?
    /// Why a number with a wrong check character is saved anyway (real records contain them).
    public var idConfirmReason: String?

    public init(name: String? = nil, idNumber: String? = nil, unit: String? = nil) {
        self.name = name; self.idNumber = idNumber; self.unit = unit
    }

    /// Text fields copied as typed (trimmed; empty clears them on a correction). Immutable: key paths are not Sendable.
    nonisolated(unsafe) static let freeText: [(WritableKeyPath<PersonInput, String?>, String, Int)] = [
        (\.education, "education", 50), (\.occupation, "occupation", 50), (\.hukouAddress, "hukouAddress", 200),
        (\.address, "address", 200), (\.building, "building", 30), (\.room, "room", 30), (\.phone, "phone", 30),
    ]

    /// 16: the age from which a resident must hold an ID card (居民身份证法 2003, art. 2). Below it a
    /// child may be in the registry before its hukou registration gives it a citizen number.
    public static let idCardAge = 16

    enum PendingNumber { case allowed, noBirthDate, tooOld }
    static func pendingNumber(birthDate: String?, today: Day) -> PendingNumber {
        guard let birth = birthDate.flatMap(Day.init) else { return .noBirthDate }
        return birth.age(on: today) < idCardAge ? .allowed : .tooOld
    }

    /// Checks the values a user typed. `creating` makes name, ID number and unit required (a child
    /// under 16 may come without a number, with birth date and sex); on a new record birth date and
    /// sex are filled from a valid ID number when left empty (a correction leaves them as stored). A number once given cannot be cleared. Returns the cleaned input and the
    /// data-quality flags the record gets.
    public func validated(creating: Bool, today: Day) throws -> (input: PersonInput, flags: [String]) {
        var errors = FieldErrors()
        var out = self
        var flags: [String] = []
        func clean(_ v: String?) -> String? { v.map(\.trimmed) }
        // The name in its one stored form (look-alike dots, spaces and invisible characters: `PersonName`).
        if creating || name != nil {
            out.name = name.map(PersonName.normalize)
            errors.required("/name", out.name)
            if (out.name ?? "").count > 50 { errors.add("/name", "name-long", "姓名不能超过 50 个字。", "A name has at most 50 characters.") }
        }
        if creating && (clean(idNumber) ?? "").isEmpty {
            // A child registered before its hukou registration has no number yet: allowed under the
            // age an ID card is due, with the birth date and sex given, since nothing can derive them.
            switch Self.pendingNumber(birthDate: clean(birthDate), today: today) {
            case .allowed:
                errors.required("/birthDate", birthDate)
                if !["1", "2"].contains(clean(sex) ?? "") { errors.add("/sex", "required", "无身份号码时须填性别。", "Without an ID number, give the sex.") }
                out.idNumber = nil
            case .noBirthDate:
                errors.add("/idNumber", "required", "请填写身份号码；未满 16 岁尚未落户的儿童可只填出生日期和性别。", "Give the ID number; a child under 16 without one yet may be registered with birth date and sex.")
            case .tooOld:
                errors.add("/idNumber", "id-required-adult", "年满 16 周岁者须填身份号码。", "A person aged 16 or over must have an ID number.")
            }
        } else if creating || idNumber != nil {
            errors.required("/idNumber", idNumber)
            if let raw = clean(idNumber), !raw.isEmpty {
                let check = CitizenID.check(raw, today: today)
                let reason = clean(idConfirmReason) ?? ""
                for e in check.errors {
                    if e.code == "id-checksum" && !reason.isEmpty { flags.append("id-checksum"); continue }
                    let hint = e.code == "id-checksum" ? Text("如号码确与证件一致，请填写确认理由后保存。", "If the number matches the card, give a reason to save it anyway.") : Text("", "")
                    errors.add(e.pointer, e.code, e.message.zh + hint.zh, e.message.en + (hint.en.isEmpty ? "" : " " + hint.en))
                }
                out.idNumber = check.normalized ?? raw
                // What the number says fills a field left empty on a new record, and one a correction empties
                // (a form sends ""); a correction that does not name a field (nil) leaves it as stored.
                if (creating && out.birthDate == nil) || out.birthDate?.isEmpty == true, let birth = check.birthDate { out.birthDate = birth }
                if (creating && out.sex == nil) || out.sex?.isEmpty == true, let sex = check.sex { out.sex = String(sex) }
            }
        }
        if creating || unit != nil {
            errors.required("/unit", unit)
            out.unit = clean(unit)
        }
        func code(_ key: WritableKeyPath<PersonInput, String?>, _ pointer: String, _ table: [Codes.Entry], _ what: Text) {
            guard let v = clean(out[keyPath: key]) else { return }
            out[keyPath: key] = v
            if !v.isEmpty && !Codes.contains(table, v) { errors.add(pointer, "code-unknown", "\(what.zh)代码 \(v) 不存在。", "There is no \(what.en) code \(v).") }
        }
        code(\.sex, "/sex", Codes.sex, Text("性别", "sex"))
        code(\.ethnicGroup, "/ethnicGroup", Codes.ethnicGroup, Text("民族", "ethnic group"))
        code(\.hukouType, "/hukouType", Codes.hukouType, Text("户口性质", "hukou type"))
        code(\.maritalStatus, "/maritalStatus", Codes.maritalStatus, Text("婚姻状况", "marital status"))
        code(\.status, "/status", Codes.status, Text("人员状态", "status"))
        code(\.category, "/category", Codes.category, Text("人口类别", "category"))
        for (key, field) in [(\PersonInput.birthDate, "birthDate"), (\PersonInput.firstMarriageDate, "firstMarriageDate")] {
            guard let v = clean(out[keyPath: key]), !v.isEmpty else { continue }
            guard let day = Day(v) else {
                errors.add("/\(field)", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD."); continue
            }
            if today < day { errors.add("/\(field)", "date-future", "日期不能晚于今天。", "The date cannot be in the future.") }
            out[keyPath: key] = day.description
        }
        if let region = clean(out.hukouRegion), !region.isEmpty {
            if !(region.count == 6 && region.allSatisfy(\.isASCIIDigit)) {
                errors.add("/hukouRegion", "code-format", "户籍地代码应为 6 位数字（GB/T 2260）。", "The hukou region is a 6-digit GB/T 2260 code.")
            }
            out.hukouRegion = region
        }
        for (key, field, limit) in Self.freeText {
            out[keyPath: key] = clean(out[keyPath: key])
            if (out[keyPath: key] ?? "").count > limit { errors.add("/\(field)", "too-long", "不能超过 \(limit) 个字。", "At most \(limit) characters.") }
        }
        try errors.throwIfAny()
        return (out, flags)
    }
}

extension Person {
    /// The record with the validated input applied: fields the input names change (an empty value
    /// clears an optional one), the others stay.
    public func applying(_ input: PersonInput) -> Person {
        var p = self
        func set(_ key: WritableKeyPath<Person, String?>, _ value: String?) {
            if let value { p[keyPath: key] = value.isEmpty ? nil : value }
        }
        if let v = input.name { p.name = v }
        if let v = input.idNumber { p.idNumber = v }
        if let v = input.sex, !v.isEmpty { p.sex = v }
        if let v = input.status, !v.isEmpty { p.status = v }
        if let v = input.category, !v.isEmpty { p.category = v }
        set(\.birthDate, input.birthDate); set(\.ethnicGroup, input.ethnicGroup); set(\.education, input.education)
        set(\.occupation, input.occupation); set(\.hukouType, input.hukouType); set(\.hukouRegion, input.hukouRegion)
        set(\.hukouAddress, input.hukouAddress); set(\.address, input.address); set(\.building, input.building)
        set(\.room, input.room); set(\.phone, input.phone); set(\.maritalStatus, input.maritalStatus)
        set(\.firstMarriageDate, input.firstMarriageDate)
        return p
    }
}
