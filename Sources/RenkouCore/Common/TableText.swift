import Foundation

/// The text encodings an imported table may come in. Offices save spreadsheets as UTF-8 (with or
/// without a byte-order mark) or as GB18030/GBK, the default of Chinese Windows.
public enum TableEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"

    /// Foundation's GB18030 (kCFStringEncodingGB_18030_2000 as an NSStringEncoding); a superset of GBK and GB2312.
    static let foundationGB18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Decides from the first bytes of a file: a UTF-8 byte-order mark, or bytes that are valid UTF-8
    /// (a sequence cut at the end of the sample is allowed), mean UTF-8; anything else is GB18030.
    public static func detect(_ sample: some Collection<UInt8>) -> TableEncoding {
        let bytes = Array(sample)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        var i = 0
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
            if i + length > bytes.count { return .utf8 }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return .gb18030 }
            i += length
        }
        return .utf8
    }

    /// Decodes one field's bytes. Invalid bytes become U+FFFD rather than failing the whole row.
    public func decode(_ bytes: ArraySlice<UInt8>) -> String {
        if self == .utf8 || bytes.allSatisfy({ $0 < 0x80 }) { return bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }
        return String(data: Data(bytes), encoding: Self.foundationGB18030) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// Encodes text for a file in this encoding (used by tests and the GB18030 template).
    public func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8: return Array(text.utf8)
        case .gb18030: return Array(text.data(using: Self.foundationGB18030) ?? Data(text.utf8))
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

    public init() {}

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
        case 0x2C:
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
/// half-width, the ideographic space and non-breaking spaces become plain spaces, and the ends are trimmed.
public enum CellText {
    public static func normalize(_ raw: String) -> String {
        var needs = false
        for s in raw.unicodeScalars where (0xFF01...0xFF5E).contains(s.value) || s.value == 0x3000 || s.value == 0xA0 || s.value == 0xFEFF { needs = true; break }
        var out = raw
        if needs {
            var scalars = String.UnicodeScalarView()
            for s in raw.unicodeScalars {
                switch s.value {
                case 0xFF01...0xFF5E: scalars.append(UnicodeScalar(s.value - 0xFEE0)!)
                case 0x3000, 0xA0: scalars.append(" ")
                case 0xFEFF: continue
                default: scalars.append(s)
                }
            }
            out = String(scalars)
        }
        return out.trimmed
    }

    /// A header cell as a lookup key: normalised, lower-case, without spaces, `_`, `-` and the `*` that marks required columns.
    public static func headerKey(_ raw: String) -> String {
        normalize(raw).lowercased().filter { !" _-*（）()".contains($0) }
    }
}

/// Dates as offices write them: 2020-01-02, 2020/1/2, 2020.1.2, 20200102, 2020年1月2日, or an Excel
/// serial number (days since 1899-12-30, as a spreadsheet stores a date cell).
public enum CellDate {
    public static func parse(_ raw: String) -> Day? {
        let s = CellText.normalize(raw)
        guard !s.isEmpty else { return nil }
        // The common case first: YYYY-MM-DD.
        let u = Array(s.utf8)
        if u.count == 10, u[4] == 0x2D, u[7] == 0x2D {
            func n(_ r: Range<Int>) -> Int? { var v = 0; for i in r { guard (0x30...0x39).contains(u[i]) else { return nil }; v = v * 10 + Int(u[i] - 0x30) }; return v }
            if let y = n(0..<4), let m = n(5..<7), let d = n(8..<10) { return Day(year: y, month: m, day: d) }
        }
        if s.count == 8, s.allSatisfy(\.isASCIIDigit) {
            return Day(year: Int(s.prefix(4))!, month: Int(s.dropFirst(4).prefix(2))!, day: Int(s.suffix(2))!)
        }
        // Excel serial: a whole number (perhaps with a fraction for the time of day) of at most 5 digits.
        let whole = s.split(separator: ".", maxSplits: 1).first.map(String.init) ?? s
        if whole.count <= 5, whole.allSatisfy(\.isASCIIDigit), let n = Int(whole), n > 0,
           s.split(separator: ".").count <= 2, s.split(separator: ".").dropFirst().allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) {
            return Day(year: 1899, month: 12, day: 30)!.adding(days: n)
        }
        var t = s.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-").replacingOccurrences(of: "日", with: "")
        t = t.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
        // A time after the date ("2020-01-02 00:00:00") is dropped.
        if let space = t.firstIndex(of: " ") { t = String(t[..<space]) }
        if t.hasPrefix("T") { return nil }
        if let tIndex = t.firstIndex(of: "T") { t = String(t[..<tIndex]) }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return Day(year: y, month: m, day: d)
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
