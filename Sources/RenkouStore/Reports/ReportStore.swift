import Foundation
import RenkouCore
import SQLKit

/// 统计报表: a unit's monthly report filled from live figures (every module's measures), submitted by
/// the unit, accepted or sent back with a note by the level above, locked once accepted (a later
/// correction is a new version with its differences); who reported, on time, late or not at all.
public struct ReportStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let measures: ReportMeasures
    public init(db: Database, env: RenkouCore.Environment, measures: ReportMeasures) { self.db = db; self.env = env; self.measures = measures }

    /// The first day of a `YYYY-MM` month. Throws `invalid` (`/month` `month-format`).
    public static func month(_ text: String?) throws -> Day {
        let t = text?.trimmingCharacters(in: .whitespaces) ?? ""
        let parts = t.split(separator: "-")
        guard t.count == 7, parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), let d = Day(year: y, month: m, day: 1), (2000...2100).contains(y) else {
            throw RenkouError.invalid([FieldError("/month", "month-format", Text("月份应写作 2026-10。", "Write the month as 2026-10."))])
        }
        return d
    }

    /// The month whose report is due now (`2026-10` on any day of November): what the pages, the API
    /// and the command line read when no month is given.
    public static func lastMonth(on day: Day) -> String { label(previousMonth(day)) }

    /// The month before the one containing `day` (the one whose report is due now).
    public static func previousMonth(_ day: Day) -> Day {
        day.month == 1 ? Day(year: day.year - 1, month: 12, day: 1)! : Day(year: day.year, month: day.month - 1, day: 1)!
    }

    /// The form `code` in force for a month. Throws `invalid` (`/form` `unknown-form`).
    func form(_ code: String, month: Day) throws -> ReportForm {
        guard let f = env.policy(.reportForms, on: month).first(where: { $0.code == code }) else {
            throw RenkouError.invalid([FieldError("/form", "unknown-form", Text("没有这个报表。", "No such report form."))])
        }
        return f
    }

    static let columns = "r.*, u.code AS unit_code, u.name AS unit_name"

    static func decode(_ r: any SQLRow) throws -> Report {
        let figures = try JSONDecoder().decode([ReportFigure].self, from: Data(try r.decode(column: "figures", as: String.self).utf8))
        let submitted = try r.decode(column: "submitted_on", as: String.self), due = try r.decode(column: "due_on", as: String.self)
        return Report(id: try r.decode(column: "id", as: String.self).uuid, form: try r.decode(column: "form", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                      unitName: try r.decode(column: "unit_name", as: String.self), month: try r.decode(column: "month", as: String.self), version: try r.decode(column: "version", as: Int.self),
                      state: ReportState(rawValue: try r.decode(column: "state", as: String.self)) ?? .submitted, figures: figures, submittedOn: submitted,
                      submittedBy: try r.decode(column: "submitted_by", as: String.self), note: try r.decode(column: "note", as: String?.self), dueOn: due, late: submitted > due,
                      reviewedOn: try r.decode(column: "reviewed_on", as: String?.self), reviewedBy: try r.decode(column: "reviewed_by", as: String?.self),
                      reviewNote: try r.decode(column: "review_note", as: String?.self))
    }

    /// Every version of a unit's report for a month, oldest first, each with what changed from the one before.
    static func versions(form: String, unitID: UUID, month: String, _ db: any SQLDatabase) async throws -> [Report] {
        var out: [Report] = []
        for r in try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM reports r JOIN org_units u ON u.id = r.unit_id WHERE r.form = \(bind: form) AND r.unit_id = \(bind: unitID.text) AND r.month = \(bind: month)
            ORDER BY r.version
            """).all() {
            var report = try decode(r)
            if let previous = out.last { report.changes = ReportChange.between(previous.figures, report.figures) }
            out.append(report)
        }
        return out
    }

    /// Why `unit`'s report for `month` cannot be submitted on `today`, as the field error a submission
    /// gets (`/unit` `not-reporting` or `waiting-for-lower`, `/month` `not-ended`, or `already-submitted`
    /// while one waits for review); nil: it can.
    func blocked(_ form: ReportForm, unit: OrgUnit, month: Day, today: Day, versions: [Report], _ db: any SQLDatabase) async throws -> FieldError? {
        if !form.levels.contains(unit.level) {
            return FieldError("/unit", "not-reporting", Text("\(unit.level.label.zh)不报送该报表。", "\(unit.level.label.en) units do not send this report."))
        }
        if Period.containing(month, .month).end >= today {
            return FieldError("/month", "not-ended", Text("该月尚未结束，次月 1 日起可上报。", "The month is not over; it can be sent from the 1st of the next."))
        }
        if versions.last?.state == .submitted { return FieldError("/month", "already-submitted", Text("已上报，等待上级审核。", "Submitted; waiting for the level above.")) }
        // a level's report goes up once the reports of the units below it are accepted (DHIS2's approval
        // levels): an accepted version stands until a correction of it is accepted; one under review waits
        let below = form.levels.filter { $0 > unit.level }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard !below.isEmpty else { return nil }
        let waiting = try await db.raw("""
            SELECT u.name FROM org_units u WHERE u.parent_id = \(bind: unit.id.text) AND u.status = 'active' AND u.level IN (\(unsafeRaw: below))
            AND (NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = u.id AND r.form = \(bind: form.code) AND r.month = \(bind: Self.label(month)) AND r.state = 'accepted')
                 OR EXISTS (SELECT 1 FROM reports n WHERE n.unit_id = u.id AND n.form = \(bind: form.code) AND n.month = \(bind: Self.label(month)) AND n.state = 'submitted'))
            ORDER BY u.code
            """).all().map { try $0.decode(column: "name", as: String.self) }
        if !waiting.isEmpty {
            let names = waiting.joined(separator: "、")
            return FieldError("/unit", "waiting-for-lower", Text("下级报表尚未全部审核通过：\(names)。", "The reports of the units below are not all accepted yet: \(names)."))
        }
        return nil
    }

    /// `2026-10` for a day of that month.
    public static func label(_ month: Day) -> String { String(month.description.prefix(7)) }

    func live(_ form: ReportForm, path: String, month: Day, _ db: any SQLDatabase) async throws -> [ReportFigure] {
        let m = Period.containing(month, .month)
        let yearToDate = Period(kind: form.cumulative, start: Period.containing(month, form.cumulative).start, end: m.end)
        return try await measures.figures(form.lines, path: path, month: Period(kind: .month, start: m.start, end: m.end), cumulative: yearToDate,
                                          policy: env.policy, engine: self.db.engine, db)
    }

    /// A unit's report for a month: the figures live now, the versions submitted, whether it can go up.
    /// Throws `invalid` (`/month` `month-format`, `/form` `unknown-form`), `not-found` (the unit).
    public func sheet(form code: String = "monthly", unit: String?, month text: String?, in scope: Scope) async throws -> ReportSheet {
        let month = try Self.month(text), form = try self.form(code, month: month), today = Day(env.now())
        let u = try await self.unit(unit, in: scope)
        return try await db.read { db in
            let versions = try await Self.versions(form: form.code, unitID: u.id, month: Self.label(month), db)
            return ReportSheet(form: form, unitCode: u.code, unitName: u.name, level: u.level, month: Self.label(month),
                               cumulativePeriod: Period.containing(month, form.cumulative).description, dueOn: form.due(for: month, level: u.level, calendar: env.policy.calendar).description,
                               live: try await self.live(form, path: u.path, month: month, db), versions: versions,
                               blocked: try await self.blocked(form, unit: u, month: month, today: today, versions: versions, db)?.message)
        }
    }

    /// The unit asked for, or the scope's top unit with the most people (the district, not the code
    /// table's other provinces). Throws `not-found`.
    func unit(_ code: String?, in scope: Scope) async throws -> OrgUnit {
        let orgs = OrgStore(db: db, env: env)
        if let c = code?.nilIfBlank {
            guard let u = try await orgs.unit(code: c, in: scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
            return u
        }
        return try await orgs.unitAndChildren(nil, in: scope).unit
    }

    /// 上报: submits a unit's report for a month with the figures as they stand (a new version when it
    /// was sent back). An accepted report stays locked: a correction of it needs a note saying why and
    /// a figure that changed. Throws `invalid` (`/month` `month-format` or `not-ended`, `/unit`
    /// `not-reporting` or `waiting-for-lower`, `/form` `unknown-form`, `/note` `required` for a
    /// correction), `conflict` `already-submitted` (waiting for review) or `no-changes` (a correction
    /// that changes nothing), `not-found` (the unit).
    @discardableResult
    public func submit(form code: String = "monthly", unit: String?, month text: String?, note: String? = nil, in scope: Scope, by actor: Actor) async throws -> Report {
        try await submit(form: code, unit: unit, month: text, note: note, on: Day(env.now()), in: scope, by: actor)
    }

    /// `submit` on a given day (the demo's past months).
    func submit(form code: String, unit: String?, month text: String?, note: String?, on today: Day, in scope: Scope, by actor: Actor) async throws -> Report {
        let month = try Self.month(text), form = try self.form(code, month: month), env = self.env
        let u = try await self.unit(unit, in: scope), engine = db.engine
        let id = try await db.transaction { db -> UUID in
            // one submission at a time for a unit (PostgreSQL: the unit's row held; SQLite writes one at a time)
            if engine == .postgres { _ = try await db.raw("SELECT id FROM org_units WHERE id = \(bind: u.id.text) FOR UPDATE").all() }
            let versions = try await Self.versions(form: form.code, unitID: u.id, month: Self.label(month), db)
            if versions.last?.state == .submitted {
                throw RenkouError(.conflict, "already-submitted", Text("该月报表已上报，等待上级审核；退回后才能重新上报。", "This month's report is waiting for review; it can be sent again once sent back."))
            }
            if let why = try await self.blocked(form, unit: u, month: month, today: today, versions: versions, db) { throw RenkouError.invalid([why]) }
            let figures = try await self.live(form, path: u.path, month: month, db)
            // a correction of an accepted report says why, and changes something
            if let accepted = versions.last(where: { $0.state == .accepted }) {
                if note?.trimmed.nilIfBlank == nil {
                    throw RenkouError.invalid([FieldError("/note", "required", Text("已审核的报表更正时请写明原因。", "Say why an accepted report is corrected."))])
                }
                if ReportChange.between(accepted.figures, figures).isEmpty {
                    throw RenkouError(.conflict, "no-changes", Text("数字与已审核的版本相同，无需更正。", "The figures are those of the accepted version: nothing to correct."))
                }
            }
            let id = env.newID(), version = (versions.last?.version ?? 0) + 1
            let json = String(decoding: try JSONEncoder.sorted.encode(figures), as: UTF8.self)
            try await db.raw("""
                INSERT INTO reports (id, form, unit_id, path, month, version, state, figures, submitted_on, submitted_by, submitted_at, note, due_on)
                VALUES (\(bind: id.text), \(bind: form.code), \(bind: u.id.text), \(bind: u.path), \(bind: Self.label(month)), \(bind: version), 'submitted', \(bind: json),
                        \(bind: today.description), \(bind: actor.username), \(bind: Timestamp.string(env.now())), \(bind: note?.trimmed.nilIfBlank), \(bind: form.due(for: month, level: u.level, calendar: env.policy.calendar).description))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "report", entityID: id.text, path: u.path,
                                     after: AuditLog.json(["form": form.code, "month": Self.label(month), "version": String(version)]))
            return id
        }
        return try await report(id, in: scope)
    }

    /// One version of a report of the scope, with its changes from the version before. Throws `not-found`.
    public func report(_ id: UUID, in scope: Scope) async throws -> Report {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM reports r JOIN org_units u ON u.id = r.unit_id WHERE r.id = \(bind: id.text) AND \(engine.startsWith("r.path", scope.path))").first()
            else { throw RenkouError.notFound(Text("报表", "report")) }
            let one = try Self.decode(r)
            return try await Self.versions(form: one.form, unitID: try r.decode(column: "unit_id", as: String.self).uuid, month: one.month, db).first { $0.id == id } ?? one
        }
    }

    /// 审核: the level directly above accepts the latest version (locking it) or sends it back with a
    /// note; never the one who submitted it. Throws `forbidden` `own-report` (a unit's own report is
    /// reviewed above it), `not-level-above` (a district skipping its street; administrators and the
    /// command line may), `own-submission`; `conflict` `not-waiting` (already reviewed, or a later
    /// version exists); `invalid` (`/note` `required` to send back); `not-found`.
    @discardableResult
    public func review(_ id: UUID, accept: Bool, note: String?, in scope: Scope, by actor: Actor) async throws -> Report {
        try await review(id, accept: accept, note: note, on: Day(env.now()), in: scope, by: actor)
    }

    /// `review` on a given day (the demo's past months).
    @discardableResult
    func review(_ id: UUID, accept: Bool, note: String?, on today: Day, in scope: Scope, by actor: Actor) async throws -> Report {
        if !accept, note?.trimmed.nilIfBlank == nil {
            throw RenkouError.invalid([FieldError("/note", "required", Text("退回时请写明需要更正的内容。", "Say what needs correcting when sending it back."))])
        }
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("""
                SELECT r.id, r.path, r.state, r.unit_id, r.form, r.month, r.version, r.submitted_by, p.path AS parent_path FROM reports r
                JOIN org_units u ON u.id = r.unit_id LEFT JOIN org_units p ON p.id = u.parent_id
                WHERE r.id = \(bind: id.text) AND \(engine.startsWith("r.path", scope.path))\(unsafeRaw: engine == .postgres ? " FOR UPDATE OF r" : "")
                """).first()
            else { throw RenkouError.notFound(Text("报表", "report")) }
            let path = try r.decode(column: "path", as: String.self)
            if path == scope.path { throw RenkouError(.forbidden, "own-report", Text("本单位的报表由上级审核。", "A unit's own report is reviewed by the level above.")) }
            if let role = actor.role, role != .admin, try r.decode(column: "parent_path", as: String?.self) != scope.path {
                throw RenkouError(.forbidden, "not-level-above", Text("报表由直接上级审核（社区报表由街道审核）。", "A report is reviewed by the level directly above (a community's by its street)."))
            }
            if actor.role != nil, try r.decode(column: "submitted_by", as: String.self) == actor.username {
                throw RenkouError(.forbidden, "own-submission", Text("代报的报表不能由本人审核。", "A report you submitted is reviewed by someone else."))
            }
            let newer = try await db.raw("""
                SELECT 1 AS x FROM reports WHERE unit_id = \(bind: try r.decode(column: "unit_id", as: String.self)) AND form = \(bind: try r.decode(column: "form", as: String.self))
                AND month = \(bind: try r.decode(column: "month", as: String.self)) AND version > \(bind: try r.decode(column: "version", as: Int.self))
                """).first()
            guard try r.decode(column: "state", as: String.self) == ReportState.submitted.rawValue, newer == nil else {
                throw RenkouError(.conflict, "not-waiting", Text("该版本不在待审核状态。", "This version is not waiting for review."))
            }
            let state: ReportState = accept ? .accepted : .returned
            try await db.raw("""
                UPDATE reports SET state = \(bind: state.rawValue), reviewed_on = \(bind: today.description), reviewed_by = \(bind: actor.username),
                review_note = \(bind: note?.trimmed.nilIfBlank) WHERE id = \(bind: id.text)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "report", entityID: id.text, path: path,
                                     before: AuditLog.json(["state": ReportState.submitted.rawValue]), after: AuditLog.json(["state": state.rawValue, "note": note ?? ""]))
        }
        return try await report(id, in: scope)
    }

    /// 报送情况: every unit of the scope that sends `form` for `month` (under `unit` when given), where
    /// its report stands, and the completeness and timeliness per level, read today. A unit counts as
    /// submitted while a version not sent back stands; on time when its first version came by its due
    /// day and one stands; days late run until its first version, or until today while none stands.
    public func status(form code: String = "monthly", month text: String?, unit: String? = nil, in scope: Scope) async throws -> (units: [ReportStatus], rates: [ReportRates]) {
        let month = try Self.month(text), form = try self.form(code, month: month), engine = db.engine, today = Day(env.now())
        let calendar = env.policy.calendar, label = Self.label(month)
        let top = try await self.unit(unit, in: scope)
        let rows = try await db.read { db in
            let levels = form.levels.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let units = try await db.raw("""
                SELECT \(unsafeRaw: OrgStore.columns), p.code AS parent_code FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id
                WHERE u.level IN (\(unsafeRaw: levels)) AND u.status = 'active' AND \(engine.startsWith("u.path", top.path)) ORDER BY u.path
                """).all().map { (try OrgStore.decode($0), try $0.decode(column: "parent_code", as: String?.self)) }
            var reports: [String: [(version: Int, state: String, submitted: String, id: String)]] = [:]
            for r in try await db.raw("""
                SELECT unit_id, version, state, submitted_on, id FROM reports WHERE form = \(bind: form.code) AND month = \(bind: label) AND \(engine.startsWith("path", top.path)) ORDER BY version
                """).all() {
                reports[try r.decode(column: "unit_id", as: String.self), default: []].append((try r.decode(column: "version", as: Int.self), try r.decode(column: "state", as: String.self),
                                                                                              try r.decode(column: "submitted_on", as: String.self), try r.decode(column: "id", as: String.self)))
            }
            return (units, reports)
        }
        let statuses = rows.0.map { u, parent -> ReportStatus in
            let due = form.due(for: month, level: u.level, calendar: calendar)
            let versions = rows.1[u.id.text] ?? []
            let first = versions.first.flatMap { Day($0.submitted) }, latest = versions.last
            // what stands: the latest version not sent back (an accepted one stays when its correction is)
            let stands = versions.last { $0.state != ReportState.returned.rawValue }.flatMap { ReportState(rawValue: $0.state) }
            // on time: first sent by the due day, and not left sent back
            let onTime = stands != nil && (first.map { $0 <= due } ?? false)
            let late = stands == nil ? (today > due ? due.days(until: today) : 0) : first.map { max(0, due.days(until: $0)) } ?? 0
            return ReportStatus(unitCode: u.code, unitName: u.name, level: u.level, parentCode: parent, month: label, dueOn: due.description,
                                state: latest.flatMap { ReportState(rawValue: $0.state) }, standing: stands, version: latest?.version ?? 0, firstSubmittedOn: versions.first?.submitted,
                                onTime: onTime, daysLate: late, reportID: latest.map { $0.id.uuid })
        }
        let rates = form.levels.map { level in
            let these = statuses.filter { $0.level == level }
            return ReportRates(level: level, expected: these.count, submitted: these.filter { $0.standing != nil }.count,
                               onTime: these.filter(\.onTime).count, accepted: these.filter { $0.standing == .accepted }.count)
        }.filter { $0.expected > 0 }
        return (statuses, rates)
    }
}

extension Stores {
    /// The monthly reports.
    public var reports: ReportStore { ReportStore(db: db, env: env, measures: reportMeasures) }
}
