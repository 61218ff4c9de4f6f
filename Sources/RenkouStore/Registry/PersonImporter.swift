import AsyncAlgorithms
import Foundation
import RenkouCore
import RenkouFiles
import SQLKit

/// How an import treats a file with rejected rows.
public enum ImportMode: String, Sendable, Codable, CaseIterable {
    /// Checks everything and writes nothing: the counts are what a real run would give.
    case dryRun = "dry-run"
    /// Writes the file only if no row is rejected.
    case allOrNothing = "all"
    /// Writes the valid rows and reports the others.
    case validOnly = "valid"
}

/// What an import did (or, for a dry run or a refused all-or-nothing run, would have done).
/// Always: imported + updated + unchanged + rejected = read (the counts come from an `ImportTally`).
public struct PersonImportResult: Sendable, Codable, Equatable {
    public var run: String
    public var mode: ImportMode
    public var read = 0
    public var imported = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    public var warnings = 0
    /// True when the changes were kept.
    public var committed = false
    public var fileKind: String = "csv"
    public var encoding: String?
    /// Rows with nothing but separators and white space, skipped (not in `read`).
    public var blank = 0
    /// The row that held the headers (rows above it, a title, were skipped).
    public var headerRow = 1
    public var ignoredColumns: [String] = []
    /// The first problems (errors and warnings), for a page; the full list goes to the report.
    public var problems: [ImportProblem] = []
    public static let problemsShown = 200

    /// Sets the counts from the run's tally.
    mutating func apply(_ tally: ImportTally<ImportOutcome>) {
        read = tally.read
        imported = tally[.imported]; updated = tally[.updated]; unchanged = tally[.unchanged]; rejected = tally[.rejected]
    }

    /// The one-line JSON summary a command-line import ends with.
    public var summaryJSON: String {
        ImportReport.summaryJSON(read: read, imported: imported, updated: updated, unchanged: unchanged, rejected: rejected)
    }
}

