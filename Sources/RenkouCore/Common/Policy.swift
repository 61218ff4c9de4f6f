import Foundation

/// 政策规则: a rule that changes with the law, declared by the module that asks it.
///
/// `key` is stable text such as `registry.reproductive-age`; `Value` is what one dated entry holds.
/// A rule is always asked "as of a day": `policy(rule, on: day)`.
public struct PolicyRule<Value: Codable & Sendable>: Sendable {
    public let key: String
    public let title: Text
    public init(_ key: String, _ title: Text) { self.key = key; self.title = title }

    /// The rule with its shipped entries: `(effective from, value, source)`, in any order.
    public func declare(_ entries: [(from: Day, value: Value, source: String)]) -> PolicyDeclaration {
        PolicyDeclaration(
            key: key, title: title,
            entries: entries.map { PolicyEntry(key: key, from: $0.from, value: $0.value, source: $0.source) },
            decode: { data in try JSONDecoder().decode(Value.self, from: data) },
            encode: { value in try JSONEncoder.sorted.encode(value as! Value) })
    }
}

/// One dated value of a rule: in force from `from` until the next entry's date.
public struct PolicyEntry: Sendable {
    public let key: String
    public let from: Day
    public let value: any Sendable
    /// Where the value comes from (a law, a notice and its number, or a deployment file).
    public let source: String
}

/// A rule as a module declares it: its key, the shipped entries, and how to read and write a value.
public struct PolicyDeclaration: Sendable {
    public let key: String
    public let title: Text
    public let entries: [PolicyEntry]
    let decode: @Sendable (Data) throws -> any Sendable
    let encode: @Sendable (any Sendable) throws -> Data
}

/// 政策: every dated rule of the deployment and the working-day calendar.
///
/// Built from the rules the modules declare (the law in force today, and older entries for older
/// records), optionally overridden or extended by a deployment file (`RENKOU_POLICY_FILE`, JSON):
/// ```json
/// { "rules": [ { "key": "births.registration-limit", "from": "2024-01-01", "value": 5, "source": "沪卫规〔2024〕1号" } ],
///   "calendar": { "2027": { "holidays": ["2027-01-01"], "workdays": ["2027-02-06"] } } }
/// ```
/// A day before a rule's first entry gets the first entry (the oldest rule known).
public struct Policy: Sendable {
    /// Entries per key, sorted by date.
    let entries: [String: [PolicyEntry]]
    let declarations: [String: PolicyDeclaration]
    /// 工作日历: public holidays and adjusted working days.
    public let calendar: WorkingDayCalendar

    public init(declarations: [PolicyDeclaration], calendar: WorkingDayCalendar = .shipped) {
        var decls: [String: PolicyDeclaration] = [:]
        for d in declarations {
            precondition(decls[d.key] == nil, "policy rule \(d.key) declared twice")
            decls[d.key] = d
        }
        declarations.forEach { precondition(!$0.entries.isEmpty, "policy rule \($0.key) has no shipped entry") }
        self.declarations = decls
        self.entries = decls.mapValues { $0.entries.sorted { $0.from < $1.from } }
        self.calendar = calendar
    }

    init(entries: [String: [PolicyEntry]], declarations: [String: PolicyDeclaration], calendar: WorkingDayCalendar) {
        self.entries = entries; self.declarations = declarations; self.calendar = calendar
    }

    /// The value of `rule` in force on `day`. A rule no module declared is a programming error.
    public func callAsFunction<V>(_ rule: PolicyRule<V>, on day: Day) -> V {
        guard let list = entries[rule.key], let first = list.first else { preconditionFailure("policy rule \(rule.key) is not declared") }
        let entry = list.last { $0.from <= day } ?? first
        return entry.value as! V
    }

    /// Every entry of a rule, oldest first (for the policy page and the CLI).
    public func history(_ key: String) -> [PolicyEntry] { entries[key] ?? [] }

    /// Every declared key with its title, sorted.
    public var rules: [(key: String, title: Text)] { declarations.values.map { ($0.key, $0.title) }.sorted { $0.key < $1.key } }

