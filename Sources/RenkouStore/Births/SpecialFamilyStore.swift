import Foundation
import RenkouCore
import SQLKit

/// 计划生育特殊家庭: families that lost or care for their only child, each with a community contact
/// and an association contact (双岗联系人), a visit due at the policy's rhythm from the last help given
/// (on the one task list), and the record of help. Reads name people: audited.
public struct SpecialFamilyStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Lists a person of the scope as a special family. Throws `invalid` (`/person` `unknown-person`,
    /// `/situation` `code-unknown`, `/communityContact` `unknown-account` (an active account of the
    /// area above or of the person's unit), `/associationContact` `required`), `conflict` (`listed`).
    public func add(person: UUID, situation: String, communityContact: String, associationContact: String, associationPhone: String?,
                    in scope: Scope, by actor: Actor) async throws -> SpecialFamily {
        let engine = db.engine, env = self.env, id = env.newID(), today = Day(env.now())
        try await db.transaction { db in
            let p = try await PersonStore.require(person, in: scope, engine: engine, db)
            var errors = FieldErrors()
            let s = FamilySituation(rawValue: situation)
            if s == nil { errors.add("/situation", "code-unknown", "请选择家庭情况。", "Choose the family's situation.") }
            let contact = communityContact.trimmed
            let unitPath = try await db.raw("SELECT u.path FROM users a JOIN org_units u ON u.id = a.unit_id WHERE a.username = \(bind: contact) AND a.disabled = 0").first()?
                .decode(column: "path", as: String.self)
            if unitPath.map({ !p.path.hasPrefix($0) }) ?? true {
                errors.add("/communityContact", "unknown-account", "社区联系人应为本辖区的有效账号。", "The community contact is an active account whose area holds the family.")
            }
            if associationContact.trimmed.isEmpty { errors.add("/associationContact", "required", "请填写计生协会联系人。", "Name the association's contact.") }
            try errors.throwIfAny()
            if try await db.raw("SELECT id FROM special_families WHERE person_id = \(bind: person.text)").first() != nil {
                throw RenkouError(.conflict, "listed", Text("该家庭已列入特殊家庭。", "This family is listed already."))
            }
            try await db.raw("""
                INSERT INTO special_families (id, person_id, situation, community_contact, association_contact, association_phone, since, next_visit, unit_id, path, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: person.text), \(bind: s!.rawValue), \(bind: contact), \(bind: associationContact.trimmed), \(bind: associationPhone?.trimmed.nilIfBlank),
                        \(bind: today.description), \(bind: today.description), \(bind: p.unitID.text), \(bind: p.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "special_family", entityID: id.text, path: p.path)
        }
        return try await family(id, in: scope, by: actor)
    }

    static let columns = """
        f.*, p.name, p.id_number, u.code AS unit_code, u.name AS unit_name, (SELECT MAX(h.day) FROM family_help h WHERE h.family_id = f.id) AS last_contact
        FROM special_families f JOIN persons p ON p.id = f.person_id JOIN org_units u ON u.id = f.unit_id
        """

    func decode(_ r: any SQLRow) throws -> SpecialFamily {
        let last = try r.decode(column: "last_contact", as: String?.self), since = try r.decode(column: "since", as: String.self)
        let next = try r.decode(column: "next_visit", as: String.self)
        return SpecialFamily(id: try r.decode(column: "id", as: String.self).uuid, personID: try r.decode(column: "person_id", as: String.self).uuid,
                             name: try r.decode(column: "name", as: String.self), idNumber: try r.decode(column: "id_number", as: String?.self) ?? "",
                             unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                             situation: FamilySituation(rawValue: try r.decode(column: "situation", as: String.self)) ?? .childDied,
                             communityContact: try r.decode(column: "community_contact", as: String.self), associationContact: try r.decode(column: "association_contact", as: String.self),
                             associationPhone: try r.decode(column: "association_phone", as: String?.self), since: since, lastContact: last, nextVisit: next)
    }

    /// One family of the scope. Audited. Throws `not-found`.
    public func family(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> SpecialFamily {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE f.id = \(bind: id.text) AND \(engine.startsWith("f.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("特殊家庭", "special family"))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "special_family", entityID: id.text, path: try r.decode(column: "path", as: String.self))
            return try self.decode(r)
        }
    }

    /// The families of the scope, the most overdue visit first. Audited like a person list.
    public func families(in scope: Scope, by actor: Actor) async throws -> [SpecialFamily] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let rows = try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE \(engine.startsWith("f.path", scope.path))").all().map { try self.decode($0) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "special_families", entityID: "list", path: scope.path, after: AuditLog.json(["shown": String(rows.count)]))
            return rows.sorted { ($0.nextVisit, $0.name) < ($1.nextVisit, $1.name) }
        }
    }

    /// The help given to a family, newest first.
    public func help(_ id: UUID, in scope: Scope) async throws -> [FamilyHelp] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT * FROM family_help WHERE family_id = \(bind: id.text) AND \(engine.startsWith("path", scope.path)) ORDER BY day DESC, created_at DESC").all().map { r in
                FamilyHelp(id: try r.decode(column: "id", as: String.self).uuid, day: try r.decode(column: "day", as: String.self),
                           kind: HelpKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .visit, note: try r.decode(column: "note", as: String?.self),
                           by: try r.decode(column: "by_user", as: String.self))
            }
        }
    }

    /// Records help given (a visit included): the next visit is due `births.family-visit-days` after the latest help.
    /// Throws `not-found`, `invalid` (`/kind` `code-unknown`, `/date` `required`, `date-format`, `future-date`).
    @discardableResult
    public func recordHelp(_ id: UUID, kind: String, day: String?, note: String?, in scope: Scope, by actor: Actor) async throws -> FamilyHelp {
        var errors = FieldErrors()
        let k = HelpKind(rawValue: kind)
        if k == nil { errors.add("/kind", "code-unknown", "请选择帮扶内容。", "Choose what was done.") }
        let d = Day.checked(day, "/date", today: Day(env.now()), required: true, &errors)
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, hid = env.newID()
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path FROM special_families WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("特殊家庭", "special family"))
            }
            let path = try r.decode(column: "path", as: String.self)
            try await db.raw("""
                INSERT INTO family_help (id, family_id, day, kind, note, by_user, path, created_at)
                VALUES (\(bind: hid.text), \(bind: id.text), \(bind: d!.description), \(bind: k!.rawValue), \(bind: note?.trimmed.nilIfBlank), \(bind: actor.username), \(bind: path),
                        \(bind: Timestamp.string(env.now())))
                """).run()
            // The next visit: the policy's days after the latest help (help entered late does not move it back).
            let latest = try await db.raw("SELECT MAX(day) AS d FROM family_help WHERE family_id = \(bind: id.text)").first()!.decode(column: "d", as: String.self)
            let next = Day(latest)!.adding(days: env.policy(.familyVisitDays, on: Day(latest)!))
            try await db.raw("UPDATE special_families SET next_visit = \(bind: next.description) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "family_help", entityID: hid.text, path: path)
        }
        return FamilyHelp(id: hid, day: d!.description, kind: k!, note: note?.trimmed.nilIfBlank, by: actor.username)
    }
}

/// 特殊家庭走访 on the one task list: each family's next visit (kept on the family when help is recorded).
struct FamilyVisitSource: TaskSource {
    func path(of id: UUID, _ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT path FROM special_families WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self)
    }
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask] {
        try await db.raw("""
            SELECT f.id, f.person_id, f.next_visit, f.created_at, f.community_contact, p.name, p.id_number, u.code AS unit_code, u.name AS unit_name
            FROM special_families f JOIN persons p ON p.id = f.person_id JOIN org_units u ON u.id = f.unit_id
            WHERE \(engine.startsWith("f.path", scope.path)) AND p.status = 'active' AND f.next_visit <= \(bind: horizon.description)
            ORDER BY f.next_visit LIMIT \(unsafeRaw: String(limit))
            """).all().map { r -> FieldTask in
            var t = FieldTask(id: try r.decode(column: "id", as: String.self).uuid, kind: .familyVisit, subject: try r.decode(column: "name", as: String.self),
                              unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                              due: try r.decode(column: "next_visit", as: String.self), source: "births", createdAt: try r.decode(column: "created_at", as: String.self), isStored: false)
            t.idNumber = try r.decode(column: "id_number", as: String?.self); t.personID = try r.decode(column: "person_id", as: String.self).uuid
            t.object = FieldTask.Object("family", t.id); t.note = "联系人 " + (try r.decode(column: "community_contact", as: String.self))
            return t
        }
    }
}

extension Stores {
    public var families: SpecialFamilyStore { SpecialFamilyStore(db: db, env: env) }
}
