import Foundation
import RenkouCore

/// The births module's lines of the report forms: registrations decided and benefit payments made.
enum BirthMeasures {
    static var all: [ReportMeasure] {
        [ReportMeasure("births.registrations", from: "birth_registrations x") { p, _ in "x.decided_on IS NOT NULL AND \(ReportMeasure.within("x.decided_on", p))" },
         ReportMeasure("births.benefits-paid", from: "benefit_lines x") { p, _ in "x.payment = 'paid' AND x.paid_on IS NOT NULL AND \(ReportMeasure.within("x.paid_on", p))" }]
    }
}
