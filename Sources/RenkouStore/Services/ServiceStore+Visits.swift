import Foundation
import RenkouCore
import SQLKit

/// The visits: one, recording one (and scheduling the next), the unit's list, a missed one rolled on.
extension ServiceStore {
    // MARK: Visits

    static let followUpColumns = "f.*, p.name AS person_name, u.code AS unit_code, u.name AS unit_name"
    static let followUpJoins = "FROM follow_ups f JOIN persons p ON p.id = f.person_id JOIN org_units u ON u.id = f.unit_id"

    static func decodeFollowUp(_ r: any SQLRow) throws -> FollowUp {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        return FollowUp(id: try r.decode(column: "id", as: String.self).uuid, personID: try r.decode(column: "person_id", as: String.self).uuid,
                        personName: try r.decode(column: "person_name", as: String.self), schedule: try r.decode(column: "schedule", as: String.self),
                        step: try r.decode(column: "step", as: Int.self), opens: try r.decode(column: "opens", as: String.self),
                        due: try r.decode(column: "due", as: String.self), overdueOn: try r.decode(column: "overdue_on", as: String.self),
                        expires: try r.decode(column: "expires", as: String.self), doneOn: try text("done_on"), findings: try text("findings"),
                        nextAction: try text("next_action"), closedReason: try text("closed_reason"),
                        unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                        handedOverFrom: try text("handed_over_from"))
            .anchored(try text("anchor"))
    }

