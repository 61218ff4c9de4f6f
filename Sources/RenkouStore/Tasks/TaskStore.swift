import Foundation
import RenkouCore
import SQLKit

/// Computes reminders for the task list live from a module's own tables (an expiry ahead, a visit
/// due). Modules contribute sources to `ExtensionPoint.taskSources`; the list never names them.
public protocol TaskSource: Sendable {
    /// The reminders of the scope due up to `horizon` (or already overdue), read in the caller's
    /// transaction: the first `limit` of them by due day (the list needs no more).
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask]
    /// The unit path of one of its reminders (nil when the id is not one of its own): an assignment
    /// checks the task is in the assigner's scope and the assignee's.
    func path(of id: UUID, _ db: any SQLDatabase) async throws -> String?
}

/// A module's lines of the work summary of a period (周汇报, 月滚动跟踪排查), counted in the scope.
public protocol WorkSummarySource: Sendable {
    func lines(from: Day, to: Day, scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> [WorkLine]
}

extension ExtensionPoint where Item == any WorkSummarySource {
    /// Where modules add their lines to the weekly report and the monthly rolling check list.
    public static var workSummary: ExtensionPoint<any WorkSummarySource> { ExtensionPoint("tasks.work-summary") }
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
    let summaries: [any WorkSummarySource]
    public init(db: Database, env: RenkouCore.Environment, sources: [any TaskSource], summaries: [any WorkSummarySource] = []) {
        self.db = db; self.env = env; self.sources = sources; self.summaries = summaries
    }

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
        /// The permission a role needs to see the task (a volunteer's pregnancy report: `services.see-rh`).
        var requires: Permission? = nil
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
            INSERT INTO tasks (id, kind, subject, id_number, person_id, object_type, object_id, note, unit_id, path, due, open, source, created_by, created_at, requires)
            VALUES (\(bind: id.text), \(bind: t.kind.rawValue), \(bind: t.subject), \(bind: t.idNumber), \(bind: t.personID?.text), \(bind: t.object?.type), \(bind: t.object?.id.text),
                    \(bind: t.note), \(bind: t.unitID.text), \(bind: t.path), \(bind: t.due.description), 1, \(bind: t.source), \(bind: actor.username),
                    \(bind: Timestamp.string(env.now())), \(bind: t.requires?.description))
            """).run()
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "task", entityID: id.text, path: t.path,
                                 after: AuditLog.json(["kind": t.kind.rawValue, "subject": t.subject, "due": t.due.description, "source": t.source]))
        return id
    }

    /// Closes the open tasks of a kind about an ID number (a registration done through another door).
    /// Closes one open stored task inside the caller's transaction (another module's record that
    /// finished it: an exchange reply); a task closed already stays as it was.
    static func settle(id: UUID, outcome: String, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE tasks SET open = 0, outcome = \(bind: outcome), closed_by = \(bind: actor.username), closed_at = \(bind: Timestamp.string(env.now()))
            WHERE id = \(bind: id.text) AND open = 1
            """).run()
    }

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
        if let p = try text("requires"), let dot = p.firstIndex(of: "."), let action = Action(rawValue: String(p[p.index(after: dot)...])) {
            t.requires = Permission(String(p[..<dot]), action)
        }
        t.outcome = try text("outcome"); t.outcomeNote = try text("outcome_note"); t.closedBy = try text("closed_by"); t.closedAt = try text("closed_at")
        return t
    }

    /// A stored task of the scope; `role`: one the role may not see (`FieldTask.requires`) is not found.
    public func task(_ id: UUID, in scope: Scope, for role: Role? = nil) async throws -> FieldTask {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT t.*, u.code AS unit_code, u.name AS unit_name FROM tasks t JOIN org_units u ON u.id = t.unit_id WHERE t.id = \(bind: id.text) AND \(engine.startsWith("t.path", scope.path))").first()
            else { throw RenkouError.notFound(Text("任务", "task")) }
            let t = try Self.decode(r)
            if let role, let needed = t.requires, !role.can(needed) { throw RenkouError.notFound(Text("任务", "task")) }
            return t
        }
    }

    /// The permission a stored task requires (nil: none, or not a stored task).
    static func requirement(_ id: UUID, _ db: any SQLDatabase) async throws -> Permission? {
        guard let p = try await db.raw("SELECT requires FROM tasks WHERE id = \(bind: id.text)").first()?.decode(column: "requires", as: String?.self),
              let dot = p.firstIndex(of: "."), let action = Action(rawValue: String(p[p.index(after: dot)...])) else { return nil }
        return Permission(String(p[..<dot]), action)
    }

    /// The list of the scope on a day: open stored tasks plus every task source's reminders up to the
    /// policy's horizon, overdue first, its first `limit` entries (each source gives its first `limit`
    /// by due day, so the merged head is exact). The list names people, so the read is audited like a person list.
    /// `assigned`: nil for every task, "" for the unassigned ones, a username for that account's.
    /// `role`: the tasks a role may not see (`FieldTask.requires`) are left out; nil (the command line) sees all.
    public func list(on day: Day, includeClosed: Bool = false, limit: Int = 1000, assigned: String? = nil, for role: Role? = nil,
                     in scope: Scope, by actor: Actor) async throws -> [FieldTask] {
        let engine = db.engine, env = self.env, sources = self.sources
        let horizon = day.adding(days: env.policy(.reminderHorizon, on: day))
        let tasks = try await db.read { db -> [FieldTask] in
            var all = try await db.raw("""
                SELECT t.*, u.code AS unit_code, u.name AS unit_name FROM tasks t JOIN org_units u ON u.id = t.unit_id
                WHERE \(engine.startsWith("t.path", scope.path)) \(unsafeRaw: includeClosed ? "" : "AND t.open = 1") ORDER BY t.due LIMIT \(unsafeRaw: String(limit))
                """).all().map(Self.decode)
            for source in sources { all += try await source.reminders(on: day, horizon: horizon, scope: scope, engine: engine, limit: limit, db) }
            if let role { all = all.filter { t in t.requires.map(role.can) ?? true } }
            all.sort(by: FieldTask.listOrder(on: day))
            try await Self.annotate(&all, db)
            if let assigned { all = all.filter { assigned.isEmpty ? $0.assignee == nil : $0.assignee == assigned } }
            all = Array(all.prefix(limit))
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "tasks", entityID: day.description, path: scope.path,
                                     after: AuditLog.json(["shown": String(all.count)]))
            return all
        }
        return tasks
    }

    /// Puts on each task its assignee and its person's household (户号 and address, else the person's address).
    static func annotate(_ tasks: inout [FieldTask], _ db: any SQLDatabase) async throws {
        var assignees: [String: String] = [:], homes: [String: String] = [:]
        let ids = tasks.map(\.id.text), people = Array(Set(tasks.compactMap { $0.personID?.text }))
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let list = SQLQueryString(chunk.map { "'\($0)'" }.joined(separator: ","))
            for r in try await db.raw("SELECT task_id, assignee FROM task_assignments WHERE task_id IN (\(list))").all() {
                assignees[try r.decode(column: "task_id", as: String.self)] = try r.decode(column: "assignee", as: String.self)
            }
        }
        for chunk in stride(from: 0, to: people.count, by: 500).map({ Array(people[$0..<min($0 + 500, people.count)]) }) {
            let list = SQLQueryString(chunk.map { "'\($0)'" }.joined(separator: ","))
            for r in try await db.raw("""
                SELECT p.id, p.address, h.number, h.address AS home FROM persons p
                LEFT JOIN household_members m ON m.person_id = p.id AND m.left_on IS NULL LEFT JOIN households h ON h.id = m.household_id
                WHERE p.id IN (\(list))
                """).all() {
                let number = try r.decode(column: "number", as: String?.self), home = try r.decode(column: "home", as: String?.self)
                let address = try r.decode(column: "address", as: String?.self)
                let label = number.map { n in [n, home ?? address].compactMap { $0 }.joined(separator: " ") } ?? address
                if let label, !label.isEmpty { homes[try r.decode(column: "id", as: String.self)] = label }
            }
        }
        for i in tasks.indices {
            tasks[i].assignee = assignees[tasks[i].id.text]
            tasks[i].household = tasks[i].personID.flatMap { homes[$0.text] }
        }
    }

    /// 指派: assigns a task of the scope (stored or a reminder) to a field account of the assigner's area
    /// that can see it, or takes the assignment away (`to` nil or empty). Throws `not-found` (no such
    /// task in the scope), `invalid` (`/to` `unknown-account`: no active field account of that name in
    /// the assigner's area whose own area holds the task).
    public func assign(_ id: UUID, to username: String?, in scope: Scope, role: Role? = nil, by actor: Actor) async throws {
        let engine = db.engine, env = self.env, sources = self.sources
        try await db.transaction { db in
            var path = try await db.raw("SELECT path FROM tasks WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self)
            for source in sources where path == nil { path = try await source.path(of: id, db) }
            guard let path, path.hasPrefix(scope.path) else { throw RenkouError.notFound(Text("任务", "task")) }
            // a task the assigner may not see is not there for her; one the assignee may not see is not hers to take
            let needed = try await Self.requirement(id, db)
            if let role, let needed, !role.can(needed) { throw RenkouError.notFound(Text("任务", "task")) }
            let to = username?.trimmed ?? ""
            if !to.isEmpty {
                let account = try await db.raw("""
                    SELECT u.path, a.role FROM users a JOIN org_units u ON u.id = a.unit_id WHERE a.username = \(bind: to) AND a.disabled = 0
                    AND a.role IN \(unsafeRaw: Self.fieldRoles) AND \(engine.startsWith("u.path", scope.path))
                    """).first()
                let sees = try needed.map { n in try account.flatMap { Role(rawValue: try $0.decode(column: "role", as: String.self)) }?.can(n) ?? false } ?? true
                guard let unitPath = try account?.decode(column: "path", as: String.self), path.hasPrefix(unitPath), sees else {
                    throw RenkouError.invalid([FieldError("/to", "unknown-account", Text("没有名为 \(to) 且辖区包含该任务的有效账号。", "No active account \(to) whose area holds this task."))])
                }
            }
            try await db.raw("DELETE FROM task_assignments WHERE task_id = \(bind: id.text)").run()
            if !to.isEmpty {
                try await db.raw("""
                    INSERT INTO task_assignments (task_id, assignee, assigned_by, assigned_at, path)
                    VALUES (\(bind: id.text), \(bind: to), \(bind: actor.username), \(bind: Timestamp.string(env.now())), \(bind: path))
                    """).run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "task_assignment", entityID: id.text, path: path,
                                     after: AuditLog.json(["assignee": to]))
        }
    }

    /// The roles that take field tasks.
    static let fieldRoles = "('community', 'grid', 'street', 'provider')"

    /// The active accounts of the scope's units (and the units below) that do field work: whom a task can go to.
    public func assignees(in scope: Scope) async throws -> [(username: String, name: String, unit: String)] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT a.username, a.display_name, u.name FROM users a JOIN org_units u ON u.id = a.unit_id
                WHERE a.disabled = 0 AND a.role IN \(unsafeRaw: Self.fieldRoles) AND \(engine.startsWith("u.path", scope.path)) ORDER BY u.path, a.username
                """).all().map { (try $0.decode(column: "username", as: String.self), try $0.decode(column: "display_name", as: String.self), try $0.decode(column: "name", as: String.self)) }
        }
    }

    /// 周汇报 / 月滚动跟踪排查: the work of the scope from `from` to `to` (both included): the stored tasks
    /// made and closed, the life events recorded, then every module's lines; no names.
    public func summary(from: Day, to: Day, in scope: Scope) async throws -> [WorkLine] {
        let engine = db.engine, summaries = self.summaries
        return try await db.read { db in
            let a = from.description, b = to.description + "~"   // timestamps of `to` sort before "YYYY-MM-DD~"
            let section = Text("任务", "Tasks"), registry = Text("人口登记", "Registry")
            var lines = [
                WorkLine(section, Text("新增任务", "Tasks added"),
                         try await db.count("SELECT COUNT(*) AS n FROM tasks WHERE \(engine.startsWith("path", scope.path)) AND created_at >= \(bind: a) AND created_at < \(bind: b)")),
                WorkLine(section, Text("办结任务", "Tasks closed"),
                         try await db.count("SELECT COUNT(*) AS n FROM tasks WHERE \(engine.startsWith("path", scope.path)) AND open = 0 AND closed_at >= \(bind: a) AND closed_at < \(bind: b)")),
                WorkLine(section, Text("其中查无此人", "of which: person not found"),
                         try await db.count("SELECT COUNT(*) AS n FROM tasks WHERE \(engine.startsWith("path", scope.path)) AND outcome = 'not-found' AND closed_at >= \(bind: a) AND closed_at < \(bind: b)")),
                WorkLine(section, Text("期末逾期未办", "Overdue at the end"),
                         // as the period ended: made by then, not closed by then, due before its last day
                         try await db.count("""
                             SELECT COUNT(*) AS n FROM tasks WHERE \(engine.startsWith("path", scope.path)) AND created_at < \(bind: b) AND due < \(bind: to.description)
                             AND (open = 1 OR closed_at >= \(bind: b))
                             """), outstanding: true),
            ]
            for (type, label) in [("birth", Text("出生登记", "Births recorded")), ("death", Text("死亡登记", "Deaths recorded")),
                                  ("marriage", Text("结婚登记", "Marriages recorded")), ("move-in", Text("迁入", "Moves in"))] {
                lines.append(WorkLine(registry, label, try await db.count("""
                    SELECT COUNT(*) AS n FROM life_events WHERE \(engine.startsWith("path", scope.path)) AND type = \(bind: type) AND revoked_at IS NULL AND day >= \(bind: a) AND day <= \(bind: to.description)
                    """)))
            }
            for s in summaries { lines += try await s.lines(from: from, to: to, scope: scope, engine: engine, db) }
            return lines
        }
    }

    /// Closes a stored task with its outcome.
    public func close(_ id: UUID, outcome: String, note: String?, in scope: Scope, role: Role? = nil, by actor: Actor) async throws -> FieldTask {
        guard Codes.contains(FieldTask.outcomes, outcome) else {
            throw RenkouError.invalid([FieldError("/outcome", "code-unknown", Text("请选择办理结果。", "Choose an outcome."))])
        }
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT open, path FROM tasks WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("任务", "task"))
            }
            if let role, let needed = try await Self.requirement(id, db), !role.can(needed) { throw RenkouError.notFound(Text("任务", "task")) }
            guard try r.decode(column: "open", as: Int.self) == 1 else { throw RenkouError(.conflict, "task-closed", Text("该任务已办结。", "This task is closed already.")) }
            try await db.raw("""
                UPDATE tasks SET open = 0, outcome = \(bind: outcome), outcome_note = \(bind: note?.nilIfBlank), closed_by = \(bind: actor.username),
                closed_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: id.text)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "task", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["outcome": outcome, "note": note ?? ""]))
        }
        return try await task(id, in: scope, for: role)
    }
}

