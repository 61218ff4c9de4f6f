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
        let top: OrgUnit
        if let unitCode {
            guard let u = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
            top = u
        } else {
            guard let u = try await OrgStore(db: db, env: env).tops(in: scope).first?.unit else { throw RenkouError.notFound(Text("单位", "unit")) }
            top = u
        }
        let children = try await OrgStore(db: db, env: env).children(of: top.id, in: scope, activeOnly: true).map(\.unit)
        var rows: [UnitQuality] = []
        for unit in [top] + children { rows.append(try await figures(unit)) }
        return (rows[0], Array(rows.dropFirst()))
    }

    private func figures(_ unit: OrgUnit) async throws -> UnitQuality {
        let engine = db.engine
        let any = { (checks: [QualityCheck]) in checks.map { "(\($0.failing))" }.joined(separator: " OR ") }
        var select = "COUNT(*) AS records, SUM(CASE WHEN \(any(rules.keyFields)) THEN 0 ELSE 1 END) AS complete, "
            + "SUM(CASE WHEN \(any(rules.consistency)) THEN 0 ELSE 1 END) AS consistent"
        for (i, check) in rules.all.enumerated() { select += ", SUM(CASE WHEN \(check.failing) THEN 1 ELSE 0 END) AS c\(i)" }
        let columns = select
        let row = try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: columns) FROM persons p WHERE p.status = 'active' AND \(engine.startsWith("p.path", unit.path))").first()!
        }
        func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int?.self) ?? 0 }
        var failures: [String: Int] = [:]
        for (i, check) in rules.all.enumerated() { failures[check.code] = try int("c\(i)") }
        return UnitQuality(code: unit.code, name: unit.name, records: try int("records"), complete: try int("complete"), consistent: try int("consistent"), failures: failures)
    }

    /// The active records of a unit of the scope that fail a check: the click-through behind a rate. Audited like a list.
    public func failing(_ code: String, unitCode: String?, limit: Int = 50, offset: Int = 0, in scope: Scope, by actor: Actor) async throws -> Page<Person> {
        guard let check = rules.check(code) else {
            throw RenkouError.invalid([FieldError("/check", "code-unknown", Text("没有检查项 \(code)。", "There is no check \(code)."))])
        }
        let engine = db.engine, env = self.env
        let limit = min(max(limit, 1), 500), offset = max(offset, 0)
        return try await db.read { db in
            var q = PersonQuery(); q.unit = unitCode
            let condition = try await PersonStore.conditions(q, scope: scope, today: Day(env.now()), policy: env.policy, engine: engine, db)
            let whereClause: SQLQueryString = "\(condition) AND p.status = 'active' AND (\(unsafeRaw: check.failing))"
            let total = try await db.raw("SELECT COUNT(*) AS n FROM persons p WHERE \(whereClause)").first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw("SELECT \(unsafeRaw: PersonStore.columns) FROM persons p JOIN org_units u ON u.id = p.unit_id WHERE \(whereClause) ORDER BY p.name, p.id LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))")
                .all().map(PersonStore.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "person", entityID: "quality:\(code)", path: scope.path,
                                     after: AuditLog.json(["unit": unitCode ?? "", "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
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
