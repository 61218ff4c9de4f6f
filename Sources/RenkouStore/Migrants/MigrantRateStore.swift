import Foundation
import RenkouCore
import SQLKit

/// The floating-population rates of `MigrantIndicator`, computed live from the tables for a unit's
/// subtree on a day, with the records behind each gap. Each rate is one SQL definition: the records
/// counted (denominator) and the condition that makes one count in the numerator.
public struct MigrantRateStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// An agreement of host alias `h` in force on `day` (dates are validated `Day`s, safe as literals).
    static func validAgreement(_ h: String, _ day: Day) -> String {
        let d = "'\(day.description)'"
        return "EXISTS (SELECT 1 FROM agreements a WHERE a.host_id = \(h).id AND a.signed_on <= \(d) AND a.expires_on >= \(d) AND (a.terminated_on IS NULL OR a.terminated_on > \(d)))"
    }

    /// A certificate of person alias `p` valid on `day`.
    static func validCertificate(_ day: Day) -> String {
        let d = "'\(day.description)'"
        return "EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = p.id AND c.state <> 'revoked' AND c.issued_on <= \(d) AND c.valid_until >= \(d))"
    }

    struct Definition: Sendable {
        /// FROM … (the counted records), with the alias `x` carrying `path`.
        let from: String
        let base: @Sendable (Day) -> String
        let numerator: @Sendable (Day) -> String
        /// What identifies one counted record (people on two rosters count once).
        let key: String
        /// Columns of the click-through list: id, name, id_number, detail, kind of link.
        let record: String
    }

    static func definition(_ code: String) -> Definition? {
        switch code {
        case MigrantIndicator.registration.code:
            return Definition(from: "roster_entries x LEFT JOIN persons p ON p.id = x.person_id JOIN hosts h ON h.id = x.host_id",
                              base: { d in "x.since <= '\(d.description)' AND (x.until IS NULL OR x.until > '\(d.description)') AND (x.person_id IS NULL OR p.category = 'inflow')" },
                              numerator: { _ in "x.person_id IS NOT NULL" }, key: "x.id_number",
                              record: "COALESCE(x.person_id, x.host_id) AS id, x.name AS name, x.id_number AS id_number, h.name AS detail, CASE WHEN x.person_id IS NULL THEN 'host' ELSE 'person' END AS link")
        case MigrantIndicator.certificateHolding.code:
            return Definition(from: "persons x JOIN persons p ON p.id = x.id", base: wra, numerator: validCertificate, key: "x.id",
                              record: "x.id AS id, x.name AS name, x.id_number AS id_number, x.address AS detail, 'person' AS link")
        case MigrantIndicator.certificateVerification.code:
            return Definition(from: "persons x JOIN persons p ON p.id = x.id", base: { d in wra(d) + " AND " + validCertificate(d) },
                              numerator: { d in "EXISTS (SELECT 1 FROM certificates c JOIN certificate_checks k ON k.certificate_id = c.id WHERE c.person_id = p.id AND k.result = 'genuine' AND k.checked_on <= '\(d.description)')" },
                              key: "x.id", record: "x.id AS id, x.name AS name, x.id_number AS id_number, x.address AS detail, 'person' AS link")
        case MigrantIndicator.landlordAgreements.code, MigrantIndicator.employerAgreements.code:
            let kinds = code == MigrantIndicator.landlordAgreements.code ? "('landlord')" : "('employer', 'property')"
            return Definition(from: "hosts x", base: { d in "x.kind IN \(kinds) AND SUBSTR(x.created_at, 1, 10) <= '\(d.description)'" },
                              numerator: { d in validAgreement("x", d) }, key: "x.id",
                              record: "x.id AS id, x.name AS name, '' AS id_number, x.address AS detail, 'host' AS link")
        default: return nil
        }
    }

    /// Inflow women of reproductive age (15–49) living in the subtree on a day.
    static func wra(_ d: Day) -> String {
        "x.category = 'inflow' AND x.status = 'active' AND x.sex = '2' AND x.birth_date <= '\(d.adding(years: -15).description)' AND x.birth_date > '\(d.adding(years: -50).description)'"
    }

    public struct UnitRates: Sendable, Codable {
        public let code: String
        public let name: String
        public let figures: [RateFigure]
    }

    /// The rates of a unit of the scope (its top when nil) and of each unit directly below it.
    public func summary(unitCode: String?, on day: Day, in scope: Scope) async throws -> (unit: UnitRates, children: [UnitRates]) {
        let orgs = OrgStore(db: db, env: env)
        let top: OrgUnit
        if let code = unitCode?.nilIfBlank {
            guard let u = try await orgs.unit(code: code, in: scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
            top = u
        } else {
            guard let u = try await orgs.tops(in: scope).first?.unit else { throw RenkouError.notFound(Text("单位", "unit")) }
            top = u
        }
        let children = try await orgs.children(of: top.id, in: scope, activeOnly: true).map(\.unit)
        var rows: [UnitRates] = []
        for unit in [top] + children { rows.append(UnitRates(code: unit.code, name: unit.name, figures: try await figures(path: unit.path, on: day))) }
        return (rows[0], Array(rows.dropFirst()))
    }

    /// Every indicator for the records under a path on a day (a unit's path, taken from the caller's scope).
    func figures(path: String, on day: Day) async throws -> [RateFigure] {
        let engine = db.engine
        return try await db.read { db in
            var out: [RateFigure] = []
            for indicator in MigrantIndicator.all {
                let d = Self.definition(indicator.code)!
                let r = try await db.raw("""
                    SELECT COUNT(DISTINCT \(unsafeRaw: d.key)) AS total, COUNT(DISTINCT CASE WHEN \(unsafeRaw: d.numerator(day)) THEN \(unsafeRaw: d.key) END) AS met
                    FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: d.base(day))
                    """).first()!
                out.append(RateFigure(code: indicator.code, numerator: try r.decode(column: "met", as: Int?.self) ?? 0,
                                      denominator: try r.decode(column: "total", as: Int?.self) ?? 0, target: indicator.target))
            }
            return out
        }
    }

    public struct Record: Sendable, Codable, Equatable {
        public let id: UUID
        public let name: String
        public let idNumber: String
        public let detail: String?
        /// `person` or `host`: where the record's page is.
        public let link: String
    }

    /// The click-through: the records of a unit counted by an indicator that do not meet it (or all of
    /// them). The list names people, so it is audited like a person list.
    public func records(_ code: String, unitCode: String?, on day: Day, gapsOnly: Bool = true, limit: Int = 100, offset: Int = 0,
                        in scope: Scope, by actor: Actor) async throws -> Page<Record> {
        guard let d = Self.definition(code) else {
            throw RenkouError.notFound(Text("指标 \(code)", "indicator \(code)"))
        }
        let engine = db.engine, env = self.env
        return try await db.read { db in
            var path = scope.path
            if let c = unitCode?.nilIfBlank {
                guard let u = try await OrgStore.unit(code: c, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("单位", "unit")) }
                path = u.path
            }
            let condition = "\(d.base(day))\(gapsOnly ? " AND NOT (\(d.numerator(day)))" : "")"
            let total = try await db.raw("SELECT COUNT(DISTINCT \(unsafeRaw: d.key)) AS n FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: condition)")
                .first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw("""
                SELECT DISTINCT \(unsafeRaw: d.record) FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: condition)
                ORDER BY name, id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all().map { r in
                Record(id: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                       idNumber: try r.decode(column: "id_number", as: String?.self) ?? "", detail: try r.decode(column: "detail", as: String?.self),
                       link: try r.decode(column: "link", as: String.self))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "rate-records", entityID: code, path: path,
                                     after: AuditLog.json(["unit": unitCode ?? "", "day": day.description, "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }
}
