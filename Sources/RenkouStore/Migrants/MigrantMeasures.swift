import Foundation
import RenkouCore

/// The migrants' lines of the report forms: inflow and outflow at the period's end, the inflow
/// registered in the period, and the certificates this office issued in it (not those of other regions registered here).
enum MigrantMeasures {
    static func present(_ key: String, _ kind: StayKind) -> ReportMeasure {
        ReportMeasure(key, stock: true, from: "stays x", value: "COUNT(DISTINCT x.person_id)") { p, _ in
            let d = p.end.description
            return "x.kind = '\(kind.rawValue)' AND x.since <= '\(d)' AND (x.until IS NULL OR x.until > '\(d)')"
        }
    }
    static var all: [ReportMeasure] {
        [present("migrants.inflow", .inflow),
         ReportMeasure("migrants.arrived", from: "stays x", value: "COUNT(DISTINCT x.person_id)") { p, _ in "x.kind = 'inflow' AND \(ReportMeasure.within("x.since", p))" },
         present("migrants.outflow", .outflow),
         ReportMeasure("migrants.certificates", from: "certificates x") { p, _ in "x.side = 'issued' AND \(ReportMeasure.within("x.issued_on", p))" }]
    }
}
