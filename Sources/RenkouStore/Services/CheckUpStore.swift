import Foundation
import RenkouCore
import SQLKit

/// 双查/三查: check-up rounds of a unit, each with its due list fixed when it opens (by the rules of
/// `CheckUpRules` in force on its first day) and the results recorded against it. A due list tells
/// who uses an IUD: it is a reproductive-health detail, read by the service roles and audited.
public struct CheckUpStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Opens a round for a unit of the scope and writes its due list: the married women of reproductive
    /// age of the unit on its first day, each with the checks due (查病 for all; 查环 for IUD users;
    /// 查孕 except those pregnant, within the exempt days after a birth or an abortion, or sterilised a
    /// year or more). Throws `invalid` (the input's errors, `/unit` `unknown-unit`, `/startsOn`
    /// `rounds-per-year` when the unit has its year's rounds, `round-overlap`).
    public func openRound(_ input: CheckUpRoundInput, in scope: Scope, by actor: Actor) async throws -> CheckUpRound {
        let v = try input.checkedDays()
        let code = input.unit?.trimmed ?? ""
        guard !code.isEmpty, let unit = try await OrgStore(db: db, env: env).unit(code: code, in: scope) else {
            throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(code) 不存在或不在您的管辖范围内。", "Unit \(code) does not exist or is outside your area."))])
        }
        let rules = env.policy(.checkUpRules, on: v.start), ages = env.policy(.reproductiveAge, on: v.start)
        let engine = db.engine, env = self.env, id = env.newID()
        try await db.transaction { db in
            let year = String(v.start.year)
            // The unit's own rounds count against its year; a round of a unit above or below it overlaps
            // too (her name would be on two lists).
            let rounds = try await db.raw("SELECT starts_on, ends_on FROM checkup_rounds WHERE unit_id = \(bind: unit.id.text)").all()
            let related = try await db.raw("""
                SELECT starts_on, ends_on FROM checkup_rounds WHERE \(engine.startsWith("path", unit.path)) OR \(bind: unit.path) LIKE path || '%'
                """).all()
            var errors = FieldErrors()
            if try rounds.filter({ try $0.decode(column: "starts_on", as: String.self).hasPrefix(year) }).count >= rules.roundsPerYear {
                errors.add("/startsOn", "rounds-per-year", "\(unit.name) \(year) 年已有 \(rules.roundsPerYear) 轮（双查规则）。",
                           "\(unit.name) has its \(rules.roundsPerYear) rounds of \(year) already (check-up rules).")
            }
            if try related.contains(where: { try $0.decode(column: "starts_on", as: String.self) <= v.end.description && v.start.description <= $0.decode(column: "ends_on", as: String.self) }) {
                errors.add("/startsOn", "round-overlap", "与本单位或上下级单位已有的一轮时间重叠。", "The round overlaps another round of the unit, or of a unit above or below it.")
            }
            try errors.throwIfAny()
            try await db.raw("""
                INSERT INTO checkup_rounds (id, unit_id, path, name, starts_on, ends_on, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: unit.id.text), \(bind: unit.path), \(bind: v.name), \(bind: v.start.description), \(bind: v.end.description),
                        \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            let d = v.start.description
            let inUse = "m.started_on <= '\(d)' AND (m.stopped_on IS NULL OR m.stopped_on > '\(d)')"
            let iud = "EXISTS (SELECT 1 FROM method_uses m WHERE m.person_id = p.id AND m.method = 'iud' AND \(inUse))"
            let pregnancyExempt = """
                (EXISTS (SELECT 1 FROM pregnancies g WHERE g.person_id = p.id AND g.detected_on <= '\(d)' AND (g.outcome_on IS NULL OR g.outcome_on > '\(d)'))
                 OR EXISTS (SELECT 1 FROM pregnancies g WHERE g.person_id = p.id AND g.outcome_on > '\(v.start.adding(days: -rules.exemptDaysAfterAbortion).description)' AND g.outcome_on <= '\(d)'
                            AND g.outcome IN ('miscarriage', 'induced-abortion', 'ectopic', 'stillbirth'))
                 OR EXISTS (SELECT 1 FROM persons c WHERE c.mother_id = p.id AND c.birth_date > '\(v.start.adding(days: -rules.exemptDaysAfterBirth).description)' AND c.birth_date <= '\(d)')
                 OR EXISTS (SELECT 1 FROM services s WHERE s.person_id = p.id AND s.kind = 'abortion' AND s.day > '\(v.start.adding(days: -rules.exemptDaysAfterAbortion).description)' AND s.day <= '\(d)')
                 OR EXISTS (SELECT 1 FROM method_uses m WHERE (m.person_id = p.id OR m.person_id = p.spouse_id) AND m.method IN ('female-sterilisation', 'male-sterilisation')
                            AND \(inUse) AND m.started_on <= '\(v.start.adding(years: -rules.exemptYearsAfterSterilisation).description)'))
                """
            try await db.raw("""
                INSERT INTO checkups (id, round_id, person_id, pregnancy_due, iud_due, gynaecological_due, round_ends_on, unit_id, path)
                SELECT \(unsafeRaw: engine == .sqlite ? "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))),2) || '-a' || substr(lower(hex(randomblob(2))),2) || '-' || lower(hex(randomblob(6)))" : "gen_random_uuid()::text"),
                       \(bind: id.text), p.id, CASE WHEN \(unsafeRaw: pregnancyExempt) THEN 0 ELSE 1 END, CASE WHEN \(unsafeRaw: iud) THEN 1 ELSE 0 END, 1,
                       \(bind: v.end.description), p.unit_id, p.path
                FROM persons p
                WHERE p.sex = '2' AND p.status = 'active' AND \(engine.startsWith("p.path", unit.path)) AND p.marital_status LIKE '2%'
                  AND p.birth_date <= \(bind: v.start.lastBirthDay(forAge: ages.min).description) AND p.birth_date > \(bind: v.start.lastBirthDay(forAge: ages.max + 1).description)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "checkup_round", entityID: id.text, path: unit.path,
                                     after: AuditLog.json(["name": v.name, "startsOn": v.start.description, "endsOn": v.end.description]))
        }
        return try await round(id, in: scope)
    }

    /// A round's columns with its counts inside `scope` (a street round read by a community counts
    /// that community's women only).
    static func roundColumns(_ scope: Scope, _ engine: Engine) -> SQLQueryString {
        let inScope = engine.startsWith("c.path", scope.path)
        return """
            r.*, u.code AS unit_code, u.name AS unit_name,
            (SELECT COUNT(*) FROM checkups c WHERE c.round_id = r.id AND c.exempt = 0 AND \(inScope)) AS due_count,
            (SELECT COUNT(*) FROM checkups c WHERE c.round_id = r.id AND c.exempt = 0 AND c.complete = 1 AND \(inScope)) AS checked_count
            FROM checkup_rounds r JOIN org_units u ON u.id = r.unit_id
            """
    }

    static func decodeRound(_ r: any SQLRow) throws -> CheckUpRound {
        CheckUpRound(id: try r.decode(column: "id", as: String.self).uuid, unitCode: try r.decode(column: "unit_code", as: String.self),
                     unitName: try r.decode(column: "unit_name", as: String.self), name: try r.decode(column: "name", as: String.self),
                     startsOn: try r.decode(column: "starts_on", as: String.self), endsOn: try r.decode(column: "ends_on", as: String.self),
                     due: try r.decode(column: "due_count", as: Int.self), checked: try r.decode(column: "checked_count", as: Int.self),
                     createdBy: try r.decode(column: "created_by", as: String.self))
    }

    /// A round of the scope (or of a unit above whose list reaches into it) with its coverage. Throws `not-found`.
    public func round(_ id: UUID, in scope: Scope) async throws -> CheckUpRound {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(Self.roundColumns(scope, engine)) WHERE r.id = \(bind: id.text) AND (\(engine.startsWith("r.path", scope.path)) OR \(bind: scope.path) LIKE r.path || '%')").first() else {
                throw RenkouError.notFound(Text("双查轮次", "check-up round"))
            }
            return try Self.decodeRound(r)
        }
    }

    /// The rounds of the scope and of the units above it, newest first: names and coverage, no people.
    public func rounds(in scope: Scope) async throws -> [CheckUpRound] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT \(Self.roundColumns(scope, engine)) WHERE \(engine.startsWith("r.path", scope.path)) OR \(bind: scope.path) LIKE r.path || '%' ORDER BY r.starts_on DESC, u.code")
                .all().map(Self.decodeRound)
        }
    }

    /// A round's due list inside the scope, by name: whose checks are due and their results. Audited.
    public func dueList(_ round: UUID, in scope: Scope, by actor: Actor) async throws -> [CheckUp] {
        let r = try await self.round(round, in: scope)
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let rows = try await db.raw("""
                SELECT c.*, p.name AS person_name, u.name AS unit_name FROM checkups c JOIN persons p ON p.id = c.person_id JOIN org_units u ON u.id = c.unit_id
                WHERE c.round_id = \(bind: round.text) AND \(engine.startsWith("c.path", scope.path)) ORDER BY u.code, p.name, p.id
                """).all().map(Self.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "checkups", entityID: round.text, path: scope.path,
                                     after: AuditLog.json(["round": r.name, "shown": String(rows.count)]))
            return rows
        }
    }

    /// One woman's line of a round, inside the scope; the read is audited (a form shows her results). Throws `not-found`.
    public func checkUp(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> CheckUp {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "health_record", entityID: id.text, path: scope.path)
            guard let r = try await db.raw("""
                SELECT c.*, p.name AS person_name, u.name AS unit_name FROM checkups c JOIN persons p ON p.id = c.person_id JOIN org_units u ON u.id = c.unit_id
                WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("双查记录", "check-up")) }
            return try Self.decode(r)
        }
    }

    static func decode(_ r: any SQLRow) throws -> CheckUp {
        var due: [CheckUpKind] = [], results: [String: CheckUpResult] = [:]
        for k in CheckUpKind.allCases {
            if try r.decode(column: "\(k.rawValue)_due", as: Int.self) == 1 { due.append(k) }
            if let v = try r.decode(column: "\(k.rawValue)_result", as: String?.self).flatMap(CheckUpResult.init(rawValue:)) { results[k.rawValue] = v }
        }
        return CheckUp(id: try r.decode(column: "id", as: String.self).uuid, roundID: try r.decode(column: "round_id", as: String.self).uuid,
                       personID: try r.decode(column: "person_id", as: String.self).uuid, personName: try r.decode(column: "person_name", as: String.self),
                       unitName: try r.decode(column: "unit_name", as: String.self), due: due, results: results,
                       checkedOn: try r.decode(column: "checked_on", as: String?.self), note: try r.decode(column: "note", as: String?.self))
    }

    /// Records a woman's results in a round (all at once, or some now and the rest later). A positive
    /// pregnancy check opens her pregnancy. Throws `not-found`, `invalid` (`/results/<kind>`
    /// `not-due` or `code-unknown`, `/results` `required`, `/date` `date-format`, `future-date`, `before-round`).
    public func record(_ id: UUID, _ input: CheckUpResultInput, in scope: Scope, by actor: Actor) async throws -> CheckUp {
        let today = Day(env.now()), engine = db.engine, env = self.env
        return try await db.transaction { db in
            guard let row = try await db.raw("""
                SELECT c.*, p.name AS person_name, u.name AS unit_name, r.starts_on FROM checkups c JOIN persons p ON p.id = c.person_id
                JOIN org_units u ON u.id = c.unit_id JOIN checkup_rounds r ON r.id = c.round_id
                WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("双查记录", "check-up")) }
            var c = try Self.decode(row)
            let wasPositive = c.results["pregnancy"] == .positive
            var errors = FieldErrors()
            let day = Day.checked(input.date, "/date", today: today, required: true, &errors)
            let start = try row.decode(column: "starts_on", as: String.self)
            if let day, day.description < start { errors.add("/date", "before-round", "检查日期早于本轮开始（\(start)）。", "The check is before the round starts (\(start)).") }
            let given = (input.results ?? [:]).filter { !$0.value.isEmpty }
            if given.isEmpty { errors.add("/results", "required", "请至少填写一项检查结果。", "Give at least one result.") }
            for (kind, value) in given {
                guard let k = CheckUpKind(rawValue: kind), c.due.contains(k) else {
                    errors.add("/results/\(kind)", "not-due", "本轮对她不做这项检查。", "This check is not due for her in this round."); continue
                }
                guard let result = CheckUpResult(rawValue: value), k.results.contains(result) else {
                    errors.add("/results/\(kind)", "code-unknown", "\(k.label.zh)的结果无效。", "Unknown result for the \(k.label.en.lowercased()).") ; continue
                }
                c.results[kind] = result
            }
            try errors.throwIfAny()
            let complete = c.due.allSatisfy { c.results[$0.rawValue]?.isChecked == true }
            let exempt = c.due.allSatisfy { c.results[$0.rawValue] == .exempt }
            c.checkedOn = day!.description; c.note = input.note?.trimmed.nilIfBlank ?? c.note
            try await db.raw("""
                UPDATE checkups SET pregnancy_result = \(bind: c.results["pregnancy"]?.rawValue), iud_result = \(bind: c.results["iud"]?.rawValue),
                    gynaecological_result = \(bind: c.results["gynaecological"]?.rawValue), complete = \(bind: complete ? 1 : 0), exempt = \(bind: exempt ? 1 : 0),
                    checked_on = \(bind: c.checkedOn), checked_by = \(bind: actor.username), note = \(bind: c.note)
                WHERE id = \(bind: id.text)
                """).run()
            if c.results["pregnancy"] == .positive, !wasPositive {
                let person = try await PersonStore.require(c.personID, in: .everything, engine: engine, db)
                try await PregnancyStore.open(person, source: .checkUp, detected: day!, lmp: nil, note: nil, env: env, actor: actor, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "health_record", entityID: id.text,
                                     path: try row.decode(column: "path", as: String.self), after: AuditLog.json(["checkedOn": c.checkedOn ?? ""]))
            return c
        }
    }

    static func of(_ person: UUID, _ db: any SQLDatabase) async throws -> [CheckUp] {
        try await db.raw("""
            SELECT c.*, p.name AS person_name, r.name AS unit_name FROM checkups c JOIN persons p ON p.id = c.person_id JOIN checkup_rounds r ON r.id = c.round_id
            WHERE c.person_id = \(bind: person.text) ORDER BY c.round_ends_on DESC
            """).all().map(decode)
    }
}

extension Stores {
    public var checkUps: CheckUpStore { CheckUpStore(db: db, env: env) }
}
