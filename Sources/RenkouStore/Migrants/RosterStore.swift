import Foundation
import RenkouCore
import RenkouFiles
import SQLKit

/// Rosters (花名册) of tenants and staff, kept entry by entry or replaced by an uploaded file read
/// through the import engine's `TableFile`. Each entry is matched to the registry by ID number: an
/// unknown person becomes a registration task, someone no longer on the roster a departure task.
public struct RosterStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// A registration or departure check is due within a week.
    public static let taskDays = 7

    static func decode(_ r: any SQLRow) throws -> RosterEntry {
        RosterEntry(id: try r.decode(column: "id", as: String.self).uuid, hostID: try r.decode(column: "host_id", as: String.self).uuid,
                    personID: try r.decode(column: "person_id", as: String?.self).flatMap(UUID.init(uuidString:)), name: try r.decode(column: "name", as: String.self),
                    idNumber: try r.decode(column: "id_number", as: String.self), room: try r.decode(column: "room", as: String?.self),
                    since: try r.decode(column: "since", as: String.self), until: try r.decode(column: "until", as: String?.self))
    }

    /// Puts a registered person on a host's roster (or links the unmatched entry with their ID number),
    /// and settles an open registration task about them.
    static func enlist(hostID: UUID, hostPath: String, person: Person, room: String?, since: Day, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        guard let idNumber = person.idNumber else {
            throw RenkouError.invalid([FieldError("/person", "id-number-pending", Text("该人员尚无身份号码（待户口登记），不能列入租住登记。", "This person has no ID number yet (hukou registration pending) and cannot be put on a roster."))])
        }
        if let r = try await db.raw("SELECT id FROM roster_entries WHERE host_id = \(bind: hostID.text) AND id_number = \(bind: idNumber) AND until IS NULL").first() {
            try await db.raw("UPDATE roster_entries SET person_id = \(bind: person.id.text), name = \(bind: person.name) WHERE id = \(bind: try r.decode(column: "id", as: String.self))").run()
        } else {
            try await db.raw("""
                INSERT INTO roster_entries (id, host_id, person_id, name, id_number, room, since, path)
                VALUES (\(bind: env.newID().text), \(bind: hostID.text), \(bind: person.id.text), \(bind: person.name), \(bind: idNumber), \(bind: room), \(bind: since.description), \(bind: hostPath))
                """).run()
        }
        try await TaskStore.settle(.register, idNumber: idNumber, outcome: "done", env: env, actor: actor, db)
    }

    /// The current roster of a host of the scope (with former entries when asked). It names people,
    /// so the read is audited like a person list.
    public func roster(of host: UUID, includeFormer: Bool = false, in scope: Scope, by actor: Actor) async throws -> [RosterEntry] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let entries = try await db.raw("""
                SELECT * FROM roster_entries WHERE host_id = \(bind: host.text) AND \(engine.startsWith("path", scope.path))
                \(unsafeRaw: includeFormer ? "" : "AND until IS NULL") ORDER BY until IS NOT NULL, room, name
                """).all().map(Self.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "roster", entityID: host.text, path: scope.path,
                                     after: AuditLog.json(["shown": String(entries.count)]))
            return entries
        }
    }

    struct HostRow { let id: UUID; let unitID: UUID; let path: String; let name: String }

    static func hostRow(_ id: UUID, scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> HostRow {
        guard let r = try await db.raw("SELECT id, unit_id, path, name FROM hosts WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
            throw RenkouError.notFound(Text("出租户或用工单位", "landlord or employer"))
        }
        return HostRow(id: id, unitID: try r.decode(column: "unit_id", as: String.self).uuid, path: try r.decode(column: "path", as: String.self), name: try r.decode(column: "name", as: String.self))
    }

    /// Adds one row to a roster inside a transaction: matched to the registry, or a registration task.
    static func add(_ row: RosterLayout.Row, host: HostRow, today: Day, scope: Scope, engine: Engine, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws -> RosterOutcome {
        if let r = try await db.raw("SELECT id, room FROM roster_entries WHERE host_id = \(bind: host.id.text) AND id_number = \(bind: row.idNumber) AND until IS NULL").first() {
            if let room = row.room, try r.decode(column: "room", as: String?.self) != room {
                try await db.raw("UPDATE roster_entries SET room = \(bind: room) WHERE id = \(bind: try r.decode(column: "id", as: String.self))").run()
            }
            return .kept
        }
        let person = try await db.raw("SELECT id, path FROM persons WHERE id_number = \(bind: row.idNumber)").first()
        let personID = try person.flatMap { p -> String? in scope.contains(try p.decode(column: "path", as: String.self)) ? try p.decode(column: "id", as: String.self) : nil }
        try await db.raw("""
            INSERT INTO roster_entries (id, host_id, person_id, name, id_number, room, since, path)
            VALUES (\(bind: env.newID().text), \(bind: host.id.text), \(bind: personID), \(bind: row.name), \(bind: row.idNumber), \(bind: row.room),
                    \(bind: (row.since ?? today).description), \(bind: host.path))
            """).run()
        if personID != nil { return .added }
        try await TaskStore.add(TaskStore.New(kind: .register, subject: row.name, idNumber: row.idNumber, object: FieldTask.Object("host", host.id),
                                              note: Text("\(host.name) 花名册上的人员尚未登记", "On the roster of \(host.name), not registered").zh + (row.room.map { " · \($0)" } ?? ""),
                                              unitID: host.unitID, path: host.path, due: today.adding(days: taskDays), source: "roster"), env: env, actor: actor, db)
        return .unregistered
    }

    /// Ends roster entries: a registered person gets a departure task; an unregistered one's open registration task is closed.
    static func end(_ entries: [RosterEntry], host: HostRow, on day: Day, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        for e in entries {
            try await db.raw("UPDATE roster_entries SET until = \(bind: day.description) WHERE id = \(bind: e.id.text)").run()
            if let person = e.personID {
                try await TaskStore.add(TaskStore.New(kind: .departure, subject: e.name, idNumber: e.idNumber, personID: person, object: FieldTask.Object("host", host.id),
                                                      note: "\(host.name)" + (e.room.map { " · \($0)" } ?? ""), unitID: host.unitID, path: host.path,
                                                      due: day.adding(days: taskDays), source: "roster"), env: env, actor: actor, db)
            } else {
                try await TaskStore.settle(.register, idNumber: e.idNumber, outcome: "not-found", env: env, actor: actor, db)
            }
        }
    }

    /// Adds one person to a roster by hand.
    public func add(host: UUID, name: String, idNumber: String, room: String?, since: Day?, in scope: Scope, by actor: Actor) async throws -> RosterImportResult {
        let today = Day(env.now())
        let layout = try RosterLayout(headers: ["姓名", "公民身份号码", "房号", "入住日期"])
        let row = layout.parse([name, idNumber, room ?? "", since?.description ?? ""], row: 1, today: today)
        if row.isRejected {
            throw RenkouError.invalid(row.problems.filter(\.isError).map { FieldError($0.column == "姓名" ? "/name" : $0.column == "公民身份号码" ? "/idNumber" : "/since", "roster-row", $0.reason) })
        }
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let h = try await Self.hostRow(host, scope: scope, engine: engine, db)
            var tally = ImportTally<RosterOutcome>()
            tally.count(try await Self.add(row, host: h, today: today, scope: scope, engine: engine, env: env, actor: actor, db))
            let result = RosterImportResult(tally)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "roster", entityID: host.text, path: h.path, after: AuditLog.json(["added": row.idNumber]))
            return result
        }
    }

    /// Takes a person off a roster by hand.
    public func remove(entry: UUID, on day: Day, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT * FROM roster_entries WHERE id = \(bind: entry.text) AND until IS NULL AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("花名册记录", "roster entry"))
            }
            let e = try Self.decode(r)
            let h = try await Self.hostRow(e.hostID, scope: scope, engine: engine, db)
            try await Self.end([e], host: h, on: day, env: env, actor: actor, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "roster", entityID: e.hostID.text, path: h.path, after: AuditLog.json(["removed": e.idNumber]))
        }
    }

    /// Replaces a host's roster with a file (CSV or XLSX, any encoding the person import reads). Rows
    /// with problems are rejected and reported; everyone on the old roster who is missing from the file
    /// leaves it. One transaction: a file that cannot be read changes nothing.
    public func importRoster(file: URL, host: UUID, in scope: Scope, by actor: Actor,
                             progress: @escaping @Sendable (Double) -> Void = { _ in }) async throws -> RosterImportResult {
        let engine = db.engine, env = self.env, today = Day(env.now())
        return try await db.transaction { db in
            let h = try await Self.hostRow(host, scope: scope, engine: engine, db)
            let before = try await db.raw("SELECT * FROM roster_entries WHERE host_id = \(bind: host.text) AND until IS NULL").all().map(Self.decode)
            var tally = ImportTally<RosterOutcome>(), problems: [ImportProblem] = [], seen: [String: Int] = [:]
            let (_, reading) = try await ImportPipeline.read(file, progress: progress, header: { cells, _ in try RosterLayout(headers: cells) }) { l, cells, number in
                var row = l.parse(cells, row: number, today: today)
                if !row.isRejected, let first = seen[row.idNumber] {
                    row.problems.append(ImportProblem(row: number, column: l.header(.idNumber), value: row.idNumber,
                                                      reason: Text("与第 \(first) 行身份号码相同。", "The same ID number as row \(first).")))
                }
                problems += row.problems
                if row.isRejected { tally.count(.rejected); return }
                seen[row.idNumber] = number
                tally.count(try await Self.add(row, host: h, today: today, scope: scope, engine: engine, env: env, actor: actor, db))
            }
            try ImportPipeline.check(tally, against: reading)
            var result = RosterImportResult(tally)
            result.problems = problems
            let gone = before.filter { seen[$0.idNumber] == nil }
            try await Self.end(gone, host: h, on: today, env: env, actor: actor, db)
            result.departures = gone.count
            var summary = result; summary.problems = []
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .import, entity: "roster", entityID: host.text, path: h.path, after: AuditLog.json(summary))
            return result
        }
    }
}
