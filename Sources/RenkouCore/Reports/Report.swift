import Foundation

/// 统计报表: the monthly report forms (as policy data), each filled from live figures for a unit and
/// month, submitted by the unit, accepted or sent back by the level above, locked once accepted (a
/// later correction is a new version); completeness and timeliness per level.
public struct ReportsCoreModule: CoreModule {
    public init() {}
    public let name = "reports"
    public var grants: [Grant] {
        // leaders (viewer) read the reports and who is late: figures only, no person
        [Grant(.reports(.read), [.admin, .district, .street, .community, .viewer]),
         // a unit's report submitted (or corrected)
         Grant(.reports(.write), [.admin, .district, .street, .community]),
         // a report of a unit below accepted or sent back
         Grant(.reports(.approve), [.admin, .district, .street])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.reportForms.declare([
            (Day(year: 2008, month: 1, day: 1)!, [ReportForm.monthly(cumulative: .statisticalYear)],
             "人口和计划生育统计月报（seed 002、004：次月 5 日前报送（社区 3 日前报街道，街道 5 日前报区，各地自定；逢节假日顺延）；计划生育统计年度为上年 10 月 1 日至本年 9 月 30 日，累计数按统计年度）"),
            (Day(year: 2016, month: 1, day: 1)!, [ReportForm.monthly(cumulative: .year)],
             "人口和家庭发展统计月报（次月 5 日前报送：社区 3 日前报街道、街道 5 日前报区，逢节假日顺延，逐级审核；2016 年起统计年度改按公历年，累计数自 1 月 1 日起）"),
        ])]
    }
}

extension Permission {
    /// A permission of the reports module.
    public static func reports(_ action: Action) -> Permission { Permission("reports", action) }
}

/// 报表: a form as data — its sections of lines, each line filled by a measure that a module
/// registers (`registry.births`), the day of the next month it is due on, the levels that report,
/// and the period its cumulative column runs over (the calendar year, or the statistical year of
/// older forms).
public struct ReportForm: Sendable, Codable, Equatable {
    /// A stable code (`monthly`).
    public var code: String
    public var name: Text
    /// 报送期限: per level, the day of the following month by which its report is due (a community
    /// by the 3rd, so that its street can add up and send by the 5th); a day off moves it to the next
    /// working day.
    public var dueDays: [String: Int]
    /// 累计: the period the year-to-date column adds up (`year`, `statistical-year`).
    public var cumulative: Period.Kind
    /// The levels whose units report (communities, then streets).
    public var levels: [OrgLevel]
    public var sections: [ReportSection]
    public init(code: String, name: Text, dueDays: [String: Int], cumulative: Period.Kind, levels: [OrgLevel], sections: [ReportSection]) {
        self.code = code; self.name = name; self.dueDays = dueDays; self.cumulative = cumulative; self.levels = levels; self.sections = sections
    }

    /// Every line of the form, in order.
    public var lines: [ReportLine] { sections.flatMap(\.lines) }

    /// The day of the next month a level's report is due on (the latest level's when it has none).
    public func dueDay(for level: OrgLevel) -> Int { dueDays[level.rawValue] ?? dueDays.values.max() ?? 5 }

    /// The day a level's report for a month is due: its day of the month after (the month's last day
    /// when that month is shorter), moved on to the next working day of `calendar` when it falls on a
    /// day off (September's, due in the National Day holiday).
    public func due(for month: Day, level: OrgLevel, calendar: WorkingDayCalendar? = nil) -> Day {
        let y = month.month == 12 ? month.year + 1 : month.year, m = month.month == 12 ? 1 : month.month + 1
        var d = Day(year: y, month: m, day: min(max(dueDay(for: level), 1), Day.daysIn(month: m, year: y)))!
        if let calendar { while !calendar.isWorkingDay(d) { d = d.adding(days: 1) } }
        return d
    }

    /// The last due day of a month's reports (the highest reporting level's).
    public func lastDue(for month: Day, calendar: WorkingDayCalendar? = nil) -> Day {
        levels.map { due(for: month, level: $0, calendar: calendar) }.max() ?? due(for: month, level: .district, calendar: calendar)
    }

