import Foundation
import RenkouCore

/// Outreach's lines of the report forms: activities held and the people who came.
enum OutreachMeasures {
    static var all: [ReportMeasure] {
        [ReportMeasure("outreach.activities", from: "outreach_activities x") { p, _ in ReportMeasure.within("x.day", p) },
         ReportMeasure("outreach.headcount", from: "outreach_activities x", value: "SUM(x.headcount)") { p, _ in ReportMeasure.within("x.day", p) }]
    }
}
