import Foundation

/// An offset from a date: days or calendar months (1 month after 31 January is 28/29 February).
public struct Offset: Sendable, Codable, Equatable {
    public var days: Int = 0
    public var months: Int = 0
    public init(days: Int = 0, months: Int = 0) { self.days = days; self.months = months }
    public func from(_ day: Day) -> Day {
        var d = day
        if months != 0 {
            let total = d.year * 12 + (d.month - 1) + months, y = total / 12, m = total % 12 + 1
            d = Day(year: y, month: m, day: min(d.day, Day.daysIn(month: m, year: y)))!
        }
        return d.adding(days: days)
    }
}

/// One visit of a schedule: due `after` the date it counts from, shown `opens` days before it is due,
/// overdue `overdue` days after, no longer worth making `expires` days after (it then counts as missed).
public struct FollowUpStep: Sendable, Codable, Equatable {
    public var after: Offset
    public var opens: Int
    public var overdue: Int
    public var expires: Int
    public init(after: Offset, opens: Int, overdue: Int, expires: Int) { self.after = after; self.opens = opens; self.overdue = overdue; self.expires = expires }
}

/// The visits one service or method asks for: `steps` in order, each counted from the actual date of
/// the one before (the first from the service), then `then` again and again while the method is used.
/// With `fromStart`, every step counts from the schedule's start instead (a child's visits go by age).
public struct FollowUpSchedule: Sendable, Codable, Equatable {
    public var steps: [FollowUpStep]
    public var then: FollowUpStep?
    public var fromStart: Bool?
    public init(steps: [FollowUpStep], then: FollowUpStep? = nil, fromStart: Bool? = nil) { self.steps = steps; self.then = then; self.fromStart = fromStart }

    /// The step after `index` (nil when the schedule ends).
    public func step(_ index: Int) -> FollowUpStep? { index < steps.count ? steps[index] : then }
}

/// 随访时间表: a schedule per service kind and per method (resupply of short-acting methods), keyed by
/// their codes (`iud-insertion`, `injectable`, …). Dated configuration (`PolicyRule.followUpSchedules`).
public struct FollowUpSchedules: Sendable, Codable, Equatable {
    public var schedules: [String: FollowUpSchedule]
    public init(_ schedules: [String: FollowUpSchedule]) { self.schedules = schedules }
    public subscript(_ key: String) -> FollowUpSchedule? { schedules[key] }

    /// 产后访视 and 产后42天健康检查 of a mother, counted from the birth.
    public static let postpartum = "postpartum"
    /// 0–3 岁儿童健康管理: a child's visits by age, counted from the birth.
    public static let childHealth = "child-health"

    /// What a schedule is called: a service, a method's resupply, or a mother's or a child's care.
    public static func label(_ key: String) -> Text {
        if let k = ServiceKind(rawValue: key) { return k.label }
        if let m = ContraceptiveMethod(rawValue: key) { return m.label }
        switch key {
        case postpartum: return Text("产后访视", "Postpartum care")
        case childHealth: return Text("儿童健康管理", "Child health")
        case prePregnancyEarly: return Text("孕前优生早孕随访", "Pre-pregnancy check: early-pregnancy follow-up")
        case prePregnancyOutcome: return Text("孕前优生妊娠结局随访", "Pre-pregnancy check: outcome follow-up")
        default: return Text(key, key)
        }
    }

