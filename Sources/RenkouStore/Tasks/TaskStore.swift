import Foundation
import RenkouCore
import SQLKit

/// Computes reminders for the task list live from a module's own tables (an expiry ahead, a visit
/// due). Modules contribute sources to `ExtensionPoint.taskSources`; the list never names them.
public protocol TaskSource: Sendable {
    /// The reminders of the scope due up to `horizon` (or already overdue), read in the caller's
    /// transaction: the first `limit` of them by due day (the list needs no more).
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask]
}

extension ExtensionPoint where Item == any TaskSource {
    /// Where modules add their reminders to the one field task list.
    public static var taskSources: ExtensionPoint<any TaskSource> { ExtensionPoint("tasks.sources") }
}

/// The field task list: stored tasks (registrations, departures, home visits) and the reminders every
/// module's task source computes live (expiries within the policy's horizon, 30 days). Overdue first.
public struct TaskStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let sources: [any TaskSource]
    public init(db: Database, env: RenkouCore.Environment, sources: [any TaskSource]) { self.db = db; self.env = env; self.sources = sources }

    /// A task to store, before it has an id.
    struct New {
        var kind: FieldTask.Kind
        var subject: String
        var idNumber: String?
        var personID: UUID?
        var object: FieldTask.Object?
        var note: String?
        var unitID: UUID
        var path: String
        var due: Day
        var source: String
    }

    /// Stores a task inside the caller's transaction, unless the same open task exists already
    /// (same kind, subject ID number and object). Returns the id of the task, new or existing.
    @discardableResult
    static func add(_ t: New, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws -> UUID {
        if let n = t.idNumber, let existing = try await db.raw("""
            SELECT id FROM tasks WHERE open = 1 AND kind = \(bind: t.kind.rawValue) AND id_number = \(bind: n)
            AND COALESCE(object_id, '') = \(bind: t.object?.id.text ?? "")
            """).first() { return try existing.decode(column: "id", as: String.self).uuid }
        let id = env.newID()
        try await db.raw("""
            INSERT INTO tasks (id, kind, subject, id_number, person_id, object_type, object_id, note, unit_id, path, due, open, source, created_by, created_at)
            VALUES (\(bind: id.text), \(bind: t.kind.rawValue), \(bind: t.subject), \(bind: t.idNumber), \(bind: t.personID?.text), \(bind: t.object?.type), \(bind: t.object?.id.text),
                    \(bind: t.note), \(bind: t.unitID.text), \(bind: t.path), \(bind: t.due.description), 1, \(bind: t.source), \(bind: actor.username),
                    \(bind: Timestamp.string(env.now())))
            """).run()
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "task", entityID: id.text, path: t.path,
                                 after: AuditLog.json(["kind": t.kind.rawValue, "subject": t.subject, "due": t.due.description, "source": t.source]))
        return id
    }

    /// Closes the open tasks of a kind about an ID number (a registration done through another door).
    static func settle(_ kind: FieldTask.Kind, idNumber: String, outcome: String, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE tasks SET open = 0, outcome = \(bind: outcome), closed_by = \(bind: actor.username), closed_at = \(bind: Timestamp.string(env.now()))
            WHERE open = 1 AND kind = \(bind: kind.rawValue) AND id_number = \(bind: idNumber)
            """).run()
    }

    /// A home-visit task (入户核实) entered by hand about a person of the scope.
    @discardableResult
    public func addHomeVisit(person: UUID, due: Day, note: String?, in scope: Scope, by actor: Actor) async throws -> FieldTask {
        let engine = db.engine, env = self.env
        let id = try await db.transaction { db -> UUID in
            let p = try await PersonStore.require(person, in: scope, engine: engine, db)
            return try await Self.add(New(kind: .homeVisit, subject: p.name, idNumber: p.idNumber, personID: p.id, note: note?.nilIfBlank, unitID: p.unitID,
                                          path: p.path, due: due, source: "manual"), env: env, actor: actor, db)
        }
        return try await task(id, in: scope)
    }

    static func decode(_ r: any SQLRow) throws -> FieldTask {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        var t = FieldTask(id: try r.decode(column: "id", as: String.self).uuid, kind: FieldTask.Kind(try r.decode(column: "kind", as: String.self)),
                          subject: try r.decode(column: "subject", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                          unitName: try r.decode(column: "unit_name", as: String.self), due: try r.decode(column: "due", as: String.self),
                          source: try r.decode(column: "source", as: String.self), createdAt: try r.decode(column: "created_at", as: String.self))
        t.idNumber = try text("id_number"); t.personID = try text("person_id").flatMap(UUID.init(uuidString:))
        if let type = try text("object_type"), let id = try text("object_id").flatMap(UUID.init(uuidString:)) { t.object = FieldTask.Object(type, id) }
        t.note = try text("note")
        t.open = try r.decode(column: "open", as: Int.self) == 1
        t.outcome = try text("outcome"); t.outcomeNote = try text("outcome_note"); t.closedBy = try text("closed_by"); t.closedAt = try text("closed_at")
        return t
    }

    public func task(_ id: UUID, in scope: Scope) async throws -> FieldTask {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT t.*, u.code AS unit_code, u.name AS unit_name FROM tasks t JOIN org_units u ON u.id = t.unit_id WHERE t.id = \(bind: id.text) AND \(engine.startsWith("t.path", scope.path))").first()
            else { throw RenkouError.notFound(Text("任务", "task")) }
            return try Self.decode(r)
        }
    }

    /// The list of the scope on a day: open stored tasks plus every task source's reminders up to the
    /// policy's horizon, overdue first, its first `limit` entries (each source gives its first `limit`
    /// by due day, so the merged head is exact). The list names people, so the read is audited like a person list.
    public func list(on day: Day, includeClosed: Bool = false, limit: Int = 1000, in scope: Scope, by actor: Actor) async throws -> [FieldTask] {
        let engine = db.engine, env = self.env, sources = self.sources
        let horizon = day.adding(days: env.policy(.reminderHorizon, on: day))
        var tasks = try await db.read { db -> [FieldTask] in
            var all = try await db.raw("""
                SELECT t.*, u.code AS unit_code, u.name AS unit_name FROM tasks t JOIN org_units u ON u.id = t.unit_id
                WHERE \(engine.startsWith("t.path", scope.path)) \(unsafeRaw: includeClosed ? "" : "AND t.open = 1") ORDER BY t.due LIMIT \(unsafeRaw: String(limit))
                """).all().map(Self.decode)
            for source in sources { all += try await source.reminders(on: day, horizon: horizon, scope: scope, engine: engine, limit: limit, db) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "tasks", entityID: day.description, path: scope.path,
                                     after: AuditLog.json(["shown": String(all.count)]))
            return all
        }
        tasks.sort(by: FieldTask.listOrder(on: day))
        return Array(tasks.prefix(limit))
    }

    /// Closes a stored task with its outcome.
    public func close(_ id: UUID, outcome: String, note: String?, in scope: Scope, by actor: Actor) async throws -> FieldTask {
        guard Codes.contains(FieldTask.outcomes, outcome) else {
            throw RenkouError.invalid([FieldError("/outcome", "code-unknown", Text("请选择办理结果。", "Choose an outcome."))])
        }
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT open, path FROM tasks WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("任务", "task"))
            }
            guard try r.decode(column: "open", as: Int.self) == 1 else { throw RenkouError(.conflict, "task-closed", Text("该任务已办结。", "This task is closed already.")) }
            try await db.raw("""
                UPDATE tasks SET open = 0, outcome = \(bind: outcome), outcome_note = \(bind: note?.nilIfBlank), closed_by = \(bind: actor.username),
                closed_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: id.text)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "task", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["outcome": outcome, "note": note ?? ""]))
        }
        return try await task(id, in: scope)
    }
}

