import Foundation
import RenkouCore
import SQLKit

/// 入户抽查: draws households of a community from a recorded seed, gives the team the visit sheet of
/// what the registry says, compares what was found at the door field by field, and turns each
/// difference into a task for the community's worker (the registry is not changed by the check).
public struct SpotCheckStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Draws `size` (1–500) households of a community of the scope that have someone living in them,
    /// in the order a Fisher–Yates shuffle from `seed` gives over the households ordered by id (a new
    /// seed when nil; the same seed, over the same households, draws the same ones). Throws `invalid`
    /// (`/unit` `unknown-unit` or `not-a-community`, `/size` `out-of-range`, `/year` `out-of-range`).
    public func draw(unit code: String, year: Int, size: Int = SpotCheck.defaultSize, seed: Int? = nil, in scope: Scope, by actor: Actor) async throws -> SpotCheck {
        var errors = FieldErrors()
        if !(1...500).contains(size) { errors.add("/size", "out-of-range", "抽查户数应在 1 到 500 之间。", "Between 1 and 500 households.") }
        TargetStore.checkYear(year, &errors)
        let engine = db.engine, env = self.env, checked = errors
        let chosenSeed = seed ?? Int(truncatingIfNeeded: UInt64(env.now().timeIntervalSince1970 * 1000) % 1_000_000_007)
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let u = try await OrgStore.unit(code: code, in: scope, engine: engine, db)
            if u == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            else if u!.level != .community { errors.add("/unit", "not-a-community", "入户抽查按社区抽取。", "A spot check draws a community's households.") }
            try errors.throwIfAny()
            var ids = try await db.raw("""
                SELECT h.id FROM households h WHERE \(engine.startsWith("h.path", u!.path))
                AND EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.left_on IS NULL) ORDER BY h.id
                """).all().map { try $0.decode(column: "id", as: String.self) }
            var rng = DemoPopulation.SplitMix(seed: UInt64(bitPattern: Int64(chosenSeed)))
            let n = min(size, ids.count)
            for i in 0..<n { let j = i + Int(rng.next() % UInt64(ids.count - i)); ids.swapAt(i, j) }
            let id = env.newID()
            try await db.raw("""
                INSERT INTO spot_checks (id, unit_id, path, year, seed, size, drawn_on, drawn_by, created_at)
                VALUES (\(bind: id.text), \(bind: u!.id.text), \(bind: u!.path), \(bind: year), \(bind: chosenSeed), \(bind: size), \(bind: Day(env.now()).description),
                        \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            for (i, h) in ids.prefix(n).enumerated() {
                try await db.raw("INSERT INTO spot_check_households (check_id, household_id, position) VALUES (\(bind: id.text), \(bind: h), \(bind: i + 1))").run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "spot_check", entityID: id.text, path: u!.path,
                                     after: AuditLog.json(["seed": String(chosenSeed), "households": String(n)]))
            return id
        }
        return try await check(id, in: scope)
    }

    static let columns = """
        c.*, u.code AS unit_code, u.name AS unit_name, (SELECT COUNT(*) FROM spot_check_households s WHERE s.check_id = c.id) AS households,
        (SELECT COUNT(*) FROM spot_check_households s WHERE s.check_id = c.id AND s.visited_on IS NOT NULL) AS visited,
        (SELECT COUNT(*) FROM spot_check_findings f WHERE f.check_id = c.id) AS checked,
        (SELECT COUNT(*) FROM spot_check_findings f WHERE f.check_id = c.id AND f.matches = 1) AS matched
        """

    static func decode(_ r: any SQLRow) throws -> SpotCheck {
        SpotCheck(id: try r.decode(column: "id", as: String.self).uuid, unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                  year: try r.decode(column: "year", as: Int.self), seed: try r.decode(column: "seed", as: Int.self), drawnOn: try r.decode(column: "drawn_on", as: String.self),
                  households: try r.decode(column: "households", as: Int.self), visited: try r.decode(column: "visited", as: Int.self),
                  checked: try r.decode(column: "checked", as: Int.self), matched: try r.decode(column: "matched", as: Int.self))
    }

    /// One spot check of the scope with its counts. Throws `not-found`.
    public func check(_ id: UUID, in scope: Scope) async throws -> SpotCheck {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM spot_checks c JOIN org_units u ON u.id = c.unit_id WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("入户抽查", "spot check")) }
            return try Self.decode(r)
        }
    }

    /// The spot checks of the scope in a year, by community.
    public func list(year: Int, in scope: Scope) async throws -> [SpotCheck] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM spot_checks c JOIN org_units u ON u.id = c.unit_id WHERE c.year = \(bind: year) AND \(engine.startsWith("c.path", scope.path))
                ORDER BY c.path, c.created_at
                """).all().map(Self.decode)
        }
    }

    /// The visit sheet: the households drawn, in order, each with the people the registry has living in
    /// it (names, sex, birth dates, marital status: a read of them, audited). Throws `not-found`.
    public func sheet(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> [SheetHousehold] {
        let env = self.env
        let check = try await self.check(id, in: scope)
        return try await db.read { db in
            var out: [SheetHousehold] = []
            for h in try await db.raw("""
                SELECT s.household_id, s.position, s.visited_on, h.number, h.address FROM spot_check_households s JOIN households h ON h.id = s.household_id
                WHERE s.check_id = \(bind: id.text) ORDER BY s.position
                """).all() {
                let hid = try h.decode(column: "household_id", as: String.self)
                let members = try await db.raw("""
                    SELECT p.id, p.name, p.sex, p.birth_date, p.marital_status FROM household_members m JOIN persons p ON p.id = m.person_id
                    WHERE m.household_id = \(bind: hid) AND m.left_on IS NULL ORDER BY p.birth_date, p.id
                    """).all().map { r in
                    SheetMember(personID: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                sex: try r.decode(column: "sex", as: String.self), birthDate: try r.decode(column: "birth_date", as: String?.self),
                                maritalStatus: try r.decode(column: "marital_status", as: String?.self))
                }
                out.append(SheetHousehold(householdID: hid.uuid, number: try h.decode(column: "number", as: String.self), address: try h.decode(column: "address", as: String?.self),
                                          position: try h.decode(column: "position", as: Int.self), visitedOn: try h.decode(column: "visited_on", as: String?.self), members: members))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "spot_check_sheet", entityID: id.text, path: scope.path,
                                     after: AuditLog.json(["community": check.unitCode, "households": String(out.count)]))
            return out
        }
    }

    /// Records one household's visit: each registered member's fields compared with what was found
    /// (a member no longer living there is one field that did not match; the fields of a member not
    /// found are not compared), each person found who is not on the list one more; every difference
    /// becomes a 抽查核实 task for the community's worker. Once per household. Throws `not-found` (the
    /// check, or a household not drawn in it), `conflict` `visited`, `invalid` (`/members/N/person`
    /// `not-a-member`, `/members/N/sex` and `/members/N/maritalStatus` `code-unknown`,
    /// `/members/N/birthDate` and `/day` `date-format`, `/unlisted/N/name` `required`).
    @discardableResult
    public func record(_ checkID: UUID, _ visit: HouseholdVisit, in scope: Scope, by actor: Actor) async throws -> SpotCheck {
        let env = self.env, today = Day(env.now())
        var errors = FieldErrors(), on = today
        if let d = visit.day?.trimmed, !d.isEmpty { if let parsed = Day(d), !(parsed > today) { on = parsed } else { errors.add("/day", "date-format", "日期应写作 YYYY-MM-DD，且不晚于今天。", "Write the date as YYYY-MM-DD, not after today.") } }
        for (i, m) in visit.members.enumerated() {
            if let s = m.sex?.trimmed, !s.isEmpty, !Codes.contains(Codes.sex, s) { errors.add("/members/\(i)/sex", "code-unknown", "性别代码不正确。", "Not a sex code.") }
            if let s = m.maritalStatus?.trimmed, !s.isEmpty, !Codes.contains(Codes.maritalStatus, s) { errors.add("/members/\(i)/maritalStatus", "code-unknown", "婚姻状况代码不正确。", "Not a marital status code.") }
            if let b = m.birthDate?.trimmed, !b.isEmpty, Day(b) == nil { errors.add("/members/\(i)/birthDate", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
        }
        for (i, p) in visit.unlisted.enumerated() where p.name.trimmed.isEmpty { errors.add("/unlisted/\(i)/name", "required", "请填写姓名。", "Give the name.") }
        let checked = errors, visitedOn = on
        _ = try await check(checkID, in: scope)
        try await db.transaction { db in
            var errors = checked
            guard let h = try await db.raw("""
                SELECT s.visited_on, h.number, h.unit_id, h.path, u.path AS community_path, u.id AS community_id FROM spot_check_households s JOIN households h ON h.id = s.household_id
                JOIN spot_checks c ON c.id = s.check_id JOIN org_units u ON u.id = c.unit_id
                WHERE s.check_id = \(bind: checkID.text) AND s.household_id = \(bind: visit.household.text)
                """).first() else { throw RenkouError.notFound(Text("抽查户", "household drawn")) }
            if try h.decode(column: "visited_on", as: String?.self) != nil { throw RenkouError(.conflict, "visited", Text("该户已录入。", "This household's visit is recorded already.")) }
            let number = try h.decode(column: "number", as: String.self)
            let members = Dictionary(uniqueKeysWithValues: try await db.raw("""
                SELECT p.id, p.name, p.sex, p.birth_date, p.marital_status, p.id_number FROM household_members m JOIN persons p ON p.id = m.person_id
                WHERE m.household_id = \(bind: visit.household.text) AND m.left_on IS NULL
                """).all().map { r in (try r.decode(column: "id", as: String.self), r) })
            for (i, m) in visit.members.enumerated() where members[m.person.text] == nil {
                errors.add("/members/\(i)/person", "not-a-member", "此人不在该户的登记名单上。", "Not on this household's list.")
            }
            try errors.throwIfAny()
            let path = try h.decode(column: "path", as: String.self)
            let community = (id: try h.decode(column: "community_id", as: String.self).uuid, path: try h.decode(column: "community_path", as: String.self))
            func finding(person: String?, field: String, registered: String?, found: String?, summary: String, idNumber: String?) async throws {
                let matches = (registered ?? "") == (found ?? "")
                var task: UUID?
                if !matches {
                    task = try await TaskStore.add(TaskStore.New(kind: .spotCheck, subject: "入户抽查：\(summary)", idNumber: idNumber, personID: person.flatMap(UUID.init(uuidString:)),
                                                                 object: FieldTask.Object("spot-check", checkID), note: "户号 \(number)。核实后如需更正请在人员页修改，抽查不直接改动登记。",
                                                                 unitID: community.id, path: community.path, due: env.policy.calendar.adding(workingDays: 10, to: visitedOn), source: "assessment"),
                                              env: env, actor: actor, db)
                }
                try await db.raw("""
                    INSERT INTO spot_check_findings (id, check_id, household_id, person_id, path, field, registered, found, matches, checked_on, summary, task_id)
                    VALUES (\(bind: env.newID().text), \(bind: checkID.text), \(bind: visit.household.text), \(bind: person), \(bind: path), \(bind: field), \(bind: registered), \(bind: found),
                            \(bind: matches ? 1 : 0), \(bind: visitedOn.description), \(bind: summary), \(bind: task?.text))
                    """).run()
            }
            for m in visit.members {
                let r = members[m.person.text]!
                let name = try r.decode(column: "name", as: String.self), idNumber = try r.decode(column: "id_number", as: String.self)
                guard m.present else {
                    try await finding(person: m.person.text, field: "present", registered: "yes", found: "no", summary: "\(name) 登记在户，实际不在", idNumber: idNumber)
                    continue
                }
                let fields: [(String, String, String?, String?)] = [
                    ("name", "姓名", try r.decode(column: "name", as: String.self), m.name?.trimmed),
                    ("sex", "性别", try r.decode(column: "sex", as: String.self), m.sex?.trimmed),
                    ("birthDate", "出生日期", try r.decode(column: "birth_date", as: String?.self), m.birthDate?.trimmed),
                    ("maritalStatus", "婚姻状况", try r.decode(column: "marital_status", as: String?.self), m.maritalStatus?.trimmed),
                ]
                for (field, label, registered, found) in fields {
                    guard let found, !found.isEmpty else { continue }
                    try await finding(person: m.person.text, field: field, registered: registered, found: found,
                                      summary: "\(name) \(label) 登记为 \(registered ?? "空")，实际 \(found)", idNumber: idNumber)
                }
            }
            for p in visit.unlisted {
                try await finding(person: nil, field: "unlisted", registered: nil, found: p.name.trimmed,
                                  summary: "户内有未登记人员 \(p.name.trimmed)\(p.birthDate.map { "（\($0)）" } ?? "")\(p.note.map { "：\($0)" } ?? "")", idNumber: nil)
            }
            try await db.raw("""
                UPDATE spot_check_households SET visited_on = \(bind: visitedOn.description), visited_by = \(bind: actor.username)
                WHERE check_id = \(bind: checkID.text) AND household_id = \(bind: visit.household.text)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "spot_check", entityID: checkID.text, path: path,
                                     after: AuditLog.json(["household": number, "members": String(visit.members.count), "unlisted": String(visit.unlisted.count)]))
        }
        return try await check(checkID, in: scope)
    }
}

extension Stores {
    public var spotChecks: SpotCheckStore { SpotCheckStore(db: db, env: env) }
}

enum AssessmentRates {
    static var definitions: [IndicatorDefinition] {
        [IndicatorDefinition(AssessmentIndicator.accuracy, from: "spot_check_findings x",
                             base: { p, _ in "x.checked_on >= '\(p.start.description)' AND x.checked_on <= '\(p.counted.description)'" },
                             numerator: { _, _ in "x.matches = 1" }, key: "x.id",
                             record: "COALESCE(x.person_id, x.household_id) AS id, x.summary AS name, NULL AS id_number, x.checked_on AS detail, CASE WHEN x.person_id IS NULL THEN 'household' ELSE 'person' END AS link")]
    }
}
