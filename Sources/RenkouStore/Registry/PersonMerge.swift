import Foundation
import RenkouCore
import SQLKit

/// Two records that may be one person: same name and birth date, or same name and mother.
public struct DuplicateCandidate: Sendable, Codable, Equatable {
    public var left: Person
    public var right: Person
    /// `name-birth` or `name-mother`.
    public var reason: String
}

extension PersonStore {
    /// Pairs of records in the scope (or a unit of it) that look like the same person, at most `limit`.
    /// Both records of a pair lie inside the scope. The listing is audited (it shows names and ID numbers).
    public func duplicateCandidates(unitCode: String? = nil, limit: Int = 100, in scope: Scope, by actor: Actor) async throws -> [DuplicateCandidate] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            var area = scope
            if let unitCode {
                guard let unit = try await OrgStore.unit(code: unitCode, in: scope, engine: engine, db) else {
                    throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(unitCode) 不存在或不在您的管辖范围内。", "Unit \(unitCode) does not exist or is outside your area."))])
                }
                area = Scope(path: unit.path)
            }
            let pairs = try await db.raw("""
                SELECT a.id AS a_id, b.id AS b_id, CASE WHEN a.birth_date = b.birth_date THEN 'name-birth' ELSE 'name-mother' END AS reason
                FROM persons a JOIN persons b ON b.name = a.name AND a.id < b.id
                  AND (b.birth_date = a.birth_date OR (a.mother_id IS NOT NULL AND b.mother_id = a.mother_id))
                WHERE \(engine.startsWith("a.path", area.path)) AND \(engine.startsWith("b.path", area.path))
                ORDER BY a.name, a.id LIMIT \(unsafeRaw: String(min(max(limit, 1), 500)))
                """).all().map { (try $0.decode(column: "a_id", as: String.self), try $0.decode(column: "b_id", as: String.self), try $0.decode(column: "reason", as: String.self)) }
            var out: [DuplicateCandidate] = []
            for (a, b, reason) in pairs {
                guard let left = try await Self.find(UUID(uuidString: a)!, in: area, engine: engine, db),
                      let right = try await Self.find(UUID(uuidString: b)!, in: area, engine: engine, db) else { continue }
                out.append(DuplicateCandidate(left: left, right: right, reason: reason))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "person", entityID: "duplicates", path: area.path,
                                     after: "{\"shown\":\(out.count)}")
            return out
        }
    }

    /// Merges `drop` into `keep`: empty fields of the kept record take the other's values, and every
    /// life event, household membership (with its history) and family link moves over. The merged
    /// record is removed; `person_merges` and two audit rows keep what it was and where it went.
    @discardableResult
    public func merge(keep keepID: UUID, drop dropID: UUID, in scope: Scope, by actor: Actor) async throws -> Person {
        guard keepID != dropID else {
            throw RenkouError.invalid([FieldError("/drop", "same-record", Text("不能把记录与自身合并。", "A record cannot be merged with itself."))])
        }
        let engine = db.engine, env = self.env, bus = self.bus
        return try await db.transaction { db in
            guard let keep = try await Self.find(keepID, in: scope, engine: engine, db), let drop = try await Self.find(dropID, in: scope, engine: engine, db) else {
                throw RenkouError.notFound(Text("人员", "person"))
            }
            var after = keep
            for d in Self.details where after[keyPath: d.key] == nil { after[keyPath: d.key] = drop[keyPath: d.key] }
            if after.sex == "0" || after.sex == "9" { after.sex = drop.sex }
            // A child kept without a number takes the other record's (the dropped row is gone before the update).
            if after.idNumber == nil { after.idNumber = drop.idNumber }
            after.flags = Array(Set(keep.flags + drop.flags)).sorted()
            after.motherID = keep.motherID ?? drop.motherID
            after.fatherID = keep.fatherID ?? drop.fatherID
            after.spouseID = keep.spouseID ?? (drop.spouseID == keep.id ? nil : drop.spouseID)
            after.birthOrder = keep.birthOrder ?? drop.birthOrder
            let now = env.now(), today = Day(now).description
            after.updatedAt = Timestamp.string(now)
            let k = keep.id.text, x = drop.id.text
            try await db.raw("UPDATE life_events SET person_id = \(bind: k) WHERE person_id = \(bind: x)").run()
            try await db.raw("UPDATE life_events SET other_id = \(bind: k) WHERE other_id = \(bind: x)").run()
            // One current household: when both have one, the merged record's membership ends today (its history stays).
            if try await db.raw("SELECT 1 AS one FROM household_members WHERE person_id = \(bind: k) AND left_on IS NULL").first() != nil {
                try await db.raw("UPDATE household_members SET left_on = \(bind: today) WHERE person_id = \(bind: x) AND left_on IS NULL").run()
            }
            try await db.raw("UPDATE household_members SET person_id = \(bind: k) WHERE person_id = \(bind: x)").run()
            for column in ["mother_id", "father_id", "spouse_id"] {
                try await db.raw("UPDATE persons SET \(unsafeRaw: column) = \(bind: k) WHERE \(unsafeRaw: column) = \(bind: x) AND id <> \(bind: k)").run()
            }
            // Before the merged record goes: other modules move what they keep about it to the kept record.
            try await bus.publish(RegistryEvent.merged(kept: keep.id, merged: drop.id), path: after.path, engine: engine, env: env, actor: actor, db)
            try await PersonStore.deleteRow(drop, db)
            try await Self.update(after, was: keep, db)
            try await db.raw("""
                INSERT INTO person_merges (merged_id, kept_id, merged_id_number, merged_name, at, by_user)
                VALUES (\(bind: x), \(bind: k), \(bind: drop.idNumber ?? ""), \(bind: drop.name), \(bind: after.updatedAt), \(bind: actor.username))
                """).run()
            struct Before: Encodable { let kept: Person; let merged: Person }
            try await AuditLog.write(db, at: now, actor: actor, action: .merge, entity: "person", entityID: k, path: after.path,
                                     before: AuditLog.json(Before(kept: keep, merged: drop)), after: AuditLog.json(after))
            try await AuditLog.write(db, at: now, actor: actor, action: .merge, entity: "person", entityID: x, path: drop.path,
                                     before: AuditLog.json(drop), after: "{\"mergedInto\":\"\(k)\"}")
            try await QualityVerdicts.refresh([keep.id, drop.id], env: env, db)
            return after
        }
    }

    /// The records merged into a person of the scope (id numbers and names), newest first; none outside it.
    public func merged(into id: UUID, in scope: Scope) async throws -> [(idNumber: String, name: String, at: String)] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT m.merged_id_number, m.merged_name, m.at FROM person_merges m JOIN persons p ON p.id = m.kept_id
                WHERE m.kept_id = \(bind: id.text) AND \(engine.startsWith("p.path", scope.path)) ORDER BY m.at DESC
                """).all().map {
                (try $0.decode(column: "merged_id_number", as: String.self), try $0.decode(column: "merged_name", as: String.self), try $0.decode(column: "at", as: String.self))
            }
        }
    }
}
