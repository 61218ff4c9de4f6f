import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The people of the caller's scope: list, register, view (audited), correct and delete (admins).
enum PersonPages {
    struct Row { let name: String; let idNumber: String; let unit: String; let updatedAt: String; let href: String }

    static func fields(_ form: [String: String], units: [OrgUnit], lang: Lang) -> [FormField] {
        let selected = form["unit"] ?? ""
        return [
            FormField(name: "name", label: Text("姓名", "Name")(lang), value: form["name"] ?? "", required: true),
            FormField(name: "idNumber", label: Text("公民身份号码", "Citizen ID number")(lang), value: form["idNumber"] ?? "", required: true,
                      hint: Text("18 位；15 位旧号码将自动升级。", "18 characters; old 15-digit numbers are upgraded.")(lang)),
            FormField(name: "unit", label: Text("所属单位", "Unit")(lang), value: selected, required: true,
                      options: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: selected.isEmpty)] +
                        units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }),
        ]
    }

    static func formPage(_ heading: Text, action: String, form: [String: String], error: RenkouError?, deps: AppDeps, account: Account,
                         request: Request, context: AppContext) async throws -> Response {
        let units = try await deps.stores.orgs.list(levels: [.district, .street, .community, .grid], in: account.scope)
        var model: [String: Any] = ["heading": heading(context.lang), "action": action,
                                    "fields": FormField.attach(error?.fields ?? [], to: fields(form, units: units, lang: context.lang), lang: context.lang)]
        if let error {
            model["message"] = error.message(context.lang)
            if let code = error.fields.first?.code, code.hasPrefix("id-number-taken:"), let id = UUID(uuidString: String(code.dropFirst("id-number-taken:".count))) {
                model["existingHref"] = SitePath.person(id)
            }
        }
        return deps.renderer.html("registry/person_form", title: heading, model: model, context: context, request: request,
                                  status: error.map { $0.kind.status } ?? .ok)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.persons)) { request, context -> Response in
            let account = try context.requireAccount()
            let offset = request.query("offset").flatMap(Int.init) ?? 0
            let unit = request.query("unit"), name = request.query("name")
            let page = try await deps.stores.persons.list(unitCode: unit, nameContains: name, limit: 50, offset: offset, in: account.scope, by: context.actor)
            let lang = context.lang
            func href(_ offset: Int) -> String {
                let q = [("unit", unit), ("name", name)].compactMap { k, v in v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
                return SitePath.persons + "?" + (q + ["offset=\(offset)"]).joined(separator: "&")
            }
            let model: [String: Any] = [
                "canCreate": account.role.canRegisterPersons,
                "fields": [FormField(name: "name", label: Text("姓名包含", "Name contains")(lang), value: name ?? ""),
                           FormField(name: "unit", label: Text("单位代码", "Unit code")(lang), value: unit ?? "")],
                "persons": page.items.map { Row(name: $0.name, idNumber: $0.idNumber, unit: $0.unitName, updatedAt: $0.updatedAt, href: SitePath.person($0.id)) },
                "summary": Text("共 \(page.total) 人", "\(page.total) people")(lang),
                "prevHref": offset > 0 ? href(max(0, offset - 50)) : nil as String? as Any,
                "nextHref": offset + page.items.count < page.total ? href(offset + 50) : nil as String? as Any,
            ]
            return deps.renderer.html("registry/persons", title: Text("人员", "People"), model: model, context: context, request: request)
        }

        router.get(RouterPath(SitePath.newPerson)) { request, context -> Response in
            let account = try context.require { $0.canRegisterPersons }
            return try await formPage(Text("登记人员", "Register a person"), action: SitePath.newPerson, form: ["unit": request.query("unit") ?? ""],
                                      error: nil, deps: deps, account: account, request: request, context: context)
        }

        router.post(RouterPath(SitePath.newPerson)) { request, context -> Response in
            let account = try context.require { $0.canRegisterPersons }
            let form = try await Form.read(request, context: context)
            do {
                let person = try await deps.stores.persons.create(PersonInput(name: form["name"], idNumber: form["idNumber"], unit: form["unit"]),
                                                                  in: account.scope, by: context.actor)
                return Redirect.to(SitePath.person(person.id))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(Text("登记人员", "Register a person"), action: SitePath.newPerson, form: form.values, error: error,
                                          deps: deps, account: account, request: request, context: context)
            }
        }

        router.get("/persons/{id}") { request, context -> Response in
            let account = try context.requireAccount()
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw RenkouError.notFound(Text("人员", "person")) }
            let p = try await deps.stores.persons.read(id, in: account.scope, by: context.actor)
            let model: [String: Any] = ["name": p.name, "idNumber": p.idNumber, "unitName": p.unitName, "unitCode": p.unitCode, "unitHref": SitePath.unit(p.unitCode),
                                        "createdAt": p.createdAt, "updatedAt": p.updatedAt, "canEdit": account.role.canEditPersons,
                                        "editHref": SitePath.person(p.id) + "/edit", "deleteAction": SitePath.person(p.id) + "/delete"]
            return deps.renderer.html("registry/person", title: Text(p.name, p.name), model: model, context: context, request: request)
        }

        router.get("/persons/{id}/edit") { request, context -> Response in
            let account = try context.require { $0.canEditPersons }
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw RenkouError.notFound(Text("人员", "person")) }
            let p = try await deps.stores.persons.read(id, in: account.scope, by: context.actor)
            return try await formPage(Text("修改人员信息", "Correct a record"), action: SitePath.person(id) + "/edit",
                                      form: ["name": p.name, "idNumber": p.idNumber, "unit": p.unitCode], error: nil, deps: deps, account: account, request: request, context: context)
        }

        router.post("/persons/{id}/edit") { request, context -> Response in
            let account = try context.require { $0.canEditPersons }
            let form = try await Form.read(request, context: context)
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw RenkouError.notFound(Text("人员", "person")) }
            do {
                try await deps.stores.persons.update(id, PersonInput(name: form.values["name"] ?? "", idNumber: form.values["idNumber"] ?? "", unit: form.values["unit"] ?? ""),
                                                     in: account.scope, by: context.actor)
                return Redirect.to(SitePath.person(id))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(Text("修改人员信息", "Correct a record"), action: SitePath.person(id) + "/edit", form: form.values, error: error,
                                          deps: deps, account: account, request: request, context: context)
            }
        }

        router.post("/persons/{id}/delete") { request, context -> Response in
            let account = try context.require { $0.canEditPersons }
            _ = try await Form.read(request, context: context)
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw RenkouError.notFound(Text("人员", "person")) }
            try await deps.stores.persons.delete(id, in: account.scope, by: context.actor)
            return Redirect.to(SitePath.persons)
        }
    }
}
