import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Sign-in, the start page, the administrative tree, accounts and tokens, the audit log.
struct AdminWebModule: WebModule {
    let name = "admin"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {
        LoginPages.register(router, deps)
        HomePage.register(router, deps)
        IndicatorPages.register(router, deps)
        TreePages.register(router, deps)
        AccountPages.register(router, deps)
        AuditPages.register(router, deps)
    }
    func api(_ api: APIRoutes, _ deps: AppDeps) {
        AdminAPI.register(api, deps)
        IndicatorAPI.register(api, deps)
    }
    var strings: [String: Text] { AdminStrings.all }
    var navigation: [NavEntry] {
        [NavEntry(SitePath.home, Text("首页", "Home"), order: 0),
         NavEntry(SitePath.units, Text("组织机构", "Units"), order: 10),
         NavEntry(SitePath.accounts, Text("账号", "Accounts"), order: 90, permission: .admin(.administer)),
         NavEntry(SitePath.audit, Text("审计日志", "Audit log"), order: 100, permission: .admin(.audit)),
         NavEntry(SitePath.apiDocs, Text("接口文档", "API"), order: 110, permission: .admin(.administer))]
    }
}
