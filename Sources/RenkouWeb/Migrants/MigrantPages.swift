import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 流动人口: the overview of rates per unit with click-through, and the stays of a person.
enum MigrantPages {
    static func percent(_ v: Double?) -> String { Format.percent(v) }

    static func ratesPath(_ code: String, unit: String?, day: Day) -> String {
        "/migrants/rates/\(code)?unit=\(unit ?? "")&on=\(day.description)"
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/migrants") { request, context -> Response in
            let account = try context.require(.migrants(.read))
            let lang = context.lang
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            let summary = try await deps.stores.migrantRates.summary(unitCode: request.query("unit"), on: day, in: context.scope)
            func cells(_ u: MigrantRateStore.UnitRates) -> [MigrantsView.Cell] {
                u.figures.map { f in
                    MigrantsView.Cell(rate: percent(f.rate), below: f.meetsTarget == false, counts: "\(f.numerator) / \(f.denominator)",
                                      href: ratesPath(f.code, unit: u.code, day: day))
                }
            }
            let indicators = MigrantIndicator.all.map { i in
                let f = summary.unit.figures.first { $0.code == i.code }!
                return MigrantsView.Indicator(code: i.code, name: i.name(lang), numerator: i.numerator(lang), denominator: i.denominator(lang),
                                              target: "≥ " + percent(i.target), rate: percent(f.rate), counts: "\(f.numerator) / \(f.denominator)",
                                              below: f.meetsTarget == false, href: ratesPath(i.code, unit: summary.unit.code, day: day))
            }
            let model = MigrantsView(
                unitName: summary.unit.name, day: day.description, indicators: indicators,
                headers: MigrantIndicator.all.map { $0.name(lang) },
                children: summary.children.map { MigrantsView.UnitRow(name: $0.name, href: "/migrants?unit=\($0.code)&on=\(day.description)", cells: cells($0)) },
                hasChildren: !summary.children.isEmpty, canRegister: account.role.can(.migrants(.write)))
            return deps.renderer.html("migrants/overview", title: Text("流动人口", "Migrants"), model: model, context: context, request: request)
        }

        router.get("/migrants/rates/{code}") { request, context -> Response in
            _ = try context.require(.migrants(.read))
            let lang = context.lang
            let code = try context.parameters.require("code")
            guard let indicator = MigrantIndicator.named(code) else { throw RenkouError.notFound(Text("指标", "indicator")) }
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            let all = request.query("all") == "1"
            let offset = request.query("offset").flatMap(Int.init) ?? 0
            let page = try await deps.stores.migrantRates.records(code, unitCode: request.query("unit"), on: day, gapsOnly: !all, offset: offset, in: context.scope, by: context.actor)
            let rows = page.items.map { r in
                RateRecordsView.Row(name: r.name, idNumber: r.idNumber, detail: r.detail ?? "", href: r.link == "person" ? SitePath.person(r.id) : r.link == "host" ? HostPages.path(r.id) : nil)
            }
            let base = "/migrants/rates/\(code)?unit=\(request.query("unit") ?? "")&on=\(day.description)"
            let model = RateRecordsView(
                name: indicator.name(lang), numerator: indicator.numerator(lang), denominator: indicator.denominator(lang),
                rows: rows, summary: Text("共 \(page.totalShown) 条", "\(page.totalShown) records")(lang), day: day.description,
                toggleHref: all ? base : base + "&all=1", toggleLabel: (all ? Text("只看未达标的", "Only the gaps") : Text("显示全部", "Show all"))(lang),
                heading: (all ? Text("全部记录", "All records") : Text("未达标的记录", "Records behind the gap"))(lang),
                nextHref: page.hasMore ? base + (all ? "&all=1" : "") + "&offset=\(offset + page.limit)" : nil)
            return deps.renderer.html("migrants/rate_records", title: indicator.name, model: model, context: context, request: request)
        }

