import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The one field task list. It offers `ExtensionPoint.taskKinds` so that each module says how its
/// kinds of task are shown.
struct TasksWebModule: WebModule {
    let name = "tasks"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { TaskPages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { TaskAPI.register(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/tasks", Text("任务", "Tasks"), order: 80)] }
    var strings: [String: Text] { TaskStrings.all }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.homeVisit, Text("入户核实", "Home visit"), link: { $0.personID.map(SitePath.person) })),
         ExtensionPoint.homeCards(HomeCard(order: 10, TaskHomeCard()))]
    }
}

/// The workbench card of a field worker: how many tasks are overdue and due this week, and the first
/// ones with their action. Roles that do no field work (the leader, the provider) get no card.
struct TaskHomeCard: PageSection {
    func render(_ account: Account, account _: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        guard account.role.can(.tasks(.write)) else { return nil }
        let lang = context.lang, today = Day(deps.stores.env.now())
        let tasks = try await deps.stores.tasks.list(on: today, for: account.role, in: context.scope, by: context.actor)
        let kinds = TaskPages.kinds(deps)
        let overdue = tasks.filter { $0.isOverdue(on: today) }.count
        let model = TaskHomeCardView(
            overdue: overdue,
            dueThisWeek: tasks.filter { TaskPages.dueThisWeek($0, on: today) }.count,
            total: tasks.count, overdueState: overdue > 0 ? "bad" : "",
            rows: tasks.prefix(5).map { TaskPages.row($0, kinds: kinds, canClose: true, today: today, lang: lang) },
            hasTasks: !tasks.isEmpty)
        return deps.renderer.fragment("tasks/home_card", model: model, context: context)
    }
}

/// The workbench's task card.
struct TaskHomeCardView {
    let overdue: Int, dueThisWeek: Int, total: Int
    /// `bad` when something is overdue (the figure shows red); stored, as templates read stored properties.
    let overdueState: String
    let rows: [TaskListView.Row]
    let hasTasks: Bool
}