    static let population = Text("一、人口变动", "1. Population change"), contraception = Text("二、避孕节育（已婚育龄妇女，月末）", "2. Contraception (married women of reproductive age, month end)")
    static let procedures = Text("三、计划生育手术", "3. Family-planning procedures"), migrants = Text("四、流动人口", "4. Floating population")
    static let births = Text("五、生育登记与奖励扶助", "5. Birth registration and benefits"), supplies = Text("六、避孕药具", "6. Contraceptive supplies")
    static let outreach = Text("七、宣传教育", "7. Publicity and education")

    static func line(_ code: String, _ zh: String, _ en: String, _ measure: String? = nil) -> ReportLine {
        ReportLine(code: code, label: Text(zh, en), measure: measure ?? code)
    }

    /// 人口和计划生育统计月报: the shipped monthly form, filled from every module's measures.
    public static func monthly(cumulative: Period.Kind) -> ReportForm {
        ReportForm(code: "monthly", name: Text("人口和计划生育统计月报", "Monthly population and family-planning report"), dueDays: ["community": 3, "street": 5], cumulative: cumulative,
                   levels: [.community, .street], sections: [
            ReportSection(title: population, lines: [
                line("registry.population", "月末登记人口（不含流入人口）", "Registered population at month end (the inflow in section 4)"),
                line("registry.births", "出生人数", "Births"),
                line("registry.births.male", "　其中：男", "  of them boys"),
                line("registry.births.female", "　　　　女", "  of them girls"),
                line("registry.births.order1", "　一孩", "  first child"),
                line("registry.births.order2", "　二孩", "  second child"),
                line("registry.births.order3", "　三孩及以上", "  third child or later"),
                line("registry.deaths", "死亡人数", "Deaths"),
                line("registry.marriages", "结婚登记（对）", "Marriages (couples)"),
                line("registry.divorces", "离婚（对）", "Divorces (couples)"),
                line("registry.moves-in", "迁入人数", "Moved in"),
                line("registry.moves-out", "迁出人数", "Moved out"),
            ]),
            ReportSection(title: contraception, lines: [
                line("services.married-wra", "已婚育龄妇女", "Married women of reproductive age"),
                line("services.users", "落实避孕措施", "Using a method"),
                line("services.users.sterilisation", "　绝育（男、女）", "  sterilisation (female or male)"),
                line("services.users.iud", "　宫内节育器", "  IUD"),
                line("services.users.implant", "　皮下埋植", "  implant"),
                line("services.users.injectable", "　避孕针", "  injectable"),
                line("services.users.pill", "　口服避孕药", "  oral pill"),
                line("services.users.condom", "　避孕套", "  condom"),
                line("services.users.other", "　其他", "  other"),
            ]),
            ReportSection(title: procedures, lines: [
                line("services.procedures.iud-insertion", "放置宫内节育器", "IUD insertions"),
                line("services.procedures.iud-removal", "取出宫内节育器", "IUD removals"),
                line("services.procedures.implant-insertion", "皮下埋植", "Implant insertions"),
                line("services.procedures.sterilisation", "绝育术", "Sterilisations"),
                line("services.procedures.abortion", "人工流产", "Induced abortions"),
            ]),
            ReportSection(title: migrants, lines: [
                line("migrants.inflow", "月末流入人口", "Inflow migrants at month end"),
                line("migrants.arrived", "本月新登记流入", "Inflow registered this month"),
                line("migrants.outflow", "月末流出人口", "Outflow at month end"),
                line("migrants.certificates", "出具婚育证明", "Marriage and childbearing certificates issued"),
            ]),
            ReportSection(title: births, lines: [
                line("births.registrations", "办结生育登记", "Birth registrations decided"),
                line("births.benefits-paid", "奖励扶助发放（人次）", "Benefit payments made"),
            ]),
            ReportSection(title: supplies, lines: [
                line("supplies.dispensed", "药具发放（件）", "Supplies handed out (units)"),
                line("supplies.vended", "自助发放机发放（件）", "Supplies from machines (units)"),
                line("supplies.recipients", "领取药具人数", "People handed supplies"),
            ]),
            ReportSection(title: outreach, lines: [
                line("outreach.activities", "宣传培训活动（场）", "Publicity and training activities"),
                line("outreach.headcount", "参加人次", "Attendance"),
            ]),
        ])
    }
}

