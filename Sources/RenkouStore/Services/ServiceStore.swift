import Foundation
import RenkouCore
import SQLKit

/// Services (生殖健康/计划生育服务), the methods they start and stop, and their follow-up visits, always
/// inside the caller's scope. Reads of a person's services are audited (they are reproductive-health details).
public struct ServiceStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    // MARK: Recording a service

    /// Records a service: checks it (`ServiceInput.checked`, every error at once), stops the method it
    /// ends or replaces, starts the method it implies, and schedules the first visit of its follow-up
    /// schedule (the policy in force on the service's day). The signed consent's scan comes as `consent`
    /// (a form's file) or in the input (base64). Throws `invalid` (`/person` `unknown-person`,
    /// `/person` `not-female` for a woman's procedure, `/consentScan` `base64` or `too-large`, and the input's errors).
    @discardableResult
    public func record(_ input: ServiceInput, consent: ScanFile? = nil, in scope: Scope, by actor: Actor) async throws -> ServiceRecord {
        let today = Day(env.now())
        var scan = consent
        if scan == nil, let text = input.consentScan?.trimmed, !text.isEmpty {
            guard let data = Data(base64Encoded: text) else {
                throw RenkouError.invalid([FieldError("/consentScan", "base64", Text("扫描件应为 base64 编码。", "The scan is sent in base64."))])
            }
            guard let file = ScanFile(name: input.consentScanName?.trimmed.nilIfBlank ?? "consent", data: data) else { throw ScanFile.wrongType("/consentScan") }
            scan = file
        }
        let consent = scan
        if let consent, consent.data.count > ScanFile.maxBytes {
            throw RenkouError.invalid([FieldError("/consentScan", "too-large", Text("扫描件不能超过 4 MB。", "The scan may not exceed 4 MB."))])
        }
        let v = try input.checked(today: today, policy: env.policy)
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let person = try await PersonStore.require(v.person, in: scope, engine: engine, db)
            if [.iudInsertion, .iudRemoval, .implantInsertion, .implantRemoval, .abortion].contains(v.kind), person.sex != "2" {
                throw RenkouError.invalid([FieldError("/person", "not-female", Text("该服务只用于女性。", "This service is for women."))])
            }
            let now = Timestamp.string(env.now())
            let started = v.kind.startedMethod(chosen: v.method, sex: person.sex)
            let service = ServiceRecord(id: env.newID(), personID: person.id, personName: person.name, kind: v.kind, day: v.day.description,
                                        facility: input.facility?.trimmed.nilIfBlank, provider: input.provider?.trimmed.nilIfBlank ?? actor.username,
                                        outcome: input.outcome?.trimmed.nilIfBlank, complication: input.complication?.trimmed.nilIfBlank,
                                        complicationGrade: input.complicationGrade, method: v.kind.stopsMethod ? Self.removedMethod(v.kind) ?? v.method : started,
                                        informedChoice: v.choice, note: input.note?.trimmed.nilIfBlank, unitCode: person.unitCode, enteredBy: actor.username, enteredAt: now,
                                        consentScanName: consent?.name)
            let c = v.choice
            try await db.raw("""
                INSERT INTO services (id, person_id, kind, day, facility, provider, outcome, complication, complication_grade, method, counselled_on, counsellor,
                    methods_explained, chosen, mec, mec_reason, spouse_took_part, note, unit_id, path, entered_by, entered_at, consent_name, consent_type, consent)
                VALUES (\(bind: service.id.text), \(bind: person.id.text), \(bind: v.kind.rawValue), \(bind: service.day), \(bind: service.facility), \(bind: service.provider),
                    \(bind: service.outcome), \(bind: service.complication), \(bind: service.complicationGrade), \(bind: service.method?.rawValue),
                    \(bind: c?.counselledOn), \(bind: c?.counsellor?.trimmed.nilIfBlank), \(bind: c?.methodsExplained?.joined(separator: ",")), \(bind: c?.chosen),
                    \(bind: c?.mec), \(bind: c?.mecReason?.trimmed.nilIfBlank), \(bind: c?.spouseTookPart.map { $0 ? 1 : 0 }), \(bind: service.note),
                    \(bind: person.unitID.text), \(bind: person.path), \(bind: actor.username), \(bind: now),
                    \(bind: consent?.name), \(bind: consent?.type), \(bind: consent?.data.base64EncodedString()))
                """).run()
            // A removal or a stop ends the method (and its visits); a new method replaces the one in use.
            if v.kind.stopsMethod {
                // a removal ends what it removes, whatever else the form names
                try await Self.stopMethods(person.id, only: Self.removedMethod(v.kind) ?? v.method, on: v.day, reason: input.stopReason?.trimmed.nilIfBlank ?? v.kind.rawValue, db)
            }
            if let started, started != .none {
                try await Self.stopMethods(person.id, only: nil, on: v.day, reason: "switched", db)
                try await db.raw("""
                    INSERT INTO method_uses (id, person_id, method, started_on, service_id, path)
                    VALUES (\(bind: env.newID().text), \(bind: person.id.text), \(bind: started.rawValue), \(bind: service.day), \(bind: service.id.text), \(bind: person.path))
                    """).run()
            }
            // The first visits: the service's own schedule, and the method's resupply when it has one (an
            // abortion followed by the pill has both).
            let schedules = env.policy(.followUpSchedules, on: v.day)
            if let schedule = schedules[v.kind.rawValue] {
                try await Self.schedule(person, service: service.id, key: v.kind.rawValue, schedule: schedule, step: 0, from: v.day, env: env, db)
            }
            if let started, let schedule = schedules[started.rawValue] {
                try await Self.schedule(person, service: service.id, key: started.rawValue, schedule: schedule, step: 0, from: v.day, env: env, db)
            }
            if v.kind == .abortion {
                try await PregnancyStore.end(person: person.id, outcome: .inducedAbortion, on: v.day, child: nil, db)
            }
            // The audit row names the record, not what it holds: the audit readers are not all service roles.
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "service", entityID: service.id.text, path: person.path,
                                     after: AuditLog.json(["person": person.id.text, "day": service.day]))
            return service
        }
    }

    static func removedMethod(_ kind: ServiceKind) -> ContraceptiveMethod? {
        switch kind { case .iudRemoval: .iud; case .implantRemoval: .implant; default: nil }
    }

    /// Ends the open method uses of a person (one method, or all), and closes the open visits of their
    /// schedules (a removal's own visit is scheduled after this).
    static func stopMethods(_ person: UUID, only method: ContraceptiveMethod?, on day: Day, reason: String, _ db: any SQLDatabase) async throws {
        let open = try await db.raw("SELECT id, method FROM method_uses WHERE person_id = \(bind: person.text) AND stopped_on IS NULL").all()
        for r in open {
            let m = try r.decode(column: "method", as: String.self)
            if let method, method.rawValue != m { continue }
            try await db.raw("UPDATE method_uses SET stopped_on = \(bind: day.description), stop_reason = \(bind: reason) WHERE id = \(bind: try r.decode(column: "id", as: String.self))").run()
            // The visits that followed this method: its resupply, or the insertion that started it.
            let keys = [m] + (m == ContraceptiveMethod.iud.rawValue ? [ServiceKind.iudInsertion.rawValue] : m == ContraceptiveMethod.implant.rawValue ? [ServiceKind.implantInsertion.rawValue] : [])
            for key in keys {
                try await db.raw("""
                    UPDATE follow_ups SET closed_reason = 'method-stopped' WHERE person_id = \(bind: person.text) AND schedule = \(bind: key)
                    AND done_on IS NULL AND closed_reason IS NULL
                    """).run()
            }
        }
    }

    /// Writes the visit `step` of a schedule, counted from `day` (from `anchor`, the schedule's start,
    /// when the schedule goes by it); nothing when the schedule has ended.
    /// Returns the new visit's id (nil when the schedule has ended).
    @discardableResult
    static func schedule(_ person: Person, service: UUID?, key: String, schedule: FollowUpSchedule, step: Int, from day: Day, anchor: Day? = nil,
                         env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> UUID? {
        guard let s = schedule.step(step) else { return nil }
        let start = anchor ?? day, id = env.newID()
        let w = FollowUp.window(s, from: schedule.fromStart == true ? start : day)
        try await db.raw("""
            INSERT INTO follow_ups (id, person_id, service_id, schedule, step, opens, due, overdue_on, expires, unit_id, path, created_at, anchor)
            VALUES (\(bind: id.text), \(bind: person.id.text), \(bind: service?.text), \(bind: key), \(bind: step), \(bind: w.opens.description),
                    \(bind: w.due.description), \(bind: w.overdue.description), \(bind: w.expires.description), \(bind: person.unitID.text), \(bind: person.path),
                    \(bind: Timestamp.string(env.now())), \(bind: start.description))
            """).run()
        return id
    }

    /// 按周期发放: a method user was handed supplies covering `days` (the supplies module tells). When
    /// she is active and uses `method` on `day`, and the method has a resupply schedule: the visit
    /// whose window is open that day is made by the hand-out (finding `resupplied`); one not open yet
    /// gives way; one that expired unmade stays missed. The next falls due when what she holds runs
    /// out: `days` after the day, or after the replaced visit's due day when she came before her
    /// supplies ran out; the schedule's own window around it. A hand-out dated before her last
    /// recorded visit of the method (entered late) changes nothing. Returns the next visit's due day,
    /// nil when nothing changed.
    @discardableResult
    static func resupplied(_ person: Person, method: ContraceptiveMethod, on day: Day, covering days: Int, note: String, env: RenkouCore.Environment, actor: Actor,
                           _ db: any SQLDatabase) async throws -> Day? {
        let key = method.rawValue
        guard person.status == "active", let window = env.policy(.followUpSchedules, on: day)[key]?.then, let use = try await db.raw("""
            SELECT service_id FROM method_uses WHERE person_id = \(bind: person.id.text) AND method = \(bind: method.rawValue) AND stopped_on IS NULL AND started_on <= \(bind: day.description)
            """).first() else { return nil }
        let chain = try await db.raw("""
            SELECT MAX(step) AS step, MAX(done_on) AS done FROM follow_ups WHERE person_id = \(bind: person.id.text) AND schedule = \(bind: key)
            """).first()
        if let done = try chain?.decode(column: "done", as: String?.self), day.description < done { return nil }
        let step = (try chain?.decode(column: "step", as: Int?.self)).flatMap { $0 }.map { $0 + 1 } ?? 0
        var serviceID = try use.decode(column: "service_id", as: String?.self), replaced: [String] = [], held = day
        let open = try await db.raw("""
            SELECT id, service_id, opens, due, expires, next_id FROM follow_ups WHERE person_id = \(bind: person.id.text) AND schedule = \(bind: key)
            AND done_on IS NULL AND closed_reason IS NULL ORDER BY due
            """).all()
        var made = false
        for r in open {
            let id = try r.decode(column: "id", as: String.self), d = day.description
            serviceID = try r.decode(column: "service_id", as: String?.self) ?? serviceID
            if let due = Day(try r.decode(column: "due", as: String.self)), held < due { held = due }
            if try r.decode(column: "expires", as: String.self) <= d {
                // missed: it stays so; its chain goes on from this hand-out, not from the roll
                if try r.decode(column: "next_id", as: String?.self) == nil { replaced.append(id) }
            } else if try r.decode(column: "opens", as: String.self) <= d, !made {
                made = true
                replaced.append(id)
                try await db.raw("""
                    UPDATE follow_ups SET done_on = \(bind: d), findings = \(bind: FollowUpFinding.resupplied.rawValue), next_action = \(bind: note), done_by = \(bind: actor.username)
                    WHERE id = \(bind: id)
                    """).run()
            } else {
                replaced.append(id)
                try await db.raw("UPDATE follow_ups SET closed_reason = 'resupplied' WHERE id = \(bind: id)").run()
            }
        }
        let next = FollowUpStep(after: Offset(days: days), opens: min(window.opens, days + day.days(until: held)), overdue: window.overdue, expires: window.expires)
        let id = env.newID(), w = FollowUp.window(next, from: held)
        try await db.raw("""
            INSERT INTO follow_ups (id, person_id, service_id, schedule, step, opens, due, overdue_on, expires, unit_id, path, created_at, anchor)
            VALUES (\(bind: id.text), \(bind: person.id.text), \(bind: serviceID), \(bind: key), \(bind: step), \(bind: w.opens.description),
                    \(bind: w.due.description), \(bind: w.overdue.description), \(bind: w.expires.description), \(bind: person.unitID.text), \(bind: person.path),
                    \(bind: Timestamp.string(env.now())), \(bind: day.description))
            """).run()
        for visit in replaced {
            try await db.raw("UPDATE follow_ups SET next_id = \(bind: id.text) WHERE id = \(bind: visit)").run()
        }
        return w.due
    }

    /// Schedules the visit after `visit` (made or missed), counted from `day`, when the person is still
    /// here and, for a method's schedule, still uses it; marks the chain so it is scheduled once.
    static func scheduleNext(after visit: FollowUp, serviceID: UUID?, from day: Day, env: RenkouCore.Environment, engine: Engine, _ db: any SQLDatabase) async throws {
        let person = try await PersonStore.require(visit.personID, in: .everything, engine: engine, db)
        var next: UUID?
        if let schedule = env.policy(.followUpSchedules, on: day)[visit.schedule], person.status == "active" {
            let methodKey = ContraceptiveMethod(rawValue: visit.schedule)?.rawValue
                ?? (visit.schedule == ServiceKind.iudInsertion.rawValue ? "iud" : visit.schedule == ServiceKind.implantInsertion.rawValue ? "implant" : nil)
            let stillUsing = try await methodKey.asyncMap { m in
                try await db.raw("SELECT id FROM method_uses WHERE person_id = \(bind: person.id.text) AND method = \(bind: m) AND stopped_on IS NULL").first() != nil
            } ?? true
            if stillUsing {
                next = try await Self.schedule(person, service: serviceID, key: visit.schedule, schedule: schedule, step: visit.step + 1, from: day,
                                               anchor: visit.anchor.flatMap(Day.init), env: env, db)
            }
        }
        try await db.raw("UPDATE follow_ups SET next_id = \(bind: next?.text ?? "end") WHERE id = \(bind: visit.id.text)").run()
    }

    /// 失访: the visits that expired unmade by `day` stay missed (the follow-up rate counts them), and the
    /// next visit of their schedule is scheduled, counted from the missed one's due day, so that one
    /// missed visit does not end a woman's follow-ups. Run daily (`DailyJob`); returns how many rolled.
    @discardableResult
    public func rollMissed(on day: Day) async throws -> Int {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            // A visit scheduled from a missed one may have expired too (a long gap): roll until none is left.
            var rolled = 0
            for _ in 0..<100 {   // a chain longer than a hundred missed visits waits for the next run
                let rows = try await db.raw("""
                    SELECT \(unsafeRaw: Self.followUpColumns) \(unsafeRaw: Self.followUpJoins)
                    WHERE f.done_on IS NULL AND f.closed_reason IS NULL AND f.next_id IS NULL AND f.expires <= \(bind: day.description)
                    """).all()
                if rows.isEmpty { return rolled }
                for r in rows {
                    let visit = try Self.decodeFollowUp(r)
                    let service = try r.decode(column: "service_id", as: String?.self).flatMap(UUID.init(uuidString:))
                    try await Self.scheduleNext(after: visit, serviceID: service, from: Day(visit.due) ?? day, env: env, engine: engine, db)
                }
                rolled += rows.count
            }
            return rolled
        }
    }

    /// The care visits of a child born before the registry knew (an import, the demo): for the child and,
    /// when linked, the mother, the first visit of their schedules still worth making on `today`
    /// (earlier ones are not invented as missed). Nothing when they have open ones already.
    public func scheduleBirthCare(child: UUID, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let c = try await PersonStore.require(child, in: scope, engine: engine, db)
            guard let born = c.birthDate.flatMap(Day.init) else { return }
            let schedules = env.policy(.followUpSchedules, on: born)
            var people: [(Person, String)] = [(c, FollowUpSchedules.childHealth)]
            if let m = c.motherID, let mother = try await PersonStore.find(m, in: scope, engine: engine, db) { people.append((mother, FollowUpSchedules.postpartum)) }
            for (person, key) in people {
                guard let schedule = schedules[key],
                      try await db.raw("SELECT id FROM follow_ups WHERE person_id = \(bind: person.id.text) AND schedule = \(bind: key) AND done_on IS NULL AND closed_reason IS NULL").first() == nil,
                      let step = schedule.steps.indices.first(where: { FollowUp.window(schedule.steps[$0], from: born).expires > today }) else { continue }
                try await Self.schedule(person, service: nil, key: key, schedule: schedule, step: step, from: born, anchor: born, env: env, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "follow_up", entityID: child.text, path: c.path,
                                     after: AuditLog.json(["birthCare": born.description]))
        }
    }

    /// A birth: the mother's postpartum visits and the child's health visits, counted from the birth.
    /// A birth recorded long after (past the schedules' windows) still shows them, as missed.
    static func born(child: UUID, mother: UUID?, on day: Day, _ ctx: EventContext) async throws {
        if let mother { try await PregnancyStore.end(person: mother, outcome: .liveBirth, on: day, child: child, ctx.db) }
        let schedules = ctx.env.policy(.followUpSchedules, on: day)
        var people: [(UUID, String)] = [(child, FollowUpSchedules.childHealth)]
        if let mother { people.append((mother, FollowUpSchedules.postpartum)) }
        for (id, key) in people {
            guard let schedule = schedules[key] else { continue }
            let person = try await PersonStore.require(id, in: .everything, engine: ctx.engine, ctx.db)
            try await Self.schedule(person, service: nil, key: key, schedule: schedule, step: 0, from: day, anchor: day, env: ctx.env, ctx.db)
        }
    }

    // MARK: A person's services

    /// A person's services, methods, visits, pregnancies, check-ups and pre-pregnancy checks (as one of the
    /// couple), newest first: reproductive-health details, so the read is audited.
    public struct PersonServices: Sendable, Codable {
        public var services: [ServiceRecord]
        public var methods: [MethodUse]
        public var followUps: [FollowUp]
        public var pregnancies: [Pregnancy]
        public var checkUps: [CheckUp]
        public var prePregnancyChecks: [PrePregnancyCheck]
    }

    public func of(_ person: UUID, in scope: Scope, by actor: Actor) async throws -> PersonServices {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let p = try await PersonStore.require(person, in: scope, engine: engine, db)
            let services = try await db.raw("""
                SELECT s.id, s.person_id, s.kind, s.day, s.facility, s.provider, s.outcome, s.complication, s.complication_grade, s.method, s.counselled_on,
                    s.counsellor, s.methods_explained, s.chosen, s.mec, s.mec_reason, s.spouse_took_part, s.note, s.entered_by, s.entered_at, s.consent_name,
                    u.code AS unit_code FROM services s JOIN org_units u ON u.id = s.unit_id WHERE s.person_id = \(bind: person.text) ORDER BY s.day DESC, s.entered_at DESC
                """)
                .all().map { r -> ServiceRecord in try Self.decodeService(r, name: p.name) }
            let methods = try await db.raw("SELECT * FROM method_uses WHERE person_id = \(bind: person.text) ORDER BY started_on DESC").all().map { r in
                MethodUse(id: try r.decode(column: "id", as: String.self).uuid, personID: person,
                          method: ContraceptiveMethod(rawValue: try r.decode(column: "method", as: String.self)) ?? .none,
                          startedOn: try r.decode(column: "started_on", as: String.self), stoppedOn: try r.decode(column: "stopped_on", as: String?.self),
                          stopReason: try r.decode(column: "stop_reason", as: String?.self))
            }
            let visits = try await db.raw("SELECT \(unsafeRaw: Self.followUpColumns) \(unsafeRaw: Self.followUpJoins) WHERE f.person_id = \(bind: person.text) ORDER BY f.due DESC")
                .all().map(Self.decodeFollowUp)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "services", entityID: person.text, path: p.path)
            return PersonServices(services: services, methods: methods, followUps: visits, pregnancies: try await PregnancyStore.of(person, db),
                                  checkUps: try await CheckUpStore.of(person, db), prePregnancyChecks: try await PrePregnancyStore.of(person, db))
        }
    }

    /// The scanned consent of a service of the scope (a reproductive-health detail: the read is audited).
    /// Throws `not-found` (no such service, or none was scanned).
    public func consent(of service: UUID, in scope: Scope, by actor: Actor) async throws -> ScanFile {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            guard let r = try await db.raw("SELECT consent_name, consent_type, consent, path FROM services WHERE id = \(bind: service.text) AND \(engine.startsWith("path", scope.path))").first(),
                  let text = try r.decode(column: "consent", as: String?.self), let data = Data(base64Encoded: text) else {
                throw RenkouError.notFound(Text("知情同意书扫描件", "consent scan"))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "health_record", entityID: service.text, path: try r.decode(column: "path", as: String.self))
            return ScanFile(name: try r.decode(column: "consent_name", as: String?.self) ?? "consent", type: try r.decode(column: "consent_type", as: String?.self) ?? "application/octet-stream", data: data)
        }
    }

    static func decodeService(_ r: any SQLRow, name: String) throws -> ServiceRecord {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        let counselled = try text("counselled_on")
        let choice = counselled.map { day in
            InformedChoice(counselledOn: day, counsellor: try? text("counsellor"), methodsExplained: (try? text("methods_explained"))??.split(separator: ",").map(String.init),
                           chosen: try? text("chosen"), mec: try? r.decode(column: "mec", as: Int?.self), mecReason: try? text("mec_reason"),
                           spouseTookPart: (try? r.decode(column: "spouse_took_part", as: Int?.self))?.map { $0 == 1 })
        }
        return ServiceRecord(id: try r.decode(column: "id", as: String.self).uuid, personID: try r.decode(column: "person_id", as: String.self).uuid, personName: name,
                             kind: ServiceKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .methodStart, day: try r.decode(column: "day", as: String.self),
                             facility: try text("facility"), provider: try text("provider"), outcome: try text("outcome"), complication: try text("complication"),
                             complicationGrade: try r.decode(column: "complication_grade", as: Int?.self), method: try text("method").flatMap(ContraceptiveMethod.init(rawValue:)),
                             informedChoice: choice, note: try text("note"), unitCode: try r.decode(column: "unit_code", as: String.self),
                             enteredBy: try r.decode(column: "entered_by", as: String.self), enteredAt: try r.decode(column: "entered_at", as: String.self),
                             consentScanName: try text("consent_name"))
    }
}
