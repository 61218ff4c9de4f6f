import Foundation
import RenkouCore
import SQLKit

/// Households and their memberships, inside the caller's scope. A person is a current member of at
/// most one household; a household has at most one current head; leaving keeps the membership as history.
public struct HouseholdStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    static let columns = "h.id, h.number, h.unit_id, h.path, h.address, h.type, h.created_at, u.code AS unit_code, u.name AS unit_name"

    static func decode(_ r: any SQLRow) throws -> Household {
        Household(id: UUID(uuidString: try r.decode(column: "id", as: String.self))!, number: try r.decode(column: "number", as: String.self),
                  unitID: UUID(uuidString: try r.decode(column: "unit_id", as: String.self))!, unitCode: try r.decode(column: "unit_code", as: String.self),
                  unitName: try r.decode(column: "unit_name", as: String.self), path: try r.decode(column: "path", as: String.self),
                  address: try r.decode(column: "address", as: String?.self), type: try r.decode(column: "type", as: String.self),
                  createdAt: try r.decode(column: "created_at", as: String.self))
    }

    static func find(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> Household? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM households h JOIN org_units u ON u.id = h.unit_id WHERE h.id = \(bind: id.text) AND \(engine.startsWith("h.path", scope.path))")
            .first().map(decode)
    }

    /// Opens a household in a unit of the scope. Household numbers are unique.
    @discardableResult
    public func create(number: String, unitCode: String, address: String?, type: String = "family", in scope: Scope, by actor: Actor) async throws -> Household {
        var errors = FieldErrors()
        let number = number.trimmingCharacters(in: .whitespaces)
        errors.required("/number", number)
        if number.count > 30 { errors.add("/number", "too-long", "户号不能超过 30 位。", "A household number has at most 30 characters.") }
        if !Codes.contains(Household.types, type) { errors.add("/type", "code-unknown", "户别应为家庭户或集体户。", "The type is family or collective.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let unit = try await PersonStore.requireUnit(unitCode, scope: scope, engine: engine, db)
            if try await db.raw("SELECT 1 AS one FROM households WHERE number = \(bind: number)").first() != nil {
                throw RenkouError.invalid([FieldError("/number", "number-taken", Text("户号 \(number) 已存在。", "Household number \(number) exists already."))])
            }
            let now = Timestamp.string(env.now())
            let address = address?.trimmingCharacters(in: .whitespaces)
            let h = Household(id: env.newID(), number: number, unitID: unit.id, unitCode: unit.code, unitName: unit.name, path: unit.path,
                              address: address?.isEmpty == true ? nil : address, type: type, createdAt: now)
            try await db.raw("""
                INSERT INTO households (id, number, unit_id, path, address, type, created_at, updated_at)
                VALUES (\(bind: h.id.text), \(bind: h.number), \(bind: unit.id.text), \(bind: unit.path), \(bind: h.address), \(bind: h.type), \(bind: now), \(bind: now))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "household", entityID: h.id.text, path: h.path, after: AuditLog.json(h))
            return h
        }
    }

    /// A household of the scope with all its memberships (current first, then history). It shows the
    /// members' names and ID numbers, so the read is audited.
    public func detail(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> HouseholdDetail {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            guard let h = try await Self.find(id, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("户", "household")) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "household", entityID: h.id.text, path: h.path)
            let members = try await db.raw("""
                SELECT m.person_id, p.name, p.id_number, m.relation, m.joined_on, m.left_on FROM household_members m JOIN persons p ON p.id = m.person_id
                WHERE m.household_id = \(bind: id.text) ORDER BY CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END, m.relation, m.joined_on, m.id
                """).all().map { r in
                HouseholdMember(personID: UUID(uuidString: try r.decode(column: "person_id", as: String.self))!, name: try r.decode(column: "name", as: String.self),
                                idNumber: try r.decode(column: "id_number", as: String?.self), relation: try r.decode(column: "relation", as: String.self),
                                joinedOn: try r.decode(column: "joined_on", as: String.self), leftOn: try r.decode(column: "left_on", as: String?.self))
            }
            return HouseholdDetail(household: h, members: members)
        }
    }

    /// Households of the scope whose number contains the text (all when empty), by number.
    public func search(number: String?, limit: Int = 50, offset: Int = 0, in scope: Scope) async throws -> Page<Household> {
        let engine = db.engine
        var c: [SQLQueryString] = [engine.startsWith("h.path", scope.path)]
        if let number, !number.isEmpty { c.append(engine.contains("h.number", number)) }
        let condition = c.joined(separator: " AND ")
        let limit = min(max(limit, 1), 500), offset = max(offset, 0)
        return try await db.read { db in
            let (total, exact) = try await db.cappedCount("SELECT 1 AS one FROM households h WHERE \(condition)")
            // Each with its head's name, its members now, and the head's address when the household has none.
            let items = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns), hp.name AS head_name, hp.address AS head_address,
                       (SELECT COUNT(*) FROM household_members m WHERE m.household_id = h.id AND m.left_on IS NULL) AS member_count
                FROM households h JOIN org_units u ON u.id = h.unit_id
                LEFT JOIN household_members hm ON hm.household_id = h.id AND hm.relation = '02' AND hm.left_on IS NULL
                LEFT JOIN persons hp ON hp.id = hm.person_id
                WHERE \(condition) ORDER BY h.number LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all().map { r -> Household in
                    var h = try Self.decode(r)
                    h.headName = try r.decode(column: "head_name", as: String?.self)
                    h.memberCount = try r.decode(column: "member_count", as: Int.self)
                    if h.address == nil { h.address = try r.decode(column: "head_address", as: String?.self) }
                    return h
                }
            return Page(items: items, total: total, limit: limit, offset: offset, totalExact: exact)
        }
    }

    /// The person's current household, if it lies in the scope.
    public func membership(of person: UUID, in scope: Scope) async throws -> Membership? {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT m.household_id, h.number, m.relation FROM household_members m JOIN households h ON h.id = m.household_id
                WHERE m.person_id = \(bind: person.text) AND m.left_on IS NULL AND \(engine.startsWith("h.path", scope.path))
                """).first().map { r in
                Membership(householdID: UUID(uuidString: try r.decode(column: "household_id", as: String.self))!,
                           number: try r.decode(column: "number", as: String.self), relation: try r.decode(column: "relation", as: String.self))
            }
        }
    }

    /// Adds a person of the scope to a household of the scope from a day on.
    public func addMember(_ household: UUID, person: UUID, relation: String, on day: Day, in scope: Scope, by actor: Actor) async throws {
        guard Codes.contains(Household.relations, relation) else {
            throw RenkouError.invalid([FieldError("/relation", "code-unknown", Text("与户主关系代码 \(relation) 不存在。", "There is no relation code \(relation)."))])
        }
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let h = try await Self.find(household, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("户", "household")) }
            let p = try await PersonStore.require(person, in: scope, engine: engine, db)
            if let current = try await db.raw("SELECT h.number FROM household_members m JOIN households h ON h.id = m.household_id WHERE m.person_id = \(bind: person.text) AND m.left_on IS NULL").first() {
                let number = try current.decode(column: "number", as: String.self)
                throw RenkouError.invalid([FieldError("/person", "already-member", Text("\(p.name) 已是户 \(number) 的成员，请先办理迁出该户。", "\(p.name) is a member of household \(number); end that membership first."))])
            }
            if relation == Household.headRelation,
               try await db.raw("SELECT 1 AS one FROM household_members WHERE household_id = \(bind: household.text) AND relation = '02' AND left_on IS NULL").first() != nil {
                throw RenkouError.invalid([FieldError("/relation", "head-exists", Text("该户已有户主。", "This household has a head already."))])
            }
            try await db.raw("INSERT INTO household_members (household_id, person_id, relation, joined_on) VALUES (\(bind: household.text), \(bind: person.text), \(bind: relation), \(bind: day.description))").run()
            try await QualityVerdicts.refresh([person], env: env, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "household", entityID: h.id.text, path: h.path,
                                     after: "{\"joined\":\"\(p.id.text)\",\"relation\":\"\(relation)\",\"on\":\"\(day)\"}")
        }
    }

    /// Ends a person's current membership on a day; the membership stays as history.
    public func removeMember(_ household: UUID, person: UUID, on day: Day, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let h = try await Self.find(household, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("户", "household")) }
            guard let row = try await db.raw("SELECT id, joined_on FROM household_members WHERE household_id = \(bind: household.text) AND person_id = \(bind: person.text) AND left_on IS NULL").first() else {
                throw RenkouError.invalid([FieldError("/person", "not-member", Text("该人员不是本户现有成员。", "This person is not a current member of the household."))])
            }
            if day.description < (try row.decode(column: "joined_on", as: String.self)) {
                throw RenkouError.invalid([FieldError("/date", "before-joining", Text("离户日期早于入户日期。", "The leaving date is before the joining date."))])
            }
            try await db.raw("UPDATE household_members SET left_on = \(bind: day.description) WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
            try await QualityVerdicts.refresh([person], env: env, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "household", entityID: h.id.text, path: h.path,
                                     after: "{\"left\":\"\(person.text)\",\"on\":\"\(day)\"}")
        }
    }
}
