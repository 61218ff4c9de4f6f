import RenkouCore

/// A data-quality check defined once, as an SQL condition over `persons p` that is true when the
/// record FAILS. The unit rates, the list of records at fault and a person's own problems all use it.
public struct QualityCheck: Sendable {
    public let code: String
    public let message: Text
    let failing: String
    /// The person-form fields a worker corrects to clear it (`sex`, `birthDate`, …); empty when the fix
    /// lies elsewhere (a household, a spouse link).
    public let fields: [String]
    init(code: String, message: Text, failing: String, fields: [String] = []) {
        self.code = code; self.message = message; self.failing = failing; self.fields = fields
    }
}

/// 逻辑关系准确率 and 主要项目完整率: the consistency rules and the key fields of the registry, built
/// from the policy (the legal marriage age in force on each marriage's date).
/// Date arithmetic is done on the `YYYY-MM-DD` text, the same on SQLite and PostgreSQL.
public struct QualityRules: Sendable {
    public let consistency: [QualityCheck]

    public init(policy: Policy, today: Day) {
        let ages = policy.history(PolicyRule.legalMarriageAge.key).map { ($0.from, $0.value as! MarriageAge) }
        let now = policy(.legalMarriageAge, on: today)
        // The age that applies on the marriage date: the last entry in force then (the first one before any).
        var age = "CASE WHEN p.sex = '1' THEN \(ages[0].1.male) ELSE \(ages[0].1.female) END"
        for (from, a) in ages.dropFirst() {
            age = "CASE WHEN p.first_marriage_date >= '\(from.description)' THEN (CASE WHEN p.sex = '1' THEN \(a.male) ELSE \(a.female) END) ELSE (\(age)) END"
        }
        // Born on or before these days, a man or a woman is of marriageable age today.
        func born(yearsAgo: Int) -> String { today.lastBirthDay(forAge: yearsAgo).description }
        keyFields = Self.keyFields(adultBorn: (born(yearsAgo: now.male), born(yearsAgo: now.female)))
        consistency = Self.fixed(marriageAge: QualityCheck(
            code: "Q04-marriage-age",
            message: Text("初婚时未达法定婚龄（男 \(now.male) 岁，女 \(now.female) 岁）", "First marriage below the legal age (\(now.male) for men, \(now.female) for women)"),
            failing: "p.first_marriage_date IS NOT NULL AND p.birth_date IS NOT NULL AND p.sex IN ('1', '2') AND p.first_marriage_date < \(Self.shifted("p.birth_date", age))", fields: ["firstMarriageDate"]))
    }

    /// `birth_date` moved by a number of years, as text (`1990-05-01` + 15 → `2005-05-01`).
    static func shifted(_ column: String, _ years: String) -> String {
        "(CAST(CAST(SUBSTR(\(column), 1, 4) AS INTEGER) + \(years) AS TEXT) || SUBSTR(\(column), 5))"
    }

