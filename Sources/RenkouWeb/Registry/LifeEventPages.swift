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
            if let place = e.place { detail.append(place) }
            if let note = e.note { detail.append(note) }
            return Entry(day: e.day, what: e.type.label(lang), detail: detail.joined(separator: " · "), source: e.source.label(lang),
                         revoked: e.revokedAt.map { _ in Text("已撤销：", "Revoked: ")(lang) + (e.revokeReason ?? "") },
                         revokeAction: canRevoke && e.revokedAt == nil ? "/life-events/\(e.id.text)/revoke" : nil)
        }
    }

    static func formFields(_ form: [String: String], units: [OrgUnit], lang: Lang) -> [FormField] {
        let types = LifeEventType.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        let sources = EventSource.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        let selected = form["unit"] ?? ""
        return [
            PersonPages.select("type", Text("事件", "Event"), types, form, empty: Text("请选择", "Choose"), lang: lang),
            FormField(name: "day", label: Text("日期", "Date")(lang), value: form["day"] ?? "", type: "date", required: true),
            PersonPages.select("source", Text("信息来源", "Source"), sources, form, empty: Text("入户走访", "Home visit"), lang: lang),
            FormField(name: "otherIdNumber", label: Text("配偶/父亲的身份号码", "Spouse's or father's ID number")(lang), value: form["otherIdNumber"] ?? "",
                      hint: Text("结婚、离婚时必填；出生时可填父亲。", "Needed for a marriage or divorce; the father, for a birth.")(lang)),
            FormField(name: "childName", label: Text("新生儿姓名", "Newborn's name")(lang), value: form["childName"] ?? ""),
            FormField(name: "childIdNumber", label: Text("新生儿身份号码", "Newborn's ID number")(lang), value: form["childIdNumber"] ?? ""),
            FormField(name: "place", label: Text("迁自/迁往", "From or to")(lang), value: form["place"] ?? ""),
            FormField(name: "unit", label: Text("区内迁往单位", "Unit moved to (within the district)")(lang), value: selected,
                      options: [FormField.Option(value: "", label: "—", selected: selected.isEmpty)] + units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }),
            FormField(name: "note", label: Text("备注", "Note")(lang), value: form["note"] ?? ""),
        ]
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
        }
        return input
    }

    /// Store pointers (/other, /child/name …) mapped onto the form's field names.
    static func formErrors(_ error: RenkouError) -> [FieldError] {
        let map = ["/other": "/otherIdNumber", "/child/name": "/childName", "/child/idNumber": "/childIdNumber", "/child": "/childName"]
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
            _ = try context.requireAccount()
            let id = try PersonAPI.id(context)
            _ = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
            return try JSON.response(try await deps.stores.events.timeline(of: id, in: context.scope))
        }
    }
}
