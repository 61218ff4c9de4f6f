import Foundation
import RenkouCore

/// Supervision: complaints, reports and petitions with their deadlines, escalation and ratings; the service guide.
public struct SupervisionStoreModule: StoreModule {
    public init() {}
    public let name = "supervision"
    public var migrations: [Migration] { [Migration041Complaints.migration, Migration042ServiceGuide.migration, Migration043BoardNotices.migration] }
    public var pathTables: [String] { ["complaints", "complaint_rounds", "board_notices"] }
    public var contributions: [Contribution] {
        SupervisionRates.definitions.map { ExtensionPoint.indicators($0) }
            + [ExtensionPoint.dailyJobs(DailyJob("supervision.escalate-overdue") { stores, day in try await stores.complaints.escalateOverdue(on: day) })]
    }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoGuide.fill(stores)
            if let community = context.communities.first {
                try await stores.board.publish(unit: String(community.prefix(9)), title: "计生服务站开放时间",
                                               body: "周一至周五 8:30–11:30、13:30–17:00；周六上午值班。咨询电话 021-69990000。", until: nil, in: .everything, by: .cli("demo"))
                try await stores.board.publish(unit: community, title: "2026 年育儿补贴申领提醒",
                                               body: "三周岁以下婴幼儿的家长请于本月底前到社区服务站或网上申领育儿补贴。", until: nil, in: .everything, by: .cli("demo"))
            }
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
