import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// How the task list shows one kind of task: its label, where its subject links to, and the one action
/// that does the task (register the person, ...). Each module contributes the kinds it makes.
struct TaskKindView: Sendable {
    let kind: FieldTask.Kind
    let label: Text
    let link: @Sendable (FieldTask) -> String?
    let action: (@Sendable (FieldTask) -> (href: String, label: Text)?)?
    init(_ kind: FieldTask.Kind, _ label: Text, link: @escaping @Sendable (FieldTask) -> String?,
         action: (@Sendable (FieldTask) -> (href: String, label: Text)?)? = nil) {
        self.kind = kind; self.label = label; self.link = link; self.action = action
    }
}

extension ExtensionPoint where Item == TaskKindView {
    /// Where modules say how their kinds of task are shown on the one list.
    static var taskKinds: ExtensionPoint<TaskKindView> { ExtensionPoint("tasks.kinds") }
}

/// 任务: the worker's list, overdue first, with the outcome recorded on closing.
enum TaskPages {
    /// How each module's kinds of task are shown, by kind.
    static func kinds(_ deps: AppDeps) -> [FieldTask.Kind: TaskKindView] {
        Dictionary(deps.extensions.all(.taskKinds).map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Due within the coming week and not overdue (the list's filter and the workbench's count).
    static func dueThisWeek(_ t: FieldTask, on today: Day) -> Bool { !t.isOverdue(on: today) && t.due <= today.adding(days: 7).description }

    /// One task as the list and the workbench print it; its action and close form for those who do tasks.
    static func row(_ t: FieldTask, kinds: [FieldTask.Kind: TaskKindView], canClose: Bool, today: Day, lang: Lang) -> TaskListView.Row {
        let view = kinds[t.kind]
        let action = canClose ? view?.action?(t) : nil
        return TaskListView.Row(kind: view?.label(lang) ?? t.kind.rawValue, kindCode: t.kind.rawValue, subject: t.subject, idNumber: t.idNumber ?? "",
                                note: t.note ?? "", unit: t.unitName, due: t.due, overdue: t.isOverdue(on: today),
                                href: view?.link(t) ?? t.personID.map(SitePath.person),
                                closeAction: canClose && t.isStored ? "/tasks/\(t.id.text)/close" : nil,
                                actionHref: action?.href, actionLabel: action?.label(lang), assignee: t.assignee ?? "",
                                assignHref: canClose ? "/tasks/\(t.id.text)/assign" : nil, household: t.household ?? "")
    }

    /// The list's "when" filters: overdue, due today, due this week.
    static func whens(_ today: Day) -> [(String, Text, @Sendable (FieldTask) -> Bool)] {
        let day = today.description
        return [
            ("", Text("全部", "All"), { _ in true }),
            ("overdue", Text("已逾期", "Overdue"), { $0.isOverdue(on: today) }),
            ("today", Text("今天到期", "Due today"), { $0.due == day }),
            ("week", Text("本周到期", "Due this week"), { dueThisWeek($0, on: today) }),
        ]
    }

    /// Rows under their household (户号 and address), households in the order of their first task;
    /// tasks about no person or an unknown address under 其他.
    static func groupByHousehold(_ rows: [TaskListView.Row], lang: Lang) -> [TaskListView.Group] {
        var groups: [TaskListView.Group] = []
        for r in rows {
            let title = r.household.isEmpty ? Text("其他（无住址）", "Other (no address)")(lang) : r.household
            if let i = groups.firstIndex(where: { $0.title == title }) { groups[i].rows.append(r) } else { groups.append(TaskListView.Group(title: title, rows: [r])) }
        }
        return groups
    }

    /// The report's days: the week (Monday to Sunday) or the calendar month holding `from` (today by default).
    static func reportPeriod(monthly: Bool, _ from: String?, today: Day) throws -> (Day, Day) {
        let day = try Day.parse(from, field: "from", default: today)
        if monthly { let p = Period.containing(day, .month); return (p.start, p.end) }
        let monday = day.adding(days: -(day.isoWeekday - 1))
        return (monday, monday.adding(days: 6))
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        let kinds = kinds(deps)
        router.get("/tasks") { request, context -> Response in
            let account = try context.require(.tasks(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let assigned = request.query("assigned") ?? ""
            let all = try await deps.stores.tasks.list(on: today, assigned: assigned == "me" ? account.username : assigned == "none" ? "" : nil, for: account.role, in: context.scope, by: context.actor)
            let canClose = account.role.can(.tasks(.write))
            let when = request.query("when") ?? "", kind = request.query("kind") ?? "", group = request.query("group") ?? ""
            let whenFilter = whens(today).first { $0.0 == when }?.2 ?? { _ in true }
            let tasks = all.filter { whenFilter($0) && (kind.isEmpty || $0.kind.rawValue == kind) }
            func href(when w: String, kind k: String, assigned a: String = assigned, group g: String = group) -> String {
                SitePath.query("/tasks", [("when", w), ("kind", k), ("assigned", a), ("group", g)])
            }
            let kindsPresent = Array(Set(all.map(\.kind.rawValue))).sorted()
            let rows = tasks.map { row($0, kinds: kinds, canClose: canClose, today: today, lang: lang) }
            let model = TaskListView(
                // Those who do the tasks see theirs; a leader or a provider sees the area's.
                heading: (canClose ? Text("我的任务", "My tasks") : Text("辖区任务", "Tasks of the area"))(lang),
                rows: rows,
                whenFilters: whens(today).map { w in TaskListView.TaskFilter(label: "\(w.1(lang)) \(all.filter(w.2).count)", href: href(when: w.0, kind: kind), active: w.0 == when) },
                kindFilters: [TaskListView.TaskFilter(label: Text("全部类别", "Every kind")(lang), href: href(when: when, kind: ""), active: kind.isEmpty)]
                    + kindsPresent.map { k in TaskListView.TaskFilter(label: "\(kinds[FieldTask.Kind(k)]?.label(lang) ?? k) \(all.filter { $0.kind.rawValue == k }.count)",
                                                               href: href(when: when, kind: k), active: k == kind) },
                assignFilters: [("", Text("全部", "Everyone's")), ("me", Text("指派给我", "Assigned to me")), ("none", Text("未指派", "Unassigned"))].map { a in
                    TaskListView.TaskFilter(label: a.1(lang), href: href(when: when, kind: kind, assigned: a.0), active: a.0 == assigned)
                },
                groups: group == "household" ? groupByHousehold(rows, lang: lang) : [],
                grouped: group == "household",
                groupHref: href(when: when, kind: kind, group: group == "household" ? "" : "household"),
                sheetHref: SitePath.query("/tasks/sheet", [("when", when), ("kind", kind), ("assigned", assigned)]),
                hasTasks: !tasks.isEmpty, outcomes: FieldTask.outcomes.map { TaskListView.Outcome(code: $0.code, label: $0.label(lang)) },
                summary: Text("共 \(tasks.count) 项，逾期 \(tasks.filter { $0.isOverdue(on: today) }.count) 项", "\(tasks.count) in all, \(tasks.filter { $0.isOverdue(on: today) }.count) overdue")(lang))
            return deps.renderer.html("tasks/list", title: Text("任务", "Tasks"), model: model, context: context, request: request)
        }
        // 入户清单: the same list, grouped by household, to print and carry on a round.
        router.get("/tasks/sheet") { request, context -> Response in
            let account = try context.require(.tasks(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let assigned = request.query("assigned") ?? "", when = request.query("when") ?? "", kind = request.query("kind") ?? ""
            let all = try await deps.stores.tasks.list(on: today, assigned: assigned == "me" ? account.username : assigned == "none" ? "" : nil, for: account.role, in: context.scope, by: context.actor)
            let whenFilter = whens(today).first { $0.0 == when }?.2 ?? { _ in true }
            let rows = all.filter { whenFilter($0) && (kind.isEmpty || $0.kind.rawValue == kind) }.map { row($0, kinds: kinds, canClose: false, today: today, lang: lang) }
            let model = TaskSheetView(heading: Text("入户任务清单", "Round sheet")(lang), meta: "\(account.unitName) · \(account.displayName) · \(today)",
                                      back: SitePath.query("/tasks", [("when", when), ("kind", kind), ("assigned", assigned)]), groups: groupByHousehold(rows, lang: lang),
                                      total: Text("共 \(rows.count) 项", "\(rows.count) tasks")(lang))
            return deps.renderer.html("tasks/sheet", title: Text("入户任务清单", "Round sheet"), model: model, context: context, request: request)
        }
        @Sendable func assignForm(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let people = try await deps.stores.tasks.assignees(in: context.scope)
            let model = AssignView(action: "/tasks/\(id.text)/assign", options: people.map { AssignView.Option(value: $0.username, label: "\($0.name)（\($0.unit)）") },
                                   message: error?.message(lang))
            return deps.renderer.html("tasks/assign", title: Text("指派任务", "Assign a task"), model: model, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/tasks/{id}/assign") { request, context -> Response in
            _ = try context.require(.tasks(.write))
            return try await assignForm(try context.uuid("id", Text("任务", "task")), error: nil, request: request, context: context)
        }
        router.post("/tasks/{id}/assign") { request, context -> Response in
            let account = try context.require(.tasks(.write))
            let id = try context.uuid("id", Text("任务", "task")), form = try await Form.read(request, context: context)
            do {
                try await deps.stores.tasks.assign(id, to: form["to"], in: context.scope, role: account.role, by: context.actor)
                return Redirect.to("/tasks", notice: (form["to"] ?? "").isEmpty ? Text("已取消指派。", "The assignment is removed.") : Text("已指派给 \(form["to"]!)。", "Assigned to \(form["to"]!)."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await assignForm(id, error: error, request: request, context: context)
            }
        }
        // 周汇报 and 月滚动跟踪排查: the work of a week or a month, from every module, in counts.
        router.get("/tasks/report") { request, context -> Response in
            let account = try context.require(.tasks(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let monthly = request.query("period") == "month"
            let (from, to) = try reportPeriod(monthly: monthly, request.query("from"), today: today)
            let lines = try await deps.stores.tasks.summary(from: from, to: to, in: context.scope)
            let step = monthly ? Period.containing(from.adding(days: -1), .month).start : from.adding(days: -7)
            let next = monthly ? to.adding(days: 1) : from.adding(days: 7)
            var sections: [ReportView.Section] = []
            for line in lines {
                let row = ReportView.Line(label: line.label(lang), count: line.count, warn: line.outstanding && line.count > 0)
                if let i = sections.firstIndex(where: { $0.title == line.section(lang) }) { sections[i].lines.append(row) }
                else { sections.append(ReportView.Section(title: line.section(lang), lines: [row])) }
            }
            let model = ReportView(
                heading: (monthly ? Text("月滚动跟踪排查", "Monthly rolling check list") : Text("周汇报", "Weekly report"))(lang),
                period: "\(account.unitName) · \(from) – \(to)", sections: sections,
                previous: SitePath.query("/tasks/report", [("period", monthly ? "month" : nil), ("from", step.description)]),
                next: next <= today ? SitePath.query("/tasks/report", [("period", monthly ? "month" : nil), ("from", next.description)]) : nil,
                other: monthly ? "/tasks/report" : "/tasks/report?period=month",
                otherLabel: (monthly ? Text("周汇报", "Weekly report") : Text("月滚动跟踪排查", "Monthly rolling check list"))(lang))
            return deps.renderer.html("tasks/report", title: Text("工作汇报", "Work report"), model: model, context: context, request: request)
        }
        router.post("/tasks/{id}/close") { request, context -> Response in
            let account = try context.require(.tasks(.write))
            let id = try context.uuid("id", Text("任务", "task"))
            let form = try await Form.read(request, context: context)
            _ = try await deps.stores.tasks.close(id, outcome: form["outcome"] ?? "", note: form["note"], in: context.scope, role: account.role, by: context.actor)
            return Redirect.to("/tasks", notice: Text("任务已关闭。", "The task is closed."))
        }

        @Sendable func visitForm(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            guard let personID = form["person"].flatMap(UUID.init(uuidString:)) else { throw RenkouError.notFound(Text("人员", "person")) }
            let person = try await deps.stores.persons.read(personID, in: context.scope, by: context.actor)
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "due", label: Text("期限", "Due")(lang), value: form["due"] ?? Day(deps.stores.env.now()).adding(days: 7).description, type: "date", required: true),
                FormField(name: "note", label: Text("核实事项", "What to check")(lang), value: form["note"] ?? ""),
            ], lang: lang)
            let model = VisitFormView(heading: Text("入户核实：\(person.name)", "Home visit: \(person.name)")(lang), action: "/tasks/new?person=\(personID.text)",
                                      back: SitePath.person(personID), backLabel: person.name, fields: fields, message: error?.message(lang))
            return deps.renderer.html("tasks/visit_form", title: Text("新建入户核实任务", "New home-visit task"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/tasks/new") { request, context -> Response in
            let account = try context.require(.tasks(.write))
            return try await visitForm(["person": request.query("person") ?? ""], error: nil, account: account, request: request, context: context)
        }

        router.post("/tasks/new") { request, context -> Response in
            let account = try context.require(.tasks(.write))
            let form = try await Form.read(request, context: context)
            var values = form.values; values["person"] = request.query("person") ?? ""
            do {
                guard let person = UUID(uuidString: values["person"] ?? "") else { throw RenkouError.notFound(Text("人员", "person")) }
                try await deps.stores.tasks.addHomeVisit(person: person, due: try Day.parse(form["due"], field: "due", default: Day(deps.stores.env.now()).adding(days: 7)),
                                                         note: form["note"], in: context.scope, by: context.actor)
                return Redirect.to("/tasks", notice: Text("已建立入户核实任务。", "The home-visit task is created."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await visitForm(values, error: error, account: account, request: request, context: context)
            }
        }
    }
}

/// The one task list: overdue first, each row with its link, its one action and the close form.
struct TaskListView {
    struct TaskFilter { let label: String; let href: String; let active: Bool }
    let heading: String
    struct Row {
        let kind: String, kindCode: String, subject: String, idNumber: String, note: String, unit: String, due: String
        let overdue: Bool
        let href: String?
        let closeAction: String?
        let actionHref: String?
        let actionLabel: String?
        let assignee: String
        let assignHref: String?
        let household: String
    }
    struct Group { let title: String; var rows: [Row] }
    struct Outcome { let code: String; let label: String }
    let rows: [Row]
    let whenFilters: [TaskFilter]
    let kindFilters: [TaskFilter]
    var assignFilters: [TaskFilter] = []
    var groups: [Group] = []
    var grouped = false
    var groupHref = ""
    var sheetHref = ""
    let hasTasks: Bool
    let outcomes: [Outcome]
    let summary: String
}

/// The form for a home-visit task about a person.
struct VisitFormView { let heading: String; let action: String; let back: String; let backLabel: String; let fields: [FormField]; let message: String? }

/// The printable round sheet: the tasks by household, with room to write the outcome.
struct TaskSheetView { let heading: String, meta: String, back: String; let groups: [TaskListView.Group]; let total: String }
/// The form to assign a task.
struct AssignView { struct Option { let value: String; let label: String }; let action: String; let options: [Option]; let message: String? }
/// 周汇报 / 月滚动跟踪排查: counts by section; what is left to do is marked.
struct ReportView {
    struct Line { let label: String; let count: Int; let warn: Bool }
    struct Section { let title: String; var lines: [Line] }
    let heading: String, period: String
    let sections: [Section]
    let previous: String
    let next: String?
    let other: String, otherLabel: String
}
