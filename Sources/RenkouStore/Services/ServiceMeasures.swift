import Foundation
import RenkouCore

/// The services' lines of the report forms: married women of reproductive age at the period's end,
/// those using a method by method (hers or her husband's; counts only), and the procedures done in the period.
enum ServiceMeasures {
    /// 已婚育龄妇女 on the day (the prevalence rate's base).
    static func marriedWRA(_ d: Day, _ policy: Policy) -> String {
        let ages = policy(.reproductiveAge, on: d)
        return "x.sex = '2' AND x.birth_date <= '\(d.lastBirthDay(forAge: ages.min).description)' AND x.birth_date > '\(d.lastBirthDay(forAge: ages.max + 1).description)' AND x.status = 'active' AND x.marital_status LIKE '2%'"
    }
    static func users(_ key: String, _ methods: [ContraceptiveMethod]?) -> ReportMeasure {
        ReportMeasure(key, stock: true, from: "persons x") { p, policy in
            let d = p.end.description
            let which = methods.map { "m.method IN (\($0.map { "'\($0.rawValue)'" }.joined(separator: ", ")))" } ?? "m.method <> 'none'"
            // her method or her husband's (a vasectomy is his record)
            return marriedWRA(p.end, policy) + " AND EXISTS (SELECT 1 FROM method_uses m WHERE (m.person_id = x.id OR m.person_id = x.spouse_id) AND \(which) AND m.started_on <= '\(d)' AND (m.stopped_on IS NULL OR m.stopped_on > '\(d)'))"
        }
    }
    static func procedure(_ kind: ServiceKind) -> ReportMeasure {
        ReportMeasure("services.procedures.\(kind.rawValue)", from: "services x") { p, _ in "x.kind = '\(kind.rawValue)' AND \(ReportMeasure.within("x.day", p))" }
    }

    static var all: [ReportMeasure] {
        [ReportMeasure("services.married-wra", stock: true, from: "persons x") { p, policy in marriedWRA(p.end, policy) },
         users("services.users", nil), users("services.users.sterilisation", [.femaleSterilisation, .maleSterilisation]), users("services.users.iud", [.iud]),
         users("services.users.implant", [.implant]), users("services.users.injectable", [.injectable]), users("services.users.pill", [.oralPill]),
         users("services.users.condom", [.condom]), users("services.users.other", [.topical, .lam, .natural, .emergencyPill])]
            + [ServiceKind.iudInsertion, .iudRemoval, .implantInsertion, .sterilisation, .abortion].map(procedure)
    }
}
