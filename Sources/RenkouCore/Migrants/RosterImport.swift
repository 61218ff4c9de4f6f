import Foundation

/// The columns of a tenant or staff roster (花名册) file: name and ID number are required; room (or
/// department) and the date the person moved in or started are optional.
public struct RosterLayout: Sendable {
    public enum Column: String, Sendable { case name, idNumber, room, since }
    public let columns: [Column?]
    public let headers: [String]

    static let byKey: [String: Column] = {
        var map: [String: Column] = [:]
        for h in PersonColumn.name.headers { map[CellText.headerKey(h)] = .name }
        for h in PersonColumn.idNumber.headers { map[CellText.headerKey(h)] = .idNumber }
        for h in PersonColumn.room.headers + ["部门", "岗位", "department"] { map[CellText.headerKey(h)] = .room }
        for h in ["入住日期", "入职日期", "起始日期", "登记日期", "since", "from", "moved in", "start date"] { map[CellText.headerKey(h)] = .since }
        return map
    }()

    public init(headers raw: [String]) throws {
        var columns: [Column?] = [], errors = FieldErrors(), seen: Set<Column> = []
        for h in raw {
            let c = Self.byKey[CellText.headerKey(h)]
            if let c, seen.contains(c) { errors.add("/header", "column-twice", "列“\(h)”重复出现。", "The column \"\(h)\" appears twice.") }
            if let c { seen.insert(c) }
            columns.append(c)
        }
        for (c, zh) in [(Column.name, "姓名"), (.idNumber, "公民身份号码")] where !seen.contains(c) {
            errors.add("/header", "column-missing", "缺少“\(zh)”列。", "The column \"\(zh)\" is missing.")
        }
        try errors.throwIfAny()
        self.columns = columns; self.headers = raw.map(CellText.normalize)
    }

    public func header(_ c: Column) -> String { columns.firstIndex(of: c).map { headers[$0] } ?? c.rawValue }

    /// One row: the values, or the problems that reject it.
    public struct Row: Sendable { public var name = ""; public var idNumber = ""; public var room: String?; public var since: Day?; public var problems: [ImportProblem] = []
        public var isRejected: Bool { problems.contains { $0.isError } } }

    public func parse(_ cells: [String], row number: Int, today: Day) -> Row {
        var row = Row()
        for (i, cell) in cells.enumerated() where i < columns.count {
            let value = CellText.normalize(cell)
            guard let c = columns[i], !value.isEmpty else { continue }
            switch c {
            case .name: row.name = PersonName.normalize(value)
            case .idNumber: row.idNumber = value
            case .room: row.room = value
            case .since:
                if let d = CellDate.parse(value), !(today < d) { row.since = d }
                else { row.problems.append(ImportProblem(row: number, column: headers[i], value: value, reason: Text("日期无法识别或晚于今天。", "The date cannot be read or is in the future."))) }
            }
        }
        if row.name.isEmpty { row.problems.append(ImportProblem(row: number, column: header(.name), value: "", reason: Text("姓名为空。", "The name is empty."))) }
        let check = CitizenID.check(row.idNumber, today: today)
        if let n = check.normalized, check.errors.allSatisfy({ $0.code == "id-checksum" }) {
            row.idNumber = n
            // Real ID numbers with a wrong check character exist: kept, with a warning, for the worker to confirm.
            for e in check.errors { row.problems.append(ImportProblem(row: number, column: header(.idNumber), value: n, isError: false, reason: e.message)) }
        }
        else {
            let reason = check.errors.first?.message ?? Text("身份号码为空。", "The ID number is empty.")
            row.problems.append(ImportProblem(row: number, column: header(.idNumber), value: row.idNumber, reason: reason))
        }
        return row
    }
}

/// How one row of a roster ended.
public enum RosterOutcome: String, Sendable, CaseIterable {
    /// Already on the roster.
    case kept
    /// New on the roster and found in the registry.
    case added
    /// New on the roster, not in the registry: a registration task.
    case unregistered
    case rejected
}

/// What a roster upload did. read = kept + added + unregistered + rejected (from an `ImportTally`);
/// departures are people on the roster before who are missing from the file.
public struct RosterImportResult: Sendable, Codable, Equatable {
    public var read = 0
    /// Already on the roster.
    public var kept = 0
    /// New on the roster and found in the registry.
    public var added = 0
    /// New on the roster, not in the registry: each becomes a registration task.
    public var unregistered = 0
    public var rejected = 0
    /// No longer on the roster: each registered one becomes a departure task.
    public var departures = 0
    public var problems: [ImportProblem] = []
    public init() {}
    /// The counts of a tally.
    public init(_ tally: ImportTally<RosterOutcome>) {
        read = tally.read; kept = tally[.kept]; added = tally[.added]; unregistered = tally[.unregistered]; rejected = tally[.rejected]
    }
}