/// A section of a form: a title and its lines.
public struct ReportSection: Sendable, Codable, Equatable {
    public var title: Text
    public var lines: [ReportLine]
    public init(title: Text, lines: [ReportLine]) { self.title = title; self.lines = lines }
}

/// A line of a form: its code (unique in the form), its label, and the measure that fills it.
public struct ReportLine: Sendable, Codable, Equatable {
    public var code: String
    public var label: Text
    public var measure: String
    public init(code: String, label: Text, measure: String) { self.code = code; self.label = label; self.measure = measure }
}

extension PolicyRule where Value == [ReportForm] {
    /// 统计报表表式.
    public static let reportForms = PolicyRule("reports.forms", Text("统计报表表式", "Report forms"))
}

/// A line's two figures: the month's, and the year to date (a stock such as the population at month
/// end reads the same in both). Nil where no module of this deployment measures it.
public struct ReportFigure: Sendable, Codable, Equatable {
    public var line: String
    public var month: Int?
    public var cumulative: Int?
    public init(line: String, month: Int?, cumulative: Int?) { self.line = line; self.month = month; self.cumulative = cumulative }
}

/// Where a version of a report stands.
public enum ReportState: String, Sendable, Codable, CaseIterable {
    /// 已上报: waiting for the level above.
    case submitted
    /// 已退回: sent back with a note; the unit corrects it and submits a new version.
    case returned
    /// 已审核: accepted and locked; a later correction is a new version.
    case accepted

    public var label: Text {
        switch self {
        case .submitted: Text("已上报待审核", "Submitted")
        case .returned: Text("已退回", "Sent back")
        case .accepted: Text("已审核通过", "Accepted")
        }
    }
}

/// 报表: one version of a unit's report for a month, with the figures it was submitted with.
public struct Report: Sendable, Codable, Equatable {
    public var id: UUID
    public var form: String
    public var unitCode: String
    public var unitName: String
    /// `2026-10`.
    public var month: String
    /// 1 for the first submission; each resubmission or correction adds one.
    public var version: Int
    public var state: ReportState
    public var figures: [ReportFigure]
    public var submittedOn: String
    public var submittedBy: String
    public var note: String?
    public var dueOn: String
    /// Submitted after its due day (this version).
    public var late: Bool
    public var reviewedOn: String?
    public var reviewedBy: String?
    public var reviewNote: String?
    /// The lines that differ from the version before (either column).
    public var changes: [ReportChange]
    public init(id: UUID, form: String, unitCode: String, unitName: String, month: String, version: Int, state: ReportState, figures: [ReportFigure], submittedOn: String,
                submittedBy: String, note: String?, dueOn: String, late: Bool, reviewedOn: String?, reviewedBy: String?, reviewNote: String?, changes: [ReportChange] = []) {
        self.id = id; self.form = form; self.unitCode = unitCode; self.unitName = unitName; self.month = month; self.version = version; self.state = state; self.figures = figures
        self.submittedOn = submittedOn; self.submittedBy = submittedBy; self.note = note; self.dueOn = dueOn; self.late = late; self.reviewedOn = reviewedOn
        self.reviewedBy = reviewedBy; self.reviewNote = reviewNote; self.changes = changes
    }
}

/// A line whose figure changed between two versions.
public struct ReportChange: Sendable, Codable, Equatable {
    public var line: String
    /// The month's figure before and after.
    public var before: Int?
    public var after: Int?
    /// The year-to-date figure before and after.
    public var cumulativeBefore: Int?
    public var cumulativeAfter: Int?
    public init(line: String, before: Int?, after: Int?, cumulativeBefore: Int? = nil, cumulativeAfter: Int? = nil) {
        self.line = line; self.before = before; self.after = after; self.cumulativeBefore = cumulativeBefore; self.cumulativeAfter = cumulativeAfter
    }

