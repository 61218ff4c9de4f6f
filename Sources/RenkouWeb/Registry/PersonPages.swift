import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// A person: register, view (audited), correct, delete (administrators). The list is `PersonListPage`.
enum PersonPages {

    /// A select over a code table, with an empty first choice.
    static func select(_ name: String, _ label: Text, _ table: [Codes.Entry], _ form: [String: String], empty: Text, lang: Lang) -> FormField {
        let selected = form[name] ?? ""
        return FormField(name: name, label: label(lang), value: selected,
                         options: [FormField.Option(value: "", label: empty(lang), selected: selected.isEmpty)]
                            + table.map { FormField.Option(value: $0.code, label: "\($0.label(lang))", selected: $0.code == selected) })
    }

    static func fields(_ form: [String: String], units: [OrgUnit], editing: Bool, lang: Lang) -> [FormField] {
        let selected = form["unit"] ?? ""
        let none = Text("未填", "Not given")
        func text(_ name: String, _ label: Text, type: String = "text", hint: Text? = nil) -> FormField {
            FormField(name: name, label: label(lang), value: form[name] ?? "", type: type, hint: hint?(lang))
        }
        var fields = [
            FormField(name: "name", label: Text("姓名", "Name")(lang), value: form["name"] ?? "", required: true),
            FormField(name: "idNumber", label: Text("公民身份号码", "Citizen ID number")(lang), value: form["idNumber"] ?? "",
                      hint: Text("18 位；15 位旧号码自动升级；出生日期和性别按号码填写。未满 16 岁尚未落户的儿童可先不填，须填出生日期和性别。",
                                 "18 characters; old 15-digit numbers are upgraded; birth date and sex follow the number. A child under 16 without one yet may be registered with birth date and sex.")(lang)),
            text("idConfirmReason", Text("校验位确认理由", "Reason to keep a wrong check character"),
                 hint: Text("仅当号码校验位错误但与证件原件一致时填写。", "Only when the check character is wrong but the number matches the card.")),
            select("sex", Text("性别", "Sex"), Codes.sex, form, empty: Text("按身份号码", "From the ID number"), lang: lang),
            text("birthDate", Text("出生日期", "Birth date"), type: "date"),
            select("ethnicGroup", Text("民族", "Ethnic group"), Codes.ethnicGroup, form, empty: none, lang: lang),
            FormField(name: "unit", label: Text("居住单位（社区或网格）", "Residence unit (community or grid)")(lang), value: selected, required: true,
                      options: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: selected.isEmpty)] +
                        units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }),
            text("address", Text("现居住地址", "Current address")), text("building", Text("楼栋", "Building")), text("room", Text("房号", "Room")),
            text("phone", Text("联系电话", "Phone"), type: "tel"),
            select("hukouType", Text("户口性质", "Hukou type"), Codes.hukouType, form, empty: none, lang: lang),
            text("hukouRegion", Text("户籍地代码", "Hukou region code"), hint: Text("6 位行政区划代码", "6-digit GB/T 2260 code")),
            text("hukouAddress", Text("户籍地址", "Hukou address")),
            FormField(name: "category", label: Text("人口类别", "Population category")(lang), value: form["category"] ?? "registered",
                      options: Codes.category.map { FormField.Option(value: $0.code, label: $0.label(lang), selected: $0.code == (form["category"] ?? "registered")) }),
            select("maritalStatus", Text("婚姻状况", "Marital status"), Codes.maritalStatus, form, empty: none, lang: lang),
            text("firstMarriageDate", Text("初婚日期", "First marriage date"), type: "date"),
            text("education", Text("文化程度", "Education")), text("occupation", Text("职业", "Occupation")),
        ]
        if editing { fields.append(select("status", Text("人员状态", "Status"), Codes.status, form, empty: Text("在册", "Active"), lang: lang)) }
        else {
            // The key fields the quality rates count: asked for at registration, so a new record is complete.
            let key = Text("主要项目，请填写", "A key field: please fill it in")(lang)
            for i in fields.indices where ["ethnicGroup", "hukouType", "maritalStatus"].contains(fields[i].name) && fields[i].hint == nil { fields[i].hint = key }
        }
        return fields
    }

    /// The form as the store's input: on a new record empty means "not given", on a correction it clears the field.
    static func input(_ form: Form, editing: Bool) -> PersonInput {
        func v(_ key: String) -> String? { editing ? (form.values[key] ?? "").trimmingCharacters(in: .whitespaces) : form[key] }
        var input = PersonInput(name: v("name"), idNumber: v("idNumber"), unit: v("unit"))
        input.idConfirmReason = form["idConfirmReason"]
        input.sex = form["sex"]; input.status = form["status"]; input.category = form["category"]
        input.birthDate = v("birthDate"); input.ethnicGroup = v("ethnicGroup"); input.education = v("education")
        input.occupation = v("occupation"); input.hukouType = v("hukouType"); input.hukouRegion = v("hukouRegion")
        input.hukouAddress = v("hukouAddress"); input.address = v("address"); input.building = v("building"); input.room = v("room")
        input.phone = v("phone"); input.maritalStatus = v("maritalStatus"); input.firstMarriageDate = v("firstMarriageDate")
        return input
    }

    /// The form values of an existing record, for the correction form.
    static func formValues(_ p: Person) -> [String: String] {
        var values: [String: String] = ["name": p.name, "idNumber": p.idNumber ?? "", "unit": p.unitCode, "sex": p.sex, "status": p.status, "category": p.category]
        let optional: [(String, String?)] = [("birthDate", p.birthDate), ("ethnicGroup", p.ethnicGroup), ("education", p.education),
            ("occupation", p.occupation), ("hukouType", p.hukouType), ("hukouRegion", p.hukouRegion), ("hukouAddress", p.hukouAddress),
            ("address", p.address), ("building", p.building), ("room", p.room), ("phone", p.phone), ("maritalStatus", p.maritalStatus),
            ("firstMarriageDate", p.firstMarriageDate)]
        for (k, v) in optional { if let v { values[k] = v } }
        return values
    }

    /// The register or correct form. On a correction with data problems, the fields that clear them
    /// come first with the problem beside each, and the other fields fold away.
    static func formPage(_ heading: Text, action: String, form: [String: String], editing: Bool = false, problems: [QualityCheck] = [],
                         intro: Text? = nil, error: RenkouError?, deps: AppDeps, account: Account, request: Request, context: AppContext) async throws -> Response {
        let lang = context.lang
        let units = try await deps.stores.orgs.list(levels: [.community, .grid], in: context.scope)
        var all = FormField.attach(error?.fields ?? [], to: fields(form, units: units, editing: editing, lang: lang), lang: lang)
        var concerned = Set(problems.flatMap(\.fields))
        for i in all.indices {
            if let p = problems.first(where: { $0.fields.contains(all[i].name) }), all[i].error == nil { all[i].hint = "⚠ " + p.message(lang) }
            if all[i].error != nil { concerned.insert(all[i].name) }
        }
        let focus = problems.isEmpty ? all : all.filter { concerned.contains($0.name) }
        var model = PersonFormView(heading: heading(lang), action: action, fields: focus,
                                   otherFields: problems.isEmpty ? [] : all.filter { !concerned.contains($0.name) },
                                   problems: problems.map { $0.message(lang) },
                                   otherProblems: problems.filter(\.fields.isEmpty).map { $0.message(lang) })
        model.intro = intro?(lang)
        if let error {
            model.message = error.message(lang)
            if let code = error.fields.first?.code, code.hasPrefix("id-number-taken:"), let id = UUID(uuidString: String(code.dropFirst("id-number-taken:".count))) {
                model.existingHref = SitePath.person(id)
            }
        }
        return deps.renderer.html("registry/person_form", title: heading, model: model, context: context, request: request,
                                  status: error.map { $0.kind.status } ?? .ok)
    }

    struct Detail { let label: String; let value: String }

    /// The facts of the detail page, derived values included; absent facts are left out.
    static func details(_ p: Person, hukouRegionName: String? = nil, today: Day, policy: Policy, lang: Lang) -> [Detail] {
        let none = Text("—", "—")(lang)
        var rows: [(Text, String?)] = [
            (Text("性别", "Sex"), Codes.label(Codes.sex, p.sex)?(lang)),
            (Text("出生日期", "Birth date"), p.birthDate),
            (Text("年龄", "Age"), p.age(on: today).map(String.init)),
            (Text("民族", "Ethnic group"), Codes.label(Codes.ethnicGroup, p.ethnicGroup)?(lang)),
            (Text("人口类别", "Population category"), Codes.label(Codes.category, p.category)?(lang)),
            (Text("人员状态", "Status"), Codes.label(Codes.status, p.status)?(lang)),
            (Text("户口性质", "Hukou type"), Codes.label(Codes.hukouType, p.hukouType)?(lang)),
            (Text("户籍地", "Hukou"), [hukouRegionName ?? p.hukouRegion, p.hukouAddress].compactMap { $0 }.joined(separator: " ").nilIfEmpty),
            (Text("现居住地址", "Current address"), [p.address, p.building, p.room].compactMap { $0 }.joined(separator: " ").nilIfEmpty),
            (Text("联系电话", "Phone"), p.phone),
            (Text("婚姻状况", "Marital status"), Codes.label(Codes.maritalStatus, p.maritalStatus)?(lang)),
            (Text("初婚日期", "First marriage date"), p.firstMarriageDate),
            (Text("文化程度", "Education"), p.education), (Text("职业", "Occupation"), p.occupation),
        ]
        if p.isWomanOfReproductiveAge(on: today, policy: policy) {
            rows.append((Text("育龄妇女", "Woman of reproductive age"),
                         (p.isMarriedWomanOfReproductiveAge(on: today, policy: policy) ? Text("是（已婚）", "Yes (married)") : Text("是", "Yes"))(lang)))
        }
        return rows.compactMap { label, value in value.map { Detail(label: label(lang), value: $0.isEmpty ? none : $0) } }
    }

    /// A person's page as its template prints it: facts, household, problems, merged records, the
    /// timeline, other modules' sections and (for those who register) the event form. The read is audited.
    static func personView(_ id: UUID, eventType: String? = nil, eventForm: [String: String] = [:], eventError: RenkouError? = nil, deps: AppDeps, account: Account,
                           context: AppContext, request: Request) async throws -> PersonView {
        let p = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
        let lang = context.lang
        let household = try await deps.stores.households.membership(of: p.id, in: context.scope).map {
            PersonView.HouseholdLink(href: HouseholdPages.path($0.householdID), number: $0.number,
                                     relation: Codes.label(Household.relations, $0.relation)?(lang) ?? $0.relation)
        }
        let problems = try await deps.stores.quality.problems(of: p.id, in: context.scope)
        let merged = try await deps.stores.persons.merged(into: p.id, in: context.scope)
        let timeline = try await deps.stores.events.timeline(of: p.id, in: context.scope)
        let canRegister = account.role.can(.registry(.write))
        var view = PersonView(
            name: p.name, idNumber: p.idNumberShown(lang), unitName: p.unitName, unitCode: p.unitCode, unitHref: SitePath.unit(p.unitCode),
            createdAt: p.createdAt, updatedAt: p.updatedAt, canEdit: account.role.can(.registry(.correct)), canDelete: account.role.can(.registry(.administer)),
            editHref: SitePath.person(p.id) + "/edit", deleteAction: SitePath.person(p.id) + "/delete",
            details: details(p, hukouRegionName: try await p.hukouRegion.asyncMap { try await deps.stores.orgs.regionName($0) }.flatMap { $0.map { "\($0)（\(p.hukouRegion!)）" } },
                             today: Day(deps.stores.env.now()), policy: deps.stores.env.policy, lang: lang), household: household,
            flags: p.flags.map { $0 == "id-checksum" ? Text("身份号码校验位错误（已确认）", "ID check character wrong (confirmed)")(lang) : $0 },
            problems: problems.map { $0.message(lang) }, hasProblems: !problems.isEmpty,
            merged: merged.map { Text("\($0.at.prefix(10)) 合并了记录 \($0.name)（\($0.idNumber)）", "\($0.at.prefix(10)) merged the record \($0.name) (\($0.idNumber))")(lang) },
            hasMerged: !merged.isEmpty,
            timeline: LifeEventPages.entries(timeline, for: p.id, canRevoke: canRegister, lang: lang), hasTimeline: !timeline.isEmpty,
            back: SitePath.person(p.id),
            sections: try await deps.sections(.personSections, for: p, account: account, context: context, request: request))
        if canRegister {
            // One button per kind of event; the chosen kind's form shows only its fields.
            let chosen = LifeEventType(rawValue: eventForm["type"] ?? eventType ?? "")
            view.canRecord = true
            view.eventTypes = LifeEventType.allCases.filter { $0 != .birth || p.sex == "2" }.map {
                PersonView.EventTypeLink(label: $0.label(lang), href: SitePath.person(p.id) + "?event=\($0.rawValue)#event-form", code: $0.rawValue, active: $0 == chosen)
            }
            if let chosen {
                let units = chosen == .moveWithin ? try await deps.stores.orgs.list(levels: [.community, .grid], in: context.scope) : []
                view.eventAction = SitePath.person(p.id) + "/events"
                view.eventType = chosen.rawValue
                view.eventHeading = Text("记录\(chosen.label.zh)", "Record: \(chosen.label.en)")(lang)
                view.eventFields = FormField.attach(eventError.map(LifeEventPages.formErrors) ?? [], to: LifeEventPages.formFields(chosen, eventForm, units: units, lang: lang), lang: lang)
                view.eventMessage = eventError?.message(lang)
            }
        }
        return view
    }

    /// A person's page.
    static func detailPage(_ id: UUID, eventForm: [String: String] = [:], eventError: RenkouError? = nil, deps: AppDeps, account: Account,
                           request: Request, context: AppContext) async throws -> Response {
        let view = try await personView(id, eventType: request.query("event"), eventForm: eventForm, eventError: eventError, deps: deps, account: account, context: context, request: request)
        return deps.renderer.html("registry/person", title: Text(view.name, view.name), model: view, context: context, request: request,
                                  status: eventError.map { $0.kind.status } ?? .ok)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.newPerson)) { request, context -> Response in
            let account = try context.require(.registry(.write))
            // Any field may arrive filled from the link that led here (a roster task, a household page).
            let names = Set(fields([:], units: [], editing: false, lang: context.lang).map(\.name))
            let prefill = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }.filter { names.contains($0.0) }, uniquingKeysWith: { a, _ in a })
            return try await formPage(Text("登记人员", "Register a person"), action: SitePath.newPerson, form: prefill,
                                      error: nil, deps: deps, account: account, request: request, context: context)
        }

        router.post(RouterPath(SitePath.newPerson)) { request, context -> Response in
            let account = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            do {
                let person = try await deps.stores.persons.create(input(form, editing: false), in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(person.id), notice: Text("已登记 \(person.name)。", "\(person.name) is registered."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(Text("登记人员", "Register a person"), action: SitePath.newPerson, form: form.values, error: error,
                                          deps: deps, account: account, request: request, context: context)
            }
        }

        router.get("/persons/{id}") { request, context -> Response in
            let account = try context.require(.registry(.read))
            let id = try context.uuid("id", Text("人员", "person"))
            return try await detailPage(id, deps: deps, account: account, request: request, context: context)
        }

        router.get("/persons/{id}/edit") { request, context -> Response in
            let account = try context.require(.registry(.correct))
            let id = try context.uuid("id", Text("人员", "person"))
            let p = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
            return try await formPage(Text("修改人员信息：\(p.name)", "Correct the record of \(p.name)"), action: SitePath.person(id) + "/edit",
                                      form: formValues(p), editing: true, problems: try await deps.stores.quality.problems(of: id, in: context.scope),
                                      error: nil, deps: deps, account: account, request: request, context: context)
        }

        router.post("/persons/{id}/edit") { request, context -> Response in
            let account = try context.require(.registry(.correct))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("人员", "person"))
            do {
                try await deps.stores.persons.update(id, input(form, editing: true), in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(id), notice: Text("已保存修改，旧值记入审计日志。", "The correction is saved; the old values are in the audit log."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await formPage(Text("修改人员信息", "Correct a record"), action: SitePath.person(id) + "/edit", form: form.values, editing: true,
                                          problems: try await deps.stores.quality.problems(of: id, in: context.scope), error: error,
                                          deps: deps, account: account, request: request, context: context)
            }
        }

        router.post("/persons/{id}/delete") { request, context -> Response in
            _ = try context.require(.registry(.administer))
            _ = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("人员", "person"))
            try await deps.stores.persons.delete(id, in: context.scope, by: context.actor)
            return Redirect.to(SitePath.persons, notice: Text("记录已删除。", "The record is deleted."))
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}


/// The register or correct form of a person.
struct PersonFormView {
    let heading: String
    let action: String
    /// The fields shown open: all of them, or on a correction those that clear the record's problems.
    let fields: [FormField]
    /// The rest, folded (a correction with problems only).
    let otherFields: [FormField]
    /// The record's data problems, listed beside the form; those cleared elsewhere (household, spouse) too.
    let problems: [String]
    let otherProblems: [String]
    /// Stored, for the template (which reads stored properties only).
    let hasOtherFields: Bool, hasProblems: Bool, hasOtherProblems: Bool
    init(heading: String, action: String, fields: [FormField], otherFields: [FormField] = [], problems: [String] = [], otherProblems: [String] = []) {
        self.heading = heading; self.action = action; self.fields = fields; self.otherFields = otherFields
        self.problems = problems; self.otherProblems = otherProblems
        hasOtherFields = !otherFields.isEmpty; hasProblems = !problems.isEmpty; hasOtherProblems = !otherProblems.isEmpty
    }
    var message: String? = nil
    /// What saving will do besides (a registration from a roster opens the stay and closes the task).
    var intro: String? = nil
    /// The record that already holds the typed ID number.
    var existingHref: String? = nil
}

/// A person's page.
struct PersonView {
    struct HouseholdLink { let href: String; let number: String; let relation: String }
    let name: String, idNumber: String, unitName: String, unitCode: String, unitHref: String
    let createdAt: String, updatedAt: String
    let canEdit: Bool
    let canDelete: Bool
    let editHref: String, deleteAction: String
    let details: [PersonPages.Detail]
    let household: HouseholdLink?
    let flags: [String]
    let problems: [String]
    let hasProblems: Bool
    let merged: [String]
    let hasMerged: Bool
    let timeline: [LifeEventPages.Entry]
    let hasTimeline: Bool
    /// Where the timeline's revoke forms return.
    let back: String
    /// Other modules' sections, already rendered.
    let sections: [String]
    struct EventTypeLink { let label: String; let href: String; let code: String; let active: Bool }
    /// The kinds of event the worker may record here (a birth on a woman's page only).
    var eventTypes: [EventTypeLink] = []
    var canRecord = false
    var eventAction: String? = nil
    var eventType: String? = nil
    var eventHeading: String? = nil
    var eventFields: [FormField] = []
    var eventMessage: String? = nil
}
