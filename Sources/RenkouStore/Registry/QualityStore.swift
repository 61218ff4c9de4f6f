import Foundation
import RenkouCore
import SQLKit

/// Data quality of the registry, computed live from the records of a scope (active records only).
public struct QualityStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// The checks under the policy in force.
    public var rules: QualityRules { QualityRules(policy: env.policy, today: env.today) }

    /// How many active records of the scope have at least one data problem (the stored verdicts).
    public func recordsWithProblems(in scope: Scope) async throws -> Int {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT COUNT(DISTINCT person_id) AS n FROM person_checks
                WHERE code IN (\(bind: QualityVerdicts.anyKeyField), \(bind: QualityVerdicts.anyConsistency)) AND \(engine.startsWith("path", scope.path))
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// One unit's figures: records, complete and consistent records, and failures per check.
    public struct UnitQuality: Sendable, Codable {
        public var code: String
        public var name: String
        public var records: Int
        public var complete: Int
        public var consistent: Int
        public var failures: [String: Int]
        /// 主要项目完整率 and 逻辑关系准确率, as fractions (1 when there are no records).
        public var completeness: Double { records == 0 ? 1 : Double(complete) / Double(records) }
        public var consistency: Double { records == 0 ? 1 : Double(consistent) / Double(records) }
    }

    /// The figures of a unit of the scope (the scope's top when nil) and of each unit directly below it.
    public func summary(unitCode: String?, in scope: Scope) async throws -> (unit: UnitQuality, children: [UnitQuality]) {
        let (top, children) = try await OrgStore(db: db, env: env).unitAndChildren(unitCode, in: scope)
        var rows: [UnitQuality] = []
        for unit in [top] + children { rows.append(try await figures(unit)) }
        return (rows[0], Array(rows.dropFirst()))
    }

    /// One unit's figures from the stored verdicts: active records under its path, and the failing
    /// rows per check (`K*`/`Q*` count the records missing any key field / failing any rule).
    private func figures(_ unit: OrgUnit) async throws -> UnitQuality {
        let engine = db.engine, codes = rules.all.map(\.code) + [QualityVerdicts.anyKeyField, QualityVerdicts.anyConsistency]
        return try await db.read { db in
            let records = try await db.raw("SELECT COUNT(*) AS n FROM persons p WHERE p.status = 'active' AND \(engine.startsWith("p.path", unit.path))")
                .first()!.decode(column: "n", as: Int.self)
            var failures: [String: Int] = [:]
            for r in try await db.raw("""
                SELECT code, COUNT(*) AS n FROM person_checks WHERE code IN (\(binds: codes)) AND \(engine.startsWith("path", unit.path)) GROUP BY code
                """).all() {
                failures[try r.decode(column: "code", as: String.self)] = try r.decode(column: "n", as: Int.self)
            }
            let complete = records - (failures.removeValue(forKey: QualityVerdicts.anyKeyField) ?? 0)
            let consistent = records - (failures.removeValue(forKey: QualityVerdicts.anyConsistency) ?? 0)
            for check in self.rules.all where failures[check.code] == nil { failures[check.code] = 0 }
            return UnitQuality(code: unit.code, name: unit.name, records: records, complete: complete, consistent: consistent, failures: failures)
        }
    }

    /// The active records of a unit of the scope that fail a check: the click-through behind a rate
    /// (a check's code, or `K*`/`Q*` for any key field / any rule). Audited like a list.
    public func failing(_ code: String, unitCode: String?, limit: Int = 50, offset: Int = 0, in scope: Scope, by actor: Actor) async throws -> Page<Person> {
        guard rules.check(code) != nil || code == QualityVerdicts.anyKeyField || code == QualityVerdicts.anyConsistency else {
            throw RenkouError.invalid([FieldError("/check", "code-unknown", Text("没有检查项 \(code)。", "There is no check \(code)."))])
        }
        let engine = db.engine, env = self.env
        let limit = min(max(limit, 1), 500), offset = max(offset, 0)
        return try await db.read { db in
            var path = scope.path
            if let unitCode = unitCode?.nilIfBlank {
                path = try await PersonStore.requireUnit(unitCode, scope: scope, engine: engine, db).path
            }
            let whereClause: SQLQueryString = "v.code = \(bind: code) AND \(engine.startsWith("v.path", path))"
            let (total, exact) = try await db.cappedCount("SELECT 1 AS one FROM person_checks v WHERE \(whereClause)")
            let items = try await db.raw("""
                SELECT \(unsafeRaw: PersonStore.columns) FROM person_checks v JOIN persons p ON p.id = v.person_id JOIN org_units u ON u.id = p.unit_id
                WHERE \(whereClause) ORDER BY p.name, p.id LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all().map(PersonStore.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "person", entityID: "quality:\(code)", path: scope.path,
                                     after: AuditLog.json(["unit": unitCode ?? "", "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset, totalExact: exact)
        }
    }

    /// Recomputes every record's verdicts (after a bulk load, or after the rules changed with the policy).
    public func rebuildVerdicts() async throws {
        let rules = self.rules
        try await db.transaction { db in try await QualityVerdicts.rebuild(rules: rules, db) }
    }

    /// The checks a person of the scope fails (consistency rules first, then missing key fields).
    public func problems(of person: UUID, in scope: Scope) async throws -> [QualityCheck] {
        let columns = rules.all.enumerated().map { "CASE WHEN \($0.element.failing) THEN 1 ELSE 0 END AS c\($0.offset)" }.joined(separator: ", ")
        let engine = db.engine
        guard let row = try await db.read({ db in
            try await db.raw("SELECT \(unsafeRaw: columns) FROM persons p WHERE p.id = \(bind: person.text) AND \(engine.startsWith("p.path", scope.path))").first()
        }) else { return [] }
        return try rules.all.enumerated().filter { try row.decode(column: "c\($0.offset)", as: Int.self) == 1 }.map(\.element)
    }
}
