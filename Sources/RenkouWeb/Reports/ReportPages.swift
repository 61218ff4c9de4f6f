import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 统计报表: who has reported a month (on time, late, not at all) with the completeness and
/// timeliness per level; a unit's report with its figures live and as submitted, every version,
/// submit, accept or send back; XLSX in the form's layout; printable.
enum ReportPages {
    static let strings: [String: Text] = [
        "reports": Text("统计月报", "Monthly reports"),
        "reports_intro": Text("各社区、街道每月 5 日前报送上月报表，数字由系统按实时数据生成；上级审核通过后锁定，之后的更正作为新版本上报并显示差异。",
                              "Each community and street sends last month's report by the 5th, its figures generated from the live records; once the level above accepts it, it is locked, and a later correction goes up as a new version with its differences."),
        "reports_month": Text("月份", "Month"),
        "reports_show": Text("查看", "Show"),
        "reports_level": Text("层级", "Level"),
        "reports_expected": Text("应报", "Expected"),
        "reports_submitted": Text("已报", "Submitted"),
        "reports_on_time": Text("按时", "On time"),
        "reports_accepted": Text("已审核", "Accepted"),
        "reports_completeness": Text("完整率", "Completeness"),
        "reports_timeliness": Text("及时率", "Timeliness"),
        "reports_state": Text("状态", "State"),
        "reports_not_submitted": Text("未上报", "Not submitted"),
        "reports_due": Text("报送期限", "Due"),
        "reports_first_submitted": Text("首次上报", "First submitted"),
        "reports_late": Text("逾期天数", "Days late"),
        "reports_was_late": Text("逾期上报", "Late"),
        "reports_version": Text("版本", "Version"),
        "reports_line": Text("项目", "Item"),
        "reports_this_month": Text("本月", "This month"),
        "reports_cumulative": Text("累计", "Year to date"),
        "reports_live": Text("实时数据", "Live"),
        "reports_as_submitted": Text("上报数", "As submitted"),
        "reports_changed_since": Text("上报后数据有变化", "Changed since submitted"),
        "reports_submit": Text("上报", "Submit"),
        "reports_note": Text("说明", "Note"),
        "reports_accept": Text("审核通过", "Accept"),
        "reports_return": Text("退回", "Send back"),
        "reports_return_note": Text("退回意见（退回时必填）", "What to correct (needed to send it back)"),
        "reports_versions": Text("版本记录", "Versions"),
        "reports_reviewed": Text("审核", "Review"),
        "reports_changes": Text("与上一版的差异", "Changes from the version before"),
        "reports_download": Text("下载 Excel", "Download XLSX"),
        "reports_print": Text("打印", "Print"),
        "reports_none_submitted": Text("尚未上报。", "Not submitted yet."),
        "reports_none": Text("暂无需报送的单位。", "No unit sends this report here."),
        "reports_correct": Text("更正上报", "Submit a correction"),
        "reports_correct_note": Text("更正原因（必填）", "Why it is corrected (needed)"),
    ]

    static func stateLabel(_ s: ReportState?, _ lang: Lang) -> String { s.map { $0.label(lang) } ?? strings["reports_not_submitted"]!(lang) }
    static func percent(_ n: Int, _ d: Int) -> String { d == 0 ? "—" : String(format: "%.1f%%", Double(n) * 100 / Double(d)) }
    static func month(_ request: Request, _ deps: AppDeps, form: String? = nil) -> String {
        (form ?? request.query("month"))?.nilIfEmpty ?? ReportStore.lastMonth(on: Day(deps.stores.env.now()))
    }
    static func sheetHref(unit: String, month: String) -> String { SitePath.query("/reports/sheet", [("unit", unit), ("month", month)]) }