/// The registry's import engine: reads a CSV or XLSX file row by row, checks each row, matches it to
/// the registry by ID number and writes in batches, all in one transaction that is kept or rolled back
/// as the mode says. Memory holds one batch. Later imports (rosters, departmental files) reuse the
/// reader (`TableFile`) and the same counting rule.
public struct PersonImporter: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    /// The smallest file (about 20,000 CSV rows) that can be a large load, whose indexes are built
    /// after its rows (`deferIndexes`, in PersonImporter+LargeLoad.swift).
    let largeLoadBytes: Int
    public init(db: Database, env: RenkouCore.Environment) { self.init(db: db, env: env, largeLoadBytes: 2 << 20) }
    init(db: Database, env: RenkouCore.Environment, largeLoadBytes: Int) { self.db = db; self.env = env; self.largeLoadBytes = largeLoadBytes }

    static let batchSize = 2000

    /// Imports `file` into `unitCode` (a unit of the caller's scope; rows may name units below it in a
    /// 单位代码 column). Each problem goes to `problem` as it is found (for the report file); `progress`
    /// gets the share of the file read.
    public func run(file: URL, fileName: String, unitCode: String, mode: ImportMode, in scope: Scope, by actor: Actor,
                    progress: @escaping @Sendable (Double) -> Void = { _ in },
                    problem: @escaping @Sendable (ImportProblem) -> Void = { _ in }) async throws -> PersonImportResult {
        let engine = db.engine, env = self.env
        let top = try await db.read { db in try await PersonStore.requireUnit(unitCode, scope: scope, engine: engine, db) }
        // The loaded GB/T 2260 table, so that every row's number is checked as `renkou idcheck` checks it.
        let codes = try await OrgStore(db: db, env: env).codeTable()
        let codeTable = codes.map(Self.lookup)
        let policy = env.policy
        let runID = env.newID().text
        let today = Day(env.now())
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        let largeLoadBytes = self.largeLoadBytes
        let result = try await db.write { db in
            var state = ImportState(run: runID, mode: mode, top: top, scope: Scope(path: top.path), callerScope: scope, today: today, now: env.now(), actor: actor, engine: engine)
            state.rules = QualityRules(policy: env.policy, today: today)
            let scratch = engine.scratchTable("import_seen", columns: "id_number TEXT PRIMARY KEY, row_number INTEGER NOT NULL")
            for statement in scratch.beforeBegin { _ = try await db.raw(SQLQueryString(statement)).all() }
            try await db.raw("BEGIN").run()
            do {
                try await db.raw(SQLQueryString(scratch.create)).run()
                let deferred = try await Self.deferIndexes(fileBytes: fileBytes, largeLoadBytes: largeLoadBytes, mode: mode, engine: engine, db)
                state.phases.lap("begin, defer indexes")
                // The file is read and its rows parsed on a second task (the other core) while this one
                // matches and writes: batches are handed over one at a time, so memory holds at most
                // three of them (one parsed, one waiting, one written).
                let pieces = AsyncThrowingChannel<ImportPiece, any Error>()
                async let parsed = Self.parse(file, into: pieces, unit: top.code, today: today, codeTable: codeTable, policy: policy)
                for try await piece in pieces {
                    switch piece {
                    case .header(let layout, let notes):
                        for note in notes { state.note(note, problem) }
                        state.layout = layout
                    case .rows(let rows, let read):
                        state.phases.lap("wait for parsed rows")
                        state.batch = rows
                        try await Self.flush(&state, db, problem)
                        // The share of the file read when this batch was handed over, now written.
                        progress(read)
                    }
                }
                // A cancelled run (the request went away) ends the channel early: say so, not that the counts differ.
                try Task.checkCancellation()
                progress(1)
                let (layout, reading) = try await parsed
                try ImportPipeline.check(state.tally, against: reading)
                state.result.apply(state.tally)
                state.result.fileKind = reading.kind.rawValue
                state.result.encoding = reading.encoding?.rawValue
                state.result.ignoredColumns = layout.ignored
                state.result.blank = reading.blank
                state.result.headerRow = reading.headerRow
                let keep = mode == .validOnly || (mode == .allOrNothing && state.tally[.rejected] == 0)
                if keep {
                    state.result.committed = true
                    for statement in scratch.beforeCommit { try await db.raw(SQLQueryString(statement)).run() }
                    state.phases.lap("drop the scratch table")
                    for index in deferred { try await db.raw(SQLQueryString(index)).run() }
                    state.phases.lap("build deferred indexes")
                    try await Self.audit(state.result, fileName: fileName, top: top, actor: actor, at: env.now(), db)
                    try await db.raw("COMMIT").run()
                    state.phases.lap("commit")
                    state.phases.print()
                } else {
                    try await db.raw("ROLLBACK").run()
                    try await Self.audit(state.result, fileName: fileName, top: top, actor: actor, at: env.now(), db)
                }
                for statement in scratch.after { _ = try await db.raw(SQLQueryString(statement)).all() }
                return state.result
            } catch {
                try? await db.raw("ROLLBACK").run()
                for statement in scratch.after { _ = try? await db.raw(SQLQueryString(statement)).all() }
                // A file refused as a whole (no headers, empty) still leaves its reasons in the report.
                if let e = error as? RenkouError {
                    for f in e.fields where f.pointer == "/header" || f.pointer == "/file" {
                        problem(ImportProblem(row: 0, column: f.pointer == "/header" ? "表头 header" : "文件 file", value: "", reason: f.message))
                    }
                }
                throw error
            }
        }
        // A first load multiplies the registry: the planner must know before the next read. The rows are
        // committed: a failure here is the hourly job's to repair, not the import's.
        if result.committed && result.imported > 0 { _ = try? await PopulationCounts.compact(db); _ = try? await db.optimizeStatistics() }
        return result
    }

    static func lookup(_ table: [String: AreaCode]) -> @Sendable (String) -> AreaCode? { { table[$0] } }

    /// One audit row for the run: who imported which file into which unit, with what outcome. Each
    /// changed record also has its own row (before and after); created records carry the run's id.
    static func audit(_ r: PersonImportResult, fileName: String, top: OrgUnit, actor: Actor, at: Date, _ db: any SQLDatabase) async throws {
        struct Entry: Encodable { let file: String, unit: String, mode: String, committed: Bool, read, imported, updated, unchanged, rejected, warnings: Int }
        try await AuditLog.write(db, at: at, actor: actor, action: .import, entity: "person", entityID: r.run, path: top.path,
                                 after: AuditLog.json(Entry(file: fileName, unit: top.code, mode: r.mode.rawValue, committed: r.committed, read: r.read,
                                                            imported: r.imported, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, warnings: r.warnings)))
    }

    struct ImportState {
        let run: String
        let top: OrgUnit
        let scope: Scope
        let callerScope: Scope
        let today: Day
        let now: Date
        let actor: Actor
        let engine: Engine
        var layout: PersonImportLayout?
        var batch: [PersonImportRow] = []
        var units: [String: OrgUnit?] = [:]
        var result: PersonImportResult
        /// How each row read so far ended.
        var tally = ImportTally<ImportOutcome>()
        /// The quality checks whose verdicts each written batch refreshes.
        var rules: QualityRules?
        /// Where the writing task's time went (`RENKOU_IMPORT_PHASES`): seconds per phase.
        var phases = ImportPhases()

        init(run: String, mode: ImportMode, top: OrgUnit, scope: Scope, callerScope: Scope, today: Day, now: Date, actor: Actor, engine: Engine) {
            self.run = run; self.top = top; self.scope = scope; self.callerScope = callerScope; self.today = today; self.now = now; self.actor = actor
            self.engine = engine; result = PersonImportResult(run: run, mode: mode)
        }

        mutating func note(_ p: ImportProblem, _ sink: (ImportProblem) -> Void) {
            if !p.isError { result.warnings += 1 }
            if result.problems.count < PersonImportResult.problemsShown { result.problems.append(p) }
            sink(p)
        }
    }

    struct HouseholdRef { let id: String; let number: String; let path: String }
    struct Membership { let id: Int?; let household: String; let relation: String }

    /// Matches a batch of checked rows to the registry and writes it.
    static func flush(_ state: inout ImportState, _ db: any SQLDatabase, _ sink: (ImportProblem) -> Void) async throws {
        let rows = state.batch
        state.batch.removeAll(keepingCapacity: true)
        guard !rows.isEmpty else { return }
        guard rows.contains(where: { !$0.isRejected }) else {
            for row in rows { for p in row.problems { state.note(p, sink) }; state.tally.count(.rejected) }
            return
        }
        let stamp = Timestamp.string(state.now)

        // What the registry already holds for this batch: the people, the households, the current memberships and heads.
        let ids = Array(Set(rows.filter { !$0.isRejected }.compactMap(\.input.idNumber)))
        // ID numbers an earlier row of this file already took (kept on disk, not in memory).
        var seen: [String: Int] = [:]
        if !ids.isEmpty {
            for r in try await db.raw("SELECT id_number, row_number FROM import_seen WHERE id_number IN (\(binds: ids))").all() {
                seen[try r.decode(column: "id_number", as: String.self)] = try r.decode(column: "row_number", as: Int.self)
            }
        }
        var existing: [String: Person] = [:]
        for r in try await db.raw("""
            SELECT \(unsafeRaw: PersonStore.columns) FROM persons p JOIN org_units u ON u.id = p.unit_id WHERE p.id_number IN (\(binds: ids))
            """).all() {
            let p = try PersonStore.decode(r)
            if let number = p.idNumber { existing[number] = p }
        }
        var households: [String: HouseholdRef] = [:]
        var heads: [String: String] = [:]
        let numbers = Array(Set(rows.filter { !$0.isRejected }.compactMap(\.household)))
        if !numbers.isEmpty {
            for r in try await db.raw("SELECT id, number, path FROM households WHERE number IN (\(binds: numbers))").all() {
                let h = HouseholdRef(id: try r.decode(column: "id", as: String.self), number: try r.decode(column: "number", as: String.self), path: try r.decode(column: "path", as: String.self))
                households[h.number] = h
            }
            let hids = households.values.map(\.id)
            if !hids.isEmpty {
                for r in try await db.raw("SELECT household_id, person_id FROM household_members WHERE household_id IN (\(binds: hids)) AND left_on IS NULL AND relation = '02'").all() {
                    heads[try r.decode(column: "household_id", as: String.self)] = try r.decode(column: "person_id", as: String.self)
                }
            }
        }
        state.phases.lap("look up ID numbers, people, households")
        var memberships: [String: Membership] = [:]
        let personIDs = existing.values.map(\.id.text)
        if !personIDs.isEmpty && rows.contains(where: { $0.household != nil }) {
            for r in try await db.raw("SELECT id, household_id, person_id, relation FROM household_members WHERE person_id IN (\(binds: personIDs)) AND left_on IS NULL").all() {
                memberships[try r.decode(column: "person_id", as: String.self)] = Membership(id: try r.decode(column: "id", as: Int.self),
                    household: try r.decode(column: "household_id", as: String.self), relation: try r.decode(column: "relation", as: String.self))
            }
        }

        var inserts: [(person: Person, row: Int)] = [], updates: [(before: Person, after: Person, row: Int)] = []
        var newHouseholds: [(HouseholdRef, OrgUnit, String?)] = []
        var accepted: [(String, Int)] = []
        var ended: [Int] = [], joined: [(household: String, person: String, relation: String)] = []
        let today = state.today.description

        for row in rows {
            // Problems are reported in row order: the row's own first, then what matching it found.
            for p in row.problems { state.note(p, sink) }
            if row.isRejected { state.tally.count(.rejected); continue }
            var reject: ImportProblem?
            func fail(_ column: PersonColumn, _ value: String, _ reason: Text) {
                if reject == nil { reject = ImportProblem(row: row.row, column: state.layout?.header(of: column) ?? column.headers[0], value: value, reason: reason) }
            }
            let idNumber = row.input.idNumber!
            // The unit: a 单位代码 in the row must lie under the import's unit; otherwise the import's unit.
            let code = row.input.unit ?? state.top.code
            if state.units[code] == nil {
                state.units[code] = try await OrgStore.unit(code: code, in: state.scope, engine: state.engine, db).flatMap { $0.isActive ? $0 : nil }
            }
            let unit = state.units[code]!
            if unit == nil { fail(.unit, code, Text("单位 \(code) 不存在或不在本次导入的单位之下。", "Unit \(code) does not exist or is not under the unit of this import.")) }

            if let earlier = seen[idNumber] {
                fail(.idNumber, idNumber, Text("与第 \(earlier) 行的身份号码相同。", "The same ID number as row \(earlier)."))
            }
            // The person: new, or matched by ID number.
            var person: Person
            var before: Person?
            if let match = existing[idNumber] {
                if state.callerScope.contains(match.path) && !state.scope.contains(match.path) {
                    fail(.idNumber, idNumber, Text("该身份号码已在 \(match.unitName)（\(match.unitCode)）登记，不在本次导入的单位之下。",
                                                   "This ID number is registered in \(match.unitName) (\(match.unitCode)), outside the unit of this import."))
                } else if !state.scope.contains(match.path) {
                    fail(.idNumber, idNumber, Text("该身份号码已在其他地区登记。", "This ID number is registered in another area."))
                }
                before = match
                // What the row left empty keeps what is stored, even where the ID number would say otherwise.
                var input = row.input
                if row.derived.contains(.birthDate) && match.birthDate != nil { input.birthDate = nil }
                if row.derived.contains(.sex) && match.sex != nil { input.sex = nil }
                person = match.applying(input)
                // The stored order is kept, so that a row that adds nothing counts as unchanged.
                person.flags = match.flags + row.flags.filter { !match.flags.contains($0) }
                if row.unitGiven, let unit, unit.id != match.unitID {
                    person.unitID = unit.id; person.unitCode = unit.code; person.unitName = unit.name; person.path = unit.path
                }
            } else {
                let u = unit ?? state.top
                person = Person(id: UUID.v7(), name: row.input.name ?? "", idNumber: idNumber, unitID: u.id, unitCode: u.code, unitName: u.name,
                                path: u.path, createdAt: stamp, updatedAt: stamp).applying(row.input)
                person.flags = row.flags
            }

            // The household: found by number (inside the area) or opened in the row's unit.
            var household: HouseholdRef?
            var newHousehold = false
            if let number = row.household, reject == nil {
                if let h = households[number] {
                    if !state.scope.contains(h.path) { fail(.household, number, Text("户号 \(number) 已在其他地区使用。", "Household number \(number) is used in another area.")) }
                    household = h
                } else if number.count > 30 {
                    fail(.household, number, Text("户号不能超过 30 位。", "A household number has at most 30 characters."))
                } else {
                    let u = unit ?? state.top
                    household = HouseholdRef(id: UUID.v7().text, number: number, path: u.path)
                    newHousehold = true
                }
            }
            var membershipChanged = false
            var relation: String?
            if let household, reject == nil {
                let current = memberships[person.id.text]
                relation = row.relation ?? (current?.household == household.id ? current?.relation : nil)
                if relation == nil {
                    fail(.relation, "", Text("有户号时须填写与户主关系。", "A household number needs a relation to the head."))
                } else if relation == Household.headRelation, let head = heads[household.id], head != person.id.text {
                    fail(.relation, row.relation ?? "", Text("户 \(household.number) 已有户主。", "Household \(household.number) has a head already."))
                } else {
                    membershipChanged = current?.household != household.id || current?.relation != relation
                }
            }

            if let reject {
                state.tally.count(.rejected)
                state.note(reject, sink)
                continue
            }

            // Accepted: record the writes and what later rows of the batch must see.
            if let household, let relation {
                if newHousehold {
                    households[household.number] = household
                    newHouseholds.append((household, unit ?? state.top, person.address))
                }
                if membershipChanged {
                    if let current = memberships[person.id.text] {
                        if let id = current.id { ended.append(id) } else { joined.removeAll { $0.person == person.id.text } }
                        if current.relation == Household.headRelation, heads[current.household] == person.id.text { heads[current.household] = nil }
                    }
                    memberships[person.id.text] = Membership(id: nil, household: household.id, relation: relation)
                    joined.append((household.id, person.id.text, relation))
                    if relation == Household.headRelation { heads[household.id] = person.id.text }
                }
            }
            if let before {
                var compare = person; compare.updatedAt = before.updatedAt
                if compare == before && !membershipChanged {
                    state.tally.count(.unchanged)
                } else {
                    person.updatedAt = stamp
                    updates.append((before, person, row.row))
                    state.tally.count(.updated)
                }
            } else {
                inserts.append((person, row.row))
                state.tally.count(.imported)
            }
            existing[idNumber] = person
            seen[idNumber] = row.row
            accepted.append((idNumber, row.row))
        }

        state.phases.lap("look up memberships, match rows")
        // The writes, in dependency order.
        try await Self.seenRows.run(accepted.map { [.text($0.0), .int($0.1)] }, db)
        state.phases.lap("write ID numbers seen")
        try await Self.householdRows.run(newHouseholds.map { h, u, address in
            [.text(h.id), .text(h.number), .text(u.id.text), .text(u.path), BulkValue(address), .text("family"), .text(stamp), .text(stamp)]
        }, db)
        try await Self.personRows.run(inserts.map { p, row in [.text(p.id.text), .text(p.createdAt), .text(state.run), .int(row)] + PersonStore.fields(p) }, db)
        state.phases.lap("write new people")
        try await NameGrams.table.run(inserts.flatMap { p, _ in NameGrams.rows(p.id.text, p.name) }, db)
        state.phases.lap("write name grams")
        for (before, after, row) in updates {
            try await PersonStore.update(after, was: before, db)
            try await db.raw("UPDATE persons SET import_run = \(bind: state.run), import_row = \(bind: row) WHERE id = \(bind: after.id.text)").run()
            try await AuditLog.write(db, at: state.now, actor: state.actor, action: .update, entity: "person", entityID: after.id.text, path: after.path,
                                     before: AuditLog.json(before), after: AuditLog.json(after))
        }
        if !ended.isEmpty {
            try await db.raw("UPDATE household_members SET left_on = \(bind: today) WHERE id IN (\(binds: ended))").run()
        }
        try await Self.memberRows.run(joined.map { [.text($0.household), .text($0.person), .text($0.relation), .text(today)] }, db)
        state.phases.lap("write updates and memberships")
        if let rules = state.rules {
            // A new record has no verdicts yet and nothing links to it, except the members of a household it joined.
            let joinedPeople = Set(joined.map(\.person))
            var joining: [UUID] = [], alone: [String] = []
            for (person, _) in inserts {
                if joinedPeople.contains(person.id.text) { joining.append(person.id) } else { alone.append(person.id.text) }
            }
            try await QualityVerdicts.refresh(joining + updates.map(\.1.id), rules: rules, db)
            try await QualityVerdicts.write(alone, rules: rules, new: true, db)
            state.phases.lap("quality verdicts")
        }
    }

    static let seenRows = BulkInsert("import_seen", ["id_number", "row_number"])
    static let householdRows = BulkInsert("households", ["id", "number", "unit_id", "path", "address", "type", "created_at", "updated_at"])
    static let personRows = BulkInsert("persons", ["id", "created_at", "import_run", "import_row"] + PersonStore.fieldColumns)
    static let memberRows = BulkInsert("household_members", ["household_id", "person_id", "relation", "joined_on"])
}
