import Foundation
import RenkouCore

/// The monthly reports: their versions, and the reporting rates as indicators.
public struct ReportsStoreModule: StoreModule {
    public init() {}
    public let name = "reports"
    public var migrations: [Migration] { [Migration049Reports.migration] }
    public var pathTables: [String] { ["reports"] }
    public var contributions: [Contribution] { ReportingIndicators.definitions.map { ExtensionPoint.indicators($0) } }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoReports.fill(stores, district: context.districtCode)
        }
    }
}

/// 报表及时率, 报表完整率: over the monthly reports that fell due in the period (a month's report early in
/// the next), per reporting unit; over a longer period a unit counts when every report due in it
/// stands (and came on time). The records are the units that did not.
enum ReportingIndicators {
    /// The months whose report falls due within the period (up to the day it is read).
    static func dueMonths(_ p: Period, _ policy: Policy) -> [(month: String, levels: [OrgLevel])] {
        var out: [(String, [OrgLevel])] = []
        var m = ReportStore.previousMonth(ReportStore.previousMonth(p.start))
        while m <= p.counted {
            if let form = policy(.reportForms, on: m).first(where: { $0.code == "monthly" }) {
                let due = form.lastDue(for: m, calendar: policy.calendar)
                if due >= p.start && due <= p.counted { out.append((ReportStore.label(m), form.levels)) }
            }
            m = m.month == 12 ? Day(year: m.year + 1, month: 1, day: 1)! : Day(year: m.year, month: m.month + 1, day: 1)!
        }
        return out
    }
    static func base(_ p: Period, _ policy: Policy) -> String {
        let due = dueMonths(p, policy)
        let levels = Set(due.flatMap(\.levels)).map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        return due.isEmpty ? "1 = 0" : "x.level IN (\(levels)) AND x.status = 'active'"
    }
    /// A version of unit `x`'s report for `month` stands (submitted, or accepted: only the latest can
    /// be waiting, and an accepted one stands until a correction is accepted).
    static func standing(_ month: String) -> String {
        "EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = x.id AND r.form = 'monthly' AND r.month = '\(month)' AND r.state IN ('submitted', 'accepted'))"
    }
    static let record = "x.id AS id, x.name AS name, x.code AS id_number, x.level AS detail, 'report-unit' AS link"

    static var definitions: [IndicatorDefinition] {
        [IndicatorDefinition(ReportIndicator.onTime, from: "org_units x", base: base, numerator: { p, policy in
             dueMonths(p, policy).map {
                 "EXISTS (SELECT 1 FROM reports r WHERE r.unit_id = x.id AND r.form = 'monthly' AND r.month = '\($0.month)' AND r.version = 1 AND r.submitted_on <= r.due_on) AND \(standing($0.month))"
             }
                 .joined(separator: " AND ").nilIfBlank ?? "1 = 1"
         }, key: "x.id", record: record),
         IndicatorDefinition(ReportIndicator.complete, from: "org_units x", base: base, numerator: { p, policy in
             dueMonths(p, policy).map { standing($0.month) }.joined(separator: " AND ").nilIfBlank ?? "1 = 1"
         }, key: "x.id", record: record)]
    }
}

/// The demo's reports: every community of the first street reported each month of the year so far
/// (one late last month, one sent back in September and corrected with a training left out), its street's report on top; the
/// second street's communities reported until two months ago, and last month only some of them did.
enum DemoReports {
    static func fill(_ stores: Stores, district: String) async throws {
        let today = Day(stores.env.now()), reports = stores.reports
        let streets = try await stores.orgs.unitAndChildren(district, in: .everything).children
        guard !streets.isEmpty, today.month > 1 else { return }
        let district = Actor.cli("district"), street = Actor.cli("street"), community = Actor.cli("community")
        for (s, st) in streets.prefix(2).enumerated() {
            let communities = try await stores.orgs.unitAndChildren(st.code, in: .everything).children
            for m in 1..<today.month {
                let month = Day(year: today.year, month: m, day: 1)!, label = ReportStore.label(month), form = try reports.form("monthly", month: month)
                let calendar = stores.env.policy.calendar
                let due = form.due(for: month, level: .community, calendar: calendar), streetDue = form.due(for: month, level: .street, calendar: calendar)
                let last = m == today.month - 1
                var lastAccepted = due
                for (i, c) in communities.enumerated() {
                    // the second street: last month only its first community reported
                    if s == 1, last, i > 0 { continue }
                    let late = last && i == 1
                    // on the due day or a day or two before it, never before the month is over
                    var day = min(late ? due.adding(days: 3) : max(Period.containing(month, .month).end.adding(days: 1), due.adding(days: -(i % 3))), today)
                    var latest = try await reports.submit(form: "monthly", unit: c.code, month: label, note: nil, on: day, in: .everything, by: community)
                    if s == 0, m == 9, i == 0 {
                        try await reports.review(latest.id, accept: false, note: "宣传培训场次与活动记录不符，请核实后重报。", on: min(day.adding(days: 1), today), in: .everything, by: street)
                        // the worker enters the training she had left out, and the figures of the new version differ
                        _ = try await stores.outreach.record(ActivityInput(kind: "training", unit: c.code, day: "\(today.year)-09-26", topic: "家庭健康讲座", place: "人口学校教室",
                                                                           audience: "resident", trainer: "社区卫生服务中心医生", headcount: 30), in: .everything, by: community)
                        day = min(day.adding(days: 2), today)
                        latest = try await reports.submit(form: "monthly", unit: c.code, month: label, note: "已补录 9 月 26 日的家庭健康讲座一场。", on: day, in: .everything, by: community)
                    }
                    // waiting for review: the first street's last community last month, and the second street's last month
                    let waiting = last && (s == 1 || i == communities.count - 1)
                    if !waiting {
                        let accepted = min(day.adding(days: 1), today)
                        lastAccepted = max(lastAccepted, accepted)
                        try await reports.review(latest.id, accept: true, note: nil, on: accepted, in: .everything, by: street)
                    }
                }
                // the first street's own report goes up once all of its communities are accepted
                if s == 0, !last {
                    let sent = min(max(streetDue.adding(days: -1), lastAccepted), today)
                    let r = try await reports.submit(form: "monthly", unit: st.code, month: label, note: nil, on: sent, in: .everything, by: street)
                    try await reports.review(r.id, accept: true, note: nil, on: min(sent.adding(days: 1), today), in: .everything, by: district)
                }
            }
        }
    }
}
