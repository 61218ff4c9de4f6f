import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The office's pages: the list of registrations (open ones first, by their last day), the form at
/// the counter (a person's page fills in the couple), a registration with its decisions, the voucher.
enum BirthPages {
    static func path(_ id: UUID) -> String { "/births/\(id.text)" }

    struct Row { let number: String, href: String, mother: String, father: String, day: String, state: String, stateCode: String, due: String, unit: String; let overdue: Bool }
    static func row(_ r: BirthRegistration, today: Day, lang: Lang) -> Row {
        Row(number: r.number, href: path(r.id), mother: r.motherName, father: r.fatherName,
            day: r.childBornOn.map { Text("出生 \($0)", "born \($0)")(lang) } ?? r.expectedOn.map { Text("预产期 \($0)", "expected \($0)")(lang) } ?? "",
            state: r.state.label(lang), stateCode: r.state.rawValue, due: r.dueOn ?? "", unit: r.unitName, overdue: r.isOverdue(on: today))
    }

    static func formFields(_ form: [String: String], errors: [FieldError], units: [OrgUnit], today: Day, lang: Lang) -> [FormField] {
        func text(_ name: String, _ label: Text, type: String = "text", required: Bool = false, hint: Text? = nil) -> FormField {
            FormField(name: name, label: label(lang), value: form[name] ?? "", type: type, required: required, hint: hint?(lang))
        }
        return FormField.attach(errors, to: [
            PersonPages.select("unit", Text("办理单位", "Office"), units.map { Codes.Entry(code: $0.code, label: Text($0.name, $0.name)) }, form, empty: Text("请选择", "Choose"), lang: lang),
            PersonPages.select("basis", Text("登记地依据", "Registered as"), RegistrationBasis.entries, form, empty: Text("—", "—"), lang: lang),
            text("motherName", Text("女方姓名", "Mother's name"), required: true), text("motherIDNumber", Text("女方身份证号", "Mother's ID number"), required: true),
            text("fatherName", Text("男方姓名", "Father's name"), required: true), text("fatherIDNumber", Text("男方身份证号", "Father's ID number"), required: true),
            text("phone", Text("联系电话", "Mobile"), type: "tel"),
            text("expectedOn", Text("预产期（出生前登记）", "Expected day (before the birth)"), type: "date"),
            text("childName", Text("孩子姓名（出生后补登）", "Child's name (after the birth)")),
            PersonPages.select("childSex", Text("孩子性别", "Child's sex"), [Codes.Entry(code: "1", label: Text("男", "Boy")), Codes.Entry(code: "2", label: Text("女", "Girl"))], form, empty: Text("—", "—"), lang: lang),
            text("childBornOn", Text("出生日期", "Born on"), type: "date"),
            PersonPages.select("document", Text("证件", "Document"), [Codes.Entry(code: "id-card", label: Text("居民身份证", "ID card")), Codes.Entry(code: "household-booklet", label: Text("户口簿", "Household booklet"))],
                               form.merging(["document": form["document"] ?? "id-card"]) { a, _ in a }, empty: Text("—", "—"), lang: lang),
            text("receivedOn", Text("收件日期（补录时）", "Received on (when entered later)"), type: "date", hint: Text("默认今天；办理期限从这天起算。", "Today unless said; the time limit counts from it.")),
            text("approvalNumber", Text("再生育审批文号（2021-08-20 前的补录）", "Additional-child approval reference (births before 2021-08-20)"),
                 hint: Text("补录当年须审批的孩次时填写，出生当日的政策据此判为政策内。", "For an older birth whose order needed an approval then: it counts as within policy.")),
            text("approvedOn", Text("审批日期", "Approved on"), type: "date"),
            text("note", Text("备注", "Note")),
        ], lang: lang)
    }