    /// The shipped schedules (sources in `ServicesCoreModule`): the first visit after an insertion or a
    /// removal falls in the 30–60 days of the 2005 norm; later ones count from the visit before.
    public static let shipped = FollowUpSchedules([
        // 上环: months 1, 3, 6, 12 (counted from the insertion: 1, +2, +3, +6), then yearly.
        ServiceKind.iudInsertion.rawValue: FollowUpSchedule(steps: [
            FollowUpStep(after: Offset(days: 30), opens: 0, overdue: 30, expires: 60),
            FollowUpStep(after: Offset(months: 2), opens: 14, overdue: 30, expires: 60),
            FollowUpStep(after: Offset(months: 3), opens: 14, overdue: 30, expires: 60),
            FollowUpStep(after: Offset(months: 6), opens: 30, overdue: 30, expires: 90),
        ], then: FollowUpStep(after: Offset(months: 12), opens: 30, overdue: 60, expires: 120)),
        ServiceKind.iudRemoval.rawValue: FollowUpSchedule(steps: [FollowUpStep(after: Offset(days: 30), opens: 0, overdue: 30, expires: 60)]),
        ServiceKind.implantInsertion.rawValue: FollowUpSchedule(steps: [FollowUpStep(after: Offset(days: 30), opens: 0, overdue: 30, expires: 60)],
                                                                then: FollowUpStep(after: Offset(months: 12), opens: 30, overdue: 60, expires: 120)),
        ServiceKind.implantRemoval.rawValue: FollowUpSchedule(steps: [FollowUpStep(after: Offset(days: 90), opens: 0, overdue: 90, expires: 120)]),
        // 结扎: 3–7 days after, then months 3 and 6.
        ServiceKind.sterilisation.rawValue: FollowUpSchedule(steps: [
            FollowUpStep(after: Offset(days: 3), opens: 0, overdue: 4, expires: 30),
            FollowUpStep(after: Offset(months: 3), opens: 14, overdue: 30, expires: 60),
            FollowUpStep(after: Offset(months: 3), opens: 14, overdue: 30, expires: 60),
        ]),
        // 人流: months 1, 3 and 6 (post-abortion contraception).
        ServiceKind.abortion.rawValue: FollowUpSchedule(steps: [
            FollowUpStep(after: Offset(months: 1), opens: 7, overdue: 14, expires: 45),
            FollowUpStep(after: Offset(months: 2), opens: 14, overdue: 30, expires: 60),
            FollowUpStep(after: Offset(months: 3), opens: 14, overdue: 30, expires: 60),
        ]),
        // Injectable every 12 weeks: due day 84, overdue day 91.
        ContraceptiveMethod.injectable.rawValue: FollowUpSchedule(steps: [], then: FollowUpStep(after: Offset(days: 84), opens: 7, overdue: 7, expires: 36)),
        // Pills and condoms: monthly resupply, overdue a week later.
        ContraceptiveMethod.oralPill.rawValue: FollowUpSchedule(steps: [], then: FollowUpStep(after: Offset(months: 1), opens: 5, overdue: 7, expires: 30)),
        ContraceptiveMethod.condom.rawValue: FollowUpSchedule(steps: [], then: FollowUpStep(after: Offset(months: 1), opens: 5, overdue: 7, expires: 30)),
        // 国家基本公共卫生服务规范（第三版）: a home visit within a week of the birth, the check at 42 days.
        postpartum: FollowUpSchedule(steps: [
            FollowUpStep(after: Offset(days: 3), opens: 3, overdue: 4, expires: 21),
            FollowUpStep(after: Offset(days: 42), opens: 7, overdue: 7, expires: 30),
        ], fromStart: true),
        // The newborn visit within a week, 满月 at 28–30 days, then 3, 6, 8, 12, 18, 24, 30 and 36 months.
        childHealth: FollowUpSchedule(steps: [
            FollowUpStep(after: Offset(days: 3), opens: 3, overdue: 4, expires: 21),
            FollowUpStep(after: Offset(days: 28), opens: 0, overdue: 3, expires: 21),
        ] + [3, 6, 8, 12, 18, 24, 30, 36].map { FollowUpStep(after: Offset(months: $0), opens: 14, overdue: 30, expires: 60) }, fromStart: true),
        // 孕前优生: no official windows were found (DOMAIN-RULES §2.4), so these are configuration: the
        // early-pregnancy follow-up from 4 to 6 months after the check (conception is advised 4–6 months
        // after it), the outcome follow-up about 10 months after the pregnancy was found.
        prePregnancyEarly: FollowUpSchedule(steps: [FollowUpStep(after: Offset(months: 6), opens: 61, overdue: 30, expires: 180)]),
        prePregnancyOutcome: FollowUpSchedule(steps: [FollowUpStep(after: Offset(days: 300), opens: 30, overdue: 60, expires: 180)]),
    ])
}

