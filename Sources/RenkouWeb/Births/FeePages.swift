import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 社会抚养费台账 (legacy, off by default): the old cases of the area, one case with its collections,
/// its talks with the hukou region and its closure under the 2021 rules; the API. Offices that
/// handle births (births.write) read and keep it; nobody else sees it. With the ledger off, every
/// page and call answers not found.
enum FeePages {
    static func path(_ id: UUID) -> String { "/fees/\(id.text)" }

    struct Row { let href: String, number: String, name: String, unit: String, decided: String, amount: String, collected: String, state: String; let open: Bool }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        let yuan = BenefitPages.yuan
        @Sendable func list(_ form: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let cases = try await deps.stores.fees.cases(in: context.scope, by: context.actor)
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "person", label: Text("人员编号", "Person's id")(lang), value: form["person"] ?? request.query("person") ?? "", required: true,
                          hint: Text("从人员页面进入时已填好。", "Filled in when you come from a person's page.")(lang)),
                FormField(name: "spouseName", label: Text("配偶姓名", "Spouse's name")(lang), value: form["spouseName"] ?? ""),
                FormField(name: "childBirthDate", label: Text("孩子出生日期", "Child's birth date")(lang), value: form["childBirthDate"] ?? "", type: "date", required: true,
                          hint: Text("须早于 2021-08-20（社会抚养费取消之日）。", "Before 2021-08-20, when the fee was abolished.")(lang)),
                FormField(name: "decisionNumber", label: Text("征收决定书文号", "Decision reference")(lang), value: form["decisionNumber"] ?? "", required: true),
                FormField(name: "decidedOn", label: Text("决定日期", "Decided on")(lang), value: form["decidedOn"] ?? "", type: "date", required: true),
                FormField(name: "amount", label: Text("征收金额（元）", "Amount (yuan)")(lang), value: form["amount"] ?? "", type: "number", required: true),
                FormField(name: "instalments", label: Text("分期数", "Instalments")(lang), value: form["instalments"] ?? "1", type: "number"),
                FormField(name: "hukouRegion", label: Text("户籍地代码", "Hukou region code")(lang), value: form["hukouRegion"] ?? "",
                          hint: Text("6 位代码；不填则取登记记录。", "6 digits; the registry's when empty.")(lang)),
            ], lang: lang)
            let open = cases.filter(\.isOpen)
            let model = FeesView(rows: cases.map { c in
                Row(href: path(c.id), number: c.number, name: c.name, unit: c.unitName, decided: c.decidedOn, amount: yuan(c.amount), collected: yuan(c.collected),
                    state: c.closure?.label(lang) ?? Text("未结案", "Open")(lang), open: c.isOpen)
            }, hasRows: !cases.isEmpty,
               summary: Text("共 \(cases.count) 件，未结案 \(open.count) 件，未缴金额 \(yuan(open.reduce(0) { $0 + $1.outstanding }))",
                             "\(cases.count) cases, \(open.count) open, \(yuan(open.reduce(0) { $0 + $1.outstanding })) outstanding")(lang),
               canCloseAll: !open.isEmpty, fields: fields, message: error?.message(lang))
            return deps.renderer.html("births/fees", title: Text("社会抚养费台账", "Maintenance fee ledger"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/fees") { request, context -> Response in
            _ = try context.require(.births(.write))
            return try await list([:], error: nil, request: request, context: context)
        }
        router.post("/fees") { request, context -> Response in
            _ = try context.require(.births(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                let c = try await deps.stores.fees.open(input(form.values), in: context.scope, by: context.actor)
                return Redirect.to(path(c.id), notice: Text("已录入案件 \(c.number)。", "Case \(c.number) entered."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await list(form.values, error: error, request: request, context: context)
            }
        }
        router.post("/fees/close-all") { request, context -> Response in
            _ = try context.require(.births(.write))
            _ = try await RenkouWeb.Form.read(request, context: context)
            let done = try await deps.stores.fees.closeAll(in: context.scope, by: context.actor)
            let n = done.values.reduce(0, +)
            return Redirect.to("/fees", notice: Text("已按 2021 年规定结案 \(n) 件。", "\(n) cases closed under the 2021 rules."))
        }
        @Sendable func detail(_ id: UUID, form: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, today = Day(deps.stores.env.now()).description
            let c = try await deps.stores.fees.feeCase(id, in: context.scope, by: context.actor)
            func field(_ name: String, _ label: Text, type: String = "text", value: String = "") -> FormField {
                FormField(name: name, label: label(lang), value: form[name] ?? value, type: type)
            }
            let model = FeeView(
                number: c.number, name: c.name, personHref: SitePath.person(c.personID),
                facts: [(Text("配偶", "Spouse"), c.spouseName ?? "—"), (Text("孩子出生日期", "Child born"), c.childBirthDate),
                        (Text("征收决定", "Decision"), "\(c.decisionNumber)（\(c.decidedOn)）"), (Text("征收金额", "Amount"), yuan(c.amount)),
                        (Text("分期", "Instalments"), String(c.instalments)), (Text("已缴", "Collected"), yuan(c.collected)), (Text("未缴", "Outstanding"), yuan(c.outstanding)),
                        (Text("户籍地", "Hukou region"), c.hukouRegion ?? "—"), (Text("单位", "Unit"), c.unitName),
                        (Text("状态", "State"), c.closure.map { "\($0.label(lang))（\(c.closedOn ?? "")）" } ?? Text("未结案", "Open")(lang))]
                    .map { PersonPages.Detail(label: $0.0(lang), value: $0.1) } + (c.closureNote.map { [PersonPages.Detail(label: Text("结案说明", "Closure note")(lang), value: $0)] } ?? []),
                collections: c.collections.map { FeeView.Line(day: $0.day, what: yuan($0.amount), detail: $0.receipt, by: $0.by) }, hasCollections: !c.collections.isEmpty,
                negotiations: c.negotiations.map { FeeView.Line(day: $0.day, what: $0.region, detail: $0.text, by: $0.by) }, hasNegotiations: !c.negotiations.isEmpty,
                open: c.isOpen, collectAction: "/fees/\(id.text)/collections", negotiateAction: "/fees/\(id.text)/negotiations", closeAction: "/fees/\(id.text)/close",
                collectFields: FormField.attach(error?.fields ?? [], to: [field("day", Text("缴款日期", "Paid on"), type: "date"), field("amount", Text("金额（元）", "Amount (yuan)"), type: "number"),
                                                                        field("receipt", Text("票据号", "Receipt"))], lang: lang),
                negotiateFields: [field("day", Text("日期", "Date"), type: "date", value: today), field("region", Text("户籍地代码", "Region code"), value: c.hukouRegion ?? ""),
                                  field("text", Text("协商情况", "What was asked or agreed"))],
                closeHint: (c.outstanding == 0 ? Text("已缴清，结案后不予退还。", "Paid in full; closing refunds nothing.")
                            : Text("按 2021 年修正的人口与计划生育法：已征收的 \(yuan(c.collected)) 不予退还，未征收的 \(yuan(c.outstanding)) 不再征收。",
                                   "Under the 2021 law: the \(yuan(c.collected)) collected is not refunded; the \(yuan(c.outstanding)) outstanding is no longer collected."))(lang),
                message: error?.message(lang))
            return deps.renderer.html("births/fee", title: Text("社会抚养费案件", "Fee case"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/fees/{id}") { request, context -> Response in
            _ = try context.require(.births(.write))
            return try await detail(try context.uuid("id", Text("案件", "case")), form: [:], error: nil, request: request, context: context)
        }
        router.post("/fees/{id}/collections") { request, context -> Response in
            _ = try context.require(.births(.write))
            let id = try context.uuid("id", Text("案件", "case")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.fees.collect(id, day: form["day"], amount: Int(form["amount"] ?? ""), receipt: form["receipt"], in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已记录缴款。", "Payment recorded."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await detail(id, form: form.values, error: error, request: request, context: context)
            }
        }
        router.post("/fees/{id}/negotiations") { request, context -> Response in
            _ = try context.require(.births(.write))
            let id = try context.uuid("id", Text("案件", "case")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.fees.negotiate(id, day: form["day"], region: form["region"], text: form["text"], in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已记录协商情况。", "Recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detail(id, form: form.values, error: error, request: request, context: context)
            }
        }
        router.post("/fees/{id}/close") { request, context -> Response in
            _ = try context.require(.births(.write))
            let id = try context.uuid("id", Text("案件", "case")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                let c = try await deps.stores.fees.close(id, enforcementWithdrawn: form["enforcementWithdrawn"] == "1", note: form["note"], in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已结案：\(c.closure?.label.zh ?? "")。", "Closed: \(c.closure?.label.en ?? "").")) 
            } catch let error as RenkouError where error.kind == .conflict {
                return try await detail(id, form: form.values, error: error, request: request, context: context)
            }
        }
    }

    static func input(_ v: [String: String]) -> FeeCaseInput {
        FeeCaseInput(person: v["person"], spouseName: v["spouseName"], childBirthDate: v["childBirthDate"], decisionNumber: v["decisionNumber"], decidedOn: v["decidedOn"],
                     amount: v["amount"].flatMap { Int($0.trimmed) }, instalments: v["instalments"].flatMap { Int($0.trimmed) }, hukouRegion: v["hukouRegion"])
    }

    struct Collect: Decodable { let day: String?; let amount: Int?; let receipt: String? }
    struct Negotiate: Decodable { let day: String?; let region: String?; let text: String? }
    struct CloseBody: Decodable { let enforcementWithdrawn: Bool?; let note: String? }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/fees") { _, context in
            _ = try context.require(.births(.write))
            return try JSON.response(try await deps.stores.fees.cases(in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/fees") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(FeeCaseInput.self, request, context: context)
            return try JSON.response(try await deps.stores.fees.open(b, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/fees/{id}") { _, context in
            _ = try context.require(.births(.write))
            return try JSON.response(try await deps.stores.fees.feeCase(try context.uuid("id", Text("案件", "case")), in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/fees/{id}/collections") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Collect.self, request, context: context)
            return try JSON.response(try await deps.stores.fees.collect(try context.uuid("id", Text("案件", "case")), day: b.day, amount: b.amount, receipt: b.receipt,
                                                                        in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/fees/{id}/negotiations") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(Negotiate.self, request, context: context)
            return try JSON.response(try await deps.stores.fees.negotiate(try context.uuid("id", Text("案件", "case")), day: b.day, region: b.region, text: b.text,
                                                                          in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/fees/{id}/close") { request, context in
            _ = try context.require(.births(.write))
            let b = try await Body.json(CloseBody.self, request, context: context)
            return try JSON.response(try await deps.stores.fees.close(try context.uuid("id", Text("案件", "case")), enforcementWithdrawn: b.enforcementWithdrawn ?? false,
                                                                      note: b.note, in: context.scope, by: context.actor))
        }
    }
}

/// The ledger's cases.
struct FeesView { let rows: [FeePages.Row]; let hasRows: Bool; let summary: String; let canCloseAll: Bool; let fields: [FormField]; let message: String? }
/// One case.
struct FeeView {
    struct Line { let day: String, what: String, detail: String, by: String }
    let number: String, name: String, personHref: String
    let facts: [PersonPages.Detail]
    let collections: [Line]; let hasCollections: Bool
    let negotiations: [Line]; let hasNegotiations: Bool
    let open: Bool
    let collectAction: String, negotiateAction: String, closeAction: String
    let collectFields: [FormField], negotiateFields: [FormField]
    let closeHint: String
    let message: String?
}