    /// The lines whose month or year-to-date figure changed from `old` to `new`.
    public static func between(_ old: [ReportFigure], _ new: [ReportFigure]) -> [ReportChange] {
        let before = Dictionary(old.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        return new.compactMap { f in
            let b = before[f.line]
            return b?.month == f.month && b?.cumulative == f.cumulative ? nil
                : ReportChange(line: f.line, before: b?.month, after: f.month, cumulativeBefore: b?.cumulative, cumulativeAfter: f.cumulative)
        }
    }
}

/// 报送情况: where a unit's report for a month stands (latest version), for the list of who is late.
public struct ReportStatus: Sendable, Codable, Equatable {
    public var unitCode: String
    public var unitName: String
    public var level: OrgLevel
    /// The unit above (a community's street).
    public var parentCode: String?
    public var month: String
    public var dueOn: String
    /// The latest version's state; nil: not submitted.
    public var state: ReportState?
    /// What stands: the latest version not sent back (an accepted one stays when its correction is
    /// sent back); nil: nothing stands (not submitted, or sent back and not yet sent again).
    public var standing: ReportState?
    public var version: Int
    /// The first submission's day.
    public var firstSubmittedOn: String?
    /// The first submission came by the due day.
    public var onTime: Bool
    /// Days past due: of the first submission, or (nothing standing) up to today; 0 when on time or not yet due.
    public var daysLate: Int
    public var reportID: UUID?
    public init(unitCode: String, unitName: String, level: OrgLevel, parentCode: String?, month: String, dueOn: String, state: ReportState?, standing: ReportState?, version: Int,
                firstSubmittedOn: String?, onTime: Bool, daysLate: Int, reportID: UUID?) {
        self.unitCode = unitCode; self.unitName = unitName; self.level = level; self.parentCode = parentCode; self.month = month; self.dueOn = dueOn; self.state = state
        self.standing = standing
        self.version = version; self.firstSubmittedOn = firstSubmittedOn; self.onTime = onTime; self.daysLate = daysLate; self.reportID = reportID
    }
}

/// Completeness and timeliness of a level's reports for a month (DHIS2's reporting rates).
public struct ReportRates: Sendable, Codable, Equatable {
    public var level: OrgLevel
    public var expected: Int
    /// Submitted (any version still standing: submitted or accepted).
    public var submitted: Int
    /// The first version by the due day.
    public var onTime: Int
    public var accepted: Int
    public init(level: OrgLevel, expected: Int, submitted: Int, onTime: Int, accepted: Int) {
        self.level = level; self.expected = expected; self.submitted = submitted; self.onTime = onTime; self.accepted = accepted
    }
}

/// The reports module's indicators: reporting completeness and timeliness over the reports that fell
/// due in the period (a month's report falls due on the 5th of the next).
public enum ReportIndicator {
    /// 报表及时率.
    public static let onTime = Indicator(code: "RP01-reports-on-time", module: "reports", name: Text("报表及时率", "Reports on time"),
                                         numerator: Text("按期（次月 5 日前）首次上报的月报", "Monthly reports first submitted by their due day"),
                                         denominator: Text("本期到期的月报（各社区、街道）", "Monthly reports due in the period (communities, streets)"),
                                         target: 1.0, period: .month)
    /// 报表完整率.
    public static let complete = Indicator(code: "RP02-reports-complete", module: "reports", name: Text("报表完整率", "Reports submitted"),
                                           numerator: Text("已上报（待审核或已通过）的月报", "Monthly reports submitted (waiting or accepted)"),
                                           denominator: Text("本期到期的月报", "Monthly reports due in the period"),
                                           target: 1.0, period: .month)
}

/// A unit's report for a month as its page shows it: the form, the figures live now, every version
/// submitted (oldest first), and whether it may be submitted now (or why not).
public struct ReportSheet: Sendable, Codable, Equatable {
    public var form: ReportForm
    public var unitCode: String
    public var unitName: String
    public var level: OrgLevel
    public var month: String
    /// The period the cumulative column adds up (`2026`, `2025-10/2026-09`).
    public var cumulativePeriod: String
    public var dueOn: String
    /// The figures from the records as they stand now.
    public var live: [ReportFigure]
    public var versions: [Report]
    /// Why it cannot be submitted now (the month not over, waiting for the level above, units below
    /// not yet accepted); nil when it can.
    public var blocked: Text?
    public init(form: ReportForm, unitCode: String, unitName: String, level: OrgLevel, month: String, cumulativePeriod: String, dueOn: String, live: [ReportFigure],
                versions: [Report], blocked: Text?) {
        self.form = form; self.unitCode = unitCode; self.unitName = unitName; self.level = level; self.month = month; self.cumulativePeriod = cumulativePeriod
        self.dueOn = dueOn; self.live = live; self.versions = versions; self.blocked = blocked
    }
    /// The latest version, if any.
    public var latest: Report? { versions.last }
}
