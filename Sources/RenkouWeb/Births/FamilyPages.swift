import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 计划生育特殊家庭: the families of the area with their contacts and next visit, one family with the
/// help given and the form to record more; the API.
enum FamilyPages {
    static func path(_ id: UUID) -> String { "/families/\(id.text)" }

    struct Row { let href: String, name: String, situation: String, unit: String, contacts: String, last: String, next: String; let overdue: Bool }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func list(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, today = Day(deps.stores.env.now()).description
            let families = try await deps.stores.families.families(in: context.scope, by: context.actor)
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "person", label: Text("人员编号", "Person's id")(lang), value: form["person"] ?? request.query("person") ?? "", required: true,
                          hint: Text("从人员页面的“列入特殊家庭”进入时已填好。", "Filled in when you come from a person's page.")(lang)),
                PersonPages.select("situation", Text("家庭情况", "Situation"), FamilySituation.entries, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "communityContact", label: Text("社区联系人（账号）", "Community contact (account)")(lang), value: form["communityContact"] ?? account.username, required: true),
                FormField(name: "associationContact", label: Text("计生协会联系人", "Association contact")(lang), value: form["associationContact"] ?? "", required: true),
                FormField(name: "associationPhone", label: Text("协会联系人电话", "Association contact's phone")(lang), value: form["associationPhone"] ?? "", type: "tel"),
            ], lang: lang)
            let model = FamiliesView(rows: families.map { f in
                Row(href: path(f.id), name: f.name, situation: f.situation.label(lang), unit: f.unitName, contacts: "\(f.communityContact) · \(f.associationContact)",
                    last: f.lastContact ?? "—", next: f.nextVisit, overdue: f.nextVisit < today)
            }, hasRows: !families.isEmpty, canAdd: account.role.can(.births(.write)), fields: fields, message: error?.message(lang))
            return deps.renderer.html("births/families", title: Text("计划生育特殊家庭", "Special families"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/families") { request, context -> Response in
            let account = try context.require(.births(.read))
            return try await list([:], error: nil, account: account, request: request, context: context)
        }
        router.post("/families") { request, context -> Response in
            let account = try context.require(.births(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                guard let person = form["person"].flatMap(UUID.init(uuidString:)) else {
                    throw RenkouError.invalid([FieldError("/person", "unknown-person", Text("请从人员页面进入，或填写人员编号。", "Come from the person's page, or give the person's id."))])
                }
                let f = try await deps.stores.families.add(person: person, situation: form["situation"] ?? "", communityContact: form["communityContact"] ?? "",
                                                           associationContact: form["associationContact"] ?? "", associationPhone: form["associationPhone"], in: context.scope, by: context.actor)
                return Redirect.to(path(f.id), notice: Text("已列入特殊家庭，首次走访已排入任务。", "Listed; the first visit is on the task list."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await list(form.values, error: error, account: account, request: request, context: context)
            }
        }
        @Sendable func detail(_ id: UUID, form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let f = try await deps.stores.families.family(id, in: context.scope, by: context.actor)
            let help = try await deps.stores.families.help(id, in: context.scope)
            let fields = FormField.attach(error?.fields ?? [], to: [
                PersonPages.select("kind", Text("帮扶内容", "What was done"), HelpKind.entries, form.merging(["kind": form["kind"] ?? "visit"]) { a, _ in a }, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "date", label: Text("日期", "Date")(lang), value: form["date"] ?? Day(deps.stores.env.now()).description, type: "date", required: true),
                FormField(name: "note", label: Text("情况", "Note")(lang), value: form["note"] ?? ""),
            ], lang: lang)
            let model = FamilyView(name: f.name, personHref: SitePath.person(f.personID), facts: [
                (Text("家庭情况", "Situation"), f.situation.label(lang)), (Text("社区联系人", "Community contact"), f.communityContact),
                (Text("协会联系人", "Association contact"), [f.associationContact, f.associationPhone].compactMap { $0 }.joined(separator: " ")),
                (Text("列入日期", "Listed since"), f.since), (Text("下次走访", "Next visit"), f.nextVisit),
            ].map { PersonPages.Detail(label: $0.0(lang), value: $0.1) },
                                   help: help.map { FamilyView.Help(day: $0.day, kind: $0.kind.label(lang), note: $0.note ?? "", by: $0.by) }, hasHelp: !help.isEmpty,
                                   action: account.role.can(.births(.write)) ? "/families/\(id.text)/help" : nil, fields: fields, message: error?.message(lang))
            return deps.renderer.html("births/family", title: Text("计划生育特殊家庭", "Special family"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/families/{id}") { request, context -> Response in
            let account = try context.require(.births(.read))
            return try await detail(try context.uuid("id", Text("特殊家庭", "special family")), form: [:], error: nil, account: account, request: request, context: context)
        }
        router.post("/families/{id}/help") { request, context -> Response in
            let account = try context.require(.births(.write))
            let id = try context.uuid("id", Text("特殊家庭", "special family")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                let h = try await deps.stores.families.recordHelp(id, kind: form["kind"] ?? "", day: form["date"], note: form["note"], in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已记录\(h.kind.label.zh)。", "\(h.kind.label.en) recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detail(id, form: form.values, error: error, account: account, request: request, context: context)
            }
        }
    }

    struct Add: Decodable { let person: String?; let situation: String?; let communityContact: String?; let associationContact: String?; let associationPhone: String? }
    struct HelpBody: Decodable { let kind: String?; let date: String?; let note: String? }
    struct FamilyDTO: Encodable { let family: SpecialFamily; let help: [FamilyHelp] }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/families") { _, context in
            _ = try context.require(.births(.read))
            return try JSON.response(try await deps.stores.families.families(in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/families") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Add.self, request, context: context)
            guard let person = b.person.flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/person", "unknown-person", Text("请给出人员编号。", "Give the person's id."))])
            }
            return try JSON.response(try await deps.stores.families.add(person: person, situation: b.situation ?? "", communityContact: b.communityContact ?? "",
                                                                        associationContact: b.associationContact ?? "", associationPhone: b.associationPhone, in: context.scope, by: context.actor),
                                     status: .created)
        }
        api.on(.get, "/api/v1/families/{id}") { _, context in
            _ = try context.require(.births(.read))
            let id = try context.uuid("id", Text("特殊家庭", "special family"))
            return try JSON.response(FamilyDTO(family: try await deps.stores.families.family(id, in: context.scope, by: context.actor), help: try await deps.stores.families.help(id, in: context.scope)))
        }
        api.on(.post, "/api/v1/families/{id}/help") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(HelpBody.self, request, context: context)
            return try JSON.response(try await deps.stores.families.recordHelp(try context.uuid("id", Text("特殊家庭", "special family")), kind: b.kind ?? "", day: b.date, note: b.note,
                                                                               in: context.scope, by: context.actor), status: .created)
        }
    }
}

/// The special families of the area.
struct FamiliesView { let rows: [FamilyPages.Row]; let hasRows: Bool; let canAdd: Bool; let fields: [FormField]; let message: String? }
/// One family with the help given.
struct FamilyView {
    struct Help { let day: String, kind: String, note: String, by: String }
    let name: String, personHref: String
    let facts: [PersonPages.Detail]
    let help: [Help]
    let hasHelp: Bool
    let action: String?
    let fields: [FormField]
    let message: String?
}
