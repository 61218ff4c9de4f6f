import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Households: list, open one, see members and history, add and end memberships.
enum HouseholdPages {
    struct Row { let number: String; let head: String; let members: Int; let address: String; let unit: String; let type: String; let href: String }
    struct MemberRow { let name: String; let idNumber: String; let relation: String; let joinedOn: String; let leftOn: String?; let href: String; let leaveAction: String? }

    static func path(_ id: UUID) -> String { "/households/\(id.text)" }

    /// Finds a person of the scope by ID number, for the "add a member" form.
    static func person(idNumber: String?, stores: Stores, context: AppContext, scope: Scope) async throws -> Person {
        var q = PersonQuery(); q.idNumber = idNumber.map(CitizenID.normalize); q.limit = 1
        guard q.idNumber != nil, let p = try await stores.persons.search(q, in: scope, by: context.actor).items.first else {
            throw RenkouError.invalid([FieldError("/idNumber", "unknown-person", Text("本辖区内没有该身份号码的人员，请先登记。", "Nobody in your area has this ID number; register the person first."))])
        }
        return p
    }

    static func detailPage(_ id: UUID, form: [String: String] = [:], error: RenkouError? = nil, deps: AppDeps, account: Account,
                           request: Request, context: AppContext) async throws -> Response {
        let lang = context.lang
        let d = try await deps.stores.households.detail(id, in: context.scope, by: context.actor)
        let canEdit = account.role.can(.registry(.write))
        let rows = d.members.map { m in
            MemberRow(name: m.name, idNumber: m.idNumber ?? Person.pendingIDNumber(lang), relation: Codes.label(Household.relations, m.relation)?(lang) ?? m.relation,
                      joinedOn: m.joinedOn, leftOn: m.leftOn, href: SitePath.person(m.personID),
                      leaveAction: canEdit && m.isCurrent ? path(id) + "/members/\(m.personID.text)/leave" : nil)
        }
        let fields = FormField.attach(error?.fields ?? [], to: [
            FormField(name: "idNumber", label: Text("成员身份号码", "Member's ID number")(lang), value: form["idNumber"] ?? "", required: true),
            PersonPages.select("relation", Text("与户主关系", "Relation to the head"), Household.relations, form, empty: Text("请选择", "Choose"), lang: lang),
            FormField(name: "joinedOn", label: Text("入户日期", "Joined on")(lang), value: form["joinedOn"] ?? Day(deps.stores.env.now()).description, type: "date"),
        ], lang: lang)
        let h = d.household
        let events = try await deps.stores.events.timeline(ofHousehold: id, in: context.scope)
        let timeline = events.map { e in
            HouseholdView.Event(day: e.day, what: e.type.label(lang), who: e.personName, revoked: e.revokedAt != nil)
        }
        let sections = try await deps.sections(.householdSections, for: d, account: account, context: context, request: request)
        let model = HouseholdView(
            timeline: timeline, hasTimeline: !timeline.isEmpty, sections: sections,
            number: h.number, address: h.address ?? "—", unitName: h.unitName, unitHref: SitePath.unit(h.unitCode),
            type: Codes.label(Household.types, h.type)?(lang) ?? h.type, members: rows.filter { $0.leftOn == nil },
            history: rows.filter { $0.leftOn != nil }, hasHistory: rows.contains { $0.leftOn != nil },
            headMissing: d.head == nil && !d.current.isEmpty, canEdit: canEdit, addAction: path(id) + "/members",
            fields: fields, message: error?.message(lang), today: Day(deps.stores.env.now()).description)
        return deps.renderer.html("registry/household", title: Text("户 \(h.number)", "Household \(h.number)"), model: model, context: context,
                                  request: request, status: error.map { $0.kind.status } ?? .ok)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/households") { request, context -> Response in
            let account = try context.require(.registry(.read))
            let lang = context.lang
            let number = request.query("number") ?? ""
            let page = try await deps.stores.households.search(number: number, offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope)
            func pageHref(_ offset: Int) -> String { SitePath.query(SitePath.households, [("offset", String(offset)), ("number", number)]) }
            let model = HouseholdsView(
                canCreate: account.role.can(.registry(.write)),
                fields: [FormField(name: "number", label: Text("户号包含", "Number contains")(lang), value: request.query("number") ?? "")],
                households: page.items.map { Row(number: $0.number, head: $0.headName ?? Text("（无户主）", "(no head)")(lang), members: $0.memberCount ?? 0,
                                                 address: $0.address ?? "", unit: $0.unitName,
                                                 type: Codes.label(Household.types, $0.type)?(lang) ?? $0.type, href: path($0.id)) },
                summary: Text("共 \(page.totalShown) 户", "\(page.totalShown) households")(lang)
                    + (page.hasMore || page.offset > 0 ? Text(" · 第 \(page.offset + 1)–\(page.offset + page.items.count) 户", " · \(page.offset + 1)–\(page.offset + page.items.count)")(lang) : ""),
                prevHref: page.offset > 0 ? pageHref(max(0, page.offset - page.limit)) : nil,
                nextHref: page.hasMore ? pageHref(page.offset + page.limit) : nil)
            return deps.renderer.html("registry/households", title: Text("户", "Households"), model: model, context: context, request: request)
        }

