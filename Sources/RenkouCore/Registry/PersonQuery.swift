import Foundation

/// A search of the registry: every filter is optional and they combine with AND.
/// The page, the API and the export read it from the same query parameters.
public struct PersonQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable { case newest, name, birthDate, idNumber, updated }
    /// A whole ID number, its last 4–8 characters, or its first 9–17 (`idMatch` says which).
    public var idNumber: String?
    public var idMatch: IDMatch = .exact
    /// How `idNumber` is matched: the whole number, its end (the last digits a resident reads out) or its start.
    public enum IDMatch: String, Sendable { case exact, ending, starting }
    public var name: String?
    public var address: String?
    public var unit: String?
    public var ageMin: Int?
    public var ageMax: Int?
    public var sex: String?
    public var category: String?
    public var status: String?
    /// Only women of reproductive age (the policy's range, 15–49).
    public var womenOfReproductiveAge = false
    public var sort: Sort = .newest
    public var descending = false
    public var limit = 50
    public var offset = 0

    public init() {}

    /// Reads the query parameters (`q` — a name or an ID number, whole or part —, `id`, `name`, `address`, `unit`, `ageMin`, `ageMax`, `sex`, `category`,
    /// `status`, `wra`, `sort`, `desc`, `limit`, `offset`); a bad value is reported with its parameter.
    public static func parse(_ get: (String) -> String?) throws -> PersonQuery {
        var q = PersonQuery()
        var errors = FieldErrors()
        func text(_ key: String) -> String? {
            guard let v = get(key)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let raw = text(key) else { return nil }
            guard let v = Int(raw), range.contains(v) else {
                errors.add("/\(key)", "range", "应为 \(range.lowerBound)–\(range.upperBound) 之间的整数。", "A whole number from \(range.lowerBound) to \(range.upperBound) is expected.")
                return nil
            }
            return v
        }
        /// An ID number whole or in part, reported under `key` when it is neither.
        func idNumber(_ raw: String, key: String) {
            let id = CitizenID.normalize(raw)
            q.idNumber = id
            let digits = id.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "X") }
            switch digits ? id.count : 0 {
            case 18: q.idMatch = .exact
            case 4...8: q.idMatch = .ending
            case 9...17: q.idMatch = .starting
            default:
                errors.add("/\(key)", "id-partial", "身份号码请输入完整号码、末 4–8 位或前 9–17 位。",
                           "Type the whole ID number, its last 4–8 characters or its first 9–17.")
            }
        }
        if let id = text("id") { idNumber(id, key: "id") }
        // One field for both: digits are an ID number (whole or part), anything else a name.
        if let any = text("q") {
            if CitizenID.normalize(any).allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "X") }) { idNumber(any, key: "q") } else { q.name = PersonName.normalize(any) }
        }
        // A name is searched in the form names are stored in (`PersonName`): `阿依古丽•买买提` finds `阿依古丽·买买提`.
        if let name = text("name") { q.name = PersonName.normalize(name) }
        q.address = text("address"); q.unit = text("unit")
        q.ageMin = int("ageMin", 0...150); q.ageMax = int("ageMax", 0...150)
        if let a = q.ageMin, let b = q.ageMax, a > b { errors.add("/ageMax", "range", "最大年龄不能小于最小年龄。", "The maximum age is below the minimum.") }
        for (key, table) in [("sex", Codes.sex), ("category", Codes.category), ("status", Codes.status)] {
            guard let v = text(key) else { continue }
            if !Codes.contains(table, v) { errors.add("/\(key)", "code-unknown", "代码 \(v) 不存在。", "There is no code \(v).") }
            switch key { case "sex": q.sex = v; case "category": q.category = v; default: q.status = v }
        }
        q.womenOfReproductiveAge = ["1", "true", "on", "yes"].contains(text("wra") ?? "")
        if let s = text("sort") {
            if let sort = Sort(rawValue: s) { q.sort = sort } else { errors.add("/sort", "sort", "无法按 \(s) 排序。", "Cannot sort by \(s).") }
        }
        q.descending = ["1", "true", "on", "yes"].contains(text("desc") ?? "")
        q.limit = int("limit", 1...500) ?? 50
        q.offset = int("offset", 0...Int(Int32.max)) ?? 0
        try errors.throwIfAny()
        return q
    }

    /// The birth-date bounds (inclusive, `YYYY-MM-DD`) that an age range means on a given day.
    public func birthBounds(today: Day, policy: Policy) -> (earliest: String?, latest: String?) {
        var minAge = ageMin, maxAge = ageMax
        if womenOfReproductiveAge {
            let range = policy(.reproductiveAge, on: today)
            minAge = Swift.max(minAge ?? range.min, range.min); maxAge = Swift.min(maxAge ?? range.max, range.max)
        }
        // age >= a  ⇔ born on or before the last birth day for a; age <= b ⇔ born after the last birth day for b + 1
        // (`Day.lastBirthDay`: 29 February gives 28 February in a common year, never 1 March).
        return (maxAge.map { today.lastBirthDay(forAge: $0 + 1).adding(days: 1).description }, minAge.map { today.lastBirthDay(forAge: $0).description })
    }
}
