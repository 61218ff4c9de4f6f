import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The service form (with informed choice), the follow-up list of a unit and the visit form.
enum ServicePages {
    static func newServicePath(_ person: UUID) -> String { SitePath.person(person) + "/services/new" }
    static func visitPath(_ id: UUID) -> String { "/followups/\(id.text)/visit" }
    static func consentPath(_ id: UUID) -> String { "/services/\(id.text)/consent" }

    /// One visit as lists print it: its reason (the schedule) only for the service roles.
    struct VisitRow { let due: String; let person: String; let personHref: String; let unit: String; let what: String; let status: String; let statusCode: String
                      let done: String; let handedOver: String; let visitHref: String? }

    static func visitRow(_ f: FollowUp, today: Day, seesHealth: Bool, canWrite: Bool, lang: Lang) -> VisitRow {
        let status = f.status(on: today)
        let label = FollowUpSchedules.label(f.schedule)
        let what = seesHealth ? Text("\(label.zh) · 第 \(f.step + 1) 次", "\(label.en), visit \(f.step + 1)")(lang) : Text("随访", "Follow-up")(lang)
        return VisitRow(due: f.due, person: f.personName, personHref: SitePath.person(f.personID), unit: f.unitName, what: what, status: status.label(lang),
                        statusCode: status.rawValue,
                        done: f.doneOn.map { d in seesHealth ? "\(d) · \(FollowUpFinding(rawValue: f.findings ?? "")?.label(lang) ?? "")" : d } ?? "",
                        handedOver: f.handedOverFrom.map { Text("由\($0)移交", "handed over from \($0)")(lang) } ?? "",
                        visitHref: canWrite && [.due, .overdue, .notYetDue].contains(status) ? visitPath(f.id) : nil)
    }

    /// "咨询 2026-10-01 · 介绍 5 种 · 选择 宫内节育器 · MEC 1".
    static func choiceSummary(_ c: InformedChoice?, lang: Lang) -> String {
        guard let c, let day = c.counselledOn else { return "" }
        let chosen = c.chosen.flatMap(ContraceptiveMethod.init(rawValue:))?.label(lang) ?? "—"
        return Text("咨询 \(day) · 介绍 \(c.methodsExplained?.count ?? 0) 种 · 选择 \(chosen) · MEC \(c.mec.map(String.init) ?? "—")\(c.spouseTookPart == true ? " · 配偶参与" : "")",
                    "counselled \(day) · \(c.methodsExplained?.count ?? 0) methods explained · chose \(chosen) · MEC \(c.mec.map(String.init) ?? "—")\(c.spouseTookPart == true ? " · spouse took part" : "")")(lang)
    }

    /// The service form's values as the store's input (`explained-<method>` boxes become the list).
    static func input(_ form: Form, person: UUID) -> ServiceInput {
        var input = ServiceInput()
        input.person = person.text; input.kind = form["kind"]; input.date = form["date"]; input.method = form["method"]
        input.facility = form["facility"]; input.provider = form["provider"]; input.outcome = form["outcome"]; input.complication = form["complication"]
        input.complicationGrade = form["complicationGrade"].flatMap(Int.init); input.stopReason = form["stopReason"]; input.note = form["note"]
        if form["counselledOn"] != nil {
            input.informedChoice = InformedChoice(counselledOn: form["counselledOn"], counsellor: form["counsellor"],
                                                  methodsExplained: ContraceptiveMethod.allCases.map(\.rawValue).filter { form["explained-\($0)"] != nil },
                                                  chosen: form["chosen"], mec: form["mec"].flatMap(Int.init), mecReason: form["mecReason"],
                                                  spouseTookPart: form["spouseTookPart"].map { $0 == "1" })
        }
        return input
    }

