import Foundation
import RenkouCore

/// Supervision: complaints, reports and petitions with their deadlines, escalation and ratings; the service guide.
public struct SupervisionStoreModule: StoreModule {
    public init() {}
    public let name = "supervision"
    public var migrations: [Migration] { [Migration041Complaints.migration, Migration042ServiceGuide.migration] }
    public var pathTables: [String] { ["complaints", "complaint_rounds"] }
    public var contributions: [Contribution] {
        SupervisionRates.definitions.map { ExtensionPoint.indicators($0) }
            + [ExtensionPoint.dailyJobs(DailyJob("supervision.escalate-overdue") { stores, day in try await stores.complaints.escalateOverdue(on: day) })]
    }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoGuide.fill(stores)
            try await DemoComplaints.fill(stores, communities: context.communities)
        }
    }
}

enum SupervisionRates {
    /// The records behind a figure name no one and say nothing of the case but its kind and day
    /// (a sensitive report's subject is for the district only).
    static let record = "x.complaint_id AS id, CASE x.kind WHEN 'report' THEN '举报' WHEN 'petition' THEN '信访' ELSE '投诉' END AS name, NULL AS id_number, x.received_on AS detail, 'complaint' AS link"

    static var definitions: [IndicatorDefinition] {
        // 按期办结率: each round (filed, or reopened) due in the period and fallen due by the day it is
        // read, answered or not; answered by its due day
        [IndicatorDefinition(SupervisionIndicator.onTime, from: "complaint_rounds x",
                             base: { p, _ in "x.due_on >= '\(p.start.description)' AND x.due_on <= '\(p.end.description)' AND ((x.answered_on IS NOT NULL AND x.answered_on <= '\(p.counted.description)') OR x.due_on < '\(p.counted.description)')" },
                             numerator: { p, _ in "x.answered_on IS NOT NULL AND x.answered_on <= x.due_on AND x.answered_on <= '\(p.counted.description)'" }, key: "x.id", record: record),
         // 满意率: the answers rated in the period, 4 or 5 of 5
         IndicatorDefinition(SupervisionIndicator.satisfaction, from: "complaint_rounds x",
                             base: { p, _ in "x.rated_on >= '\(p.start.description)' AND x.rated_on <= '\(p.end.description)'" },
                             numerator: { _, _ in "x.rating >= 4" }, key: "x.id", record: record)]
    }
}