    /// One visit of the scope. Throws `not-found`.
    public func followUp(_ id: UUID, in scope: Scope) async throws -> FollowUp {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.followUpColumns) \(unsafeRaw: Self.followUpJoins) WHERE f.id = \(bind: id.text) AND \(engine.startsWith("f.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("随访", "follow-up"))
            }
            return try Self.decodeFollowUp(r)
        }
    }

    /// Records a visit: its day (not before its schedule started, not in the future), what it found (the
    /// schedule's findings: `FollowUpSchedules.findings`) and what comes next; schedules the next visit
    /// counted from this day (unless a missed visit's next one is scheduled already). A visit that finds
    /// a pregnancy opens one; a pre-pregnancy follow-up writes its finding on the check. Throws
    /// `not-found`, `conflict` (`visit-recorded` when it is done or closed), `invalid` (`/date`
    /// `future-date` or `before-start`, `/findings` `code-unknown`).
    @discardableResult
    public func recordVisit(_ id: UUID, on day: Day, findings: String, nextAction: String?, in scope: Scope, by actor: Actor) async throws -> FollowUp {
        let today = Day(env.now())
        if today < day { throw RenkouError.invalid([FieldError("/date", "future-date", Text("日期不能晚于今天。", "The date cannot be in the future."))]) }
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.followUpColumns) \(unsafeRaw: Self.followUpJoins) WHERE f.id = \(bind: id.text) AND \(engine.startsWith("f.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("随访", "follow-up"))
            }
            var visit = try Self.decodeFollowUp(r)
            guard visit.doneOn == nil, visit.closedReason == nil else {
                throw RenkouError(.conflict, "visit-recorded", Text("这次随访已记录或已终止。", "This visit is recorded or closed already."))
            }
            var errors = FieldErrors()
            if !Codes.contains(FollowUpSchedules.findings(visit.schedule), findings) { errors.add("/findings", "code-unknown", "请选择随访结果。", "Choose what the visit found.") }
            // Not before the day its schedule started (the service, the birth, the check).
            if let start = visit.anchor, day.description < start {
                errors.add("/date", "before-start", "随访日期不能早于服务、出生或检查日期（\(start)）。", "The visit cannot be before the service, birth or check it follows (\(start)).")
            }
            try errors.throwIfAny()
            try await db.raw("""
                UPDATE follow_ups SET done_on = \(bind: day.description), findings = \(bind: findings), next_action = \(bind: nextAction?.trimmed.nilIfBlank),
                    done_by = \(bind: actor.username) WHERE id = \(bind: id.text)
                """).run()
            visit.doneOn = day.description; visit.findings = findings; visit.nextAction = nextAction?.trimmed.nilIfBlank
            let serviceID = try r.decode(column: "service_id", as: String?.self).flatMap(UUID.init(uuidString:))
            // The next visit counts from this one; a method's schedule goes on only while the method is used.
            if try r.decode(column: "next_id", as: String?.self) == nil {
                try await Self.scheduleNext(after: visit, serviceID: serviceID, from: day, env: env, engine: engine, db)
            }
            let person = try await PersonStore.require(visit.personID, in: .everything, engine: engine, db)
            if findings == FollowUpFinding.pregnancy.rawValue, person.sex == "2" {
                try await PregnancyStore.open(person, source: .followUp, detected: day, lmp: nil, note: nil, env: env, actor: actor, db)
            }
            if FollowUpSchedules.healthOnly(visit.schedule), let check = serviceID {
                try await PrePregnancyStore.visited(check: check, schedule: visit.schedule, finding: findings, on: day, person: person, env: env, actor: actor, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "follow_up", entityID: id.text, path: person.path,
                                     after: AuditLog.json(["doneOn": day.description]))
            return visit
        }
    }

    /// The visits of a unit of the scope (the scope's top when nil), as they stand on `day`, optionally
    /// of one status, by due date. The list names people, so the read is audited like a person list.
    /// Throws `invalid` (`/unit`, `unknown-unit`) for a unit outside the scope.
    /// Without `seesHealth`, the visits whose existence tells what they are about (`FollowUpSchedules.healthOnly`) are left out.
    public func followUps(unitCode: String?, on day: Day, status: FollowUpStatus?, limit: Int = 100, offset: Int = 0, seesHealth: Bool = true,
                          in scope: Scope, by actor: Actor) async throws -> Page<FollowUp> {
        let engine = db.engine, env = self.env
        var unitPath = scope.path
        if let unitCode, !unitCode.isEmpty {
            guard let unit = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope) else {
                throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(unitCode) 不存在或不在您的管辖范围内。", "Unit \(unitCode) does not exist or is outside your area."))])
            }
            unitPath = unit.path
        }
        let d = day.description
        let open = "f.done_on IS NULL AND f.closed_reason IS NULL"
        var condition: String
        switch status {
        case .notYetDue: condition = "\(open) AND f.opens > '\(d)'"
        case .due: condition = "\(open) AND f.opens <= '\(d)' AND f.overdue_on > '\(d)'"
        case .overdue: condition = "\(open) AND f.overdue_on <= '\(d)' AND f.expires > '\(d)'"
        case .expired: condition = "\(open) AND f.expires <= '\(d)'"
        case .done: condition = "f.done_on IS NOT NULL"
        case .closed: condition = "f.closed_reason IS NOT NULL"
        case nil: condition = "\(open) AND f.opens <= '\(d)' AND f.expires > '\(d)'"   // what is to do now
        }
        if !seesHealth { condition += " AND f.schedule NOT LIKE 'prepregnancy-%'" }
        let filter = condition
        let limit = min(max(limit, 1), 500), offset = max(offset, 0), path = unitPath
        return try await db.read { db in
            let (total, exact) = try await db.cappedCount("SELECT 1 AS one FROM follow_ups f WHERE \(engine.startsWith("f.path", path)) AND \(unsafeRaw: filter)")
            let items = try await db.raw("""
                SELECT \(unsafeRaw: Self.followUpColumns) \(unsafeRaw: Self.followUpJoins)
                WHERE \(engine.startsWith("f.path", path)) AND \(unsafeRaw: filter) ORDER BY f.due, f.id LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all().map(Self.decodeFollowUp)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "follow-ups", entityID: day.description, path: path,
                                     after: AuditLog.json(["status": status?.rawValue ?? "", "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset, totalExact: exact)
        }
    }

    /// A person's open visits (not done, not closed) as of `day`: what anyone reading the person may
    /// know (that a visit is due), without the service; the caller shows the schedule only to service roles.
    public func followUps(personID: UUID, on day: Day, in scope: Scope) async throws -> [FollowUp] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.followUpColumns) \(unsafeRaw: Self.followUpJoins)
                WHERE f.person_id = \(bind: personID.text) AND \(engine.startsWith("f.path", scope.path)) AND f.done_on IS NULL AND f.closed_reason IS NULL
                ORDER BY f.due
                """).all().map(Self.decodeFollowUp)
        }
    }
}
