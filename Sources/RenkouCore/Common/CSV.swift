/// A minimal RFC 4180 CSV line splitter (quoted fields, doubled quotes). Lines with embedded
/// newlines are not joined here; the reader that feeds lines does that.
public enum CSV {
    public static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                out.append(field); field = ""
            } else if c != "\r" {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }

    /// The first characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP):
    /// `=`, `+`, `-`, `@`, and (as OWASP advises) a tab or carriage return, with which a formula can be hidden.
    public static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// A value as a CSV cell: quoted when it needs it, and a value a spreadsheet would run as a
    /// formula (`=1+2`, `@SUM(A1)`, `-2+3`) written after a `'` so that it is shown as text. Plain
    /// numbers (`-3`, `+5`) stay as they are. Every CSV the system writes goes through here.
    public static func escape(_ value: String) -> String {
        var v = value
        if let first = v.first, formulaStarts.contains(first), Double(v.trimmed) == nil || first == "\t" || first == "\r" { v = "'" + v }
        return v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    /// A cell of a CSV file meant to be opened in a spreadsheet and imported again: as `escape`, and
    /// a long number (ID numbers, unit codes: more than 11 digits, which a spreadsheet rounds to 15
    /// significant digits and shows as 1.1E+17) or a number with a leading zero written as `="…"`, which
    /// a spreadsheet keeps as text and saves back as the plain digits. Imports read `="…"` as its text.
    public static func spreadsheetCell(_ value: String) -> String {
        let digits = value.utf8.allSatisfy { (0x30...0x39).contains($0) }
        if digits && (value.utf8.count > 11 || (value.utf8.count > 1 && value.hasPrefix("0"))) { return "=\"" + value + "\"" }
        return escape(value)
    }
}

/// One row an import could not take: where and why.
public struct ImportRejection: Sendable, Codable, Equatable {
    public var row: Int
    public var column: String
    public var value: String
    public var reason: Text
    public init(row: Int, column: String, value: String, reason: Text) {
        self.row = row; self.column = column; self.value = value; self.reason = reason
    }
}

/// How one row of an import that writes records ended (people, units).
public enum ImportOutcome: String, Sendable, CaseIterable {
    case imported, updated, unchanged, rejected
}

/// What a unit-table import did: imported + updated + unchanged + rejected = read (an `ImportTally`).
public struct ImportReport: Sendable, Equatable {
    public private(set) var tally = ImportTally<ImportOutcome>()
    public private(set) var rejections: [ImportRejection] = []
    public init() {}
    public var read: Int { tally.read }
    public var imported: Int { tally[.imported] }
    public var updated: Int { tally[.updated] }
    public var unchanged: Int { tally[.unchanged] }
    public var rejected: Int { tally[.rejected] }

    /// Counts a row that was taken (imported, updated or unchanged).
    public mutating func count(_ outcome: ImportOutcome) { tally.count(outcome) }

    /// Counts a refused row with where and why.
    public mutating func reject(row: Int, column: String, value: String, _ reason: Text) {
        tally.count(.rejected)
        rejections.append(ImportRejection(row: row, column: column, value: value, reason: reason))
    }

    /// The one-line JSON summary printed at the end of a command-line import.
    public var summaryJSON: String {
        Self.summaryJSON(read: read, imported: imported, updated: updated, unchanged: unchanged, rejected: rejected)
    }

    /// The summary line every import prints (the unit import's and the person import's alike).
    public static func summaryJSON(read: Int, imported: Int, updated: Int, unchanged: Int, rejected: Int) -> String {
        "{\"read\":\(read),\"imported\":\(imported),\"updated\":\(updated),\"unchanged\":\(unchanged),\"rejected\":\(rejected)}"
    }
}
