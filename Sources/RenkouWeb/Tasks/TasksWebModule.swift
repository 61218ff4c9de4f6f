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
        [ExtensionPoint.taskKinds(TaskKindView(.homeVisit, Text("入户核实", "Home visit"), link: { $0.personID.map(SitePath.person) }))]
    }
}
