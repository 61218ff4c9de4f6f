import Foundation

/// The text encodings an imported table may come in. Offices save spreadsheets as UTF-8 (with or
/// without a byte-order mark), as GB18030/GBK (the default of Chinese Windows), or as Excel's
/// "Unicode text" (UTF-16 with a byte-order mark, tab-separated).
public enum TableEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"

    /// Foundation's GB18030 (kCFStringEncodingGB_18030_2000 as an NSStringEncoding); a superset of GBK and GB2312.
    static let foundationGB18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Decides from the first bytes of a file. A byte-order mark decides (UTF-8, UTF-16 either way);
    /// so do zero bytes in every other place (UTF-16 without one, when the text is mostly ASCII). Bytes that are not valid UTF-8 (a
    /// sequence cut at the end of the sample is allowed) are GB18030. Bytes valid in both are weighed:
    /// short GBK text is often valid UTF-8 too (`叶小平` in GBK reads as `ҶСƽ`), so the decoding that
    /// gives Chinese characters rather than Cyrillic, Greek or accented Latin letters wins.
    public static func detect(_ sample: some Collection<UInt8>) -> TableEncoding {
        let bytes = Array(sample)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        if bytes.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if bytes.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        if bytes.count >= 4 {
            let pairs = bytes.count / 2
            let evenZero = stride(from: 0, to: pairs * 2, by: 2).filter { bytes[$0] == 0 }.count
            let oddZero = stride(from: 1, to: pairs * 2, by: 2).filter { bytes[$0] == 0 }.count
            if oddZero * 10 >= pairs * 9 && evenZero == 0 { return .utf16LE }
            if evenZero * 10 >= pairs * 9 && oddZero == 0 { return .utf16BE }
        }
        var i = 0, nonASCII = false
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return .gb18030
            }
            nonASCII = true
            if i + length > bytes.count { break }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return .gb18030 }
            i += length
        }
        guard nonASCII else { return .utf8 }
        // Valid as UTF-8: weigh both readings of the whole lines of the sample (a line feed is never
        // inside a GB18030 character, so the cut is clean).
        let whole = bytes.lastIndex(of: 0x0A).map { Array(bytes[...$0]) } ?? bytes
        let asUTF8 = Self.plausibility(String(decoding: whole, as: UTF8.self))
        guard asUTF8 < 0, let gb = String(data: Data(whole), encoding: foundationGB18030) else { return .utf8 }
        let asGB = Self.plausibility(gb)
        return asGB > 0 && asGB > asUTF8 ? .gb18030 : .utf8
    }

    /// How much a decoded text looks like what offices write: Chinese characters and CJK punctuation
    /// count for it, letters of other scripts (Cyrillic, Greek, accented Latin, symbols) against it.
    /// Punctuation and symbols (“”, —, √, ①, ℃, °, ×) count neither way: Chinese text uses them too.
    static func plausibility(_ text: String) -> Int {
        var score = 0
        for s in text.unicodeScalars where s.value >= 0x80 {
            switch s.value {
            case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x3FFFF: score += 1
            case 0x00A0...0x00BF, 0x00D7, 0x00F7, 0x2000...0x2BFF, 0xFE30...0xFE4F: break
            default: score -= 1
            }
        }
        return score
    }

    /// A fresh transcoder for a UTF-16 encoding (whose text reaches the CSV splitter as UTF-8); nil for the others.
    public var transcoder: UTF16Transcoder? {
        switch self {
        case .utf16LE: UTF16Transcoder(bigEndian: false)
        case .utf16BE: UTF16Transcoder(bigEndian: true)
        case .utf8, .gb18030: nil
        }
    }

    /// Decodes one field's bytes. Invalid bytes become U+FFFD rather than failing the whole row.
    /// UTF-16 text reaches the splitter already turned into UTF-8 (see `UTF16Transcoder`).
    public func decode(_ bytes: ArraySlice<UInt8>) -> String {
        if self != .gb18030 || bytes.allSatisfy({ $0 < 0x80 }) { return bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }
        return String(data: Data(bytes), encoding: Self.foundationGB18030) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// Encodes text for a file in this encoding (used by tests and the GB18030 template).
    public func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8: return Array(text.utf8)
        case .gb18030: return Array(text.data(using: Self.foundationGB18030) ?? Data(text.utf8))
        case .utf16LE: return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16BE: return [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        }
    }
}

