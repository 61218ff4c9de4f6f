import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The searchable audit log of the caller's part of the tree.
enum AuditPages {
    /// Reads the filters shared by the page and `GET /api/v1/audit`.
    static func query(_ request: Request) -> AuditQuery {
        AuditQuery(username: request.query("user"), entity: request.query("entity"), entityID: request.query("entityId"), action: request.query("action"),
                   from: request.query("from").flatMap(Day.init), to: request.query("to").flatMap(Day.init),
                   limit: request.query("limit").flatMap(Int.init) ?? 50, offset: request.query("offset").flatMap(Int.init) ?? 0)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.audit)) { request, context -> Response in
            _ = try context.require(.admin(.audit))
            let q = query(request)
            let page = try await deps.stores.audit.search(q, in: context.scope)
            let lang = context.lang
            let actionOptions = [FormField.Option(value: "", label: Text("全部", "All")(lang), selected: q.action == nil)] +
                AuditAction.allCases.map { FormField.Option(value: $0.rawValue, label: $0.rawValue, selected: q.action == $0.rawValue) }
            let fields = [
                FormField(name: "user", label: Text("用户名", "Username")(lang), value: q.username ?? ""),
                FormField(name: "entity", label: Text("对象类型", "Entity")(lang), value: q.entity ?? "", hint: "person, user, org_unit, api_token"),
                FormField(name: "entityId", label: Text("对象编号", "Entity id")(lang), value: q.entityID ?? ""),
                FormField(name: "action", label: Text("操作", "Action")(lang), value: q.action ?? "", options: actionOptions),
                FormField(name: "from", label: Text("开始日期", "From")(lang), value: q.from?.description ?? "", type: "date"),
                FormField(name: "to", label: Text("结束日期", "To")(lang), value: q.to?.description ?? "", type: "date"),
            ]
            func pageHref(_ offset: Int) -> String {
                var items = request.uri.queryParameters.filter { $0.key != "offset" }.map { "\($0.key)=\(String($0.value).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                items.append("offset=\(offset)")
                return SitePath.audit + "?" + items.joined(separator: "&")
            }
            let model = AuditView(fields: fields, entries: page.items, summary: Text("共 \(page.totalShown) 条", "\(page.totalShown) entries")(lang),
                                  prevHref: page.offset > 0 ? pageHref(max(0, page.offset - page.limit)) : nil,
                                  nextHref: page.hasMore ? pageHref(page.offset + page.limit) : nil)
            return deps.renderer.html("admin/audit", title: Text("审计日志", "Audit log"), model: model, context: context, request: request)
        }
    }
}

/// The audit log page: filters, one page of entries, and the links to the pages around it.
struct AuditView { let fields: [FormField]; let entries: [AuditEntry]; let summary: String; let prevHref: String?; let nextHref: String? }
