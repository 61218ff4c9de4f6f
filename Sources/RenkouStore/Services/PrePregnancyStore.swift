import Foundation
import RenkouCore
import SQLKit

/// 国家免费孕前优生健康检查: couples' checks with their 19 items, risk group and counselling, the
/// early-pregnancy and outcome follow-ups (visits on the common list), and each unit's yearly quota.
/// Items and findings are reproductive-health details: the web layer shows them to the service roles.
public struct PrePregnancyStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Records a couple's check and schedules the early-pregnancy follow-up of the woman (the spouse when
    /// the person checked is the man and she is in the registry). Throws `invalid` (the input's errors,
    /// `/person` `unknown-person`, `/spouse` `unknown-person` or `same-person`).
    public func record(_ input: PrePregnancyInput, in scope: Scope, by actor: Actor) async throws -> PrePregnancyCheck {
        let v = try input.checked(today: Day(env.now()))
        let engine = db.engine, env = self.env, id = env.newID()
        try await db.transaction { db in
            let person = try await PersonStore.require(v.person, in: scope, engine: engine, db)
            var spouse: Person?
            if let s = v.spouse {
                guard s != person.id else { throw RenkouError.invalid([FieldError("/spouse", "same-person", Text("配偶不能是本人。", "The spouse is another person."))]) }
                // The spouse of record may live elsewhere; anyone else must be in the caller's area.
                spouse = try await PersonStore.find(s, in: s == person.spouseID ? .everything : scope, engine: engine, db)
                guard let sp = spouse else { throw RenkouError.invalid([FieldError("/spouse", "unknown-person", Text("该配偶不存在或不在您的管辖范围内。", "This spouse does not exist or is outside your area."))]) }
                if sp.sex == person.sex { throw RenkouError.invalid([FieldError("/spouse", "spouse-sex", Text("孕前优生检查的对象是夫妇二人。", "The check is for a couple, a woman and a man."))]) }
            }
            let items = String(decoding: try JSONEncoder.sorted.encode(v.items.mapValues(\.rawValue)), as: UTF8.self)
            try await db.raw("""
                INSERT INTO prepregnancy_checks (id, person_id, spouse_id, spouse_name, spouse_id_number, checked_on, items, risk, counselling, unit_id, path, entered_by, entered_at)
                VALUES (\(bind: id.text), \(bind: person.id.text), \(bind: spouse?.id.text), \(bind: spouse?.name ?? input.spouseName?.trimmed.nilIfBlank),
                        \(bind: spouse == nil ? input.spouseIDNumber?.trimmed.nilIfBlank : nil), \(bind: v.day.description), \(bind: items), \(bind: v.risk.rawValue),
                        \(bind: input.counselling?.trimmed.nilIfBlank), \(bind: person.unitID.text), \(bind: person.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            let woman = person.sex == "2" ? person : (spouse?.sex == "2" ? spouse! : person)
            if let schedule = env.policy(.followUpSchedules, on: v.day)[FollowUpSchedules.prePregnancyEarly] {
                try await ServiceStore.schedule(woman, service: id, key: FollowUpSchedules.prePregnancyEarly, schedule: schedule, step: 0, from: v.day, anchor: v.day, env: env, db)
            }
            // A neutral entity: the audit log's readers are not all service roles.
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "health_record", entityID: id.text, path: person.path,
                                     after: AuditLog.json(["person": person.id.text]))
        }
        return try await check(id, in: scope)
    }

    /// A follow-up of a check was made (called by `ServiceStore.recordVisit` in its transaction): its
    /// finding goes on the check; a pregnancy found opens hers and schedules the outcome follow-up.
    static func visited(check: UUID, schedule: String, finding: String, on day: Day, person: Person, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        if schedule == FollowUpSchedules.prePregnancyEarly {
            try await db.raw("UPDATE prepregnancy_checks SET early_finding = \(bind: finding), early_on = \(bind: day.description) WHERE id = \(bind: check.text)").run()
            if finding == PrePregnancyFinding.pregnant.rawValue {
                if person.sex == "2" { try await PregnancyStore.open(person, source: .prePregnancy, detected: day, lmp: nil, note: nil, env: env, actor: actor, db) }
                if let s = env.policy(.followUpSchedules, on: day)[FollowUpSchedules.prePregnancyOutcome] {
                    try await ServiceStore.schedule(person, service: check, key: FollowUpSchedules.prePregnancyOutcome, schedule: s, step: 0, from: day, anchor: day, env: env, db)
                }
            }
        } else if schedule == FollowUpSchedules.prePregnancyOutcome {
            try await db.raw("UPDATE prepregnancy_checks SET outcome_finding = \(bind: finding), outcome_on = \(bind: day.description) WHERE id = \(bind: check.text)").run()
        }
    }

    static let columns = "x.*, p.name AS person_name, u.code AS unit_code FROM prepregnancy_checks x JOIN persons p ON p.id = x.person_id JOIN org_units u ON u.id = x.unit_id"

    static func decode(_ r: any SQLRow) throws -> PrePregnancyCheck {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        let items = (try? JSONDecoder().decode([String: String].self, from: Data(try r.decode(column: "items", as: String.self).utf8))) ?? [:]
        return PrePregnancyCheck(id: try r.decode(column: "id", as: String.self).uuid, personID: try r.decode(column: "person_id", as: String.self).uuid,
                                 personName: try r.decode(column: "person_name", as: String.self), spouseID: try text("spouse_id").flatMap(UUID.init(uuidString:)),
                                 spouseName: try text("spouse_name"), checkedOn: try r.decode(column: "checked_on", as: String.self),
                                 items: items.compactMapValues(ItemResult.init(rawValue:)), risk: RiskGroup(rawValue: try r.decode(column: "risk", as: String.self)) ?? .general,
                                 counselling: try text("counselling"), earlyFinding: try text("early_finding").flatMap(PrePregnancyFinding.init(rawValue:)),
                                 earlyOn: try text("early_on"), outcomeFinding: try text("outcome_finding").flatMap(PrePregnancyFinding.init(rawValue:)),
                                 outcomeOn: try text("outcome_on"), unitCode: try r.decode(column: "unit_code", as: String.self))
    }

    /// One check of the scope. Throws `not-found`.
    public func check(_ id: UUID, in scope: Scope) async throws -> PrePregnancyCheck {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE x.id = \(bind: id.text) AND \(engine.startsWith("x.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("孕前优生检查", "pre-pregnancy check"))
            }
            return try Self.decode(r)
        }
    }

    static func of(_ person: UUID, _ db: any SQLDatabase) async throws -> [PrePregnancyCheck] {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE x.person_id = \(bind: person.text) OR x.spouse_id = \(bind: person.text) ORDER BY x.checked_on DESC").all().map(decode)
    }

    /// The checks of the scope in a year, newest first (the couples behind the coverage). Audited.
    public func checks(year: Int, in scope: Scope, by actor: Actor) async throws -> [PrePregnancyCheck] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) WHERE \(engine.startsWith("x.path", scope.path)) AND x.checked_on >= \(bind: "\(year)-01-01") AND x.checked_on <= \(bind: "\(year)-12-31")
                ORDER BY x.checked_on DESC, x.id
                """).all().map(Self.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "prepregnancy_checks", entityID: String(year), path: scope.path,
                                     after: AuditLog.json(["shown": String(rows.count)]))
            return rows
        }
    }

    // MARK: Quotas

    /// A unit's quota of a year and the couples checked under it so far.
    public struct Quota: Sendable, Codable, Equatable {
        public let unitCode: String
        public let unitName: String
        public let year: Int
        public let couples: Int
        public let checked: Int
    }

    /// Sets a unit's yearly quota (任务数, e.g. 420 couples). Throws `invalid` (`/unit` `unknown-unit`,
    /// `/year` `range` (2010–2100), `/couples` `range` (0–1,000,000)).
    public func setQuota(unitCode: String, year: Int, couples: Int, in scope: Scope, by actor: Actor) async throws -> Quota {
        var errors = FieldErrors()
        if !(2010...2100).contains(year) { errors.add("/year", "range", "年度应在 2010–2100 之间。", "The year is between 2010 and 2100.") }
        if !(0...1_000_000).contains(couples) { errors.add("/couples", "range", "任务数应为 0–1000000 对。", "The quota is 0 to 1,000,000 couples.") }
        let unit = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope)
        if unit == nil { errors.add("/unit", "unknown-unit", "单位 \(unitCode) 不存在或不在您的管辖范围内。", "Unit \(unitCode) does not exist or is outside your area.") }
        try errors.throwIfAny()
        let env = self.env
        try await db.transaction { db in
            try await db.raw("DELETE FROM prepregnancy_quotas WHERE unit_id = \(bind: unit!.id.text) AND year = \(bind: year)").run()
            try await db.raw("""
                INSERT INTO prepregnancy_quotas (unit_id, year, couples, path, set_by, set_at)
                VALUES (\(bind: unit!.id.text), \(bind: year), \(bind: couples), \(bind: unit!.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "prepregnancy_quota", entityID: unit!.id.text, path: unit!.path,
                                     after: AuditLog.json(["year": String(year), "couples": String(couples)]))
        }
        guard let q = try await quotas(year: year, in: scope).first(where: { $0.unitCode == unit!.code }) else { throw RenkouError.notFound(Text("任务数", "quota")) }
        return q
    }

    /// The quotas of a year set for units of the scope, each with the couples checked under it.
    public func quotas(year: Int, in scope: Scope) async throws -> [Quota] {
        let engine = db.engine
        return try await db.read { db in
            let rows = try await db.raw("""
                SELECT u.code, u.name, q.couples, q.path FROM prepregnancy_quotas q JOIN org_units u ON u.id = q.unit_id
                WHERE q.year = \(bind: year) AND \(engine.startsWith("q.path", scope.path)) ORDER BY q.path
                """).all()
            var quotas: [Quota] = []
            for r in rows {
                let path = try r.decode(column: "path", as: String.self)
                let n = try await db.raw("""
                    SELECT COUNT(*) AS n FROM prepregnancy_checks WHERE \(engine.startsWith("path", path)) AND checked_on >= \(bind: "\(year)-01-01") AND checked_on <= \(bind: "\(year)-12-31")
                    """).first()!.decode(column: "n", as: Int.self)
                quotas.append(Quota(unitCode: try r.decode(column: "code", as: String.self), unitName: try r.decode(column: "name", as: String.self), year: year,
                                    couples: try r.decode(column: "couples", as: Int.self), checked: n))
            }
            return quotas
        }
    }

    /// The quota that holds for a subtree in a year: its own unit's, else the sum over the highest
    /// units below it that have one (a street split among its communities).
    static func quota(under path: String, year: Int, engine: Engine, _ db: any SQLDatabase) async throws -> Int {
        let rows = try await db.raw("SELECT path, couples FROM prepregnancy_quotas WHERE year = \(bind: year) AND \(engine.startsWith("path", path))").all()
        let quotas = try rows.map { (try $0.decode(column: "path", as: String.self), try $0.decode(column: "couples", as: Int.self)) }
        let top = quotas.filter { q in !quotas.contains { $0.0 != q.0 && q.0.hasPrefix($0.0) } }
        return top.reduce(0) { $0 + $1.1 }
    }
}

extension Stores {
    public var prePregnancy: PrePregnancyStore { PrePregnancyStore(db: db, env: env) }
}
