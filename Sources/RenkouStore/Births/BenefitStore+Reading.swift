import Foundation
import RenkouCore
import SQLKit

/// Reading runs, their lines and objections, inside the reader's area.
extension BenefitStore {
    // MARK: Reading

    static func runColumns(_ scope: Scope, _ engine: Engine) -> SQLQueryString {
        let inScope = engine.startsWith("l.path", scope.path)
        return """
            r.*, u.code AS unit_code, u.name AS unit_name,
            (SELECT COUNT(*) FROM benefit_lines l WHERE l.run_id = r.id AND l.eligible = 1 AND l.removed_reason IS NULL AND \(inScope)) AS eligible_count,
            (SELECT COUNT(*) FROM benefit_lines l WHERE l.run_id = r.id AND (l.eligible = 0 OR l.removed_reason IS NOT NULL) AND \(inScope)) AS excluded_count,
            (SELECT COUNT(*) FROM benefit_lines l WHERE l.run_id = r.id AND l.held = 1 AND \(inScope)) AS held_count,
            (SELECT COALESCE(SUM(l.amount), 0) FROM benefit_lines l WHERE l.run_id = r.id AND l.eligible = 1 AND l.removed_reason IS NULL AND \(inScope)) AS amount_sum
            FROM benefit_runs r JOIN org_units u ON u.id = r.unit_id
            """
    }

    static func decodeRun(_ r: any SQLRow) throws -> BenefitRun {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        var run = BenefitRun(id: try r.decode(column: "id", as: String.self).uuid, programme: BenefitProgramme(rawValue: try r.decode(column: "programme", as: String.self)) ?? .childcareSubsidy,
                          year: try r.decode(column: "year", as: Int.self), unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                          state: RunState(rawValue: try r.decode(column: "state", as: String.self)) ?? .draft, postedOn: try text("posted_on"), postingUntil: try text("posting_until"),
                          approvedBy: try text("approved_by"), approvedOn: try text("approved_on"), eligible: try r.decode(column: "eligible_count", as: Int.self),
                          excluded: try r.decode(column: "excluded_count", as: Int.self), held: try r.decode(column: "held_count", as: Int.self),
                          amount: try r.decode(column: "amount_sum", as: Int.self))
        run.quarter = try r.decode(column: "quarter", as: Int.self); run.payBy = try text("pay_by")
        return run
    }

    /// A run whose lines reach into the scope (a street's run read by a community counts that community's lines). Throws `not-found`.
    public func run(_ id: UUID, in scope: Scope) async throws -> BenefitRun {
        let engine = db.engine
        return try await db.read { db in try await Self.findRun(id, in: scope, engine: engine, db) }
    }

    /// The run for a step that changes it (post, approve, pay, reconcile, discard): the actor's area must
    /// hold the whole run (a community reads its street's list, it does not act on it); the row is
    /// locked on PostgreSQL so that two steps on one run follow each other. Returns the run and its path.
    static func ownRun(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> (BenefitRun, String) {
        // Not found outside the reader's area; readable but not the actor's to change: forbidden.
        _ = try await findRun(id, in: scope, engine: engine, db)
        guard let path = try await db.raw("SELECT path FROM benefit_runs WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self), path.hasPrefix(scope.path) else {
            throw RenkouError.forbidden
        }
        if db.dialect.name == "postgresql", !(db is ReadSession) { _ = try await db.raw("SELECT id FROM benefit_runs WHERE id = \(bind: id.text) FOR UPDATE").all() }
        return (try await findRun(id, in: scope, engine: engine, db), path)   // read once locked
    }

    static func findRun(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> BenefitRun {
        guard let r = try await db.raw("""
            SELECT \(Self.runColumns(scope, engine)) WHERE r.id = \(bind: id.text) AND (\(engine.startsWith("r.path", scope.path)) OR \(bind: scope.path) LIKE r.path || '%')
            """).first() else { throw RenkouError.notFound(Text("扶助名单", "benefit run")) }
        return try decodeRun(r)
    }

    /// The runs of the scope and of the units above it, newest first.
    public func runs(in scope: Scope) async throws -> [BenefitRun] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT \(Self.runColumns(scope, engine)) WHERE \(engine.startsWith("r.path", scope.path)) OR \(bind: scope.path) LIKE r.path || '%' ORDER BY r.year DESC, r.quarter DESC, r.created_at DESC")
                .all().map(Self.decodeRun)
        }
    }

    static let lineColumns = "l.*, u.name AS unit_name FROM benefit_lines l JOIN org_units u ON u.id = l.unit_id"

    static func decodeLine(_ r: any SQLRow) throws -> BenefitLine {
        var line = BenefitLine(id: try r.decode(column: "id", as: String.self).uuid, number: try r.decode(column: "number", as: Int.self),
                    personID: try r.decode(column: "person_id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                    idNumber: try r.decode(column: "id_number", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                    eligible: try r.decode(column: "eligible", as: Int.self) == 1, facts: try r.decode(column: "facts", as: String.self),
                    amount: try r.decode(column: "amount", as: Int.self), removedReason: try r.decode(column: "removed_reason", as: String?.self),
                    held: try r.decode(column: "held", as: Int.self) == 1, payment: PaymentState(rawValue: try r.decode(column: "payment", as: String.self)) ?? .pending,
                    returnReason: try r.decode(column: "return_reason", as: String?.self))
        line.paidOn = try r.decode(column: "paid_on", as: String?.self)
        return line
    }

    /// A run's lines inside the scope, in their order. They name people: the read is audited.
    public func lines(_ run: UUID, in scope: Scope, by actor: Actor) async throws -> [BenefitLine] {
        let engine = db.engine, env = self.env
        _ = try await self.run(run, in: scope)
        return try await db.read { db in
            let rows = try await db.raw("SELECT \(unsafeRaw: Self.lineColumns) WHERE l.run_id = \(bind: run.text) AND \(engine.startsWith("l.path", scope.path)) ORDER BY l.number")
                .all().map(Self.decodeLine)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "benefit_lines", entityID: run.text, path: scope.path,
                                     after: AuditLog.json(["shown": String(rows.count)]))
            return rows
        }
    }

    /// An objection and what became of it.
    public struct Objection: Sendable, Codable, Equatable {
        public let id: UUID; public let lineID: UUID; public let lineNumber: Int; public let text: String; public let source: String
        public let filedOn: String; public let resolvedOn: String?; public let upheld: Bool?; public let resolution: String?
    }

    /// The objections to a run's lines inside the scope.
    public func objections(_ run: UUID, in scope: Scope) async throws -> [Objection] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT o.*, l.number FROM benefit_objections o JOIN benefit_lines l ON l.id = o.line_id WHERE l.run_id = \(bind: run.text) AND \(engine.startsWith("o.path", scope.path))
                ORDER BY o.filed_on, o.id
                """).all().map { r in
                Objection(id: try r.decode(column: "id", as: String.self).uuid, lineID: try r.decode(column: "line_id", as: String.self).uuid,
                          lineNumber: try r.decode(column: "number", as: Int.self), text: try r.decode(column: "text", as: String.self),
                          source: try r.decode(column: "source", as: String.self), filedOn: try r.decode(column: "filed_on", as: String.self),
                          resolvedOn: try r.decode(column: "resolved_on", as: String?.self), upheld: try r.decode(column: "upheld", as: Int?.self).map { $0 == 1 },
                          resolution: try r.decode(column: "resolution", as: String?.self))
            }
        }
    }
}