    static func input(_ form: RenkouWeb.Form) -> BirthRegistrationInput {
        var i = BirthRegistrationInput()
        i.unit = form["unit"]; i.basis = form["basis"]; i.motherName = form["motherName"]; i.motherIDNumber = form["motherIDNumber"]
        i.fatherName = form["fatherName"]; i.fatherIDNumber = form["fatherIDNumber"]; i.phone = form["phone"]; i.expectedOn = form["expectedOn"]
        i.childName = form["childName"]; i.childSex = form["childSex"]; i.childBornOn = form["childBornOn"]; i.document = form["document"]
        i.pledge = form["pledge"] != nil; i.note = form["note"]; i.receivedOn = form["receivedOn"]
        i.approvalNumber = form["approvalNumber"]; i.approvedOn = form["approvedOn"]
        return i
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/births") { request, context -> Response in
            let account = try context.require(.births(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let state = request.query("state").flatMap(RegistrationState.init(rawValue:))
            let offset = request.query("offset").flatMap(Int.init) ?? 0
            let page = try await deps.stores.births.list(unitCode: nil, state: state, offset: offset, in: context.scope, by: context.actor)
            func href(_ s: String?, _ o: Int? = nil) -> String { SitePath.query("/births", [("state", s), ("offset", o.map(String.init))]) }
            let model = BirthListView(
                filters: [BirthListView.StateFilter(label: Text("全部", "All")(lang), href: href(nil), active: state == nil)]
                    + RegistrationState.allCases.map { BirthListView.StateFilter(label: $0.label(lang), href: href($0.rawValue), active: $0 == state) },
                rows: page.items.map { row($0, today: today, lang: lang) }, hasRows: !page.items.isEmpty,
                summary: Text("共 \(page.totalShown) 件", "\(page.totalShown) registrations")(lang), canWrite: account.role.can(.births(.write)),
                nextHref: page.hasMore ? href(state?.rawValue, offset + page.limit) : nil)
            return deps.renderer.html("births/list", title: Text("生育登记", "Birth registration"), model: model, context: context, request: request)
        }

        @Sendable func newForm(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            // A grid worker registers at the offices above the grid.
            let area = account.role == .grid ? Scope(path: context.scope.path.split(separator: "/").dropLast().map { "/" + $0 }.joined() + "/") : context.scope
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: area)
            var values = form
            if values["unit"] == nil { values["unit"] = units.first { $0.code == account.unitCode }?.code ?? units.first?.code }
            let model = SimpleFormView(heading: Text("新建生育登记", "New birth registration")(lang), back: "/births", backLabel: Text("生育登记", "Birth registration")(lang),
                                       hint: Text("窗口或代办收件即为材料齐全，办理期限从收件日起算。", "At the counter or by proxy the application is complete: the time limit counts from the day it came in.")(lang),
                                       action: "/births/new", formID: "birth-form",
                                       fields: formFields(values, errors: error?.fields ?? [], units: units, today: Day(deps.stores.env.now()), lang: lang),
                                       message: error?.message(lang))
            return deps.renderer.html("services/form", title: Text("新建生育登记", "New birth registration"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/births/new") { request, context -> Response in
            let account = try context.require(.births(.write))
            var form: [String: String] = [:]
            // From a person's page: the couple filled in from the registry.
            if let id = request.query("person").flatMap(UUID.init(uuidString:)) {
                let p = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
                // The spouse only when in the worker's area; else the worker types them from the ID card.
                let spouse = try await p.spouseID.asyncMap { try? await deps.stores.persons.read($0, in: context.scope, by: context.actor) } ?? nil
                let (mother, father) = p.sex == "2" ? (p, spouse) : (spouse, p)
                form = ["motherName": mother?.name ?? "", "motherIDNumber": mother?.idNumber ?? "", "fatherName": father?.name ?? "", "fatherIDNumber": father?.idNumber ?? "",
                        "unit": p.unitCode.count > 12 ? String(p.unitCode.prefix(12)) : p.unitCode]
            }
            return try await newForm(form, error: nil, account: account, request: request, context: context)
        }
        router.post("/births/new") { request, context -> Response in
            let account = try context.require(.births(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                let r = try await deps.stores.births.submit(input(form), channel: account.role == .grid ? .proxy : .counter, in: context.scope, by: context.actor)
                // A grid worker's registration belongs to the office above: they keep its number.
                return Redirect.to(account.role == .grid ? "/tasks" : path(r.id), notice: Text("已受理，编号 \(r.number)，办理期限 \(r.dueOn ?? "")。", "Accepted as \(r.number); to be decided by \(r.dueOn ?? "")."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await newForm(form.values, error: error, account: account, request: request, context: context)
            }
        }

        @Sendable func detail(_ id: UUID, error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, today = Day(deps.stores.env.now())
            let r = try await deps.stores.births.registration(id, in: context.scope, by: context.actor)
            let person: (UUID?) -> String? = { $0.map(SitePath.person) }
            let facts: [(Text, String, String?)] = [
                (Text("登记编号", "Number"), r.number, nil), (Text("状态", "State"), r.state.label(lang), nil),
                (Text("渠道", "Channel"), r.channel.label(lang), nil), (Text("办理单位", "Office"), "\(r.unitName)（\(r.basis.label(lang))）", nil),
                (Text("女方", "Mother"), "\(r.motherName) \(r.motherIDNumber)", person(r.motherID)), (Text("男方", "Father"), "\(r.fatherName) \(r.fatherIDNumber)", person(r.fatherID)),
                (Text("联系电话", "Mobile"), r.phone ?? "—", nil),
                (Text("孩子", "Child"), r.childBornOn.map { "\(r.childName ?? "") · \(r.childSex == "1" ? "男" : "女") · \($0)" } ?? Text("预产期 \(r.expectedOn ?? "")", "expected \(r.expectedOn ?? "")")(lang), person(r.childID)),
                (Text("孩次", "Child's order"), "\(r.childOrder) · \((r.compliant ? Text("政策内", "within policy") : Text("政策外", "outside policy"))(lang))"
                    + (r.approvalNumber.map { Text("（再生育审批 \($0)，\(r.approvedOn ?? "")）", " (approval \($0), \(r.approvedOn ?? ""))")(lang) } ?? ""), nil),
                (Text("证件", "Document"), (r.document == "id-card" ? Text("居民身份证", "ID card") : Text("户口簿", "Household booklet"))(lang) + (r.pledge ? Text("；个人承诺", "; pledge")(lang) : ""), nil),
                (Text("收件日期", "Received on"), r.submittedOn, nil), (Text("办理期限", "Time limit"), r.dueOn ?? Text("受理后起算", "counted once accepted")(lang), nil),
                (Text("办结", "Decided"), [r.decidedOn, r.decisionNote].compactMap { $0 }.joined(separator: " · "), nil),
            ]
            let canWrite = account.role.can(.births(.write))
            let decisions: [(BirthRegistrationStore.Decision, Text)] = [(.accept, Text("受理（材料齐全）", "Accept (complete)")), (.register, Text("登记并出具凭证", "Register and issue the voucher")),
                                                                        (.needsInformation, Text("退回补充材料", "Ask for information")), (.refuse, Text("不予登记", "Refuse"))]
            let model = BirthDetailView(
                number: r.number, facts: facts.map { BirthDetailView.Fact(label: $0.0(lang), value: $0.1, href: $0.2) }, overdue: r.isOverdue(on: today),
                action: canWrite && ![.registered, .refused].contains(r.state) ? "/births/\(id.text)/decide" : nil,
                decisions: decisions.filter { d in
                    switch d.0 { case .accept: [.submitted, .needsInformation].contains(r.state); case .needsInformation: r.state.isOpen; case .register: r.state.isOpen; case .refuse: true }
                }.map { BirthDetailView.Option(value: $0.0.rawValue, label: $0.1(lang)) },
                voucherHref: r.state == .registered ? "/births/\(id.text)/voucher" : nil, message: error?.message(lang),
                noteError: error?.fields.first { $0.field == "note" }?.message(lang))
            return deps.renderer.html("births/detail", title: Text("生育登记", "Birth registration"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/births/{id}") { request, context -> Response in
            let account = try context.require(.births(.read))
            return try await detail(try context.uuid("id", Text("生育登记", "birth registration")), error: nil, account: account, request: request, context: context)
        }
        router.post("/births/{id}/decide") { request, context -> Response in
            let account = try context.require(.births(.write))
            let id = try context.uuid("id", Text("生育登记", "birth registration")), form = try await RenkouWeb.Form.read(request, context: context)
            guard let decision = form["decision"].flatMap(BirthRegistrationStore.Decision.init(rawValue:)) else {
                return try await detail(id, error: RenkouError.invalid([FieldError("/decision", "code-unknown", Text("请选择办理结果。", "Choose what to do."))]), account: account, request: request, context: context)
            }
            do {
                let r = try await deps.stores.births.decide(id, decision, note: form["note"], in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已办理：\(r.state.label.zh)。", "Done: \(r.state.label.en.lowercased())."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }
        router.get("/births/{id}/voucher") { request, context -> Response in
            _ = try context.require(.births(.read))
            let lang = context.lang
            let r = try await deps.stores.births.registration(try context.uuid("id", Text("生育登记", "birth registration")), in: context.scope, by: context.actor)
            guard r.state == .registered, let token = r.voucherToken else { throw RenkouError.notFound(Text("登记凭证", "voucher")) }
            let url = SitePath.absolute(PublicBirthPages.voucherPath(token), base: deps.config.publicURL, request: request)
            let model = VoucherView(facts: [(Text("登记编号", "Number"), r.number), (Text("女方", "Mother"), "\(r.motherName) \(r.motherIDNumber)"),
                                            (Text("男方", "Father"), "\(r.fatherName) \(r.fatherIDNumber)"),
                                            (Text("孩子", "Child"), r.childBornOn.map { "\(r.childName ?? "") \($0)" } ?? Text("预产期 \(r.expectedOn ?? "")", "expected \(r.expectedOn ?? "")")(lang)),
                                            (Text("孩次", "Child's order"), String(r.childOrder)), (Text("登记机关", "Office"), r.unitName),
                                            (Text("登记日期", "Registered on"), r.decidedOn ?? "")].map { BirthDetailView.Fact(label: $0.0(lang), value: $0.1, href: nil) },
                                    qr: (try? QRCode(url).svg(scale: 4, label: Text("验证二维码", "Verification QR code")(lang))) ?? "", back: path(r.id))
            return deps.renderer.html("births/voucher", title: Text("生育登记凭证", "Birth registration voucher"), model: model, context: context, request: request)
        }
    }
}

/// The list of registrations.
struct BirthListView {
    struct StateFilter { let label: String; let href: String; let active: Bool }
    let filters: [StateFilter]
    let rows: [BirthPages.Row]
    let hasRows: Bool
    let summary: String
    let canWrite: Bool
    let nextHref: String?
}

/// A registration and what can be done with it.
struct BirthDetailView {
    struct Fact { let label: String; let value: String; let href: String? }
    struct Option { let value: String; let label: String }
    let number: String
    let facts: [Fact]
    let overdue: Bool
    let action: String?
    let decisions: [Option]
    let voucherHref: String?
    let message: String?
    let noteError: String?
}

/// The printable voucher.
struct VoucherView { let facts: [BirthDetailView.Fact]; let qr: String; let back: String }
