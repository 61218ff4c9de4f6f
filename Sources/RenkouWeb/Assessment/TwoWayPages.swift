import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 双向考核: each counterpart region scored from the exchange with it, as the hukou region of the
/// people living here and as the inflow region of ours living there, and our own answers to it.
enum TwoWayPages {
    static let strings: [String: Text] = [
        "two_way": Text("双向考核", "Two-way assessment"),
        "two_way_intro": Text("按与各地的信息交换记录评分：对方作为户籍地，对本地协查的反馈率、及时率和信息接收率；对方作为流入地，我方流出人员在当地登记并通报的比例。对方也按其记录为本地评分，下表为本地对各地的反馈情况。",
                              "Each region scored from the exchange with it: as the hukou region, how it answered our requests (in time) and accepted our messages; as the inflow region, how many of our people living there it registered and reported. It scores us the same way from its own records: the last table is our side."),
        "two_way_hukou": Text("对方作为户籍地", "The counterpart as hukou region"),
        "two_way_inflow": Text("对方作为流入地", "The counterpart as inflow region"),
        "two_way_counterpart": Text("对方地区", "Counterpart"),
        "two_way_total": Text("得分", "Score"),
        "two_way_ours": Text("本地对各地的反馈（对方据此为本地评分）", "Our answers to each (what it scores us from)"),
        "two_way_received": Text("收到协查", "Requests received"),
        "two_way_answered": Text("已反馈", "Answered"),
        "two_way_on_time": Text("按时反馈", "In time"),
        "two_way_notices": Text("收到通报", "Notices received"),
    ]

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/assessment/two-way") { request, context -> Response in
            _ = try context.require(.assessment(.read))
            let lang = context.lang, year = AssessmentPages.year(request, deps)
            let (scores, ours) = try await deps.stores.twoWay.scores(year: year, in: context.scope)
            struct TwoWayCell { let value: String; let below: Bool }
            struct TwoWayRow { let counterpart: String; let cells: [TwoWayCell]; let total: String }
            struct TwoWayRoleTable { let role: String; let title: String; let heads: [String]; let rows: [TwoWayRow]; let hasRows: Bool }
            struct TwoWayView { let year: Int; let roles: [TwoWayRoleTable]; let ours: [OurAnswers]; let hasOurs: Bool }
            let roles = ["hukou", "inflow"].map { role -> TwoWayRoleTable in
                let these = scores.filter { $0.role == role }
                let heads = deps.stores.env.policy(.twoWayScheme, on: Day(year: year, month: 12, day: 31)!).filter { $0.role == role }.map { "\($0.name(lang)) (\(String(format: "%g", $0.points)))" }
                return TwoWayRoleTable(role: role, title: strings["two_way_\(role)"]!(lang), heads: heads,
                                 rows: these.map { s in
                                     TwoWayRow(counterpart: s.counterpart, cells: s.items.map { i in
                                         TwoWayCell(value: (i.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—") + " (\(i.numerator)/\(i.denominator)) · " + String(format: "%g", i.points),
                                              below: i.points < i.max - 1e-9)
                                     }, total: String(format: "%g / %g", s.total, s.max))
                                 }, hasRows: !these.isEmpty)
            }
            return deps.renderer.html("assessment/two_way", title: Text("双向考核", "Two-way assessment"), model: TwoWayView(year: year, roles: roles, ours: ours, hasOurs: !ours.isEmpty),
                                      context: context, request: request)
        }
    }
}
