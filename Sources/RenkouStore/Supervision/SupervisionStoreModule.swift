import Foundation
import RenkouCore

/// Supervision: complaints, reports and petitions with their deadlines, escalation and ratings.
public struct SupervisionStoreModule: StoreModule {
    public init() {}
    public let name = "supervision"
    public var migrations: [Migration] { [Migration041Complaints.migration] }
    public var pathTables: [String] { ["complaints"] }
    public var contributions: [Contribution] {
        SupervisionRates.definitions.map { ExtensionPoint.indicators($0) }
            + [ExtensionPoint.dailyJobs(DailyJob("supervision.escalate-overdue") { stores, day in try await stores.complaints.escalateOverdue(on: day) })]
    }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoComplaints.fill(stores, communities: context.communities)
        }
    }
}

enum SupervisionRates {
    static var definitions: [IndicatorDefinition] {
        // 按期办结率: due in the period and passed by today (or the period's end); answered by the due day
        [IndicatorDefinition(SupervisionIndicator.onTime, from: "complaints x",
                             base: { p, _ in "x.due_on >= '\(p.start.description)' AND x.due_on <= '\(p.end.description)' AND (x.answered_on IS NOT NULL OR x.state IN ('received', 'assigned', 'in-progress', 'reopened') AND x.due_on < '\(Day(Date()).description)')" },
                             numerator: { _, _ in "x.answered_on IS NOT NULL AND x.answered_on <= x.due_on" }, key: "x.id",
                             record: "x.id AS id, x.subject AS name, NULL AS id_number, x.due_on AS detail, 'complaint' AS link"),
         // 满意率: rated in the period, 4 or 5 of 5
         IndicatorDefinition(SupervisionIndicator.satisfaction, from: "complaints x",
                             base: { p, _ in "x.rated_on >= '\(p.start.description)' AND x.rated_on <= '\(p.end.description)'" },
                             numerator: { _, _ in "x.rating >= 4" }, key: "x.id",
                             record: "x.id AS id, x.subject AS name, NULL AS id_number, x.rated_on AS detail, 'complaint' AS link")]
    }
}
