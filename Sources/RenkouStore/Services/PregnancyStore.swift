import Foundation
import RenkouCore
import SQLKit

/// 孕情: pregnancies from the day they are known to their outcome, inside the caller's scope. They are
/// reproductive-health details: the web layer shows them to the service roles only.
public struct PregnancyStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Opens a pregnancy a worker or a provider was told of. Throws `invalid` (the input's errors,
    /// `/person` `not-female`), `not-found` (a person outside the scope), `conflict` (`pregnancy-open`:
    /// she has an open one, whose outcome comes first).
    public func open(_ input: PregnancyInput, in scope: Scope, by actor: Actor) async throws -> Pregnancy {
        let v = try input.checked(today: Day(env.now()))
        let engine = db.engine, env = self.env
        let id = try await db.transaction { db -> UUID in
            let person = try await PersonStore.require(v.person, in: scope, engine: engine, db)
            guard person.sex == "2" else { throw RenkouError.invalid([FieldError("/person", "not-female", Text("孕情只记录于女性。", "A pregnancy is recorded for a woman."))]) }
            if try await Self.openID(person.id, db) != nil {
                throw RenkouError(.conflict, "pregnancy-open", Text("她已有未结束的孕情，请先记录其结局。", "She has an open pregnancy: record its outcome first."))
            }
            return try await Self.open(person, source: v.source, detected: v.detected, lmp: v.lmp, note: input.note?.trimmed.nilIfBlank, env: env, actor: actor, db)
        }
        return try await pregnancy(id, in: scope)
    }

    /// Records how a pregnancy ended. Throws `not-found`, `conflict` (`pregnancy-ended`), `invalid`
    /// (`/outcome` `code-unknown`, `/date` `date-format`, `future-date`, `before-detection`).
    public func recordOutcome(_ id: UUID, outcome: String?, on date: String?, note: String?, in scope: Scope, by actor: Actor) async throws -> Pregnancy {
        let today = Day(env.now()), engine = db.engine, env = self.env
        try await db.transaction { db in
            let p = try await Self.find(id, in: scope, engine: engine, db)
            guard p.isOpen else { throw RenkouError(.conflict, "pregnancy-ended", Text("该孕情已记录结局。", "This pregnancy's outcome is recorded already.")) }
            var errors = FieldErrors()
            let o = outcome.flatMap(PregnancyOutcome.init(rawValue:))
            if o == nil { errors.add("/outcome", "code-unknown", "请选择妊娠结局。", "Choose the outcome.") }
            let day = Day.checked(date, "/date", today: today, required: true, &errors)
            if let day, day.description < p.detectedOn, o != .lost {
                errors.add("/date", "before-detection", "结局日期不能早于发现孕情的日期（\(p.detectedOn)）。", "The outcome cannot be before the pregnancy was known (\(p.detectedOn)).")
            }
            try errors.throwIfAny()
            try await db.raw("""
                UPDATE pregnancies SET outcome = \(bind: o!.rawValue), outcome_on = \(bind: day!.description), note = COALESCE(\(bind: note?.trimmed.nilIfBlank), note)
                WHERE id = \(bind: id.text)
                """).run()
            let path = try await db.raw("SELECT path FROM pregnancies WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "health_record", entityID: id.text, path: path,
                                     after: AuditLog.json(["outcomeOn": day!.description]))
        }
        return try await pregnancy(id, in: scope)
    }

    /// One pregnancy of the scope, its read audited when an actor is given (a form shows it). Throws `not-found`.
    public func pregnancy(_ id: UUID, in scope: Scope, by actor: Actor? = nil) async throws -> Pregnancy {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let g = try await Self.find(id, in: scope, engine: engine, db)
            if let actor { try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "health_record", entityID: id.text, path: scope.path) }
            return g
        }
    }

    static let columns = "g.*, p.name AS person_name, u.code AS unit_code FROM pregnancies g JOIN persons p ON p.id = g.person_id JOIN org_units u ON u.id = g.unit_id"

    static func find(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> Pregnancy {
        guard let r = try await db.raw("SELECT \(unsafeRaw: columns) WHERE g.id = \(bind: id.text) AND \(engine.startsWith("g.path", scope.path))").first() else {
            throw RenkouError.notFound(Text("孕情", "pregnancy"))
        }
        return try decode(r)
    }

    static func of(_ person: UUID, _ db: any SQLDatabase) async throws -> [Pregnancy] {
        try await db.raw("SELECT \(unsafeRaw: columns) WHERE g.person_id = \(bind: person.text) ORDER BY g.detected_on DESC").all().map(decode)
    }

    static func decode(_ r: any SQLRow) throws -> Pregnancy {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        return Pregnancy(id: try r.decode(column: "id", as: String.self).uuid, personID: try r.decode(column: "person_id", as: String.self).uuid,
                         personName: try r.decode(column: "person_name", as: String.self),
                         source: PregnancySource(rawValue: try r.decode(column: "source", as: String.self)) ?? .report,
                         detectedOn: try r.decode(column: "detected_on", as: String.self), lastMenstrualPeriod: try text("lmp"), expectedOn: try text("expected_on"),
                         outcome: try text("outcome").flatMap(PregnancyOutcome.init(rawValue:)), outcomeOn: try text("outcome_on"),
                         childID: try text("child_id").flatMap(UUID.init(uuidString:)), note: try text("note"), unitCode: try r.decode(column: "unit_code", as: String.self))
    }

    static func openID(_ person: UUID, _ db: any SQLDatabase) async throws -> UUID? {
        try await db.raw("SELECT id FROM pregnancies WHERE person_id = \(bind: person.text) AND outcome IS NULL").first()?.decode(column: "id", as: String.self).uuid
    }

    /// Opens her pregnancy inside the caller's transaction, or returns the open one (a check and a visit
    /// may both find the same pregnancy).
    @discardableResult
    static func open(_ person: Person, source: PregnancySource, detected: Day, lmp: Day?, note: String?, env: RenkouCore.Environment, actor: Actor,
                     _ db: any SQLDatabase) async throws -> UUID {
        if let id = try await openID(person.id, db) { return id }
        let id = env.newID()
        try await db.raw("""
            INSERT INTO pregnancies (id, person_id, source, detected_on, lmp, expected_on, note, unit_id, path, entered_by, entered_at)
            VALUES (\(bind: id.text), \(bind: person.id.text), \(bind: source.rawValue), \(bind: detected.description), \(bind: lmp?.description),
                    \(bind: lmp?.adding(days: 280).description), \(bind: note), \(bind: person.unitID.text), \(bind: person.path), \(bind: actor.username),
                    \(bind: Timestamp.string(env.now())))
            """).run()
        // The audit row names the record only: its readers are not all service roles.
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "health_record", entityID: id.text, path: person.path,
                                 after: AuditLog.json(["person": person.id.text]))
        return id
    }

    /// Ends her open pregnancy (a birth, an abortion), if she has one.
    static func end(person: UUID, outcome: PregnancyOutcome, on day: Day, child: UUID?, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE pregnancies SET outcome = \(bind: outcome.rawValue), outcome_on = \(bind: day.description), child_id = \(bind: child?.text)
            WHERE person_id = \(bind: person.text) AND outcome IS NULL
            """).run()
    }
}

extension Stores {
    public var pregnancies: PregnancyStore { PregnancyStore(db: db, env: env) }
}
