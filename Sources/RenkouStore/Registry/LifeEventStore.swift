import Foundation
import RenkouCore
import SQLKit

/// Life events: each is recorded with its effects on the person, the household and the family links,
/// its domain event and its audit row, all in one transaction.
public struct LifeEventStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let bus: EventBus
    public init(db: Database, env: RenkouCore.Environment, bus: EventBus) { self.db = db; self.env = env; self.bus = bus }

    /// Records an event in the caller's scope and applies what it means.
    @discardableResult
    public func record(_ input: LifeEventInput, in scope: Scope, by actor: Actor) async throws -> LifeEvent {
        let engine = db.engine, env = self.env, bus = self.bus
        let e = try input.essentials(today: Day(env.now()))
        return try await db.transaction { db in
            try await Self.record(e, input, scope: scope, engine: engine, env: env, bus: bus, actor: actor, db)
        }
    }

    /// Records a checked event inside the caller's transaction (the form, or an accepted proposal from a
    /// department's file, which marks the proposal in the same transaction).
    static func record(_ e: (type: LifeEventType, person: UUID, day: Day, source: EventSource, other: UUID?), _ input: LifeEventInput, scope: Scope, engine: Engine, env: RenkouCore.Environment, bus: EventBus,
                       actor: Actor, _ db: any SQLDatabase) async throws -> LifeEvent {
        var person = try await PersonStore.require(e.person, in: scope, engine: engine, db)
        var other: Person?
        if let o = e.other {
            other = try await PersonStore.find(o, in: scope, engine: engine, db)
            if other == nil { throw RenkouError.invalid([FieldError("/other", "unknown-person", Text("另一方不存在或不在您的管辖范围内。", "The other person does not exist or is outside your area."))]) }
        }
        let now = Timestamp.string(env.now())
        let personBefore = person, otherBefore = other
        var subject = person   // whom the event is about: the child for a birth
        var place = input.place?.nilIfBlank
        switch e.type {
        case .birth:
            subject = try await Self.birth(mother: person, father: other, child: input.child!, day: e.day, scope: scope, engine: engine, env: env, actor: actor, db)
        case .death:
            person.status = "deceased"
            try await Self.leaveHousehold(person.id, on: e.day, db)
            // The spouse is widowed when they live in the caller's area; elsewhere their own office records it.
            if let spouseID = person.spouseID, let spouse = try await PersonStore.find(spouseID, in: scope, engine: engine, db) {
                var widowed = spouse
                widowed.maritalStatus = "30"
                try await Self.save(spouse, widowed, env: env, actor: actor, bus: bus, engine: engine, db)
            }
        case .marriage:
            guard var spouse = other, spouse.id != person.id else { throw RenkouError.invalid([FieldError("/other", "same-person", Text("配偶不能是本人。", "A person cannot marry themselves."))]) }
            for p in [person, spouse] where p.spouseID != nil || (p.maritalStatus?.hasPrefix("2") ?? false) {
                throw RenkouError.invalid([FieldError(p.id == person.id ? "/person" : "/other", "already-married", Text("\(p.name) 目前为已婚状态。", "\(p.name) is married already."))])
            }
            for i in 0..<2 {
                var p = i == 0 ? person : spouse
                p.maritalStatus = p.firstMarriageDate == nil ? "21" : "22"
                if p.firstMarriageDate == nil { p.firstMarriageDate = e.day.description }
                p.spouseID = i == 0 ? spouse.id : person.id
                if i == 0 { person = p } else { spouse = p }
            }
            try await Self.save(otherBefore!, spouse, env: env, actor: actor, bus: bus, engine: engine, db)
            other = spouse
        case .divorce:
            guard var spouse = other, person.spouseID == spouse.id else {
                throw RenkouError.invalid([FieldError("/other", "not-spouse", Text("两人不是登记的配偶。", "These two are not recorded as spouses."))])
            }
            person.spouseID = nil; person.maritalStatus = "40"
            spouse.spouseID = nil; spouse.maritalStatus = "40"
            try await Self.save(otherBefore!, spouse, env: env, actor: actor, bus: bus, engine: engine, db)
        case .moveOut:
            person.status = "moved-away"
            try await Self.leaveHousehold(person.id, on: e.day, db)
        case .moveIn:
            person.status = "active"
        case .moveWithin:
            let unit = try await PersonStore.requireUnit(input.unit!, scope: scope, engine: engine, db)
            // The history says from where to where.
            place = "\(person.unitName) → \(unit.name)" + (place.map { " · \($0)" } ?? "")
            person.unitID = unit.id; person.unitCode = unit.code; person.unitName = unit.name; person.path = unit.path
        case .hukouTransfer:
            person.hukouAddress = input.place
        }
        if e.type != .birth {
            subject = try await Self.save(personBefore, person, env: env, actor: actor, bus: bus, engine: engine, db)
        }
        let event = LifeEvent(id: env.newID(), type: e.type, personID: subject.id, personName: subject.name,
                              otherID: e.type == .birth ? person.id : other?.id, otherName: e.type == .birth ? person.name : other?.name,
                              day: e.day.description, source: e.source, place: place, note: input.note?.nilIfBlank,
                              enteredBy: actor.username, enteredAt: now)
        try await db.raw("""
            INSERT INTO life_events (id, type, person_id, other_id, day, source, place, note, path, from_path, entered_by, entered_at)
            VALUES (\(bind: event.id.text), \(bind: event.type.rawValue), \(bind: event.personID.text), \(bind: event.otherID?.text), \(bind: event.day),
                    \(bind: event.source.rawValue), \(bind: event.place), \(bind: event.note), \(bind: subject.path),
                    \(bind: e.type == .moveWithin ? personBefore.path : nil), \(bind: actor.username), \(bind: now))
            """).run()
        try await QualityVerdicts.refresh([event.personID] + (event.otherID.map { [$0] } ?? []), env: env, db)
        try await bus.publish(RegistryEvent.recorded(event), path: subject.path, engine: engine, env: env, actor: actor, db)
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "life_event", entityID: event.id.text, path: subject.path, after: AuditLog.json(event))
        return event
    }

    /// A birth: the child is registered with both parents linked, its birth order among the mother's
    /// children, and joins the mother's household with the relation that follows from hers.
    static func birth(mother: Person, father: Person?, child raw: PersonInput, day: Day, scope: Scope, engine: Engine,
                      env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws -> Person {
        guard mother.sex == "2" else { throw RenkouError.invalid([FieldError("/person", "mother-sex", Text("母亲的性别应为女。", "The mother must be recorded as female."))]) }
        var input = raw
        if (input.unit ?? "").isEmpty { input.unit = mother.unitCode }
        if let given = input.birthDate, !given.isEmpty, given != day.description {
            throw RenkouError.invalid([FieldError("/child/birthDate", "birth-date", Text("出生日期应与事件日期一致。", "The birth date must be the event's date."))])
        }
        if let number = input.idNumber, let idBirth = CitizenID.check(number, today: Day(env.now())).birthDate, idBirth != day.description {
            throw RenkouError.invalid([FieldError("/child/idNumber", "birth-date", Text("身份号码中的出生日期（\(idBirth)）与事件日期不一致。", "The ID number's birth date (\(idBirth)) differs from the event's date."))])
        }
        input.birthDate = day.description
        // What a newborn has from its parents unless the form says otherwise: ethnic group, hukou type
        // and place, where it lives, its population category.
        func blank(_ v: String?) -> Bool { (v ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if blank(input.ethnicGroup) { input.ethnicGroup = mother.ethnicGroup ?? father?.ethnicGroup }
        if blank(input.hukouType) { input.hukouType = mother.hukouType ?? father?.hukouType }
        if blank(input.hukouRegion) { input.hukouRegion = mother.hukouRegion }
        if blank(input.hukouAddress) { input.hukouAddress = mother.hukouAddress }
        if blank(input.address) { input.address = mother.address; input.building = input.building ?? mother.building; input.room = input.room ?? mother.room }
        if blank(input.category) { input.category = mother.category }
        let siblings = try await db.raw("SELECT COUNT(*) AS n FROM persons WHERE mother_id = \(bind: mother.id.text)").first()!.decode(column: "n", as: Int.self)
        let child: Person
        do {
            child = try await PersonStore.insertNew(input, scope: scope, engine: engine, env: env, actor: actor, db) { p in
                p.motherID = mother.id; p.fatherID = father?.id; p.birthOrder = siblings + 1
            }
        } catch let error as RenkouError {
            // The child's fields are reported under /child/…
            throw RenkouError(error.kind, error.code, error.message, fields: error.fields.map { FieldError("/child" + $0.pointer, $0.code, $0.message) })
        }
        if let m = try await db.raw("SELECT household_id, relation FROM household_members WHERE person_id = \(bind: mother.id.text) AND left_on IS NULL").first() {
            let motherRelation = try m.decode(column: "relation", as: String.self)
            let son = child.sex == "1"
            let relation = ["02", "10"].contains(motherRelation) ? (son ? "20" : "30") : ["20", "30"].contains(motherRelation) ? "40" : "80"
            try await db.raw("INSERT INTO household_members (household_id, person_id, relation, joined_on) VALUES (\(bind: try m.decode(column: "household_id", as: String.self)), \(bind: child.id.text), \(bind: relation), \(bind: day.description))").run()
        }
        // The child now has its household: its verdicts (written by the insert) are brought up to date.
        try await QualityVerdicts.refresh([child.id], env: env, db)
        return child
    }

    /// Writes a person changed by an event, with its own audit row holding the values before and after;
    /// a record that now belongs to another unit publishes `RegistryEvent.moved`.
    @discardableResult
    static func save(_ before: Person, _ changed: Person, env: RenkouCore.Environment, actor: Actor, bus: EventBus, engine: Engine, _ db: any SQLDatabase) async throws -> Person {
        var after = changed
        after.updatedAt = Timestamp.string(env.now())
        try await PersonStore.update(after, was: before, db)
        try await QualityVerdicts.refresh([after.id], env: env, db)
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "person", entityID: after.id.text, path: after.path,
                                 before: AuditLog.json(before), after: AuditLog.json(after))
        if after.path != before.path {
            try await bus.publish(RegistryEvent.moved(person: after.id, fromPath: before.path, toPath: after.path), path: after.path, engine: engine, env: env, actor: actor, db)
        }
        return after
    }

    static func leaveHousehold(_ person: UUID, on day: Day, _ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE household_members SET left_on = \(bind: day.description) WHERE person_id = \(bind: person.text) AND left_on IS NULL").run()
    }

    /// Revokes an event entered by mistake. The event stays, marked, with the reason; its effects on the
    /// record are corrected by hand (the record's own history keeps both states).
    public func revoke(_ id: UUID, reason: String, in scope: Scope, by actor: Actor) async throws {
        let reason = reason.trimmingCharacters(in: .whitespaces)
        var errors = FieldErrors(); errors.required("/reason", reason); try errors.throwIfAny()
        let engine = db.engine, env = self.env, bus = self.bus
        try await db.transaction { db in
            guard let row = try await db.raw("SELECT path, person_id, revoked_at FROM life_events WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("事件", "event"))
            }
            if try row.decode(column: "revoked_at", as: String?.self) != nil {
                throw RenkouError(.conflict, "already-revoked", Text("该事件已撤销。", "This event has been revoked already."))
            }
            let path = try row.decode(column: "path", as: String.self)
            try await db.raw("UPDATE life_events SET revoked_at = \(bind: Timestamp.string(env.now())), revoked_by = \(bind: actor.username), revoke_reason = \(bind: reason) WHERE id = \(bind: id.text)").run()
            try await QualityVerdicts.refresh([try row.decode(column: "person_id", as: String.self).uuid], env: env, db)
            try await bus.publish(RegistryEvent.revoked(eventID: id, reason: reason), path: path, engine: engine, env: env, actor: actor, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "life_event", entityID: id.text, path: path, after: AuditLog.json(["revoked": reason]))
        }
    }

    /// The timeline of a person of the scope: events about them or involving them, oldest first.
    public func timeline(of person: UUID, in scope: Scope) async throws -> [LifeEvent] {
        try await events(where: "(e.person_id = \(bind: person.text) OR e.other_id = \(bind: person.text))", scope: scope)
    }

    /// The timeline of a household: the events of everyone who was ever a member.
    public func timeline(ofHousehold household: UUID, in scope: Scope) async throws -> [LifeEvent] {
        try await events(where: "e.person_id IN (SELECT person_id FROM household_members WHERE household_id = \(bind: household.text))", scope: scope)
    }

    private func events(where condition: SQLQueryString, scope: Scope) async throws -> [LifeEvent] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT e.*, p.name AS person_name, o.name AS other_name FROM life_events e JOIN persons p ON p.id = e.person_id LEFT JOIN persons o ON o.id = e.other_id
                WHERE \(condition) AND \(engine.startsWith("e.path", scope.path)) ORDER BY e.day, e.entered_at
                """).all().map { r in
                LifeEvent(id: UUID(uuidString: try r.decode(column: "id", as: String.self))!,
                          type: LifeEventType(rawValue: try r.decode(column: "type", as: String.self)) ?? .moveIn,
                          personID: UUID(uuidString: try r.decode(column: "person_id", as: String.self))!, personName: try r.decode(column: "person_name", as: String.self),
                          otherID: try r.decode(column: "other_id", as: String?.self).flatMap(UUID.init(uuidString:)), otherName: try r.decode(column: "other_name", as: String?.self),
                          day: try r.decode(column: "day", as: String.self), source: EventSource(rawValue: try r.decode(column: "source", as: String.self)) ?? .interview,
                          place: try r.decode(column: "place", as: String?.self), note: try r.decode(column: "note", as: String?.self),
                          enteredBy: try r.decode(column: "entered_by", as: String.self), enteredAt: try r.decode(column: "entered_at", as: String.self),
                          revokedAt: try r.decode(column: "revoked_at", as: String?.self), revokedBy: try r.decode(column: "revoked_by", as: String?.self),
                          revokeReason: try r.decode(column: "revoke_reason", as: String?.self))
            }
        }
    }
}
