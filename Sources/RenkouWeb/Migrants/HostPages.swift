import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 出租户, 用工单位, 物业: the register, one host with its agreements and roster, roster upload.
enum HostPages {
    static func path(_ id: UUID) -> String { "/hosts/\(id.text)" }

    /// Where a roster task's "去登记" leads: the person form, filled from the roster and the host.
    static func registerPath(host: UUID, idNumber: String) -> String {
        SitePath.query(path(host) + "/register", [("idNumber", idNumber)])
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        // 去登记: the person on a host's roster, not yet in the registry, as a filled-in registration form
        // (name, ID number, the host's unit and address, the room, 流入, the hukou region from the number)
        // that says what saving will do.
        // Saving it links the roster line, opens the stay and closes the task (StayStore.registered).
        router.get("/hosts/{id}/register") { request, context -> Response in
            let account = try context.require(.registry(.write))
            let id = try context.uuid("id", Text("出租户或用工单位", "landlord or employer"))
            let host = try await deps.stores.hosts.host(id, in: context.scope)
            let idNumber = CitizenID.normalize(request.query("idNumber") ?? "")
            let entry = try await deps.stores.rosters.roster(of: id, in: context.scope, by: context.actor).first { $0.idNumber == idNumber }
            guard let entry else { throw RenkouError.notFound(Text("花名册上的这个人", "this person on the roster")) }
            var prefill: [String: String] = ["name": entry.name, "idNumber": entry.idNumber, "unit": host.unitCode, "category": StayKind.inflow.rawValue]
            if let a = host.address, !a.isEmpty { prefill["address"] = a }
            if let r = entry.room, !r.isEmpty { prefill["room"] = r }
            if entry.idNumber.count == 18 { prefill["hukouRegion"] = String(entry.idNumber.prefix(6)) }
            return try await PersonPages.formPage(Text("登记流入人员：\(entry.name)", "Register a newcomer: \(entry.name)"), action: SitePath.newPerson, form: prefill,
                                                  intro: Text("来自\(host.name)的花名册（入住 \(entry.since)）。保存后即建立在\(host.name)的流入记录（流动原因：务工经商，可在流动记录中修改），登记任务随之完成。",
                                                              "From the roster of \(host.name) (moved in \(entry.since)). Saving opens her stay at \(host.name) (reason: work, which the stay's page can change) and closes the registration task."),
                                                  error: nil, deps: deps, account: account, request: request, context: context)
        }

        router.get("/hosts") { request, context -> Response in
            let account = try context.require(.migrants(.read))
            let lang = context.lang
            let kind = request.query("kind").flatMap(MigrantHost.Kind.init(rawValue:))
            let without = request.query("without") == "1"
            let page = try await deps.stores.hosts.list(kind: kind, unitCode: request.query("unit"), nameContains: request.query("name"), withoutAgreement: without,
                                                        offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope)
            let kinds = MigrantHost.Kind.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
            let model = HostsView(
                fields: [FormField(name: "name", label: Text("名称包含", "Name contains")(lang), value: request.query("name") ?? ""),
                           PersonPages.select("kind", Text("类型", "Kind"), kinds, ["kind": request.query("kind") ?? ""], empty: Text("全部", "All"), lang: lang),
                           PersonPages.select("without", Text("协议", "Agreement"), [Codes.Entry(code: "1", label: Text("只看无有效协议的", "Only those without a valid agreement"))],
                                              ["without": without ? "1" : ""], empty: Text("全部", "All"), lang: lang)],
                rows: page.items.map { h in
                    HostsView.Row(name: h.name, kind: h.kind.label(lang), unit: h.unitName, address: h.address ?? "", roster: h.rosterCount,
                                  agreement: h.agreementUntil ?? Text("无有效协议", "No valid agreement")(lang), noAgreement: h.agreementUntil == nil,
                                  flag: h.needsStaffAssociation, href: path(h.id))
                },
                summary: Text("共 \(page.totalShown) 家", "\(page.totalShown) in all")(lang), canCreate: account.role.can(.migrants(.write)))
            return deps.renderer.html("migrants/hosts", title: Text("出租户与单位", "Landlords and employers"), model: model, context: context, request: request)
        }

        @Sendable func newForm(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let units = try await deps.stores.orgs.list(levels: [.community, .grid], in: context.scope)
            let selected = form["unit"] ?? ""
            let kinds = MigrantHost.Kind.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
            let fields = FormField.attach(error?.fields ?? [], to: [
                PersonPages.select("kind", Text("类型", "Kind"), kinds, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "name", label: Text("名称或房东姓名", "Name")(lang), value: form["name"] ?? "", required: true),
                FormField(name: "unit", label: Text("所属单位", "Unit")(lang), value: selected, required: true,
                          options: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: selected.isEmpty)] +
                            units.map { FormField.Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == selected) }),
                FormField(name: "address", label: Text("地址", "Address")(lang), value: form["address"] ?? ""),
                FormField(name: "contactName", label: Text("联系人", "Contact")(lang), value: form["contactName"] ?? ""),
                FormField(name: "phone", label: Text("电话", "Phone")(lang), value: form["phone"] ?? "", type: "tel"),
                FormField(name: "staffCount", label: Text("职工/租户人数", "Staff or tenants")(lang), value: form["staffCount"] ?? "", type: "number"),
            ], lang: lang)
            let model = MigrantFormView(heading: Text("新增出租户或单位", "Add a landlord or employer")(lang), action: "/hosts/new", back: "/hosts",
                                        backLabel: Text("出租户与单位", "Landlords and employers")(lang), fields: fields, message: error?.message(lang))
            return deps.renderer.html("migrants/form", title: Text("新增出租户或单位", "Add a landlord or employer"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/hosts/new") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            return try await newForm(["unit": request.query("unit") ?? ""], error: nil, account: account, request: request, context: context)
        }

        router.post("/hosts/new") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let form = try await Form.read(request, context: context)
            var input = HostStore.Input()
            input.kind = form["kind"]; input.name = form["name"]; input.unit = form["unit"]; input.address = form["address"]
            input.contactName = form["contactName"]; input.phone = form["phone"]
            do {
                if let n = form["staffCount"]?.trimmingCharacters(in: .whitespaces), !n.isEmpty {
                    guard let v = Int(n) else { throw RenkouError.invalid([FieldError("/staffCount", "number", Text("请填写整数。", "Write a whole number."))]) }
                    input.staffCount = v
                }
                let h = try await deps.stores.hosts.create(input, in: context.scope, by: context.actor)
                return Redirect.to(path(h.id), notice: Text("已登记。", "Registered."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await newForm(form.values, error: error, account: account, request: request, context: context)
            }
        }

        @Sendable func detail(_ id: UUID, error: RenkouError? = nil, result: RosterImportResult? = nil, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, today = Day(deps.stores.env.now())
            let h = try await deps.stores.hosts.host(id, in: context.scope)
            let agreements = try await deps.stores.hosts.agreements(of: id, in: context.scope)
            let roster = try await deps.stores.rosters.roster(of: id, in: context.scope, by: context.actor)
            let canEdit = account.role.can(.migrants(.write))
            var model = HostView(
                name: h.name, kind: h.kind.label(lang), unit: h.unitName, address: h.address ?? "—", contact: h.contactName ?? "—", phone: h.phone ?? "—",
                staff: h.staffCount.map(String.init) ?? "—", rosterCount: h.rosterCount, flag: h.needsStaffAssociation,
                agreementUntil: h.agreementUntil ?? Text("无有效协议", "No valid agreement")(lang), noAgreement: h.agreementUntil == nil,
                agreements: agreements.map { a in
                    HostView.Agreement(signedOn: a.signedOn, expiresOn: a.expiresOn, state: a.state(on: today).label(lang), stateCode: a.state(on: today).rawValue,
                                       scanHref: a.scanName.map { _ in path(id) + "/agreements/\(a.id.text)/scan" }, scanName: a.scanName ?? "",
                                       terminateAction: canEdit && a.terminatedOn == nil ? path(id) + "/agreements/\(a.id.text)/terminate" : nil,
                                       terminated: a.terminateReason.map { "\(a.terminatedOn ?? "") \($0)" })
                },
                hasAgreements: !agreements.isEmpty,
                roster: roster.map { e in
                    HostView.Tenant(name: e.name, idNumber: e.idNumber, room: e.room ?? "", since: e.since,
                                    personHref: e.personID.map(SitePath.person),
                                    registerHref: e.personID == nil && canEdit ? "/persons/new?idNumber=\(e.idNumber)&name=\(e.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" : nil,
                                    removeAction: canEdit ? path(id) + "/roster/\(e.id.text)/remove" : nil)
                },
                hasRoster: !roster.isEmpty, canEdit: canEdit, today: today.description,
                agreementAction: path(id) + "/agreements", rosterAction: path(id) + "/roster", uploadAction: path(id) + "/roster/upload",
                message: error?.message(lang), errors: (error?.fields ?? []).map { $0.message(lang) })
            if let r = result {
                model.result = HostView.RosterResult(read: r.read, kept: r.kept, added: r.added, unregistered: r.unregistered, rejected: r.rejected, departures: r.departures,
                                                     problems: r.problems.prefix(200).map { .init(row: $0.row, column: $0.column, value: $0.value, reason: $0.reason(lang), error: $0.isError) },
                                                     hasProblems: !r.problems.isEmpty)
            }
            return deps.renderer.html("migrants/host", title: Text(h.name, h.name), model: model, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/hosts/{id}") { request, context -> Response in
            let account = try context.require(.migrants(.read))
            return try await detail(try context.uuid("id", Text("出租户或用工单位", "landlord or employer")), account: account, request: request, context: context)
        }

        router.post("/hosts/{id}/agreements") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("出租户或用工单位", "landlord or employer"))
            let form = try await Upload.form(request, fileField: "scan")
            defer { if let f = form.file { try? FileManager.default.removeItem(at: f) } }
            do {
                let signed = try Day.parse(form["signedOn"], field: "signedOn", default: Day(deps.stores.env.now()))
                guard let expires = form["expiresOn"].flatMap({ Day($0.trimmingCharacters(in: .whitespaces)) }) else {
                    throw RenkouError.invalid([FieldError("/expiresOn", "date-format", Text("请填写到期日期（YYYY-MM-DD）。", "Give the expiry date (YYYY-MM-DD)."))])
                }
                let scan = try Upload.scan(form, field: "scan")
                try await deps.stores.hosts.addAgreement(host: id, signedOn: signed, expiresOn: expires, scan: scan, in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }

        router.get("/hosts/{id}/agreements/{agreement}/scan") { _, context -> Response in
            _ = try context.require(.migrants(.read))
            let a = try context.uuid("agreement", Text("扫描件", "scan"))
            let scan = try await deps.stores.hosts.scan(of: a, in: context.scope)
            return Response(status: .ok, headers: [.contentType: scan.type, .cacheControl: "private, no-store",
                                                   .contentDisposition: "inline; filename*=UTF-8''" + (scan.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "scan")],
                            body: .init(byteBuffer: ByteBuffer(bytes: scan.data)))
        }

        router.post("/hosts/{id}/agreements/{agreement}/terminate") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("出租户或用工单位", "landlord or employer"))
            let a = try context.uuid("agreement", Text("协议", "agreement"))
            let form = try await Form.read(request, context: context)
            do {
                try await deps.stores.hosts.terminate(agreement: a, on: Day(deps.stores.env.now()), reason: form["reason"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }

        router.post("/hosts/{id}/roster") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("出租户或用工单位", "landlord or employer"))
            let form = try await Form.read(request, context: context)
            do {
                let since = try form["since"].flatMap { $0.isEmpty ? nil : try Day.parse($0, field: "since", default: Day(deps.stores.env.now())) }
                let r = try await deps.stores.rosters.add(host: id, name: form["name"] ?? "", idNumber: form["idNumber"] ?? "", room: form["room"], since: since, in: context.scope, by: context.actor)
                return try await detail(id, result: r, account: account, request: request, context: context)
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }

        router.post("/hosts/{id}/roster/{entry}/remove") { request, context -> Response in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("出租户或用工单位", "landlord or employer"))
            let entry = try context.uuid("entry", Text("花名册记录", "roster entry"))
            _ = try await Form.read(request, context: context)
            try await deps.stores.rosters.remove(entry: entry, on: Day(deps.stores.env.now()), in: context.scope, by: context.actor)
            return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
        }

        router.post("/hosts/{id}/roster/upload") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("出租户或用工单位", "landlord or employer"))
            let form = try await Upload.form(request)
            defer { if let f = form.file { try? FileManager.default.removeItem(at: f) } }
            do {
                guard let file = form.file else { throw RenkouError.invalid([FieldError("/file", "required", Text("请选择花名册文件。", "Choose the roster file."))]) }
                let r = try await deps.stores.rosters.importRoster(file: file, host: id, in: context.scope, by: context.actor)
                return try await detail(id, result: r, account: account, request: request, context: context)
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }
    }
}