    static func serviceForm(_ person: Person, form: [String: String], error: RenkouError?, deps: AppDeps, request: Request, context: AppContext) async throws -> Response {
        let lang = context.lang, today = Day(deps.stores.env.now()).description
        // Pointers of the informed choice (/informedChoice/mec) are the form's field names (mec).
        let errors = error?.fields.map { FieldError("/" + ($0.pointer.split(separator: "/").last.map(String.init) ?? ""), $0.code, $0.message) } ?? []
        func text(_ name: String, _ label: Text, type: String = "text", required: Bool = false, value: String? = nil) -> FormField {
            FormField(name: name, label: label(lang), value: form[name] ?? value ?? "", type: type, required: required)
        }
        let service = FormField.attach(errors, to: [
            PersonPages.select("kind", Text("服务", "Service"), ServiceKind.entries, form, empty: Text("请选择", "Choose"), lang: lang),
            text("date", Text("日期", "Date"), type: "date", required: true, value: today),
            PersonPages.select("method", Text("方法（开始或停用用药具时）", "Method (for a start or a stop)"), ContraceptiveMethod.entries, form, empty: Text("—", "—"), lang: lang),
            text("facility", Text("机构", "Facility")), text("outcome", Text("结果", "Outcome")),
            text("complication", Text("并发症", "Complication")),
            PersonPages.select("complicationGrade", Text("并发症分级", "Complication grade"), (1...3).map { Codes.Entry(code: String($0), label: Text("\($0) 级", "grade \($0)")) }, form, empty: Text("无", "None"), lang: lang),
            text("stopReason", Text("停用原因", "Why stopped")),
        ], lang: lang)
        let choice = FormField.attach(errors, to: [
            text("counselledOn", Text("咨询日期", "Counselled on"), type: "date", value: today),
            text("counsellor", Text("咨询人", "Counsellor")),
            PersonPages.select("chosen", Text("所选方法", "Method chosen"), ContraceptiveMethod.entries, form, empty: Text("按服务", "As the service"), lang: lang),
            PersonPages.select("mec", Text("医学适用标准分级（WHO MEC）", "Medical eligibility (WHO MEC)"), (1...4).map { Codes.Entry(code: String($0), label: Text("\($0) 级", "category \($0)")) }, form, empty: Text("请选择", "Choose"), lang: lang),
            text("mecReason", Text("3、4 级继续的理由", "Reason to go ahead at category 3 or 4")),
            PersonPages.select("spouseTookPart", Text("配偶是否参与咨询", "Spouse took part?"), [Codes.Entry(code: "1", label: Text("是", "Yes")), Codes.Entry(code: "0", label: Text("否", "No"))], form, empty: Text("—", "—"), lang: lang),
        ], lang: lang)
        let explainedError = errors.first { $0.field == "methodsExplained" }?.message(lang)
        let model = ServiceFormView(
            heading: Text("记录服务：\(person.name)", "Record a service: \(person.name)")(lang), action: newServicePath(person.id),
            back: SitePath.person(person.id), backLabel: person.name, fields: service, choiceFields: choice,
            methods: ContraceptiveMethod.allCases.filter { $0 != .none }.map { ServiceFormView.Box(code: $0.rawValue, label: $0.label(lang), checked: form["explained-\($0.rawValue)"] != nil) },
            explainedError: explainedError, choiceError: errors.first { $0.field == "informedChoice" }?.message(lang),
            consentError: errors.first { $0.field == "consentScan" }?.message(lang), message: error?.message(lang))
        return deps.renderer.html("services/service_form", title: Text("记录服务", "Record a service"), model: model, context: context, request: request,
                                  status: error.map { $0.kind.status } ?? .ok)
    }

    /// Refuses (403) a visit whose findings tell what it is about (`FollowUpSchedules.healthOnly`) to
    /// an account outside the service roles.
    static func requireHealthRole(for id: UUID, account: Account, deps: AppDeps, context: AppContext) async throws {
        guard !account.role.can(.services(.seeReproductiveHealth)) else { return }
        if FollowUpSchedules.healthOnly(try await deps.stores.services.followUp(id, in: context.scope).schedule) {
            _ = try context.require(.services(.seeReproductiveHealth))
        }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/persons/{id}/services/new") { request, context -> Response in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let person = try await deps.stores.persons.read(try context.uuid("id", Text("人员", "person")), in: context.scope, by: context.actor)
            return try await serviceForm(person, form: [:], error: nil, deps: deps, request: request, context: context)
        }
        router.post("/persons/{id}/services/new") { request, context -> Response in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let (form, upload) = try await Upload.fields(request, context: context, fileField: "consent")
            defer { if let f = upload?.file { try? FileManager.default.removeItem(at: f) } }
            let id = try context.uuid("id", Text("人员", "person"))
            do {
                let consent = try upload.flatMap { try Upload.scan($0, field: "consentScan") }
                let s = try await deps.stores.services.record(input(form, person: id), consent: consent, in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(id), notice: Text("已记录\(s.kind.label.zh)；随访已安排。", "\(s.kind.label.en) recorded; the follow-ups are scheduled."))
            } catch let error as RenkouError where error.kind == .invalid {
                let person = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
                return try await serviceForm(person, form: form.values, error: error, deps: deps, request: request, context: context)
            }
        }