    static func fixed(marriageAge: QualityCheck) -> [QualityCheck] { [
        QualityCheck(code: "Q01-sex-id", message: Text("性别与身份号码不符", "Sex differs from the ID number"),
                     failing: "LENGTH(p.id_number) = 18 AND p.sex IN ('1', '2') AND p.sex <> CASE WHEN CAST(SUBSTR(p.id_number, 17, 1) AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END", fields: ["sex", "idNumber"]),
        QualityCheck(code: "Q02-birth-id", message: Text("出生日期与身份号码不符", "Birth date differs from the ID number"),
                     failing: "LENGTH(p.id_number) = 18 AND p.birth_date IS NOT NULL AND p.birth_date <> SUBSTR(p.id_number, 7, 4) || '-' || SUBSTR(p.id_number, 11, 2) || '-' || SUBSTR(p.id_number, 13, 2)", fields: ["birthDate", "idNumber"]),
        QualityCheck(code: "Q03-mother-age", message: Text("母亲比孩子年长不足 15 岁", "The mother is less than 15 years older than the child"),
                     failing: "p.birth_date IS NOT NULL AND EXISTS (SELECT 1 FROM persons m WHERE m.id = p.mother_id AND m.birth_date IS NOT NULL AND m.birth_date > \(shifted("p.birth_date", "-15")))", fields: ["birthDate"]),
        marriageAge,
        QualityCheck(code: "Q05-event-before-birth", message: Text("有早于出生日期的事件（如死亡）", "An event (such as death) dated before birth"),
                     failing: "p.birth_date IS NOT NULL AND EXISTS (SELECT 1 FROM life_events e WHERE e.person_id = p.id AND e.revoked_at IS NULL AND e.type <> 'birth' AND e.day < p.birth_date)", fields: ["birthDate"]),
        QualityCheck(code: "Q06-married-link", message: Text("已婚但无配偶关联，也无初婚日期", "Married without a spouse link or a first-marriage date"),
                     failing: "p.marital_status LIKE '2%' AND p.spouse_id IS NULL AND p.first_marriage_date IS NULL", fields: ["maritalStatus", "firstMarriageDate"]),
        QualityCheck(code: "Q07-unmarried-with-date", message: Text("未婚却有初婚日期", "Unmarried but with a first-marriage date"),
                     failing: "p.marital_status = '10' AND p.first_marriage_date IS NOT NULL", fields: ["maritalStatus", "firstMarriageDate"]),
        QualityCheck(code: "Q08-spouse-mutual", message: Text("配偶关联不对应", "The spouse does not link back"),
                     failing: "p.spouse_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM persons s WHERE s.id = p.spouse_id AND s.spouse_id = p.id)"),
        QualityCheck(code: "Q09-household-head", message: Text("所在户户主不是恰好一人", "The household does not have exactly one head"),
                     failing: "EXISTS (SELECT 1 FROM household_members hm WHERE hm.person_id = p.id AND hm.left_on IS NULL AND (SELECT COUNT(*) FROM household_members h2 WHERE h2.household_id = hm.household_id AND h2.left_on IS NULL AND h2.relation = '02') <> 1)"),
        QualityCheck(code: "Q10-id-checksum", message: Text("身份号码校验位错误（已确认保存）", "ID check character wrong (saved after confirmation)"),
                     failing: "p.flags LIKE '%id-checksum%'", fields: ["idNumber"]),
    ] }

    /// 主要项目: the key fields; `failing` is true when the field is missing. Marital status is asked
    /// from the legal marriage age in force today (a child has none to give).
    public let keyFields: [QualityCheck]
    static func keyFields(adultBorn: (male: String, female: String)) -> [QualityCheck] { [
        QualityCheck(code: "K01-relation", message: Text("缺与户主关系（未入户）", "No relation to a household head (not in a household)"),
                     failing: "NOT EXISTS (SELECT 1 FROM household_members k WHERE k.person_id = p.id AND k.left_on IS NULL)"),
        QualityCheck(code: "K02-name", message: Text("缺姓名", "No name"), failing: "p.name = ''", fields: ["name"]),
        QualityCheck(code: "K03-sex", message: Text("缺性别", "No sex"), failing: "p.sex NOT IN ('1', '2')", fields: ["sex"]),
        QualityCheck(code: "K04-birth-date", message: Text("缺出生日期", "No birth date"), failing: "p.birth_date IS NULL", fields: ["birthDate"]),
        QualityCheck(code: "K05-id-number", message: Text("缺身份号码（新生儿待户口登记后补录）", "No ID number (a newborn's is added after its hukou registration)"), failing: "p.id_number IS NULL OR p.id_number = ''", fields: ["idNumber"]),
        QualityCheck(code: "K06-ethnic-group", message: Text("缺民族", "No ethnic group"), failing: "p.ethnic_group IS NULL", fields: ["ethnicGroup"]),
        QualityCheck(code: "K07-hukou-type", message: Text("缺户口性质", "No hukou type"), failing: "p.hukou_type IS NULL", fields: ["hukouType"]),
        QualityCheck(code: "K08-marital-status", message: Text("缺婚姻状况（已到法定婚龄）", "No marital status (of marriageable age)"),
                     failing: "p.marital_status IS NULL AND (p.birth_date IS NULL OR p.birth_date <= CASE WHEN p.sex = '1' THEN '\(adultBorn.male)' ELSE '\(adultBorn.female)' END)",
                     fields: ["maritalStatus"]),
        QualityCheck(code: "K09-first-marriage", message: Text("已婚但缺初婚日期", "Married without a first-marriage date"),
                     failing: "p.marital_status LIKE '2%' AND p.first_marriage_date IS NULL", fields: ["firstMarriageDate"]),
    ] }

    public var all: [QualityCheck] { consistency + keyFields }
    public func check(_ code: String) -> QualityCheck? { all.first { $0.code == code } }
}
