import Foundation
import RenkouCore
import SQLKit

/// 宣传教育: publicity activities, trainings and population-school sessions with who came (from the
/// registry) and what was handed out, their photos, each community's year against its targets, and
/// the reminders of the key dates on the task list.
public struct OutreachStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Days before or after a key date that an activity may mark it.
    public static let keyDateWindow = 15

    /// At most this many photos an activity, each at most `ScanFile.maxBytes`.
    public static let maxPhotos = 6

    /// Records an activity of a unit of the scope (a day ahead is a plan: it counts once it has come).
    /// A session of the population school is for residents unless said otherwise; an activity on a key
    /// date closes that date's reminder. Throws `invalid` with every problem at once: `/kind`
    /// `code-unknown`, `/unit` `unknown-unit`, `/day` `date-format` or `too-far` (more than a year
    /// ahead), `/topic` `required` or `too-long` (100), `/audience` `required` (a training) or
    /// `code-unknown`, `/keyDate` `code-unknown` or `out-of-window` (more than 15 days from the date), `/materials/N/kind` `required`, `/materials/N/count`
    /// `out-of-range` (1–1,000,000), `/attendees/N` `unknown-person` (not in the scope) or `duplicate`,
    /// `/headcount` `out-of-range` (0–100,000), `/minutes` `too-long` (10,000), `/association`
    /// `unknown-association`, `/photo` `scan-type` or `too-large`.
    public func record(_ input: ActivityInput, photo: ScanFile? = nil, in scope: Scope, by actor: Actor) async throws -> Activity {
        let today = Day(env.now())
        var errors = FieldErrors()
        let kind = OutreachKind(rawValue: input.kind?.trimmed ?? "")
        if kind == nil { errors.add("/kind", "code-unknown", "请选择活动类别。", "Choose the kind of activity.") }
        var day = today
        if let d = input.day?.trimmed, !d.isEmpty {
            if let parsed = Day(d) { day = parsed; if parsed > today.adding(days: 366) { errors.add("/day", "too-far", "日期不能晚于一年之后。", "At most a year ahead.") } }
            else { errors.add("/day", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
        }
        let topic = input.topic?.trimmed ?? ""
        if topic.isEmpty { errors.add("/topic", "required", "请填写主题。", "Give the topic.") } else if topic.count > 100 { errors.add("/topic", "too-long", "主题不超过 100 字。", "At most 100 characters.") }
        var audience: TrainingAudience?
        if let a = input.audience?.trimmed, !a.isEmpty {
            audience = TrainingAudience(rawValue: a)
            if audience == nil { errors.add("/audience", "code-unknown", "培训对象应为宣传员或育龄群众。", "The audience is propagandists or residents.") }
        } else if kind == .training {
            errors.add("/audience", "required", "请选择培训对象。", "Choose whom the training is for.")
        } else if kind == .school {
            audience = .resident
        }
        if !(kind?.isTraining ?? false) { audience = nil }
        let keyDates = env.policy(.keyDates, on: day)
        let keyDate = input.keyDate?.trimmed.nilIfBlank
        if let keyDate {
            if let k = keyDates.first(where: { $0.code == keyDate }) {
                // the day itself or the fortnight around it (a stall the weekend before counts)
                let d = k.on(day.year)
                if day < d.adding(days: -Self.keyDateWindow) || day > d.adding(days: Self.keyDateWindow) {
                    errors.add("/keyDate", "out-of-window", "节点宣传应在 \(k.name.zh) 前后 \(Self.keyDateWindow) 天内。", "A key-date activity is held within \(Self.keyDateWindow) days of \(k.name.en).")
                }
            } else { errors.add("/keyDate", "code-unknown", "没有这个宣传节点。", "No such key date.") }
        }
        var materials: [MaterialLine] = []
        for (i, m) in (input.materials ?? []).enumerated() {
            let k = m.kind.trimmed
            if k.isEmpty { errors.add("/materials/\(i)/kind", "required", "请填写资料名称。", "Name the material.") }
            if m.count < 1 || m.count > 1_000_000 { errors.add("/materials/\(i)/count", "out-of-range", "数量应在 1 到 1000000 之间。", "Between 1 and 1,000,000.") }
            materials.append(MaterialLine(kind: String(k.prefix(50)), count: m.count))
        }
        if let h = input.headcount, h < 0 || h > 100_000 { errors.add("/headcount", "out-of-range", "人数应在 0 到 100000 之间。", "Between 0 and 100,000.") }
        let minutes = input.minutes?.trimmed.nilIfBlank
        if (minutes?.count ?? 0) > 10_000 { errors.add("/minutes", "too-long", "会议记录不超过 10000 字。", "At most 10,000 characters.") }
        if let photo, photo.data.count > ScanFile.maxBytes { errors.add("/photo", "too-large", "照片不能超过 4 MB。", "A photo may not exceed 4 MB.") }
        if let photo, photo.type == "application/pdf" { errors.add("/photo", "scan-type", "照片应为 PNG 或 JPEG。", "A photo is a PNG or JPEG.") }
        let engine = db.engine, env = self.env, on = day, forWhom = audience, handedOut = materials
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let unit = try await OrgStore.unit(code: input.unit?.trimmed ?? "", in: scope, engine: engine, db)
            if unit == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            let people = try await Self.people(input.attendees ?? [], pointer: "/attendees", in: scope, errors: &errors, engine: engine, db)
            var association: String?
            if let a = input.association?.trimmed.nilIfBlank {
                if let u = UUID(uuidString: a), try await db.raw("SELECT id FROM associations WHERE id = \(bind: u.text) AND \(engine.startsWith("path", scope.path))").first() != nil {
                    association = u.text
                } else { errors.add("/association", "unknown-association", "该协会不存在或不在您的管辖范围内。", "No such association in your area.") }
            }
            try errors.throwIfAny()
            let unitRow = unit!, id = env.newID()
            let headcount = max(input.headcount ?? 0, people.count)
            try await db.raw("""
                INSERT INTO outreach_activities (id, kind, unit_id, path, day, topic, place, audience, trainer, key_date, materials, headcount, minutes, association_id, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: kind!.rawValue), \(bind: unitRow.id.text), \(bind: unitRow.path), \(bind: on.description), \(bind: topic),
                        \(bind: input.place?.trimmed.nilIfBlank.map { String($0.prefix(100)) }), \(bind: forWhom?.rawValue), \(bind: input.trainer?.trimmed.nilIfBlank.map { String($0.prefix(50)) }),
                        \(bind: keyDate), \(bind: String(decoding: try JSONEncoder.sorted.encode(handedOut), as: UTF8.self)), \(bind: headcount), \(bind: minutes), \(bind: association),
                        \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            for p in people {
                try await db.raw("INSERT INTO outreach_attendance (activity_id, person_id) VALUES (\(bind: id.text), \(bind: p.id.text))").run()
            }
            if let photo { try await Self.insertPhoto(photo, activity: id, env: env, db) }
            // the key date is marked for every community the activity counts for (its own, those below it, the one above)
            if let keyDate {
                for r in try await db.raw("""
                    SELECT * FROM org_units WHERE level = 'community' AND (\(bind: unitRow.path) LIKE path || '%' OR \(engine.startsWith("path", unitRow.path)))
                    """).all() {
                    try await Self.settleReminders(object: Self.keyDateObject(unit: try OrgStore.decode(r), code: keyDate, year: on.year), env: env, actor: actor, db)
                }
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "outreach_activity", entityID: id.text, path: unitRow.path,
                                     after: AuditLog.json(["kind": kind!.rawValue, "day": on.description, "attendees": String(people.count)]))
            return id
        }
        return try await activity(id, in: .everything, by: actor, audited: false)
    }

    /// Resolves the registry people a list names (ID numbers or registry ids), each error at `pointer/N`.
    static func people(_ list: [String], pointer: String, in scope: Scope, errors: inout FieldErrors, engine: Engine, _ db: any SQLDatabase) async throws -> [Person] {
        var found: [Person] = [], seen: Set<UUID> = []
        if list.count > 2000 { errors.add(pointer, "too-many", "一次最多 2000 人。", "At most 2,000 people at once."); return [] }
        for (i, raw) in list.enumerated() where !raw.trimmed.isEmpty {
            guard let p = try await PersonStore.resolve(raw, in: scope, engine: engine, db) else {
                errors.add("\(pointer)/\(i)", "unknown-person", "第 \(i + 1) 人不在登记库或不在您的管辖范围内。", "Person \(i + 1) is not in the registry of your area."); continue
            }
            if !seen.insert(p.id).inserted { errors.add("\(pointer)/\(i)", "duplicate", "第 \(i + 1) 人重复。", "Person \(i + 1) is listed twice."); continue }
            found.append(p)
        }
        return found
    }

    static func insertPhoto(_ photo: ScanFile, activity: UUID, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        let n = try await db.raw("SELECT COUNT(*) AS n FROM outreach_photos WHERE activity_id = \(bind: activity.text)").first()!.decode(column: "n", as: Int.self)
        guard n < maxPhotos else { throw RenkouError.invalid([FieldError("/photo", "too-many", Text("每次活动最多 \(maxPhotos) 张照片。", "At most \(maxPhotos) photos an activity."))]) }
        try await db.raw("""
            INSERT INTO outreach_photos (id, activity_id, name, type, data, created_at)
            VALUES (\(bind: env.newID().text), \(bind: activity.text), \(bind: String(photo.name.prefix(100))), \(bind: photo.type), \(bind: photo.data.base64EncodedString()),
                    \(bind: Timestamp.string(env.now())))
            """).run()
    }

    /// Adds people who came (and a photo) to an activity of the scope. Throws `not-found`, `invalid`
    /// (`/attendees/N` `unknown-person` or `duplicate`, `/photo` `too-many`, `scan-type`, `too-large`).
    public func add(attendees: [String], photo: ScanFile? = nil, to id: UUID, in scope: Scope, by actor: Actor) async throws -> Activity {
        let engine = db.engine, env = self.env
        if let photo, photo.data.count > ScanFile.maxBytes { throw RenkouError.invalid([FieldError("/photo", "too-large", Text("照片不能超过 4 MB。", "A photo may not exceed 4 MB."))]) }
        if let photo, photo.type == "application/pdf" { throw RenkouError.invalid([FieldError("/photo", "scan-type", Text("照片应为 PNG 或 JPEG。", "A photo is a PNG or JPEG."))]) }
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path FROM outreach_activities WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("活动", "activity"))
            }
            var errors = FieldErrors()
            let people = try await Self.people(attendees, pointer: "/attendees", in: scope, errors: &errors, engine: engine, db)
            let already = Set(try await db.raw("SELECT person_id FROM outreach_attendance WHERE activity_id = \(bind: id.text)").all().map { try $0.decode(column: "person_id", as: String.self) })
            try errors.throwIfAny()
            let fresh = people.filter { !already.contains($0.id.text) }
            for p in fresh { try await db.raw("INSERT INTO outreach_attendance (activity_id, person_id) VALUES (\(bind: id.text), \(bind: p.id.text))").run() }
            try await db.raw("""
                UPDATE outreach_activities SET headcount = (SELECT COUNT(*) FROM outreach_attendance WHERE activity_id = \(bind: id.text))
                WHERE id = \(bind: id.text) AND headcount < (SELECT COUNT(*) FROM outreach_attendance WHERE activity_id = \(bind: id.text))
                """).run()
            if let photo { try await Self.insertPhoto(photo, activity: id, env: env, db) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "outreach_activity", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["attendees added": String(fresh.count), "photo": photo == nil ? "no" : "yes"]))
        }
        return try await activity(id, in: scope, by: actor, audited: false)
    }

    static let activityColumns = """
        a.*, u.code AS unit_code, u.name AS unit_name, (SELECT COUNT(*) FROM outreach_photos f WHERE f.activity_id = a.id) AS photos
        """

    static func decode(_ r: any SQLRow) throws -> Activity {
        let materials = try JSONDecoder().decode([MaterialLine].self, from: Data(try r.decode(column: "materials", as: String.self).utf8))
        return Activity(id: try r.decode(column: "id", as: String.self).uuid, kind: OutreachKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .publicity,
                        unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                        day: try r.decode(column: "day", as: String.self), topic: try r.decode(column: "topic", as: String.self), place: try r.decode(column: "place", as: String?.self),
                        audience: try r.decode(column: "audience", as: String?.self).flatMap(TrainingAudience.init(rawValue:)), trainer: try r.decode(column: "trainer", as: String?.self),
                        keyDate: try r.decode(column: "key_date", as: String?.self), materials: materials, headcount: try r.decode(column: "headcount", as: Int.self),
                        minutes: try r.decode(column: "minutes", as: String?.self), associationID: try r.decode(column: "association_id", as: String?.self).flatMap(UUID.init(uuidString:)),
                        photos: try r.decode(column: "photos", as: Int.self), attendees: [])
    }

    /// One activity of the scope with the people of the scope who came (the headcount counts all).
    /// Their names are a read of those people: audited. Throws `not-found`.
    public func activity(_ id: UUID, in scope: Scope, by actor: Actor, audited: Bool = true) async throws -> Activity {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            guard let r = try await db.raw("""
                SELECT \(unsafeRaw: Self.activityColumns) FROM outreach_activities a JOIN org_units u ON u.id = a.unit_id WHERE a.id = \(bind: id.text) AND \(engine.startsWith("a.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("活动", "activity")) }
            var a = try Self.decode(r)
            a.attendees = try await db.raw("""
                SELECT p.id, p.name, p.id_number FROM outreach_attendance t JOIN persons p ON p.id = t.person_id
                WHERE t.activity_id = \(bind: id.text) AND \(engine.startsWith("p.path", scope.path)) ORDER BY p.name, p.id
                """).all().map { Attendee(personID: try $0.decode(column: "id", as: String.self).uuid, name: try $0.decode(column: "name", as: String.self),
                                          idNumber: Mask.idNumber(try $0.decode(column: "id_number", as: String.self))) }
            if audited, !a.attendees.isEmpty {
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "outreach_attendance", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                         after: AuditLog.json(["shown": String(a.attendees.count)]))
            }
            return a
        }
    }

    /// The `n`th photo (0-based) of an activity of the scope. Throws `not-found`.
    public func photo(_ id: UUID, _ n: Int, in scope: Scope) async throws -> ScanFile {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("""
                SELECT f.name, f.type, f.data FROM outreach_photos f JOIN outreach_activities a ON a.id = f.activity_id
                WHERE f.activity_id = \(bind: id.text) AND \(engine.startsWith("a.path", scope.path)) ORDER BY f.created_at, f.id LIMIT 1 OFFSET \(bind: max(n, 0))
                """).first(), let data = Data(base64Encoded: try r.decode(column: "data", as: String.self)) else { throw RenkouError.notFound(Text("照片", "photo")) }
            return ScanFile(name: try r.decode(column: "name", as: String.self), type: try r.decode(column: "type", as: String.self), data: data)
        }
    }

    /// The activities of a year under a unit of the scope (its whole area when nil), oldest first;
    /// `kind` picks one kind. Throws `not-found` for a unit not in the scope.
    public func list(year: Int, unitCode: String? = nil, kind: OutreachKind? = nil, in scope: Scope) async throws -> [Activity] {
        let engine = db.engine
        return try await db.read { db in
            var path = scope.path
            if let c = unitCode?.nilIfBlank {
                guard let u = try await OrgStore.unit(code: c, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("单位", "unit")) }
                path = u.path
            }
            return try await db.raw("""
                SELECT \(unsafeRaw: Self.activityColumns) FROM outreach_activities a JOIN org_units u ON u.id = a.unit_id
                WHERE \(engine.startsWith("a.path", path)) AND a.day >= \(bind: "\(year)-01-01") AND a.day <= \(bind: "\(year)-12-31")
                \(unsafeRaw: kind.map { "AND a.kind = '\($0.rawValue)'" } ?? "") ORDER BY a.day, a.id
                """).all().map(Self.decode)
        }
    }

    /// Each community of the scope in `year` read on `day`: trainings held by audience (a training
    /// held by the street or district counts for each community below it; one held in a grid for its
    /// community), publicity activities, the key dates passed and whether each was marked, the
    /// trainings the months fully gone by ask for (pro rata) and are missing, boards overdue (its own
    /// and its grids'). Behind first.
    public func progress(year: Int, on day: Day, in scope: Scope) async throws -> [OutreachProgress] {
        let engine = db.engine, policy = env.policy
        let targets = policy(.outreachTargets, on: day), keyDates = policy(.keyDates, on: day)
        let last = min(day, Day(year: year, month: 12, day: 31)!).description, first = "\(year)-01-01"
        // the months fully gone: on 1 January nobody is behind yet
        let monthsGone = day.year > year ? 12 : (day.year < year ? 0 : day.month - 1)
        let boards = try await self.boards(on: day, in: scope)
        return try await db.read { db in
            var out: [OutreachProgress] = []
            let unitPaths = Dictionary(uniqueKeysWithValues: try await db.raw("SELECT code, path FROM org_units WHERE \(engine.startsWith("path", scope.path))").all()
                .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "path", as: String.self)) })
            for u in try await db.raw("SELECT id, code, name, path FROM org_units WHERE level = 'community' AND status = 'active' AND \(engine.startsWith("path", scope.path)) ORDER BY path").all() {
                let path = try u.decode(column: "path", as: String.self)
                var counts: [String: Int] = [:], marked: Set<String> = []
                for r in try await db.raw("""
                    SELECT kind, audience, key_date, COUNT(*) AS n FROM outreach_activities
                    WHERE (\(bind: path) LIKE path || '%' OR \(engine.startsWith("path", path))) AND day >= \(bind: first) AND day <= \(bind: last)
                    GROUP BY kind, audience, key_date
                    """).all() {
                    let kind = try r.decode(column: "kind", as: String.self), n = try r.decode(column: "n", as: Int.self)
                    if let k = try r.decode(column: "key_date", as: String?.self) { marked.insert(k) }
                    let audience = try r.decode(column: "audience", as: String?.self)
                    counts[OutreachKind(rawValue: kind)?.isTraining == true ? (audience ?? "resident") : kind, default: 0] += n
                }
                let passed = keyDates.filter { $0.on(year).description <= last }
                let p = counts["propagandist"] ?? 0, res = counts["resident"] ?? 0
                // the share of the year's targets the months gone by ask for
                let dueP = targets.propagandistTrainings * monthsGone / 12, dueR = targets.residentTrainings * monthsGone / 12
                let name = try u.decode(column: "name", as: String.self)
                out.append(OutreachProgress(unitCode: try u.decode(column: "code", as: String.self), unitName: name, year: year, propagandistTrainings: p, residentTrainings: res,
                                            propagandistTarget: targets.propagandistTrainings, residentTarget: targets.residentTrainings, publicity: counts["publicity"] ?? 0,
                                            keyDates: Dictionary(uniqueKeysWithValues: passed.map { ($0.code, marked.contains($0.code)) }),
                                            behind: max(0, dueP - p) + max(0, dueR - res),
                                            boardsOverdue: boards.filter { $0.overdue && (unitPaths[$0.unitCode]?.hasPrefix(path) ?? false) }.count))
            }
            return out.sorted { $0.behind != $1.behind ? $0.behind > $1.behind : $0.unitCode < $1.unitCode }
        }
    }
}

extension Stores {
    public var outreach: OutreachStore { OutreachStore(db: db, env: env) }
}
