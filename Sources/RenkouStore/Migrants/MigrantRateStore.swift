import Foundation
import RenkouCore
import SQLKit

/// The floating-population rates of `MigrantIndicator`: their indicator definitions (registered in the
/// catalogue by the module) and the migrant pages' view of them for a unit's subtree on a day.
public struct MigrantRateStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    /// Who moved since a period's end (the registry's; nil: people count where they are now).
    let moved: PeopleMoved?
    public init(db: Database, env: RenkouCore.Environment, moved: PeopleMoved? = nil) { self.db = db; self.env = env; self.moved = moved }

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

    /// The five rates as indicator definitions, each counted on the day that ends its period.
    static var definitions: [IndicatorDefinition] {
        let personRecord = "x.id AS id, x.name AS name, x.id_number AS id_number, x.address AS detail, 'person' AS link"
        return [
            IndicatorDefinition(MigrantIndicator.registration, from: "roster_entries x LEFT JOIN persons p ON p.id = x.person_id JOIN hosts h ON h.id = x.host_id",
                                base: { p, _ in let d = p.end.description; return "x.since <= '\(d)' AND (x.until IS NULL OR x.until > '\(d)') AND (x.person_id IS NULL OR p.category = 'inflow')" },
                                numerator: { _, _ in "x.person_id IS NOT NULL" }, key: "x.id_number",
                                record: "COALESCE(x.person_id, x.host_id) AS id, x.name AS name, x.id_number AS id_number, h.name AS detail, CASE WHEN x.person_id IS NULL THEN 'host' ELSE 'person' END AS link"),
            IndicatorDefinition(MigrantIndicator.certificateHolding, from: "persons x JOIN persons p ON p.id = x.id", base: { wra($0.end, $1) },
                                numerator: { p, _ in validCertificate(p.end) }, key: "x.id", record: personRecord),
            IndicatorDefinition(MigrantIndicator.certificateVerification, from: "persons x JOIN persons p ON p.id = x.id",
                                base: { wra($0.end, $1) + " AND " + validCertificate($0.end) },
                                numerator: { p, _ in "EXISTS (SELECT 1 FROM certificates c JOIN certificate_checks k ON k.certificate_id = c.id WHERE c.person_id = p.id AND k.result = 'genuine' AND k.checked_on <= '\(p.end.description)')" },
                                key: "x.id", record: personRecord),
        ] + [(MigrantIndicator.landlordAgreements, "('landlord')"), (MigrantIndicator.employerAgreements, "('employer', 'property')")].map { indicator, kinds in
            IndicatorDefinition(indicator, from: "hosts x", base: { p, _ in "x.kind IN \(kinds) AND SUBSTR(x.created_at, 1, 10) <= '\(p.end.description)'" },
                                numerator: { p, _ in validAgreement("x", p.end) }, key: "x.id",
                                record: "x.id AS id, x.name AS name, '' AS id_number, x.address AS detail, 'host' AS link")
        }
    }

    /// Inflow women of reproductive age (the policy's ages, 15–49) living in the subtree on a day.
    static func wra(_ d: Day, _ policy: Policy) -> String {
        let ages = policy(.reproductiveAge, on: d)
        return "x.category = 'inflow' AND x.status = 'active' AND x.sex = '2' AND x.birth_date <= '\(d.lastBirthDay(forAge: ages.min).description)' AND x.birth_date > '\(d.lastBirthDay(forAge: ages.max + 1).description)'"
    }

    public typealias UnitRates = RenkouStore.UnitRates
    public typealias Record = IndicatorRecord

    var indicators: IndicatorStore { IndicatorStore(db: db, env: env, definitions: Self.definitions, moved: moved) }

    /// The rates of a unit of the scope (its top when nil) and of each unit directly below it.
    public func summary(unitCode: String?, on day: Day, in scope: Scope) async throws -> (unit: UnitRates, children: [UnitRates]) {
        try await indicators.summary(MigrantIndicator.all.map(\.code), unitCode: unitCode, on: day, in: scope)
    }

    /// The click-through: the records of a unit counted by an indicator that do not meet it (or all of
    /// them). The list names people, so it is audited like a person list.
    public func records(_ code: String, unitCode: String?, on day: Day, gapsOnly: Bool = true, limit: Int = 100, offset: Int = 0,
                        in scope: Scope, by actor: Actor) async throws -> Page<Record> {
        try await indicators.records(code, unitCode: unitCode, on: day, gapsOnly: gapsOnly, limit: limit, offset: offset, in: scope, by: actor)
    }
}