/// Landlords, employers and property companies of the scope.
struct HostsView {
    struct Row { let name: String, kind: String, unit: String, address: String; let roster: Int; let agreement: String; let noAgreement: Bool; let flag: Bool; let href: String }
    let fields: [FormField]
    let rows: [Row]
    let summary: String
    let canCreate: Bool
}

/// One landlord or employer: facts, agreements with their scans, the roster, and the last roster upload's outcome.
struct HostView {
    struct Agreement { let signedOn: String, expiresOn: String, state: String, stateCode: String; let scanHref: String?; let scanName: String; let terminateAction: String?; let terminated: String? }
    struct Tenant { let name: String, idNumber: String, room: String, since: String; let personHref: String?; let registerHref: String?; let removeAction: String? }
    struct Problem { let row: Int; let column: String; let value: String; let reason: String; let error: Bool }
    struct RosterResult { let read: Int, kept: Int, added: Int, unregistered: Int, rejected: Int, departures: Int; let problems: [Problem]; let hasProblems: Bool }
    let name: String, kind: String, unit: String, address: String, contact: String, phone: String, staff: String
    let rosterCount: Int
    let flag: Bool
    let agreementUntil: String
    let noAgreement: Bool
    let agreements: [Agreement]
    let hasAgreements: Bool
    let roster: [Tenant]
    let hasRoster: Bool
    let canEdit: Bool
    let today: String
    let agreementAction: String, rosterAction: String, uploadAction: String
    let message: String?
    let errors: [String]
    var result: RosterResult? = nil
}