    /// The form's layout as rows for the spreadsheet: title, unit and month, then each section's lines
    /// with the month's and the year-to-date figures.
    static func rows(_ sheet: ReportSheet, figures: [ReportFigure], version: Report?, lang: Lang) -> [[String]] {
        let byLine = Dictionary(figures.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [[String]] = [[sheet.form.name(lang)], [sheet.unitName, sheet.unitCode, sheet.month],
                                [strings["reports_version"]!(lang), version.map { "\($0.version) · \($0.state.label(lang)) · \($0.submittedOn)" } ?? strings["reports_live"]!(lang)],
                                [strings["reports_line"]!(lang), strings["reports_this_month"]!(lang), "\(strings["reports_cumulative"]!(lang)) (\(sheet.cumulativePeriod))"]]
        for section in sheet.form.sections {
            rows.append([section.title(lang)])
            for line in section.lines {
                let f = byLine[line.code]
                rows.append([line.label(lang), f?.month.map(String.init) ?? "—", f?.cumulative.map(String.init) ?? "—"])
            }
        }
        return rows
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/reports") { request, context -> Response in
            _ = try context.require(.reports(.read))
            let lang = context.lang, month = Self.month(request, deps)
            let unit = request.query("unit")?.nilIfEmpty
            let (units, rates) = try await deps.stores.reports.status(month: month, unit: unit, in: context.scope)
            let choices = try await deps.stores.orgs.list(levels: [.district, .street], in: context.scope)
            struct ReportRateRow { let level: String; let expected: Int; let submitted: Int; let onTime: Int; let accepted: Int; let completeness: String; let timeliness: String }
            struct ReportUnitRow { let unit: String; let href: String; let level: String; let state: String; let version: Int; let due: String; let first: String; let late: Int; let behind: Bool; let waiting: Bool }
            struct ReportPageView { let month: String; let rates: [ReportRateRow]; let units: [ReportUnitRow]; let hasUnits: Bool; let choices: [FormField.Option] }
            let view = ReportPageView(month: month,
                            rates: rates.map { ReportRateRow(level: $0.level.label(lang), expected: $0.expected, submitted: $0.submitted, onTime: $0.onTime, accepted: $0.accepted,
                                                       completeness: percent($0.submitted, $0.expected), timeliness: percent($0.onTime, $0.expected)) },
                            units: units.map { u in
                                ReportUnitRow(unit: u.unitName, href: sheetHref(unit: u.unitCode, month: month), level: u.level.label(lang), state: stateLabel(u.state, lang), version: u.version,
                                        due: u.dueOn, first: u.firstSubmittedOn ?? "—", late: u.daysLate, behind: u.daysLate > 0,
                                        waiting: u.state == .submitted)
                            }, hasUnits: !units.isEmpty,
                            choices: FormField.unitOptions(choices, selected: unit, empty: Text("全部", "All"), lang: lang))
            return deps.renderer.html("reports/status", title: Text("统计月报", "Monthly reports"), model: view, context: context, request: request)
        }

        @Sendable func sheetPage(_ error: RenkouError?, request: Request, context: AppContext, unit: String?, month: String) async throws -> Response {
            let account = try context.require(.reports(.read))
            let lang = context.lang
            let sheet = try await deps.stores.reports.sheet(unit: unit, month: month, in: context.scope)
            let latest = sheet.latest
            let submitted = Dictionary((latest?.figures ?? []).map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
            let live = Dictionary(sheet.live.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
            let labels = Dictionary(sheet.form.lines.map { ($0.code, $0.label(lang)) }, uniquingKeysWith: { a, _ in a })
            func n(_ v: Int?) -> String { v.map(String.init) ?? "—" }
            struct ReportLineRow { let label: String; let month: String; let cumulative: String; let sentMonth: String; let sentCumulative: String; let changed: Bool }
            struct ReportSectionView { let title: String; let lines: [ReportLineRow] }
            struct ReportChangeView { let line: String; let before: String; let after: String }
            struct ReportVersionView { let id: String; let version: Int; let state: String; let submittedOn: String; let submittedBy: String; let late: Bool; let note: String?
                             let reviewedOn: String?; let reviewedBy: String?; let reviewNote: String?; let changes: [ReportChangeView]; let hasChanges: Bool; let canReview: Bool }
            struct ReportPageView { let formName: String; let unit: String; let unitCode: String; let month: String; let due: String; let cumulativePeriod: String; let sections: [ReportSectionView]
                          let hasSubmitted: Bool; let versions: [ReportVersionView]; let blocked: String?; let canSubmit: Bool; let isCorrection: Bool; let xlsx: String; let message: String? }
            // a report is reviewed by the level directly above its unit (an administrator may too), never by who submitted it
            let unit = try await deps.stores.orgs.unit(code: sheet.unitCode, in: context.scope)
            let parent = try await unit?.parentID.asyncMap { try await deps.stores.orgs.unit(id: $0, in: .everything) }
            let above = account.role == .admin ? context.scope.path != unit?.path : parent??.path == context.scope.path
            let view = ReportPageView(formName: sheet.form.name(lang), unit: sheet.unitName, unitCode: sheet.unitCode, month: sheet.month, due: sheet.dueOn, cumulativePeriod: sheet.cumulativePeriod,
                            sections: sheet.form.sections.map { s in
                                ReportSectionView(title: s.title(lang), lines: s.lines.map { l in
                                    let a = live[l.code], b = submitted[l.code]
                                    return ReportLineRow(label: l.label(lang), month: n(a?.month), cumulative: n(a?.cumulative), sentMonth: n(b?.month), sentCumulative: n(b?.cumulative),
                                                   changed: b != nil && (a?.month != b?.month || a?.cumulative != b?.cumulative))
                                })
                            },
                            hasSubmitted: latest != nil,
                            versions: sheet.versions.reversed().map { v in
                                ReportVersionView(id: v.id.text, version: v.version, state: v.state.label(lang), submittedOn: v.submittedOn, submittedBy: v.submittedBy, late: v.late, note: v.note,
                                        reviewedOn: v.reviewedOn, reviewedBy: v.reviewedBy, reviewNote: v.reviewNote,
                                        changes: v.changes.map { ReportChangeView(line: labels[$0.line] ?? $0.line, before: "\(n($0.before)) / \(n($0.cumulativeBefore))", after: "\(n($0.after)) / \(n($0.cumulativeAfter))") }, hasChanges: !v.changes.isEmpty,
                                        canReview: v.id == latest?.id && v.state == .submitted && above && v.submittedBy != account.username && account.role.can(.reports(.approve)))
                            },
                            blocked: sheet.blocked?(lang), canSubmit: sheet.blocked == nil && account.role.can(.reports(.write)),
                            isCorrection: sheet.versions.contains { $0.state == .accepted },
                            xlsx: SitePath.query("/reports/sheet.xlsx", [("unit", sheet.unitCode), ("month", sheet.month)]), message: AssessmentPages.message(error, lang))
            return deps.renderer.html("reports/sheet", title: Text("统计月报", "Monthly report"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/reports/sheet") { request, context -> Response in
            try await sheetPage(nil, request: request, context: context, unit: request.query("unit"), month: Self.month(request, deps))
        }
        router.post("/reports/sheet") { request, context -> Response in
            _ = try context.require(.reports(.write))
            let f = try await RenkouWeb.Form.read(request, context: context)
            let month = Self.month(request, deps, form: f["month"])
            do {
                let r = try await deps.stores.reports.submit(unit: f["unit"], month: month, note: f["note"], in: context.scope, by: context.actor)
                return Redirect.to(sheetHref(unit: r.unitCode, month: r.month), notice: Text("已上报。", "Submitted."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await sheetPage(error, request: request, context: context, unit: f["unit"], month: month)
            }
        }
        router.post("/reports/{id}/review") { request, context -> Response in
            _ = try context.require(.reports(.approve))
            let id = try context.uuid("id", Text("报表", "report"))
            let f = try await RenkouWeb.Form.read(request, context: context)
            let report = try await deps.stores.reports.report(id, in: context.scope)
            do {
                let r = try await deps.stores.reports.review(id, accept: f["decision"] == "accept", note: f["note"], in: context.scope, by: context.actor)
                return Redirect.to(sheetHref(unit: r.unitCode, month: r.month), notice: r.state == .accepted ? Text("已审核通过。", "Accepted.") : Text("已退回。", "Sent back."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await sheetPage(error, request: request, context: context, unit: report.unitCode, month: report.month)
            }
        }
        router.get("/reports/sheet.xlsx") { request, context -> Response in
            _ = try context.require(.reports(.read))
            let sheet = try await deps.stores.reports.sheet(unit: request.query("unit"), month: Self.month(request, deps), in: context.scope)
            // the latest version as submitted, or the live figures before it is
            var batches = [rows(sheet, figures: sheet.latest?.figures ?? sheet.live, version: sheet.latest, lang: context.lang)]
            return try await ImportPages.xlsxResponse(name: "report-\(sheet.unitCode)-\(sheet.month).xlsx") { batches.popLast() }
        }
        // the click-through of the reporting rates: a unit's report for last month
        router.get("/reports/units/{id}") { request, context -> Response in
            _ = try context.require(.reports(.read))
            let id = try context.uuid("id", Text("单位", "unit"))
            guard let u = try await deps.stores.orgs.unit(id: id, in: context.scope) else { throw RenkouError.notFound(Text("单位", "unit")) }
            return Redirect.to(sheetHref(unit: u.code, month: Self.month(request, deps)))
        }
    }
}
