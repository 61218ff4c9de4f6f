import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Life events from a person's page: the timeline, one short form to record an event, revocation.
enum LifeEventPages {
    struct Entry { let day: String; let what: String; let detail: String; let source: String; let revoked: String?; let revokeAction: String? }

    /// The timeline as the page prints it, revoked events marked with their reason.
    static func entries(_ events: [LifeEvent], for person: UUID, canRevoke: Bool, lang: Lang) -> [Entry] {
        events.map { e in
            var detail: [String] = []
            if e.type == .birth && e.personID != person { detail.append(Text("孩子：", "Child: ")(lang) + e.personName) }
            if e.type == .birth && e.personID == person, let mother = e.otherName { detail.append(Text("母亲：", "Mother: ")(lang) + mother) }
            if e.type != .birth, let other = e.otherName { detail.append((e.personID == person ? other : e.personName)) }
            if let place = e.place {
                switch e.type {
                case .moveIn: detail.append(Text("迁自 ", "from ")(lang) + place)
                case .moveOut: detail.append(Text("迁往 ", "to ")(lang) + place)
                case .hukouTransfer: detail.append(Text("户籍地址改为 ", "hukou address now ")(lang) + place)
                default: detail.append(place)
                }
            }
            if let note = e.note { detail.append(note) }
            return Entry(day: e.day, what: e.type.label(lang), detail: detail.joined(separator: " · "), source: e.source.label(lang),
                         revoked: e.revokedAt.map { _ in Text("已撤销：", "Revoked: ")(lang) + (e.revokeReason ?? "") },
                         revokeAction: canRevoke && e.revokedAt == nil ? "/life-events/\(e.id.text)/revoke" : nil)
        }
    }

    /// The fields one kind of event needs, and only those: a birth the newborn, a marriage the spouse,
    /// a move within the district the unit moved to, a move in or out the place.
    static func formFields(_ type: LifeEventType, _ form: [String: String], units: [OrgUnit], lang: Lang) -> [FormField] {
        let sources = EventSource.allCases.filter { $0 != .import }.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        let selected = form["unit"] ?? ""
        func text(_ name: String, _ label: Text, required: Bool = false, hint: Text? = nil) -> FormField {
            FormField(name: name, label: label(lang), value: form[name] ?? "", required: required, hint: hint?(lang))
        }
        var fields = [FormField(name: "day", label: (type == .birth ? Text("出生日期", "Date of birth") : Text("日期", "Date"))(lang),
                                value: form["day"] ?? "", type: "date", required: true)]
        switch type {
        case .birth:
            fields += [text("childName", Text("新生儿姓名", "Newborn's name"), required: true),
                       text("childIdNumber", Text("新生儿身份号码", "Newborn's ID number"),
                            hint: Text("尚未落户可不填，落户后在孩子的页面补录。民族、户口和住址随母亲，可在孩子的页面修改。",
                                       "Leave empty before the hukou registration and add it on the child's page later. Ethnic group, hukou and address follow the mother.")),
                       PersonPages.select("childSex", Text("新生儿性别", "Newborn's sex"), Codes.sex.filter { ["1", "2"].contains($0.code) }, form,
                                          empty: Text("按身份号码", "From the ID number"), lang: lang),
                       text("otherIdNumber", Text("父亲的身份号码", "Father's ID number"), hint: Text("可不填。", "Optional."))]
        case .marriage, .divorce:
            fields.append(text("otherIdNumber", Text("配偶的身份号码", "Spouse's ID number"), required: true))
        case .moveIn:
            fields.append(text("place", Text("迁自", "Moved in from"), hint: Text("原住址或地区", "The former address or region")))
        case .moveOut:
            fields.append(text("place", Text("迁往", "Moved out to"), hint: Text("新住址或地区", "The new address or region")))
        case .moveWithin:
            fields.append(FormField(name: "unit", label: Text("迁往单位", "Unit moved to")(lang), value: selected, required: true,
                                    options: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: selected.isEmpty)]
                                        + units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }))
        case .hukouTransfer:
            fields.append(text("place", Text("新户籍地址", "New hukou address"), required: true))
        case .death:
            break
        }
        fields.append(PersonPages.select("source", Text("信息来源", "Source"), sources, form, empty: Text("入户走访", "Home visit"), lang: lang))
        fields.append(text("note", Text("备注", "Note")))
        return fields
    }

    /// The form as the store's input; the other person is found by ID number in the caller's scope.
    static func input(_ form: Form, person: UUID, stores: Stores, context: AppContext, scope: Scope) async throws -> LifeEventInput {
        var input = LifeEventInput(type: form["type"], person: person.text, day: form["day"], source: form["source"], place: form["place"],
                                   unit: form["unit"], note: form["note"])
        if let other = form["otherIdNumber"] {
            do { input.other = try await HouseholdPages.person(idNumber: other, stores: stores, context: context, scope: scope).id.text }
            catch let error as RenkouError where error.kind == .invalid { throw RenkouError.invalid([FieldError("/otherIdNumber", "unknown-person", Text("本辖区内没有该身份号码的人员。", "Nobody in your area has this ID number."))]) }
        }
        if input.type == LifeEventType.birth.rawValue {
            input.child = PersonInput(name: form["childName"], idNumber: form["childIdNumber"], unit: nil)
            input.child?.sex = form["childSex"]
        }
        return input
    }

    /// Store pointers (/other, /child/name …) mapped onto the form's field names.
    static func formErrors(_ error: RenkouError) -> [FieldError] {
        let map = ["/other": "/otherIdNumber", "/child/name": "/childName", "/child/idNumber": "/childIdNumber", "/child/sex": "/childSex", "/child/birthDate": "/day", "/child": "/childName"]
        return error.fields.map { FieldError(map[$0.pointer] ?? $0.pointer, $0.code, $0.message) }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.post("/persons/{id}/events") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("人员", "person"))
            do {
                let input = try await input(form, person: id, stores: deps.stores, context: context, scope: account.scope)
                let event = try await deps.stores.events.record(input, in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(event.type == .birth ? event.personID : id), notice: Text("事件已记录。", "The event is recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await PersonPages.detailPage(id, eventForm: form.values, eventError: error, deps: deps, account: account, request: request, context: context)
            }
        }

        router.post("/life-events/{id}/revoke") { request, context -> Response in
            _ = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("事件", "event"))
            try await deps.stores.events.revoke(id, reason: form["reason"] ?? "", in: context.scope, by: context.actor)
            return Redirect.to(LoginPages.safeNext(form["back"]), notice: Text("事件已撤销。", "The event is revoked."))
        }
    }
}

/// `/api/v1/life-events` and a person's timeline.
enum LifeEventAPI {
    struct Revocation: Decodable { let reason: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/life-events") { request, context in
            _ = try context.require(.registry(.write))
            let input = try await Body.json(LifeEventInput.self, request, context: context)
            return try JSON.response(try await deps.stores.events.record(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/life-events/{id}/revoke") { request, context in
            _ = try context.require(.registry(.write))
            let id = try context.uuid("id", Text("事件", "event"))
            let input = try await Body.json(Revocation.self, request, context: context)
            try await deps.stores.events.revoke(id, reason: input.reason ?? "", in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
        api.on(.get, "/api/v1/persons/{id}/events") { _, context in
            _ = try context.require(.registry(.read))
            let id = try PersonAPI.id(context)
            _ = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
            return try JSON.response(try await deps.stores.events.timeline(of: id, in: context.scope))
        }
    }
}
