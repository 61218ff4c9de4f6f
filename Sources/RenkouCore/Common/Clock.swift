import Foundation

/// Time and ids are injected so that tests are deterministic and a deadline test can move the calendar.
public struct Environment: Sendable {
    public var now: @Sendable () -> Date
    public var newID: @Sendable () -> UUID
    /// The dated rules in force (shipped, or overridden by the deployment's policy file).
    public var policy: Policy
    public init(now: @escaping @Sendable () -> Date = { Date() }, newID: @escaping @Sendable () -> UUID = { UUID.v7() }, policy: Policy = .shipped) {
        self.now = now; self.newID = newID; self.policy = policy
    }
    /// Today in China Standard Time.
    public var today: Day { Day(now()) }
    public static let live = Environment()
}

extension UUID {
    /// A time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, a 12-bit counter,
    /// then random bits, so that new rows land at the end of an index, ids stay unique across
    /// deployments, and ids made one after another in this process sort in the order they were made
    /// even within one millisecond (RFC 9562 §6.2, method 1: the counter starts at a random value
    /// below 2048 in each new millisecond and counts up; at 4096 it borrows the next millisecond).
    public static func v7(at date: Date = Date(), sequence: V7Sequence = .shared) -> UUID {
        var rng = SystemRandomNumberGenerator()
        let a = rng.next(), b = rng.next()
        let (ms, counter) = sequence.next(UInt64(max(0, date.timeIntervalSince1970 * 1000)), seed: UInt16(truncatingIfNeeded: b >> 16) & 0x7FF)
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - UInt64(i)))) }
        bytes[6] = 0x70 | UInt8(counter >> 8); bytes[7] = UInt8(truncatingIfNeeded: counter)
        // Two draws of 64 bits, not one per byte: each draw is a system call.
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i - 8))) }
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Lower-case canonical text, the form stored in the database and shown in URLs.
    public var text: String { uuidString.lowercased() }
}

/// The last millisecond and counter `UUID.v7` used: one per process (`shared`), or one per clock
/// (a test's). A clock set back starts a new random counter: order is kept within the time given.
public final class V7Sequence: @unchecked Sendable {
    public static let shared = V7Sequence()
    public init() {}
    private let lock = NSLock()
    private var lastMs: UInt64 = 0
    private var counter: UInt16 = 0
    func next(_ ms: UInt64, seed: UInt16) -> (UInt64, UInt16) {
        lock.lock(); defer { lock.unlock() }
        // the same millisecond, or one before a borrowed one (within ten seconds): count on
        if ms <= lastMs && lastMs - ms < 10_000 {
            counter += 1
            if counter > 0xFFF { lastMs += 1; counter = seed }
        } else {
            lastMs = ms; counter = seed
        }
        return (lastMs, counter)
    }
}

/// Timestamps are stored as ISO 8601 UTC text with milliseconds: sortable and identical on both engines.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
    public static func date(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// The deployment's time zone (时区): `RENKOU_TIME_ZONE` (an IANA name), else Asia/Shanghai.
    /// Days ("today", due dates) and the times people read are in it; stored times stay UTC.
    public static let zone: TimeZone = {
        ProcessInfo.processInfo.environment["RENKOU_TIME_ZONE"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Shanghai")!
    }()

    /// A stored timestamp as people read it: `2026-11-29 17:13` in the deployment's zone. Text that is
    /// not a timestamp is returned as it is.
    public static func local(_ text: String) -> String {
        guard let date = date(text) else { return text }
        let c = Day.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func pad(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute))"
    }
}

/// A calendar date (no time of day), stored as `YYYY-MM-DD`.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    /// A valid Gregorian date, checked by arithmetic (an import checks millions of them; Calendar is slow).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }
    public init(_ date: Date) {
        let c = Day.calendar.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!; self.month = c.month!; self.day = c.day!
    }
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String { let s = String(n); return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// A `YYYY-MM-DD` value a user typed for `field`; empty means `fallback`. A bad value is a field error.
    public static func parse(_ text: String?, field: String, default fallback: Day) throws -> Day {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return fallback }
        guard let day = Day(text) else {
            // Written right but not a day of the calendar (30 February): say so rather than repeat the format.
            let parts = text.split(separator: "-")
            let wellFormed = parts.count == 3 && parts.map(\.count) == [4, 2, 2] && parts.allSatisfy { $0.allSatisfy(\.isASCII) && Int($0) != nil }
            throw RenkouError.invalid([FieldError("/\(field)", "date-format", wellFormed
                ? Text("\(text) 这一天不存在。", "There is no such day as \(text).")
                : Text("日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD."))])
        }
        return day
    }
    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    /// Dates are civil dates in China Standard Time.
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian); c.timeZone = Timestamp.zone; return c
    }()
    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(s) else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(s)")) }
        self = d
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer(); try c.encode(description)
    }
}

extension Day {
    /// ISO weekday: 1 Monday … 7 Sunday (Sakamoto's method, proleptic Gregorian).
    public var isoWeekday: Int {
        let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4], y = month < 3 ? year - 1 : year
        let w = (y + y / 4 - y / 100 + y / 400 + t[month - 1] + day) % 7
        return w == 0 ? 7 : w
    }
}
