import Foundation
import RenkouCore
import SQLKit

/// Stays of migrants (流入, 流出, 人户分离). Opening or closing one sets the person's category, writes a
/// domain event and audit rows, and keeps the landlord's or employer's roster in step, in one transaction.
public struct StayStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let bus: EventBus
    public init(db: Database, env: RenkouCore.Environment, bus: EventBus) { self.db = db; self.env = env; self.bus = bus }

    static let columns = "s.*, p.name AS person_name, u.code AS unit_code, u.name AS unit_name, h.name AS host_name"
    static let joins = "FROM stays s JOIN persons p ON p.id = s.person_id JOIN org_units u ON u.id = s.unit_id LEFT JOIN hosts h ON h.id = s.host_id"

    static func decode(_ r: any SQLRow) throws -> Stay {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        return Stay(id: UUID(uuidString: try r.decode(column: "id", as: String.self))!, personID: UUID(uuidString: try r.decode(column: "person_id", as: String.self))!,
                    personName: try r.decode(column: "person_name", as: String.self), kind: StayKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .inflow,
                    since: try r.decode(column: "since", as: String.self), until: try text("until"), region: try text("region"), place: try text("place"),
                    reason: try r.decode(column: "reason", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                    unitName: try r.decode(column: "unit_name", as: String.self), address: try text("address"),
                    hostID: try text("host_id").flatMap(UUID.init(uuidString:)), hostName: try text("host_name"), employer: try text("employer"),
                    contact: try text("contact"), endPlace: try text("end_place"), enteredBy: try r.decode(column: "entered_by", as: String.self),
                    enteredAt: try r.decode(column: "entered_at", as: String.self))
    }

    /// Opens a stay for a person of the scope. A person has at most one open stay.
    @discardableResult
    public func open(_ input: StayInput, in scope: Scope, by actor: Actor) async throws -> Stay {
        let c = try input.checked(today: Day(env.now()))
        let engine = db.engine, env = self.env, bus = self.bus
        return try await db.transaction { db in
            try await Self.open(c, input, scope: scope, engine: engine, env: env, bus: bus, actor: actor, db)
        }
    }

    /// Opens a checked stay inside the caller's transaction (the form, or a registration from a roster).
    static func open(_ c: StayInput.ValidStay, _ input: StayInput, scope: Scope, engine: Engine, env: RenkouCore.Environment, bus: EventBus,
                     actor: Actor, _ db: any SQLDatabase) async throws -> Stay {
        let person = try await PersonStore.require(c.person, in: scope, engine: engine, db)
        if try await db.raw("SELECT id FROM stays WHERE person_id = \(bind: person.id.text) AND until IS NULL").first() != nil {
            throw RenkouError(.conflict, "stay-open", Text("该人员已有未结束的流动记录，请先结束它。", "This person has an open stay; close it first."),
                              fields: [FieldError("/person", "stay-open", Text("已有未结束的流动记录。", "An open stay exists."))])
        }
        var unit = try await PersonStore.requireUnit(person.unitCode, scope: scope, engine: engine, db)
        if let code = input.unit?.trimmed, !code.isEmpty { unit = try await PersonStore.requireUnit(code, scope: scope, engine: engine, db) }
        var host: (id: UUID, path: String)?
        if let h = c.host {
            guard let row = try await db.raw("SELECT path FROM hosts WHERE id = \(bind: h.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.invalid([FieldError("/host", "unknown-host", Text("出租户或用工单位不存在或不在您的管辖范围内。", "The landlord or employer does not exist or is outside your area."))])
            }
            host = (h, try row.decode(column: "path", as: String.self))
        }
        let now = Timestamp.string(env.now())
        let stay = Stay(id: env.newID(), personID: person.id, personName: person.name, kind: c.kind, since: c.since.description,
                        region: input.region?.trimmed.nilIfBlank, place: input.place?.trimmed.nilIfBlank, reason: c.reason, unitCode: unit.code,
                        unitName: unit.name, address: input.address?.trimmed.nilIfBlank, hostID: host?.id, employer: input.employer?.trimmed.nilIfBlank,
                        contact: input.contact?.trimmed.nilIfBlank, enteredBy: actor.username, enteredAt: now)
        try await db.raw("""
            INSERT INTO stays (id, person_id, kind, since, region, place, reason, unit_id, path, address, host_id, employer, contact, entered_by, entered_at)
            VALUES (\(bind: stay.id.text), \(bind: person.id.text), \(bind: stay.kind.rawValue), \(bind: stay.since), \(bind: stay.region), \(bind: stay.place),
                    \(bind: stay.reason), \(bind: unit.id.text), \(bind: unit.path), \(bind: stay.address), \(bind: host?.id.text), \(bind: stay.employer),
                    \(bind: stay.contact), \(bind: actor.username), \(bind: now))
            """).run()
        // The record follows the stay: category, residence unit and address, and the origin as the hukou place of an inflow.
        var changed = person
        changed.category = c.kind.rawValue
        changed.status = "active"
        if c.kind != .outflow, unit.id != person.unitID { changed.unitID = unit.id; changed.unitCode = unit.code; changed.unitName = unit.name; changed.path = unit.path }
        if c.kind != .outflow, let a = stay.address { changed.address = a }
        if c.kind == .inflow, changed.hukouRegion == nil { changed.hukouRegion = stay.region }
        if c.kind == .inflow, changed.hukouAddress == nil { changed.hukouAddress = stay.place }
        if changed != person { try await LifeEventStore.save(person, changed, env: env, actor: actor, bus: bus, engine: engine, db) }
        if let host {
            try await RosterStore.enlist(hostID: host.id, hostPath: host.path, person: changed, room: nil, since: c.since, env: env, actor: actor, db)
        }
        try await bus.publish(MigrantEvent.stayOpened(stay), path: unit.path, engine: engine, env: env, actor: actor, db)
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "stay", entityID: stay.id.text, path: unit.path, after: AuditLog.json(stay))
        return stay
    }

    /// A person registered by hand whose ID number stands on a landlord's or employer's current roster
    /// (the "去登记" of a roster task): the roster line is linked, the registration task closed, and for
    /// an inflow migrant the stay opened at that host from the roster's date, origin from the hukou place.
    static func registered(_ personID: UUID, idNumber: String, _ ctx: EventContext) async throws {
        guard let r = try await ctx.db.raw("""
            SELECT r.host_id, r.room, r.since, h.path, h.address FROM roster_entries r JOIN hosts h ON h.id = r.host_id
            WHERE r.id_number = \(bind: idNumber) AND r.person_id IS NULL AND r.until IS NULL ORDER BY r.since DESC LIMIT 1
            """).first() else { return }
        let hostID = try r.decode(column: "host_id", as: String.self).uuid, since = Day(try r.decode(column: "since", as: String.self)) ?? Day(ctx.env.now())
        let person = try await PersonStore.require(personID, in: .everything, engine: ctx.engine, ctx.db)
        let openStay = try await ctx.db.raw("SELECT id FROM stays WHERE person_id = \(bind: personID.text) AND until IS NULL").first() != nil
        if person.category == StayKind.inflow.rawValue, !openStay {
            var input = StayInput()
            input.person = personID.text; input.kind = StayKind.inflow.rawValue; input.since = since.description; input.host = hostID.text
            input.region = person.hukouRegion; input.place = person.hukouAddress
            let hostAddress = try r.decode(column: "address", as: String?.self)
            input.address = person.address ?? hostAddress
            let c = try input.checked(today: Day(ctx.env.now()))
            _ = try await open(c, input, scope: .everything, engine: ctx.engine, env: ctx.env, bus: ctx.bus, actor: ctx.actor, ctx.db)
        } else {
            try await RosterStore.enlist(hostID: hostID, hostPath: try r.decode(column: "path", as: String.self), person: person,
                                         room: try r.decode(column: "room", as: String?.self), since: since, env: ctx.env, actor: ctx.actor, ctx.db)
        }
    }

    /// Closes a stay: an inflow migrant has left the district; an outflow or separated person is back.
    @discardableResult
    public func close(_ id: UUID, on day: Day, endPlace: String?, in scope: Scope, by actor: Actor) async throws -> Stay {
        let engine = db.engine, env = self.env, bus = self.bus
        return try await db.transaction { db in
            try await Self.close(id, on: day, endPlace: endPlace, scope: scope, engine: engine, env: env, bus: bus, actor: actor, db)
        }
    }

    /// Closes a stay inside the caller's transaction (the form, or an accepted proposal).
    static func close(_ id: UUID, on day: Day, endPlace: String?, scope: Scope, engine: Engine, env: RenkouCore.Environment, bus: EventBus,
                      actor: Actor, _ db: any SQLDatabase) async throws -> Stay {
        guard let row = try await db.raw("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE s.id = \(bind: id.text) AND \(engine.startsWith("s.path", scope.path))").first() else {
            throw RenkouError.notFound(Text("流动记录", "stay"))
        }
        var stay = try Self.decode(row)
        guard stay.isOpen else { throw RenkouError(.conflict, "stay-closed", Text("该流动记录已结束。", "This stay has ended already.")) }
        if let since = Day(stay.since), day < since {
            throw RenkouError.invalid([FieldError("/until", "before-start", Text("结束日期早于开始日期。", "The end is before the start."))])
        }
        if Day(env.now()) < day { throw RenkouError.invalid([FieldError("/until", "future-date", Text("日期不能晚于今天。", "The date cannot be in the future."))]) }
        stay.until = day.description; stay.endPlace = endPlace?.trimmed.nilIfBlank
        try await db.raw("UPDATE stays SET until = \(bind: stay.until), end_place = \(bind: stay.endPlace) WHERE id = \(bind: id.text)").run()
        if let person = try await PersonStore.find(stay.personID, in: scope, engine: engine, db) {
            var changed = person
            if stay.kind == .inflow { changed.status = "moved-away" } else { changed.category = "registered" }
            if changed != person { try await LifeEventStore.save(person, changed, env: env, actor: actor, bus: bus, engine: engine, db) }
            if stay.kind == .inflow {
                try await db.raw("UPDATE roster_entries SET until = \(bind: day.description) WHERE person_id = \(bind: person.id.text) AND until IS NULL").run()
            }
        }
        try await bus.publish(MigrantEvent.stayClosed(stay), path: try row.decode(column: "path", as: String.self), engine: engine, env: env, actor: actor, db)
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "stay", entityID: id.text, path: try row.decode(column: "path", as: String.self), after: AuditLog.json(stay))
        return stay
    }

    /// A person's stays, newest first.
    public func stays(of person: UUID, in scope: Scope) async throws -> [Stay] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE s.person_id = \(bind: person.text) AND \(engine.startsWith("s.path", scope.path)) ORDER BY s.since DESC, s.entered_at DESC")
                .all().map(Self.decode)
        }
    }
}
