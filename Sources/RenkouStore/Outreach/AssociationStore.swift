import Foundation
import RenkouCore
import SQLKit

/// 计生协会: the associations at each level of the tree and in enterprises, their members from the
/// registry (groups, 中心户长 with the households they look after, 五老, volunteers), volunteer hours,
/// and the volunteers' information reports (信息反馈), each of which becomes a task on the one task
/// list for the worker of the unit to check.
public struct AssociationStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Sets up an association in a unit of the scope, or in an employer (a registry host of the
    /// scope). Throws `invalid` (`/name` `required` or `too-long` (50), `/unit` `unknown-unit`,
    /// `/employer` `unknown-host`, `/founded` `date-format`), `conflict` `exists` (the employer has one).
    public func create(name: String, unit code: String, employer: String? = nil, founded: String? = nil, in scope: Scope, by actor: Actor) async throws -> AssociationUnit {
        let engine = db.engine, env = self.env
        var errors = FieldErrors(), foundedOn = Day(env.now())
        if name.trimmed.isEmpty { errors.add("/name", "required", "请填写协会名称。", "Give the association's name.") } else if name.count > 50 { errors.add("/name", "too-long", "名称不超过 50 字。", "At most 50 characters.") }
        if let d = errors.day("/founded", founded) { foundedOn = d }
        let day = foundedOn
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let unit = try await OrgStore.unit(code: code, in: scope, engine: engine, db)
            if unit == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            var host: String?
            if let e = employer?.trimmed.nilIfBlank {
                if let u = UUID(uuidString: e), try await db.raw("SELECT id FROM hosts WHERE id = \(bind: u.text) AND kind = 'employer' AND \(engine.startsWith("path", scope.path))").first() != nil { host = u.text }
                else { errors.add("/employer", "unknown-host", "该用工单位不存在或不在您的管辖范围内。", "No such employer in your area.") }
            }
            try errors.throwIfAny()
            if let host, try await db.raw("SELECT 1 AS x FROM associations WHERE host_id = \(bind: host)").first() != nil {
                throw RenkouError(.conflict, "exists", Text("该单位已成立计生协会。", "This employer has an association already."))
            }
            let id = env.newID()
            try await db.raw("""
                INSERT INTO associations (id, name, unit_id, path, host_id, founded_on, created_at)
                VALUES (\(bind: id.text), \(bind: name.trimmed), \(bind: unit!.id.text), \(bind: unit!.path), \(bind: host), \(bind: day.description), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "association", entityID: id.text, path: unit!.path, after: AuditLog.json(["name": name.trimmed]))
            return id
        }
        return try await list(in: scope).first { $0.id == id }!
    }

    /// The associations of the scope, by place in the tree.
    public func list(in scope: Scope) async throws -> [AssociationUnit] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT a.*, u.code AS unit_code, u.name AS unit_name, h.name AS host_name,
                  (SELECT COUNT(*) FROM association_members m WHERE m.association_id = a.id AND m.left_on IS NULL) AS members
                FROM associations a JOIN org_units u ON u.id = a.unit_id LEFT JOIN hosts h ON h.id = a.host_id
                WHERE \(engine.startsWith("a.path", scope.path)) ORDER BY a.path, a.name
                """).all().map { r in
                AssociationUnit(id: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                                employer: try r.decode(column: "host_name", as: String?.self), foundedOn: try r.decode(column: "founded_on", as: String.self),
                                members: try r.decode(column: "members", as: Int.self))
            }
        }
    }

    /// The employers of the scope with 100 or more staff (declared, or on their roster) and no
    /// association yet (seed 004): (id, name, staff).
    public func employersWithout(in scope: Scope) async throws -> [(id: UUID, name: String, staff: Int)] {
        let engine = db.engine
        return try await db.read { db in
            var out: [(id: UUID, name: String, staff: Int)] = []
            for r in try await db.raw("""
                SELECT h.id, h.name, COALESCE(h.staff_count, 0) AS declared, (SELECT COUNT(*) FROM roster_entries r WHERE r.host_id = h.id AND r.until IS NULL) AS roster
                FROM hosts h WHERE h.kind = 'employer' AND \(engine.startsWith("h.path", scope.path)) AND NOT EXISTS (SELECT 1 FROM associations a WHERE a.host_id = h.id)
                """).all() {
                let staff = max(try r.decode(column: "declared", as: Int.self), try r.decode(column: "roster", as: Int.self))
                if staff >= MigrantHost.associationThreshold { out.append((try r.decode(column: "id", as: String.self).uuid, try r.decode(column: "name", as: String.self), staff)) }
            }
            return out.sorted { $0.staff != $1.staff ? $0.staff > $1.staff : $0.name < $1.name }
        }
    }

    /// Adds a registry person of the scope to an association of the scope. A 中心户长 names the
    /// households she looks after (户号, in the scope). Throws `not-found` (the association),
    /// `invalid` (`/person` `unknown-person`, `/role` `code-unknown`, `/group` `too-long` (50),
    /// `/households/N` `unknown-household`, `/joined` `date-format`), `conflict` `already-member`.
    public func addMember(_ association: UUID, person: String, role: String, group: String? = nil, households: [String] = [], joined: String? = nil,
                          in scope: Scope, by actor: Actor) async throws -> AssociationMember {
        let engine = db.engine, env = self.env
        var errors = FieldErrors(), joinedOn = Day(env.now())
        let r = AssociationRole(rawValue: role.trimmed)
        if r == nil { errors.add("/role", "code-unknown", "请选择协会职务。", "Choose the member's role.") }
        if (group?.count ?? 0) > 50 { errors.add("/group", "too-long", "小组名称不超过 50 字。", "At most 50 characters.") }
        if let d = errors.day("/joined", joined) { joinedOn = d }
        let day = joinedOn
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            guard let a = try await db.raw("SELECT path FROM associations WHERE id = \(bind: association.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("协会", "association"))
            }
            let p = try await PersonStore.resolve(person, in: scope, engine: engine, db)
            if p == nil { errors.add("/person", "unknown-person", "该人员不在登记库或不在您的管辖范围内。", "This person is not in the registry of your area.") }
            var numbers: [String] = []
            for (i, h) in households.map(\.trimmed).enumerated() where !h.isEmpty {
                if try await db.raw("SELECT 1 AS x FROM households WHERE number = \(bind: h) AND \(engine.startsWith("path", scope.path))").first() != nil { numbers.append(h) }
                else { errors.add("/households/\(i)", "unknown-household", "户号 \(h) 不存在或不在您的管辖范围内。", "No household \(h) in your area.") }
            }
            try errors.throwIfAny()
            if try await db.raw("SELECT 1 AS x FROM association_members WHERE association_id = \(bind: association.text) AND person_id = \(bind: p!.id.text)").first() != nil {
                throw RenkouError(.conflict, "already-member", Text("此人已是该协会会员。", "This person is a member already."))
            }
            let id = env.newID()
            try await db.raw("""
                INSERT INTO association_members (id, association_id, person_id, path, role, group_name, joined_on, households, created_at)
                VALUES (\(bind: id.text), \(bind: association.text), \(bind: p!.id.text), \(bind: try a.decode(column: "path", as: String.self)), \(bind: r!.rawValue),
                        \(bind: group?.trimmed.nilIfBlank), \(bind: day.description), \(bind: String(decoding: try JSONEncoder().encode(numbers), as: UTF8.self)),
                        \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "association_member", entityID: id.text, path: p!.path,
                                     after: AuditLog.json(["role": r!.rawValue]))
            return id
        }
        return try await members(association, in: scope, by: actor, audited: false).first { $0.id == id }!
    }

    /// The current members of an association of the scope with this year's volunteer hours (names
    /// and masked ID numbers: a read of those people, audited). Throws `not-found`.
    public func members(_ association: UUID, in scope: Scope, by actor: Actor, audited: Bool = true) async throws -> [AssociationMember] {
        let engine = db.engine, env = self.env, year = Day(env.now()).year
        return try await db.read { db in
            guard let a = try await db.raw("SELECT path FROM associations WHERE id = \(bind: association.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("协会", "association"))
            }
            let rows = try await db.raw("""
                SELECT m.*, p.name, p.id_number,
                  (SELECT COALESCE(SUM(v.minutes), 0) FROM volunteer_hours v WHERE v.member_id = m.id AND v.day >= \(bind: "\(year)-01-01") AND v.day <= \(bind: "\(year)-12-31")) AS minutes
                FROM association_members m JOIN persons p ON p.id = m.person_id WHERE m.association_id = \(bind: association.text) AND m.left_on IS NULL ORDER BY m.role, p.name, m.id
                """).all().map { r in
                AssociationMember(id: try r.decode(column: "id", as: String.self).uuid, associationID: association, personID: try r.decode(column: "person_id", as: String.self).uuid,
                                  name: try r.decode(column: "name", as: String.self), idNumber: Mask.idNumber(try r.decode(column: "id_number", as: String.self)),
                                  role: AssociationRole(rawValue: try r.decode(column: "role", as: String.self)) ?? .member, group: try r.decode(column: "group_name", as: String?.self),
                                  joinedOn: try r.decode(column: "joined_on", as: String.self),
                                  households: try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "households", as: String.self).utf8)),
                                  hoursThisYear: Double(try r.decode(column: "minutes", as: Int.self)) / 60)
            }
            if audited, !rows.isEmpty {
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "association_members", entityID: association.text,
                                         path: try a.decode(column: "path", as: String.self), after: AuditLog.json(["shown": String(rows.count)]))
            }
            return rows
        }
    }

    /// Who may report (the members of the scope's associations, volunteers and 五老 first), for the
    /// report form: (member id, name, association). A read of those people: audited.
    public func reporters(in scope: Scope, by actor: Actor) async throws -> [(id: UUID, name: String, association: String)] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let rows = try await db.raw("""
                SELECT m.id, p.name, a.name AS association FROM association_members m JOIN persons p ON p.id = m.person_id JOIN associations a ON a.id = m.association_id
                WHERE m.left_on IS NULL AND \(engine.startsWith("m.path", scope.path))
                ORDER BY CASE m.role WHEN 'volunteer' THEN 0 WHEN 'five-elders' THEN 1 WHEN 'center-household' THEN 2 ELSE 3 END, p.name LIMIT 2000
                """).all().map { (try $0.decode(column: "id", as: String.self).uuid, try $0.decode(column: "name", as: String.self), try $0.decode(column: "association", as: String.self)) }
            if !rows.isEmpty {
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "association_members", entityID: "reporters", path: scope.path,
                                         after: AuditLog.json(["shown": String(rows.count)]))
            }
            return rows
        }
    }

    /// Records a member's volunteer hours (0.5–24 on one day, not in the future). Throws
    /// `not-found`, `invalid` (`/hours` `out-of-range`, `/activity` `required`, `/day` `date-format`
    /// or `in-future`).
    public func logHours(member: UUID, day: String?, hours: Double, activity: String, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors(), on = today
        if !(0.5...24).contains(hours) { errors.add("/hours", "out-of-range", "时长应在 0.5 到 24 小时之间。", "Between 0.5 and 24 hours.") }
        if activity.trimmed.isEmpty { errors.add("/activity", "required", "请填写服务内容。", "Say what was done.") }
        if let d = errors.day("/day", day, notAfter: today) { on = d }
        let served = on
        let checked = errors
        try await db.transaction { db in
            guard let m = try await db.raw("SELECT path FROM association_members WHERE id = \(bind: member.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("会员", "member"))
            }
            try checked.throwIfAny()
            try await db.raw("""
                INSERT INTO volunteer_hours (id, member_id, day, minutes, activity, created_by, created_at)
                VALUES (\(bind: env.newID().text), \(bind: member.text), \(bind: served.description), \(bind: Int((hours * 60).rounded())), \(bind: String(activity.trimmed.prefix(200))),
                        \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "association_member", entityID: member.text, path: try m.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["hours": String(hours)]))
        }
    }

    /// 信息反馈: a volunteer's report becomes a task, due in three working days, for the worker of the
    /// unit named (default: the reporter's association's unit) to check; a pregnancy is for the
    /// service roles only (the task requires `services.see-rh`, so it goes to the community). Throws
    /// `invalid` (`/reporter` `unknown-member`, `/kind` `code-unknown`, `/unit` `unknown-unit`,
    /// `/address` `required` or `too-long` (200), `/person` `unknown-person`, `/note` `too-long` (1,000)).
    public func report(_ input: VolunteerReportInput, in scope: Scope, by actor: Actor) async throws -> VolunteerReport {
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors()
        let kind = InformationKind(rawValue: input.kind?.trimmed ?? "")
        if kind == nil { errors.add("/kind", "code-unknown", "请选择反馈类别。", "Choose what is reported.") }
        let address = input.address?.trimmed ?? ""
        if address.isEmpty { errors.add("/address", "required", "请填写地址。", "Give the address.") } else if address.count > 200 { errors.add("/address", "too-long", "地址不超过 200 字。", "At most 200 characters.") }
        let note = input.note?.trimmed.nilIfBlank
        if (note?.count ?? 0) > 1000 { errors.add("/note", "too-long", "说明不超过 1000 字。", "At most 1,000 characters.") }
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            var member: (id: String, name: String, associationUnit: String)?
            if let m = input.reporter?.trimmed, let u = UUID(uuidString: m), let r = try await db.raw("""
                SELECT m.id, p.name, a.unit_id FROM association_members m JOIN persons p ON p.id = m.person_id JOIN associations a ON a.id = m.association_id
                WHERE m.id = \(bind: u.text) AND m.left_on IS NULL AND \(engine.startsWith("m.path", scope.path))
                """).first() {
                member = (try r.decode(column: "id", as: String.self), try r.decode(column: "name", as: String.self), try r.decode(column: "unit_id", as: String.self))
            } else { errors.add("/reporter", "unknown-member", "请选择报告的志愿者（协会会员）。", "Choose the reporting volunteer (a member).") }
            var unit: OrgUnit?
            if let c = input.unit?.trimmed.nilIfBlank {
                unit = try await OrgStore.unit(code: c, in: scope, engine: engine, db)
                if unit == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            } else if let member, let r = try await db.raw("SELECT * FROM org_units WHERE id = \(bind: member.associationUnit)").first() {
                unit = try OrgStore.decode(r)
            }
            var person: Person?
            if let p = input.person?.trimmed.nilIfBlank {
                person = try await PersonStore.resolve(p, in: scope, engine: engine, db)
                if person == nil { errors.add("/person", "unknown-person", "该人员不在登记库或不在您的管辖范围内。", "This person is not in the registry of your area.") }
            }
            try errors.throwIfAny()
            var target = unit!
            // a pregnancy goes to the community, whose worker provides the services; a grid's worker may not see it
            if kind!.isHealth, target.level == .grid, let r = try await db.raw("SELECT * FROM org_units WHERE level = 'community' AND \(bind: target.path) LIKE path || '%'").first() {
                target = try OrgStore.decode(r)
            }
            let id = env.newID()
            let task = try await TaskStore.add(TaskStore.New(kind: .volunteerReport, subject: "信息反馈：\(kind!.label.zh) · \(address)", idNumber: person?.idNumber, personID: person?.id,
                                                             object: FieldTask.Object("volunteer-report", id), note: ["报告人：\(member!.name)", note].compactMap { $0 }.joined(separator: "；"),
                                                             unitID: target.id, path: target.path, due: env.policy.calendar.adding(workingDays: 3, to: today), source: "outreach",
                                                             requires: kind!.isHealth ? .services(.seeReproductiveHealth) : nil), env: env, actor: actor, db)
            try await db.raw("""
                INSERT INTO volunteer_reports (id, member_id, kind, unit_id, path, address, person_id, note, reported_on, task_id, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: member!.id), \(bind: kind!.rawValue), \(bind: target.id.text), \(bind: target.path), \(bind: address), \(bind: person?.id.text),
                        \(bind: note), \(bind: today.description), \(bind: task.text), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "volunteer_report", entityID: id.text, path: target.path, after: AuditLog.json(["kind": kind!.rawValue]))
            return id
        }
        return try await reports(in: .everything, role: nil, by: actor).first { $0.id == id }!
    }

    /// The reports of the scope, newest first, each with its check's state (`open`, or the task's
    /// outcome). A role that may not see reproductive-health details does not see pregnancy reports.
    /// The list names the volunteers: audited.
    public func reports(in scope: Scope, role: Role?, limit: Int = 500, by actor: Actor) async throws -> [VolunteerReport] {
        let engine = db.engine, env = self.env
        let hideHealth = role.map { !$0.can(.services(.seeReproductiveHealth)) } ?? false
        return try await db.read { db in
            let rows = try await db.raw("""
                SELECT r.*, p.name AS reporter, u.code AS unit_code, u.name AS unit_name, t.open, t.outcome
                FROM volunteer_reports r JOIN association_members m ON m.id = r.member_id JOIN persons p ON p.id = m.person_id JOIN org_units u ON u.id = r.unit_id
                JOIN tasks t ON t.id = r.task_id
                WHERE \(engine.startsWith("r.path", scope.path)) \(unsafeRaw: hideHealth ? "AND r.kind <> 'pregnancy'" : "")
                ORDER BY r.reported_on DESC, r.created_at DESC LIMIT \(bind: limit)
                """).all().map { r in
                VolunteerReport(id: try r.decode(column: "id", as: String.self).uuid, reporter: try r.decode(column: "reporter", as: String.self),
                                kind: InformationKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .needHelp, unitCode: try r.decode(column: "unit_code", as: String.self),
                                unitName: try r.decode(column: "unit_name", as: String.self), address: try r.decode(column: "address", as: String.self),
                                note: try r.decode(column: "note", as: String?.self), reportedOn: try r.decode(column: "reported_on", as: String.self),
                                taskID: try r.decode(column: "task_id", as: String.self).uuid,
                                state: try r.decode(column: "open", as: Int.self) == 1 ? "open" : (try r.decode(column: "outcome", as: String?.self) ?? "done"))
            }
            // the list names the volunteers: a read of them
            if !rows.isEmpty {
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "volunteer_reports", entityID: "list", path: scope.path,
                                         after: AuditLog.json(["shown": String(rows.count)]))
            }
            return rows
        }
    }
}

extension Stores {
    public var associations: AssociationStore { AssociationStore(db: db, env: env) }
}