/// A visit's state on a day. Every list, page, API, command and rate asks `FollowUp.status(on:)`.
public enum FollowUpStatus: String, Sendable, Codable, CaseIterable {
    case notYetDue = "not-yet-due", due, overdue, expired, done, closed
    public var label: Text {
        switch self {
        case .notYetDue: Text("未到期", "Not yet due")
        case .due: Text("应随访", "Due")
        case .overdue: Text("已逾期", "Overdue")
        case .expired: Text("已失访", "Missed")
        case .done: Text("已随访", "Done")
        case .closed: Text("已终止", "Closed")
        }
    }
}

/// 随访结果: what a visit found.
public enum FollowUpFinding: String, Sendable, Codable, CaseIterable {
    case normal, sideEffect = "side-effect", complication, methodFailure = "method-failure", pregnancy, referral
    /// 已发放药具: a resupply visit made by handing out supplies (no clinical finding is implied).
    case resupplied
    public var label: Text {
        switch self {
        case .resupplied: Text("已发放药具", "Supplies handed out")
        case .normal: Text("正常", "Normal")
        case .sideEffect: Text("副作用", "Adverse effect")
        case .complication: Text("并发症", "Complication")
        case .methodFailure: Text("避孕失败", "Method failure")
        case .pregnancy: Text("怀孕", "Pregnancy")
        case .referral: Text("转诊", "Referral")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 随访: one scheduled visit after a service or for a method user. Only the next visit of a schedule
/// exists at a time; recording it schedules the one after, counted from the day it was made.
public struct FollowUp: Sendable, Codable, Equatable {
    public var id: UUID
    public var personID: UUID
    public var personName: String
    /// The schedule it belongs to (a service kind or a method code) and its place in it (0 = first).
    public var schedule: String
    public var step: Int
    public var opens: String
    public var due: String
    public var overdueOn: String
    public var expires: String
    public var doneOn: String?
    public var findings: String?
    public var nextAction: String?
    /// Why it ended without a visit (the person died, the method stopped).
    public var closedReason: String?
    public var unitCode: String
    public var unitName: String
    /// The unit it was handed over from when the person moved (the old unit sees it as handed over).
    public var handedOverFrom: String?
    /// The day the schedule started (a birth, a service), which `fromStart` schedules count from.
    public var anchor: String?
    public init(id: UUID, personID: UUID, personName: String, schedule: String, step: Int, opens: String, due: String, overdueOn: String,
                expires: String, doneOn: String? = nil, findings: String? = nil, nextAction: String? = nil, closedReason: String? = nil,
                unitCode: String, unitName: String, handedOverFrom: String? = nil) {
        self.id = id; self.personID = personID; self.personName = personName; self.schedule = schedule; self.step = step
        self.opens = opens; self.due = due; self.overdueOn = overdueOn; self.expires = expires; self.doneOn = doneOn
        self.findings = findings; self.nextAction = nextAction; self.closedReason = closedReason
        self.unitCode = unitCode; self.unitName = unitName; self.handedOverFrom = handedOverFrom; self.anchor = nil
    }

    /// The visit's window from the day it counts from.
    public static func window(_ step: FollowUpStep, from day: Day) -> (opens: Day, due: Day, overdue: Day, expires: Day) {
        let due = step.after.from(day)
        return (due.adding(days: -step.opens), due, due.adding(days: step.overdue), due.adding(days: step.expires))
    }

    /// The one rule for a visit's state on `day`: done or closed once recorded; else not yet due before
    /// it opens, due until it is overdue, overdue until it expires, then expired (missed).
    public func status(on day: Day) -> FollowUpStatus {
        if doneOn != nil { return .done }
        if closedReason != nil { return .closed }
        let d = day.description
        if d < opens { return .notYetDue }
        if d < overdueOn { return .due }
        if d < expires { return .overdue }
        return .expired
    }

    /// Whether the visit was made inside its window (opened, not expired): what the follow-up rate counts.
    public var doneInWindow: Bool { doneOn.map { $0 >= opens && $0 < expires } ?? false }
}

extension FollowUp {
    /// The visit with the day its schedule started.
    public func anchored(_ day: String?) -> FollowUp { var f = self; f.anchor = day; return f }
}