/// Turns a UTF-16 byte stream, chunk by chunk, into UTF-8 bytes for the CSV splitter (which works on
/// bytes where a UTF-16 code unit may hold the byte of a comma). A code unit or surrogate pair cut by a
/// chunk's end waits for the next chunk; a byte-order mark is dropped.
public struct UTF16Transcoder: Sendable {
    let bigEndian: Bool
    var carry: [UInt8] = []
    var started = false
    public init(bigEndian: Bool) { self.bigEndian = bigEndian }

    public mutating func feed(_ chunk: some Sequence<UInt8>, final: Bool = false) -> [UInt8] {
        var bytes = carry + chunk
        carry = []
        if !started && bytes.count >= 2 {
            started = true
            if (bytes[0], bytes[1]) == (bigEndian ? (0xFE, 0xFF) : (0xFF, 0xFE)) { bytes.removeFirst(2) }
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 0
        while i + 1 < bytes.count {
            units.append(bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
            i += 2
        }
        if i < bytes.count { carry = [bytes[i]] }
        if !final, let last = units.last, (0xD800...0xDBFF).contains(last) {
            units.removeLast()
            carry = (bigEndian ? [UInt8(last >> 8), UInt8(last & 0xFF)] : [UInt8(last & 0xFF), UInt8(last >> 8)]) + carry
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}

/// The field separators a table file may use: the comma of CSV, the semicolon of CSV saved where the
/// comma is the decimal mark, and the tab of Excel's "Unicode text".
public enum FieldSeparator: UInt8, Sendable, CaseIterable {
    case comma = 0x2C, semicolon = 0x3B, tab = 0x09

    /// The separator of a file's first lines (bytes; quotes respected): for each candidate, the number
    /// of times it appears on each of the first ten lines; the one that appears the same non-zero number
    /// of times on the most lines wins (then the one with more on those lines), the comma on a tie. A
    /// remark with a few semicolons, or an address with commas in a tab-separated file, does not flip it.
    public static func detect(_ sample: some Collection<UInt8>) -> FieldSeparator {
        var perLine: [[FieldSeparator: Int]] = [], counts: [FieldSeparator: Int] = [:]
        var quoted = false, any = false
        for b in sample {
            if b == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A {
                if any { perLine.append(counts) }
                counts = [:]; any = false
                if perLine.count == 10 { break }
                continue
            }
            if b != 0x0D { any = true }
            if let s = FieldSeparator(rawValue: b) { counts[s, default: 0] += 1 }
        }
        if any && perLine.count < 10 { perLine.append(counts) }
        func score(_ s: FieldSeparator) -> (lines: Int, count: Int) {
            var byCount: [Int: Int] = [:]
            for line in perLine { if let n = line[s], n > 0 { byCount[n, default: 0] += 1 } }
            guard let best = byCount.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { return (0, 0) }
            return (best.value, best.key)
        }
        let comma = score(.comma)
        var winner = FieldSeparator.comma, best = comma
        for s in [FieldSeparator.tab, .semicolon] {
            let sc = score(s)
            if (sc.lines, sc.count) > (best.lines, best.count) { winner = s; best = sc }
        }
        return winner
    }

    /// How a message names it.
    public var label: Text {
        switch self {
        case .comma: Text("逗号", "commas")
        case .semicolon: Text("分号", "semicolons")
        case .tab: Text("制表符", "tabs")
        }
    }
}

/// Splits CSV bytes into records as they arrive (RFC 4180: quoted fields, doubled quotes, line breaks
/// inside quotes). It works on bytes, which is safe for UTF-8 and GB18030 alike: neither uses the
/// bytes of `,`, `"`, CR or LF inside a multi-byte character. Memory holds one record at a time.
public struct CSVSplitter: Sendable {
    public struct Record: Sendable {
        /// The 1-based line number where the record starts.
        public var line: Int
        public var fields: [ArraySlice<UInt8>]
    }

    private var field: [UInt8] = []
    private var fields: [ArraySlice<UInt8>] = []
    private var quoted = false
    private var quoteSeen = false
    private var afterQuote = false
    private var line = 1
    private var recordLine = 1
    private var started = false
    private var skippedBOM = false
    private var bomProbe: [UInt8] = []
    private let separator: UInt8

    /// A splitter for fields separated by `separator` (a comma unless told).
    public init(separator: FieldSeparator = .comma) { self.separator = separator.rawValue }

    /// Feeds the next chunk; calls `record` for each record it completes.
    public mutating func feed(_ chunk: some Sequence<UInt8>, _ record: (Record) throws -> Void) rethrows {
        for b in chunk {
            if !skippedBOM {
                bomProbe.append(b)
                if bomProbe.count < 3 && [0xEF, 0xBB, 0xBF].starts(with: bomProbe) { continue }
                skippedBOM = true
                let probe = bomProbe; bomProbe = []
                if probe == [0xEF, 0xBB, 0xBF] { continue }
                for p in probe { try take(p, record) }
                continue
            }
            try take(b, record)
        }
    }

    private mutating func take(_ b: UInt8, _ record: (Record) throws -> Void) rethrows {
        if quoted {
            if b == 0x22 { quoted = false; afterQuote = true; return }
            if b == 0x0A { line += 1 }
            field.append(b); return
        }
        if afterQuote {
            afterQuote = false
            if b == 0x22 { field.append(0x22); quoted = true; return }
        }
        switch b {
        case 0x22 where field.isEmpty && !quoteSeen:
            quoted = true; quoteSeen = true; started = true
        case separator:
            endField(); started = true
        case 0x0A:
            line += 1
            try endRecord(record)
        case 0x0D:
            break
        default:
            field.append(b); started = true
        }
    }

    private mutating func endField() {
        fields.append(field[...]); field = []; quoteSeen = false
    }

    private mutating func endRecord(_ record: (Record) throws -> Void) rethrows {
        defer { recordLine = line }
        guard started || !fields.isEmpty || !field.isEmpty else { return }
        endField()
        let r = Record(line: recordLine, fields: fields)
        fields = []; started = false
        try record(r)
    }

    /// Ends the input: a last record without a line break is completed.
    public mutating func finish(_ record: (Record) throws -> Void) rethrows {
        if !skippedBOM {
            skippedBOM = true
            let probe = bomProbe; bomProbe = []
            if probe != [0xEF, 0xBB, 0xBF] { for p in probe { try take(p, record) } }
        }
        try endRecord(record)
    }
}

/// Cleans what a spreadsheet cell holds: full-width ASCII (digits, letters, punctuation) becomes
/// half-width, the ideographic space and non-breaking spaces become plain spaces, invisible format
/// characters (zero-width space and joiners, word joiner, byte-order mark, soft hyphen, direction
/// marks: Unicode category Cf) are dropped, and the ends are trimmed. Two wrappers exports use are
/// undone: `="…"` (text a spreadsheet must not turn into a number) and a `'` before `=`, `+`, `-`
/// or `@` (a formula neutralised, see `CSV.escape`).
public enum CellText {
    public static func normalize(_ raw: String) -> String {
        var needs = false
        for s in raw.unicodeScalars where s.value >= 0x80 {
            if (0xFF01...0xFF5E).contains(s.value) || s.value == 0x3000 || s.value == 0xA0 || s.properties.generalCategory == .format { needs = true; break }
        }
        var out = raw
        if needs {
            var scalars = String.UnicodeScalarView()
            for s in raw.unicodeScalars {
                switch s.value {
                case 0xFF01...0xFF5E: scalars.append(UnicodeScalar(s.value - 0xFEE0)!)
                case 0x3000, 0xA0: scalars.append(" ")
                case 0x80...: if s.properties.generalCategory != .format { scalars.append(s) }
                default: scalars.append(s)
                }
            }
            out = String(scalars)
        }
        out = out.trimmed
        if out.hasPrefix("=\""), out.hasSuffix("\""), out.count >= 3 {
            out = String(out.dropFirst(2).dropLast()).replacingOccurrences(of: "\"\"", with: "\"").trimmed
        } else if out.hasPrefix("'"), let second = out.dropFirst().first, CSV.formulaStarts.contains(second) {
            out.removeFirst()
        }
        return out
    }

    /// True when a spreadsheet would read the cell as a formula (it begins with `=`, `+`, `-` or `@`
    /// and is not a plain number): an import warns about such a value.
    public static func looksLikeFormula(_ value: String) -> Bool {
        guard let first = value.first, CSV.formulaStarts.contains(first) else { return false }
        // A placeholder of dashes (`-`, `--`) is no formula worth a warning.
        return Double(value) == nil && !value.allSatisfy { $0 == "-" }
    }

    /// A header cell as a lookup key: normalised, lower-case, without spaces, `_`, `-` and the `*` that marks required columns.
    public static func headerKey(_ raw: String) -> String {
        normalize(raw).lowercased().filter { !" _-*（）()".contains($0) }
    }
}

/// Dates as offices write them: 2020-01-02, 2020/1/2, 2020.1.2, 20200102, 2020年1月2日, or an Excel
/// serial number (days since 1899-12-30, as a spreadsheet stores a date cell). A year alone (`1990`)
/// or a year and month (`1990-03`, `1990年3月`, `199003`) is no day: it is read as partial, never as a
/// serial number or the first of the month.
public enum CellDate {
    /// What a cell holds.
    public enum Reading: Sendable, Equatable {
        case day(Day)
        /// A year, or a year and a month, without the day.
        case partial(year: Int, month: Int?)
        case invalid
    }

    /// The day a cell holds, or nil (a partial date included: see `read`).
    public static func parse(_ raw: String) -> Day? {
        if case .day(let d) = read(raw) { return d }
        return nil
    }

    /// Years a four-digit cell stands for; a serial number in that range would be a day of 1905.
    static let years = 1880...2100

    public static func read(_ raw: String) -> Reading {
        let s = CellText.normalize(raw)
        guard !s.isEmpty else { return .invalid }
        // The common case first: YYYY-MM-DD.
        let u = Array(s.utf8)
        if u.count == 10, u[4] == 0x2D, u[7] == 0x2D {
            func n(_ r: Range<Int>) -> Int? { var v = 0; for i in r { guard (0x30...0x39).contains(u[i]) else { return nil }; v = v * 10 + Int(u[i] - 0x30) }; return v }
            if let y = n(0..<4), let m = n(5..<7), let d = n(8..<10) { return Day(year: y, month: m, day: d).map(Reading.day) ?? .invalid }
        }
        if s.count == 8, s.allSatisfy(\.isASCIIDigit) {
            return Day(year: Int(s.prefix(4))!, month: Int(s.dropFirst(4).prefix(2))!, day: Int(s.suffix(2))!).map(Reading.day) ?? .invalid
        }
        if s.count == 4, s.allSatisfy(\.isASCIIDigit), let y = Int(s), years.contains(y) { return .partial(year: y, month: nil) }
        if s.count == 6, s.allSatisfy(\.isASCIIDigit), let y = Int(s.prefix(4)), let m = Int(s.suffix(2)), years.contains(y), (1...12).contains(m) {
            return .partial(year: y, month: m)
        }
        // Excel serial: a whole number (perhaps with a fraction for the time of day) of at most 5 digits.
        let whole = s.split(separator: ".", maxSplits: 1).first.map(String.init) ?? s
        // A whole part that reads as a year (1990.03) is a year and month, never day 1990 of the count.
        if whole.count <= 5, whole.allSatisfy(\.isASCIIDigit), let n = Int(whole), n > 0, !(whole.count == 4 && years.contains(n)),
           s.split(separator: ".").count <= 2, s.split(separator: ".").dropFirst().allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) {
            return .day(Day(year: 1899, month: 12, day: 30)!.adding(days: n))
        }
        var t = s.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-").replacingOccurrences(of: "日", with: "")
        t = t.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
        // A time after the date ("2020-01-02 00:00:00") is dropped.
        if let space = t.firstIndex(of: " ") { t = String(t[..<space]) }
        if t.hasPrefix("T") { return .invalid }
        if let tIndex = t.firstIndex(of: "T") { t = String(t[..<tIndex]) }
        var parts = t.split(separator: "-", omittingEmptySubsequences: false)
        if parts.last == "" && parts.count > 1 { parts.removeLast() }   // 1990年3月 → "1990-3-"
        if parts.count == 1, parts[0].count == 4, let y = Int(parts[0]), years.contains(y) { return .partial(year: y, month: nil) }   // 1990年
        guard (2...3).contains(parts.count), parts[0].count == 4, let y = Int(parts[0]), (1...2).contains(parts[1].count), let m = Int(parts[1]) else { return .invalid }
        if parts.count == 2 { return years.contains(y) && (1...12).contains(m) ? .partial(year: y, month: m) : .invalid }
        guard (1...2).contains(parts[2].count), let d = Int(parts[2]) else { return .invalid }
        return Day(year: y, month: m, day: d).map(Reading.day) ?? .invalid
    }
}

extension StringProtocol {
    /// Unicode's White_Space, without the property lookup for ASCII (most cells): the lookup took
    /// a twentieth of an import's time.
    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? (s.value == 0x20 || (0x09...0x0D).contains(s.value)) : s.properties.isWhitespace
    }

    /// The text without leading and trailing white space (Unicode White_Space: spaces, the ideographic
    /// space, tabs and line breaks). Pure Swift: Foundation's trimmingCharacters goes through NSString
    /// on Linux and dominated the import's profile.
    public var trimmed: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end && Self.isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start && Self.isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex, let s = self as? String { return s }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
