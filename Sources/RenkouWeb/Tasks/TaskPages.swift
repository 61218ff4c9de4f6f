import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 任务: the worker's list, overdue first, with the outcome recorded on closing.
enum TaskPages {
    static func link(_ t: FieldTask) -> String? {
        switch t.kind {
        case .certificateExpiring: return t.certificateID.map(CertificatePages.path)
        case .agreementExpiring: return t.hostID.map(HostPages.path)
        case .register: return t.hostID.map(HostPages.path)
        default: return t.personID.map(SitePath.person) ?? t.hostID.map(HostPages.path)
        }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/tasks") { request, context -> Response in
            let account = try context.requireAccount()
            let lang = context.lang, today = Day(deps.stores.env.now())
            let tasks = try await deps.stores.tasks.list(on: today, in: account.scope, by: context.actor)
            let canClose = account.role.canRegisterPersons
            let model: [String: Any] = [
                "rows": tasks.map { t -> [String: Any] in
                    ["kind": t.kind.label(lang), "kindCode": t.kind.rawValue, "subject": t.subject, "idNumber": t.idNumber ?? "", "note": t.note ?? "",
                     "unit": t.unitName, "due": t.due, "overdue": t.isOverdue(on: today), "href": link(t) as Any,
                     "closeAction": canClose && t.kind.isStored ? "/tasks/\(t.id.text)/close" : nil as String? as Any,
                     "registerHref": t.kind == .register && canClose ? "/persons/new?idNumber=\(t.idNumber ?? "")&name=\(t.subject.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" : nil as String? as Any]
                },
                "hasTasks": !tasks.isEmpty, "outcomes": FieldTask.outcomes.map { ["code": $0.code, "label": $0.label(lang)] },
                "summary": Text("共 \(tasks.count) 项，逾期 \(tasks.filter { $0.isOverdue(on: today) }.count) 项", "\(tasks.count) in all, \(tasks.filter { $0.isOverdue(on: today) }.count) overdue")(lang),
            ]
            return deps.renderer.html("tasks/list", title: Text("任务", "Tasks"), model: model, context: context, request: request)
        }

        router.post("/tasks/{id}/close") { request, context -> Response in
            let account = try context.require { $0.canRegisterPersons }
            let id = try context.uuid("id", Text("任务", "task"))
            let form = try await Form.read(request, context: context)
            _ = try await deps.stores.tasks.close(id, outcome: form["outcome"] ?? "", note: form["note"], in: account.scope, by: context.actor)
            return Redirect.to("/tasks")
        }

        @Sendable func visitForm(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            guard let personID = form["person"].flatMap(UUID.init(uuidString:)) else { throw RenkouError.notFound(Text("人员", "person")) }
            let person = try await deps.stores.persons.read(personID, in: account.scope, by: context.actor)
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "due", label: Text("期限", "Due")(lang), value: form["due"] ?? Day(deps.stores.env.now()).adding(days: 7).description, type: "date", required: true),
                FormField(name: "note", label: Text("核实事项", "What to check")(lang), value: form["note"] ?? ""),
            ], lang: lang)
            let model: [String: Any] = ["heading": Text("入户核实：\(person.name)", "Home visit: \(person.name)")(lang), "action": "/tasks/new?person=\(personID.text)",
                                        "back": SitePath.person(personID), "backLabel": person.name, "fields": fields, "message": error?.message(lang) as Any]
            return deps.renderer.html("migrants/form", title: Text("新建入户核实任务", "New home-visit task"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/tasks/new") { request, context -> Response in
            let account = try context.require { $0.canRegisterPersons }
            return try await visitForm(["person": request.query("person") ?? ""], error: nil, account: account, request: request, context: context)
        }

        router.post("/tasks/new") { request, context -> Response in
            let account = try context.require { $0.canRegisterPersons }
            let form = try await Form.read(request, context: context)
            var values = form.values; values["person"] = request.query("person") ?? ""
            do {
                guard let person = UUID(uuidString: values["person"] ?? "") else { throw RenkouError.notFound(Text("人员", "person")) }
                try await deps.stores.tasks.addHomeVisit(person: person, due: try Day.parse(form["due"], field: "due", default: Day(deps.stores.env.now()).adding(days: 7)),
                                                         note: form["note"], in: account.scope, by: context.actor)
                return Redirect.to("/tasks")
            } catch let error as RenkouError where error.kind == .invalid {
                return try await visitForm(values, error: error, account: account, request: request, context: context)
            }
        }
    }
}