    /// The entry's value as JSON text (for listing the policy in force).
    public func json(_ entry: PolicyEntry) -> String {
        guard let d = declarations[entry.key], let data = try? d.encode(entry.value) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// This policy with a deployment file's entries added: an entry with the same key and date
    /// replaces the shipped one; a calendar year given replaces that whole year (its holidays and
    /// its adjusted working days). Throws `policy-file` with every problem found (unknown key, bad date,
    /// a value of the wrong shape, a calendar day that is not a date), each with where it is.
    public func overriding(with data: Data, file: String) throws -> Policy {
        func problem(_ pointer: String, _ zh: String, _ en: String) -> FieldError { FieldError(pointer, "policy-file", Text(zh, en)) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RenkouError(.invalid, "policy-file", Text("政策文件 \(file) 不是 JSON 对象。", "The policy file \(file) is not a JSON object."))
        }
        var problems: [FieldError] = []
        for key in root.keys.sorted() where !["rules", "calendar"].contains(key) {
            problems.append(problem("/\(key)", "未知的项 \(key)（应为 rules 或 calendar）。", "Unknown item \(key) (rules or calendar expected)."))
        }
        var entries = self.entries
        for (i, item) in ((root["rules"] as? [Any]) ?? []).enumerated() {
            let at = "/rules/\(i)"
            guard let rule = item as? [String: Any], let key = rule["key"] as? String else {
                problems.append(problem(at, "缺少 key。", "No key.")); continue
            }
            guard let decl = declarations[key] else {
                problems.append(problem(at + "/key", "未知的规则 \(key)。", "Unknown rule \(key).")); continue
            }
            guard let fromText = rule["from"] as? String, let from = Day(fromText) else {
                problems.append(problem(at + "/from", "生效日期应写作 YYYY-MM-DD。", "Write the effective date as YYYY-MM-DD.")); continue
            }
            guard let raw = rule["value"], let valueData = try? JSONSerialization.data(withJSONObject: raw, options: [.fragmentsAllowed]) else {
                problems.append(problem(at + "/value", "缺少 value。", "No value.")); continue
            }
            let value: any Sendable
            do { value = try decl.decode(valueData) } catch {
                problems.append(problem(at + "/value", "\(key) 的取值格式不对：\(error)", "The value of \(key) has the wrong shape: \(error)")); continue
            }
            let source = (rule["source"] as? String) ?? file
            var list = entries[key] ?? []
            list.removeAll { $0.from == from }
            list.append(PolicyEntry(key: key, from: from, value: value, source: source))
            entries[key] = list.sorted { $0.from < $1.from }
        }
        var calendar = self.calendar
        for (year, item) in (root["calendar"] as? [String: Any]) ?? [:] {
            let at = "/calendar/\(year)"
            guard let y = Int(year), let spec = item as? [String: Any] else { problems.append(problem(at, "应为年份及其假日。", "Expected a year with its days.")); continue }
            for key in spec.keys.sorted() where !["holidays", "workdays"].contains(key) {
                problems.append(problem("\(at)/\(key)", "未知的项 \(key)（应为 holidays 或 workdays）。", "Unknown item \(key) (holidays or workdays expected)."))
            }
            func days(_ name: String) -> [Day] {
                ((spec[name] as? [Any]) ?? []).enumerated().compactMap { j, v in
                    guard let s = v as? String, let d = Day(s), d.year == y else {
                        problems.append(problem("\(at)/\(name)/\(j)", "应为 \(y) 年内的日期 YYYY-MM-DD。", "Expected a date YYYY-MM-DD in \(y).")); return nil
                    }
                    return d
                }
            }
            calendar = calendar.replacing(year: y, holidays: days("holidays"), workdays: days("workdays"))
        }
        if !problems.isEmpty {
            throw RenkouError(.invalid, "policy-file", Text("政策文件 \(file) 有误。", "The policy file \(file) has mistakes."), fields: problems)
        }
        return Policy(entries: entries, declarations: declarations, calendar: calendar)
    }
}