        @Sendable func stayForm(_ personID: UUID, form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let person = try await deps.stores.persons.read(personID, in: context.scope, by: context.actor)
            let hosts = try await deps.stores.hosts.list(kind: nil, unitCode: nil, nameContains: nil, limit: 500, in: context.scope).items
            let kinds = StayKind.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
            var fields = [
                PersonPages.select("kind", Text("流动类型", "Kind"), kinds, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "since", label: Text("流入/流出日期", "Arrived or left on")(lang), value: form["since"] ?? Day(deps.stores.env.now()).description, type: "date", required: true),
                FormField(name: "region", label: Text("户籍地或流入地代码（6 位）", "Region code there (6 digits)")(lang), value: form["region"] ?? person.hukouRegion ?? ""),
                FormField(name: "place", label: Text("户籍地或流入地详址", "Address there")(lang), value: form["place"] ?? ""),
                PersonPages.select("reason", Text("流动原因", "Reason"), Stay.reasons, form, empty: Text("务工经商", "Work or business"), lang: lang),
                FormField(name: "address", label: Text("本地居住地址", "Address here")(lang), value: form["address"] ?? person.address ?? ""),
                FormField(name: "employer", label: Text("外出务工单位", "Employer there (outflow)")(lang), value: form["employer"] ?? ""),
                FormField(name: "contact", label: Text("联系方式", "Contact")(lang), value: form["contact"] ?? person.phone ?? ""),
            ]
            let selected = form["host"] ?? request.query("host") ?? ""
            fields.insert(FormField(name: "host", label: Text("房东/用工单位", "Landlord or employer")(lang), value: selected,
                                    options: [FormField.Option(value: "", label: Text("无", "None")(lang), selected: selected.isEmpty)]
                                        + hosts.map { FormField.Option(value: $0.id.text, label: "\($0.name) · \($0.kind.label(lang))", selected: $0.id.text == selected) }), at: 5)
            let model = MigrantFormView(heading: Text("登记流动：\(person.name)", "Record a stay: \(person.name)")(lang), action: SitePath.person(personID) + "/stays",
                                        back: SitePath.person(personID), backLabel: person.name,
                                        fields: FormField.attach(error?.fields ?? [], to: fields, lang: lang), message: error?.message(lang))
            return deps.renderer.html("migrants/form", title: Text("登记流动", "Record a stay"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/persons/{id}/stays/new") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("人员", "person"))
            return try await stayForm(id, form: [:], error: nil, account: account, request: request, context: context)
        }

        router.post("/persons/{id}/stays") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("人员", "person"))
            let form = try await Form.read(request, context: context)
            var input = StayInput()
            input.person = id.text; input.kind = form["kind"]; input.since = form["since"]; input.region = form["region"]; input.place = form["place"]
            input.reason = form["reason"]; input.address = form["address"]; input.host = form["host"]; input.employer = form["employer"]; input.contact = form["contact"]
            do {
                try await deps.stores.stays.open(input, in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(id), notice: Text("流动记录已建立。", "The stay is recorded."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await stayForm(id, form: form.values, error: error, account: account, request: request, context: context)
            }
        }

        router.post("/stays/{id}/close") { request, context -> Response in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("流动记录", "stay"))
            let form = try await Form.read(request, context: context)
            let stay = try await deps.stores.stays.close(id, on: try Day.parse(form["until"], field: "until", default: Day(deps.stores.env.now())),
                                                         endPlace: form["endPlace"], in: context.scope, by: context.actor)
            return Redirect.to(SitePath.person(stay.personID), notice: Text("流动记录已结束。", "The stay is closed."))
        }
    }
}

/// 流动人口 overview: the unit's rates against target, and the units below, each cell linking to its records.
struct MigrantsView {
    struct Cell { let rate: String; let below: Bool; let counts: String; let href: String }
    struct Indicator { let code: String, name: String, numerator: String, denominator: String, target: String, rate: String, counts: String; let below: Bool; let href: String }
    struct UnitRow { let name: String; let href: String; let cells: [Cell] }
    let unitName: String
    let day: String
    let indicators: [Indicator]
    let headers: [String]
    let children: [UnitRow]
    let hasChildren: Bool
    let canRegister: Bool
}

/// The records behind one rate (the gaps, or all).
struct RateRecordsView {
    struct Row { let name: String; let idNumber: String; let detail: String; let href: String? }
    let name: String, numerator: String, denominator: String
    let rows: [Row]
    let summary: String, day: String, toggleHref: String, toggleLabel: String, heading: String
    let nextHref: String?
}

/// The module's forms (a stay, a certificate, a landlord, an agreement ...): heading, fields, where to go back.
struct MigrantFormView {
    let heading: String
    let action: String
    let back: String
    let backLabel: String
    let fields: [FormField]
    let message: String?
    /// The form uploads a file.
    var multipart = false
    /// Facts of the person to check before saving (a certificate's holder), shown above the form.
    var facts: [PersonPages.Detail] = [] { didSet { hasFacts = !facts.isEmpty } }
    var hasFacts = false
}
