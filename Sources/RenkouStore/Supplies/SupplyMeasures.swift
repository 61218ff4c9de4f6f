import Foundation
import RenkouCore

/// The supplies' lines of the report forms: units handed out and vended (less what was taken back
/// by a reversal), and the people handed supplies.
enum SupplyMeasures {
    static func out(_ key: String, _ kind: StockEventKind) -> ReportMeasure {
        ReportMeasure(key, from: "stock_lines x JOIN stock_events e ON e.id = x.event_id LEFT JOIN stock_events o ON o.id = e.reverses", value: "SUM(-x.delta)") { p, _ in
            "(e.kind = '\(kind.rawValue)' OR (e.kind = 'reversal' AND o.kind = '\(kind.rawValue)')) AND \(ReportMeasure.within("x.occurred_on", p))"
        }
    }
    static var all: [ReportMeasure] {
        [out("supplies.dispensed", .dispense), out("supplies.vended", .vend),
         ReportMeasure("supplies.recipients", from: "stock_events x", value: "COUNT(DISTINCT x.person_id)") { p, _ in
             "x.kind = 'dispense' AND x.person_id IS NOT NULL AND \(ReportMeasure.within("x.occurred_on", p)) AND NOT EXISTS (SELECT 1 FROM stock_events r WHERE r.reverses = x.id)"
         }]
    }
}