        router.get("/services/{id}/consent") { _, context -> Response in
            _ = try context.require(.services(.seeReproductiveHealth))
            let scan = try await deps.stores.services.consent(of: try context.uuid("id", Text("服务", "service")), in: context.scope, by: context.actor)
            return Response(status: .ok, headers: [.contentType: scan.type, .cacheControl: "private, no-store",
                                                   .contentDisposition: "inline; filename*=UTF-8''" + (scan.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "consent")],
                            body: .init(byteBuffer: ByteBuffer(bytes: scan.data)))
        }
        router.get("/followups") { request, context -> Response in
            let account = try context.require(.services(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let status = request.query("status").flatMap(FollowUpStatus.init(rawValue:))
            let unit = request.query("unit")?.nilIfEmpty
            let offset = request.query("offset").flatMap(Int.init) ?? 0
            let sees = account.role.can(.services(.seeReproductiveHealth)), canWrite = account.role.can(.services(.write))
            let page = try await deps.stores.services.followUps(unitCode: unit, on: today, status: status, offset: offset, seesHealth: sees, in: context.scope, by: context.actor)
            let choices = [Codes.Entry(code: "", label: Text("当前应随访（含逾期）", "To do now (due and overdue)"))]
                + FollowUpStatus.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
            func href(_ s: String, _ o: Int? = nil) -> String {
                SitePath.query("/followups", [("status", s), ("unit", unit), ("offset", o.map(String.init))])
            }
            let model = FollowUpsView(
                filters: choices.map { FollowUpsView.StatusFilter(label: $0.label(lang), href: href($0.code), active: $0.code == (status?.rawValue ?? "")) },
                rows: page.items.map { visitRow($0, today: today, seesHealth: sees, canWrite: canWrite, lang: lang) },
                summary: Text("共 \(page.totalShown) 次", "\(page.totalShown) visits")(lang), hint: sees ? nil : Text("随访内容仅服务人员可见。", "What a visit is for is shown to the service staff only.")(lang),
                nextHref: page.hasMore ? href(status?.rawValue ?? "", offset + page.limit) : nil)
            return deps.renderer.html("services/followups", title: Text("随访", "Follow-ups"), model: model, context: context, request: request)
        }

        @Sendable func visitForm(_ id: UUID, form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let visit = try await deps.stores.services.followUp(id, in: context.scope)
            let sees = account.role.can(.services(.seeReproductiveHealth))
            let row = visitRow(visit, today: Day(deps.stores.env.now()), seesHealth: sees, canWrite: true, lang: lang)
            // A visit whose findings tell what it is about is recorded by the service roles only.
            let allowed = sees || !FollowUpSchedules.healthOnly(visit.schedule)
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "date", label: Text("随访日期", "Visited on")(lang), value: form["date"] ?? Day(deps.stores.env.now()).description, type: "date", required: true),
                PersonPages.select("findings", Text("随访结果", "Findings"), FollowUpSchedules.findings(visit.schedule), form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "nextAction", label: Text("下一步", "Next step")(lang), value: form["nextAction"] ?? ""),
            ], lang: lang)
            let model = VisitView(heading: Text("随访：\(visit.personName)", "Follow-up: \(visit.personName)")(lang), what: row.what, due: visit.due, status: row.status,
                                  back: SitePath.person(visit.personID), backLabel: visit.personName, action: allowed ? visitPath(id) : nil, fields: fields,
                                  message: error?.message(lang) ?? (allowed ? nil : Text("这次随访由社区计生专干或服务站记录。", "This visit is recorded by the community's family-planning worker or the service station.")(lang)))
            return deps.renderer.html("services/visit_form", title: Text("记录随访", "Record a visit"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/followups/{id}/visit") { request, context -> Response in
            let account = try context.require(.services(.write))
            return try await visitForm(try context.uuid("id", Text("随访", "follow-up")), form: [:], error: nil, account: account, request: request, context: context)
        }
        router.post("/followups/{id}/visit") { request, context -> Response in
            let account = try context.require(.services(.write))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("随访", "follow-up"))
            try await requireHealthRole(for: id, account: account, deps: deps, context: context)
            do {
                let day = try Day.parse(form["date"], field: "date", default: Day(deps.stores.env.now()))
                let visit = try await deps.stores.services.recordVisit(id, on: day, findings: form["findings"] ?? "", nextAction: form["nextAction"], in: context.scope, by: context.actor)
                return Redirect.to("/tasks", notice: Text("已记录 \(visit.personName) 的随访。", "The visit to \(visit.personName) is recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await visitForm(id, form: form.values, error: error, account: account, request: request, context: context)
            }
        }
    }
}

/// The service form: the service, then the informed choice (methods explained as boxes).
struct ServiceFormView {
    struct Box { let code: String; let label: String; let checked: Bool }
    let heading: String, action: String, back: String, backLabel: String
    let fields: [FormField]
    let choiceFields: [FormField]
    let methods: [Box]
    let explainedError: String?
    let choiceError: String?
    let consentError: String?
    let message: String?
}

/// A unit's visits, by status.
struct FollowUpsView {
    struct StatusFilter { let label: String; let href: String; let active: Bool }
    let filters: [StatusFilter]
    let rows: [ServicePages.VisitRow]
    let summary: String
    let hint: String?
    let nextHref: String?
}

/// The form to record a visit.
struct VisitView { let heading: String, what: String, due: String, status: String, back: String, backLabel: String; let action: String?; let fields: [FormField]; let message: String? }