        @Sendable func newForm(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let units = try await deps.stores.orgs.list(levels: [.community, .grid], in: context.scope)
            let selected = form["unit"] ?? ""
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "number", label: Text("户号", "Household number")(lang), value: form["number"] ?? "", required: true),
                PersonPages.select("type", Text("户别", "Type"), Household.types, form, empty: Text("家庭户", "Family household"), lang: lang),
                FormField(name: "unit", label: Text("所属单位", "Unit")(lang), value: selected, required: true,
                          options: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: selected.isEmpty)] +
                            units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }),
                FormField(name: "address", label: Text("住址", "Address")(lang), value: form["address"] ?? ""),
            ], lang: lang)
            var model = PersonFormView(heading: Text("新建户", "New household")(lang), action: "/households/new", fields: fields)
            model.message = error?.message(lang)
            return deps.renderer.html("registry/person_form", title: Text("新建户", "New household"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/households/new") { request, context -> Response in
            let account = try context.require(.registry(.write))
            return try await newForm(["unit": request.query("unit") ?? ""], error: nil, account: account, request: request, context: context)
        }

        router.post("/households/new") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            do {
                let h = try await deps.stores.households.create(number: form["number"] ?? "", unitCode: form["unit"] ?? "", address: form["address"],
                                                                type: form["type"] ?? "family", in: context.scope, by: context.actor)
                return Redirect.to(path(h.id), notice: Text("已建立户。", "The household is created."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await newForm(form.values, error: error, account: account, request: request, context: context)
            }
        }

        router.get("/households/{id}") { request, context -> Response in
            let account = try context.require(.registry(.read))
            let id = try context.uuid("id", Text("户", "household"))
            return try await detailPage(id, deps: deps, account: account, request: request, context: context)
        }

        router.post("/households/{id}/members") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("户", "household"))
            do {
                let p = try await person(idNumber: form["idNumber"], stores: deps.stores, context: context, scope: account.scope)
                let joined = try Day.parse(form["joinedOn"], field: "joinedOn", default: Day(deps.stores.env.now()))
                try await deps.stores.households.addMember(id, person: p.id, relation: form["relation"] ?? "", on: joined, in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid {
                let mapped = RenkouError(error.kind, error.code, error.message, fields: error.fields.map { $0.field == "person" ? FieldError("/idNumber", $0.code, $0.message) : $0 })
                return try await detailPage(id, form: form.values, error: mapped, deps: deps, account: account, request: request, context: context)
            }
        }

        router.post("/households/{id}/members/{person}/leave") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("户", "household")), person = try context.uuid("person", Text("户", "household"))
            do {
                try await deps.stores.households.removeMember(id, person: person, on: try Day.parse(form["leftOn"], field: "leftOn", default: Day(deps.stores.env.now())),
                                                              in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detailPage(id, error: error, deps: deps, account: account, request: request, context: context)
            }
        }
    }
}

/// The households list.
struct HouseholdsView {
    let canCreate: Bool; let fields: [FormField]; let households: [HouseholdPages.Row]; let summary: String
    let prevHref: String?, nextHref: String?
}

/// A household's page: members now and before, the events of everyone who was a member, the add-member form.
struct HouseholdView {
    struct Event { let day: String; let what: String; let who: String; let revoked: Bool }
    let timeline: [Event]
    let hasTimeline: Bool
    let sections: [String]
    let number: String, address: String, unitName: String, unitHref: String, type: String
    let members: [HouseholdPages.MemberRow]
    let history: [HouseholdPages.MemberRow]
    let hasHistory: Bool
    let headMissing: Bool
    let canEdit: Bool
    let addAction: String
    let fields: [FormField]
    let message: String?
    let today: String
}
