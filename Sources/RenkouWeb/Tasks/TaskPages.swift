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
                                actionHref: action?.href, actionLabel: action?.label(lang))
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        let kinds = kinds(deps)
        router.get("/tasks") { request, context -> Response in
            let account = try context.requireAccount()
            let lang = context.lang, today = Day(deps.stores.env.now())
            let all = try await deps.stores.tasks.list(on: today, in: context.scope, by: context.actor)
            let canClose = account.role.can(.tasks(.write))
            // Filters: when (overdue, due today, due this week) and kind, each with its count.
            let day = today.description
            let whens: [(String, Text, (FieldTask) -> Bool)] = [
                ("", Text("全部", "All"), { _ in true }),
                ("overdue", Text("已逾期", "Overdue"), { $0.isOverdue(on: today) }),
                ("today", Text("今天到期", "Due today"), { $0.due == day }),
                ("week", Text("本周到期", "Due this week"), { dueThisWeek($0, on: today) }),
            ]
            let when = request.query("when") ?? "", kind = request.query("kind") ?? ""
            let whenFilter = whens.first { $0.0 == when }?.2 ?? { _ in true }
            let tasks = all.filter { whenFilter($0) && (kind.isEmpty || $0.kind.rawValue == kind) }
            func href(when w: String, kind k: String) -> String { SitePath.query("/tasks", [("when", w), ("kind", k)]) }
            let kindsPresent = Array(Set(all.map(\.kind.rawValue))).sorted()
            let model = TaskListView(
                // Those who do the tasks see theirs; a leader or a provider sees the area's.
                heading: (canClose ? Text("我的任务", "My tasks") : Text("辖区任务", "Tasks of the area"))(lang),
                rows: tasks.map { row($0, kinds: kinds, canClose: canClose, today: today, lang: lang) },
                whenFilters: whens.map { w in TaskListView.TaskFilter(label: "\(w.1(lang)) \(all.filter(w.2).count)", href: href(when: w.0, kind: kind), active: w.0 == when) },
                kindFilters: [TaskListView.TaskFilter(label: Text("全部类别", "Every kind")(lang), href: href(when: when, kind: ""), active: kind.isEmpty)]
                    + kindsPresent.map { k in TaskListView.TaskFilter(label: "\(kinds[FieldTask.Kind(k)]?.label(lang) ?? k) \(all.filter { $0.kind.rawValue == k }.count)",
                                                               href: href(when: when, kind: k), active: k == kind) },
                hasTasks: !tasks.isEmpty, outcomes: FieldTask.outcomes.map { TaskListView.Outcome(code: $0.code, label: $0.label(lang)) },
                summary: Text("共 \(tasks.count) 项，逾期 \(tasks.filter { $0.isOverdue(on: today) }.count) 项", "\(tasks.count) in all, \(tasks.filter { $0.isOverdue(on: today) }.count) overdue")(lang))
            return deps.renderer.html("tasks/list", title: Text("任务", "Tasks"), model: model, context: context, request: request)
        }
        router.post("/tasks/{id}/close") { request, context -> Response in
            _ = try context.require(.tasks(.write))
            let id = try context.uuid("id", Text("任务", "task"))
            let form = try await Form.read(request, context: context)
            _ = try await deps.stores.tasks.close(id, outcome: form["outcome"] ?? "", note: form["note"], in: context.scope, by: context.actor)
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
    }
    struct Outcome { let code: String; let label: String }
    let rows: [Row]
    let whenFilters: [TaskFilter]
    let kindFilters: [TaskFilter]
    let hasTasks: Bool
    let outcomes: [Outcome]
    let summary: String
}

/// The form for a home-visit task about a person.
struct VisitFormView { let heading: String; let action: String; let back: String; let backLabel: String; let fields: [FormField]; let message: String? }
