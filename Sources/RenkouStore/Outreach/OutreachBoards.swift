import Foundation
import RenkouCore
import SQLKit

/// 宣传栏 and the reminders: the boards with their quarterly renewal, and the daily job that puts the
/// coming key dates and the boards due on the communities' task lists.
extension OutreachStore {
    // MARK: boards

    /// The renewal period (a quarter when `months` is 3) holding `day`: its first and last days.
    static func renewalPeriod(_ day: Day, months: Int) -> (start: Day, end: Day) {
        let m = max(1, min(12, months))
        let first = (day.month - 1) / m * m + 1, lastMonth = min(12, first + m - 1)
        return (Day(year: day.year, month: first, day: 1)!, Day(year: day.year, month: lastMonth, day: Day.daysIn(month: lastMonth, year: day.year))!)
    }

    /// Puts up a publicity board in a unit of the scope. Throws `invalid` (`/unit` `unknown-unit`,
    /// `/name` `required` or `too-long` (50)).
    public func addBoard(unit code: String, name: String, place: String?, in scope: Scope, by actor: Actor) async throws -> PublicityBoard {
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors()
        if name.trimmed.isEmpty { errors.add("/name", "required", "请填写名称。", "Give its name.") } else if name.count > 50 { errors.add("/name", "too-long", "名称不超过 50 字。", "At most 50 characters.") }
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let unit = try await OrgStore.unit(code: code, in: scope, engine: engine, db)
            if unit == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            try errors.throwIfAny()
            let id = env.newID()
            try await db.raw("""
                INSERT INTO outreach_boards (id, unit_id, path, name, place, created_on, created_at)
                VALUES (\(bind: id.text), \(bind: unit!.id.text), \(bind: unit!.path), \(bind: name.trimmed), \(bind: place?.trimmed.nilIfBlank), \(bind: today.description),
                        \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "outreach_board", entityID: id.text, path: unit!.path, after: AuditLog.json(["name": name.trimmed]))
            return id
        }
        return try await boards(on: today, in: scope).first { $0.id == id }!
    }

    /// Records a renewal (new content, its theme) of a board of the scope on `day` (today when nil);
    /// closes the board's reminder. Throws `not-found`, `invalid` (`/theme` `required`, `/day`
    /// `date-format` or `in-future`).
    public func renew(_ id: UUID, day: String?, theme: String, in scope: Scope, by actor: Actor) async throws -> PublicityBoard {
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors(), on = today
        if theme.trimmed.isEmpty { errors.add("/theme", "required", "请填写本期主题。", "Give this issue's theme.") }
        if let d = errors.day("/day", day, notAfter: today) { on = d }
        let renewedOn = on
        let checked = errors
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path FROM outreach_boards WHERE id = \(bind: id.text) AND retired_on IS NULL AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("宣传栏", "board"))
            }
            try checked.throwIfAny()
            try await db.raw("""
                INSERT INTO outreach_board_renewals (id, board_id, day, theme, by_name, created_at)
                VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: renewedOn.description), \(bind: String(theme.trimmed.prefix(100))), \(bind: actor.username),
                        \(bind: Timestamp.string(env.now())))
                """).run()
            // a renewal of this period answers its reminder (one back-dated to an earlier period does not)
            if renewedOn >= Self.renewalPeriod(today, months: env.policy(.outreachTargets, on: today).boardRenewalMonths).start {
                try await Self.settleReminders(object: id, env: env, actor: actor, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "outreach_board", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["renewed": renewedOn.description]))
        }
        return try await boards(on: today, in: scope).first { $0.id == id }!
    }

    /// The boards of the scope in use on `day`, the overdue ones first: a board is overdue when
    /// neither its putting up nor its last renewal falls in the renewal period before this one or later.
    public func boards(on day: Day, in scope: Scope) async throws -> [PublicityBoard] {
        let engine = db.engine, months = env.policy(.outreachTargets, on: day).boardRenewalMonths
        let current = Self.renewalPeriod(day, months: months)
        let previous = Self.renewalPeriod(current.start.adding(days: -1), months: months)
        let next = Self.renewalPeriod(current.end.adding(days: 1), months: months)
        return try await db.read { db in
            try await db.raw("""
                SELECT b.*, u.code AS unit_code, u.name AS unit_name,
                  (SELECT MAX(r.day) FROM outreach_board_renewals r WHERE r.board_id = b.id) AS last_day,
                  (SELECT r.theme FROM outreach_board_renewals r WHERE r.board_id = b.id ORDER BY r.day DESC, r.created_at DESC LIMIT 1) AS last_theme
                FROM outreach_boards b JOIN org_units u ON u.id = b.unit_id
                WHERE \(engine.startsWith("b.path", scope.path)) AND b.retired_on IS NULL ORDER BY b.path, b.name
                """).all().map { r -> PublicityBoard in
                let created = try r.decode(column: "created_on", as: String.self), last = try r.decode(column: "last_day", as: String?.self)
                let fresh = max(created, last ?? "")
                let overdue = fresh < previous.start.description
                let due = fresh >= current.start.description ? next.end : current.end
                return PublicityBoard(id: try r.decode(column: "id", as: String.self).uuid, unitCode: try r.decode(column: "unit_code", as: String.self),
                                      unitName: try r.decode(column: "unit_name", as: String.self), name: try r.decode(column: "name", as: String.self),
                                      place: try r.decode(column: "place", as: String?.self), createdOn: created, lastRenewedOn: last,
                                      lastTheme: try r.decode(column: "last_theme", as: String?.self), nextDueOn: due.description, overdue: overdue)
            }.sorted { $0.overdue && !$1.overdue }
        }
    }

    // MARK: reminders

    /// The task object of a community's key date in a year (one id for the pair, so the reminder is
    /// made once and closed by the activity that marks the day).
    static func keyDateObject(unit: OrgUnit, code: String, year: Int) -> UUID { UUID.named("key-date/\(unit.id.text)/\(code)/\(year)") }

    /// Closes the open reminders about `object`.
    static func settleReminders(object: UUID, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        for t in try await db.raw("SELECT id FROM tasks WHERE open = 1 AND kind = 'outreach-reminder' AND object_id = \(bind: object.text)").all() {
            try await TaskStore.settle(id: try t.decode(column: "id", as: String.self).uuid, outcome: "done", env: env, actor: actor, db)
        }
    }

    /// The daily job: on each community's list, a reminder of every key date coming within the
    /// policy's reminder days that the community (or a unit above it) has not marked yet, and of every
    /// board whose renewal falls due in them and that has not been renewed in its period. Made once
    /// each; returns how many were made.
    @discardableResult
    public func remind(on day: Day) async throws -> Int {
        let engine = db.engine, env = self.env, targets = env.policy(.outreachTargets, on: day), keyDates = env.policy(.keyDates, on: day)
        let horizon = day.adding(days: targets.reminderDays)
        // the boards not renewed in this period, when its end comes within the reminder days
        let current = Self.renewalPeriod(day, months: targets.boardRenewalMonths)
        let boards = current.end > horizon ? [] : try await self.boards(on: day, in: .everything).filter { max($0.createdOn, $0.lastRenewedOn ?? "") < current.start.description }
        let actor = Actor.cli("outreach")
        return try await db.transaction { db in
            var made = 0
            let coming = keyDates.filter { let d = $0.on(day.year); return d >= day && d <= horizon }
            if !coming.isEmpty {
                for r in try await db.raw("SELECT * FROM org_units WHERE level = 'community' AND status = 'active'").all() {
                    let unit = try OrgStore.decode(r)
                    for k in coming {
                        let object = Self.keyDateObject(unit: unit, code: k.code, year: day.year)
                        if try await db.raw("SELECT 1 AS x FROM tasks WHERE kind = 'outreach-reminder' AND object_id = \(bind: object.text)").first() != nil { continue }
                        if try await db.raw("""
                            SELECT 1 AS x FROM outreach_activities WHERE key_date = \(bind: k.code) AND day >= \(bind: "\(day.year)-01-01") AND day <= \(bind: "\(day.year)-12-31")
                            AND (\(bind: unit.path) LIKE path || '%' OR \(engine.startsWith("path", unit.path)))
                            """).first() != nil { continue }
                        try await TaskStore.add(TaskStore.New(kind: .outreachReminder, subject: "宣传节点：\(k.name.zh)", idNumber: nil, personID: nil,
                                                              object: FieldTask.Object("key-date", object), note: "请组织节点宣传活动并登记。", unitID: unit.id, path: unit.path,
                                                              due: k.on(day.year), source: "outreach"), env: env, actor: actor, db)
                        made += 1
                    }
                }
            }
            for b in boards {
                if try await db.raw("SELECT 1 AS x FROM tasks WHERE kind = 'outreach-reminder' AND object_id = \(bind: b.id.text) AND due = \(bind: current.end.description)").first() != nil { continue }
                guard let r = try await db.raw("SELECT * FROM org_units WHERE code = \(bind: b.unitCode)").first() else { continue }
                let unit = try OrgStore.decode(r)
                try await TaskStore.add(TaskStore.New(kind: .outreachReminder, subject: "宣传栏更新：\(b.name)", idNumber: nil, personID: nil, object: FieldTask.Object("outreach-board", b.id),
                                                      note: "本季度请更新一期内容并登记。", unitID: unit.id, path: unit.path, due: current.end, source: "outreach"),
                                        env: env, actor: actor, db)
                made += 1
            }
            return made
        }
    }
}

extension UUID {
    /// A UUID that is always the same for the same name (two FNV-1a hashes), for records that must be
    /// made once per name (a reminder of a community's key date in a year).
    static func named(_ name: String) -> UUID {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h: UInt64 = seed
            for b in name.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
            return h
        }
        let a = fnv(0xcbf29ce484222325), b = fnv(0x84222325cbf29ce4)
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i))); bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x50; bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
