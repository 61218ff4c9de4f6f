import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// 婚育证明 pages: the list, issuing or registering one, a certificate with its QR code, checks,
/// versions and printing on A4 or as a card.
enum CertificatePages {
    static func path(_ id: UUID) -> String { "/certificates/\(id.text)" }

    /// The address printed in the QR code: absolute, from the request's host.
    static func publicURL(_ token: String, base: String?, request: Request) -> String { SitePath.absolute(PublicPages.verifyPath(token), base: base, request: request) }

    static func facts(_ c: Certificate, showHealth: Bool, today: Day, lang: Lang) -> [PersonPages.Detail] {
        var rows: [(Text, String)] = [
            (Text("编号", "Number"), "\(c.number) · v\(c.version)"), (Text("姓名", "Name"), c.name), (Text("公民身份号码", "ID number"), c.idNumber),
            (Text("年龄（发证时）", "Age (at issue)"), c.ageAtIssue.map(String.init) ?? "—"),
            (Text("婚姻状况", "Marital status"), Codes.label(Codes.maritalStatus, c.maritalStatus)?(lang) ?? "—"),
            (Text("配偶", "Spouse"), c.spouseName ?? "—"), (Text("子女数", "Children"), String(c.children)),
        ]
        // 避孕节育情况 is a reproductive-health detail: only service roles see it.
        if showHealth { rows.append((Text("避孕节育情况", "Contraception"), Codes.label(Certificate.contraceptionStatus, c.contraception)?(lang) ?? "—")) }
        rows += [(Text("发证机关", "Issuing office"), c.office), (Text("发证日期", "Issued on"), c.issuedOn), (Text("有效期至", "Valid until"), c.validUntil),
                 (Text("状态", "State"), c.state(on: today).label(lang))]
        return rows.map { PersonPages.Detail(label: $0.0(lang), value: $0.1) }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/certificates") { request, context -> Response in
            _ = try context.require(.migrants(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let state = request.query("state").flatMap(Certificate.State.init(rawValue:))
            let page = try await deps.stores.certificates.list(state: state, number: request.query("number"), offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope, by: context.actor)
            let states = Certificate.State.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
            let model = CertificatesView(
                fields: [FormField(name: "number", label: Text("编号包含", "Number contains")(lang), value: request.query("number") ?? ""),
                         PersonPages.select("state", Text("状态", "State"), states, ["state": request.query("state") ?? ""], empty: Text("全部", "All"), lang: lang)],
                rows: page.items.map { c in
                    CertificatesView.Row(number: c.number, version: c.version, name: c.name, state: c.state(on: today).label(lang), stateCode: c.state(on: today).rawValue,
                                         validUntil: c.validUntil, office: c.office, checked: c.lastCheckedOn ?? "—", href: path(c.id))
                },
                summary: Text("共 \(page.totalShown) 份", "\(page.totalShown) certificates")(lang))
            return deps.renderer.html("migrants/certificates", title: Text("婚育证明", "Certificates"), model: model, context: context, request: request)
        }

        @Sendable func newForm(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let side = form["side"] == "registered" ? Certificate.Side.registered : .issued
            guard let personID = form["person"].flatMap(UUID.init(uuidString:)) else { throw RenkouError.notFound(Text("人员", "person")) }
            let person = try await deps.stores.persons.read(personID, in: context.scope, by: context.actor)
            var fields: [FormField] = []
            if side == .registered {
                fields += [FormField(name: "number", label: Text("证明编号", "Certificate number")(lang), value: form["number"] ?? "", required: true),
                           FormField(name: "office", label: Text("发证机关", "Issuing office")(lang), value: form["office"] ?? "", required: true)]
            }
            fields += [
                FormField(name: "issuedOn", label: Text("发证日期", "Issued on")(lang), value: form["issuedOn"] ?? Day(deps.stores.env.now()).description, type: "date", required: true),
                FormField(name: "validUntil", label: Text("有效期至（空则按规定三年）", "Valid until (empty: the rule's three years)")(lang), value: form["validUntil"] ?? "", type: "date"),
                FormField(name: "children", label: Text("子女数（空则取登记数）", "Children (empty: as registered)")(lang), value: form["children"] ?? "", type: "number"),
            ]
            if account.role.can(.migrants(.seeReproductiveHealth)) {
                fields.append(PersonPages.select("contraception", Text("避孕节育情况", "Contraception"), Certificate.contraceptionStatus, form, empty: Text("未填", "Not given"), lang: lang))
            }
            fields.append(FormField(name: "photo", label: Text("照片（可选，JPEG/PNG，512 KB 以内）", "Photo (optional, JPEG/PNG, up to 512 KB)")(lang), type: "file"))
            // Issued here: she leaves or lives away from her hukou place, and the worker confirms the facts above.
            if side == .issued {
                if !["outflow", "separated"].contains(person.category) {
                    fields.append(PersonPages.select("leaving", Text("是否即将外出（离开户籍地）", "About to leave her hukou place?"),
                                                     [Codes.Entry(code: "1", label: Text("是，即将外出", "Yes, she is about to leave"))], form,
                                                     empty: Text("否，在户籍地居住", "No, she lives at home"), lang: lang))
                }
                fields.append(PersonPages.select("confirm", Text("核对确认", "Confirmation"),
                                                 [Codes.Entry(code: "1", label: Text("已核对本人身份证件和上列信息", "I checked her ID card and the facts above"))], form,
                                                 empty: Text("请确认", "Please confirm"), lang: lang))
            }
            let heading = side == .issued ? Text("发放婚育证明：\(person.name)", "Issue a certificate: \(person.name)") : Text("登记外地婚育证明：\(person.name)", "Register a certificate from elsewhere: \(person.name)")
            var model = MigrantFormView(heading: heading(lang), action: "/certificates/new?person=\(personID.text)&side=\(side.rawValue)",
                                        back: SitePath.person(personID), backLabel: person.name,
                                        fields: FormField.attach(error?.fields ?? [], to: fields, lang: lang), message: error?.message(lang), multipart: true)
            if side == .issued {
                let today = Day(deps.stores.env.now())
                model.facts = [PersonPages.Detail(label: Text("公民身份号码", "ID number")(lang), value: person.idNumberShown(lang))]
                    + PersonPages.details(person, hukouRegionName: try await person.hukouRegion.asyncMap { try await deps.stores.orgs.regionName($0) }.flatMap { $0 },
                                          today: today, policy: deps.stores.env.policy, lang: lang)
                        .filter { [Text("年龄", "Age")(lang), Text("婚姻状况", "Marital status")(lang), Text("户籍地", "Hukou")(lang),
                                   Text("人口类别", "Population category")(lang), Text("现居住地址", "Current address")(lang)].contains($0.label) }
            }
            return deps.renderer.html("migrants/form", title: heading, model: model, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/certificates/new") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            return try await newForm(["person": request.query("person") ?? "", "side": request.query("side") ?? "issued"], error: nil, account: account, request: request, context: context)
        }

        router.post("/certificates/new") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let form = try await Upload.form(request, fileField: "photo")
            defer { if let f = form.file { try? FileManager.default.removeItem(at: f) } }
            var values = form.fields
            values["person"] = request.query("person") ?? ""; values["side"] = request.query("side") ?? "issued"
            var input = CertificateInput()
            input.person = values["person"]; input.number = values["number"]; input.office = values["office"]; input.issuedOn = values["issuedOn"]
            input.validUntil = values["validUntil"]; input.leaving = values["leaving"] == "1"; input.contraception = account.role.can(.migrants(.seeReproductiveHealth)) ? values["contraception"] : nil
            do {
                if values["side"] != "registered", values["confirm"] != "1" {
                    throw RenkouError.invalid([FieldError("/confirm", "confirm-required", Text("发放前请核对本人身份证件和上列信息，并确认。", "Check her ID card and the facts above, and confirm, before issuing."))])
                }
                if let n = values["children"]?.trimmingCharacters(in: .whitespaces), !n.isEmpty {
                    guard let v = Int(n) else { throw RenkouError.invalid([FieldError("/children", "number", Text("请填写整数。", "Write a whole number."))]) }
                    input.children = v
                }
                let photo = try form.file.map { try Data(contentsOf: $0) }
                let c = try await deps.stores.certificates.create(values["side"] == "registered" ? .registered : .issued, input, photo: photo, in: context.scope, by: context.actor)
                return Redirect.to(path(c.id), notice: Text("婚育证明已保存。", "The certificate is saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await newForm(values, error: error, account: account, request: request, context: context)
            }
        }

        @Sendable func detail(_ id: UUID, error: RenkouError? = nil, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, today = Day(deps.stores.env.now())
            let c = try await deps.stores.certificates.certificate(id, in: context.scope, by: context.actor)
            let checks = try await deps.stores.certificates.checks(of: id, in: context.scope)
            let versions = try await deps.stores.certificates.list(person: c.personID, number: c.number, limit: 50, in: context.scope, by: context.actor).items.filter { $0.number == c.number && $0.side == c.side }
            let url = publicURL(c.token, base: deps.config.publicURL, request: request)
            let canAct = account.role.can(.migrants(.write)) && c.storedState == .valid
            let results = CertificateStore.checkResults
            let model = CertificateView(
                facts: facts(c, showHealth: account.role.can(.migrants(.seeReproductiveHealth)), today: today, lang: lang), number: c.number,
                personHref: SitePath.person(c.personID), name: c.name, state: c.state(on: today).label(lang), stateCode: c.state(on: today).rawValue,
                qr: (try? QRCode(url).svg(scale: 4, label: Text("验证二维码", "Verification QR code")(lang))) ?? "", publicURL: url,
                photoHref: c.hasPhoto ? path(id) + "/photo" : nil,
                printA4: path(id) + "/print", printCard: path(id) + "/print?format=card", lookups: c.lookups,
                checks: checks.map { CertificateView.Check(on: $0.checkedOn, result: Codes.label(results, $0.result)?(lang) ?? $0.result, by: $0.checkedBy, note: $0.note ?? "") },
                hasChecks: !checks.isEmpty,
                versions: versions.map { CertificateView.Version(version: $0.version, issuedOn: $0.issuedOn, state: $0.state(on: today).label(lang), href: path($0.id), current: $0.id == c.id) },
                verifyAction: account.role.can(.migrants(.write)) ? path(id) + "/checks" : nil,
                results: results.map { CertificateView.Option(code: $0.code, label: $0.label(lang), selected: false) }, today: today.description,
                reissueAction: canAct && (c.side == .registered || deps.stores.env.policy(.certificateIssuing, on: today)) ? path(id) + "/reissue" : nil,
                revokeAction: canAct ? path(id) + "/revoke" : nil,
                showHealth: account.role.can(.migrants(.seeReproductiveHealth)),
                contraceptionOptions: Certificate.contraceptionStatus.map { CertificateView.Option(code: $0.code, label: $0.label(lang), selected: $0.code == c.contraception) },
                message: error?.message(lang), revokeReason: c.revokeReason ?? "")
            return deps.renderer.html("migrants/certificate", title: Text("婚育证明 \(c.number)", "Certificate \(c.number)"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }

        router.get("/certificates/{id}") { request, context -> Response in
            let account = try context.require(.migrants(.read))
            return try await detail(try context.uuid("id", Text("婚育证明", "certificate")), account: account, request: request, context: context)
        }

        router.get("/certificates/{id}/photo") { _, context -> Response in
            _ = try context.require(.migrants(.read))
            let data = try await deps.stores.certificates.photo(of: try context.uuid("id", Text("婚育证明", "certificate")), in: context.scope)
            let type = data.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : "image/jpeg"
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, no-store"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        router.get("/certificates/{id}/print") { request, context -> Response in
            let account = try context.require(.migrants(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let id = try context.uuid("id", Text("婚育证明", "certificate"))
            let c = try await deps.stores.certificates.certificate(id, in: context.scope, by: context.actor)
            let url = publicURL(c.token, base: deps.config.publicURL, request: request)
            let model = CertificatePrintView(
                card: request.query("format") == "card", facts: facts(c, showHealth: account.role.can(.migrants(.seeReproductiveHealth)), today: today, lang: lang),
                qr: (try? QRCode(url).svg(scale: request.query("format") == "card" ? 3 : 4, label: "QR")) ?? "", publicURL: url,
                photoHref: c.hasPhoto ? path(id) + "/photo" : nil, back: path(id))
            return deps.renderer.html("migrants/certificate_print", title: Text("流动人口婚育证明", "Migrant marriage and childbearing certificate"), model: model, context: context, request: request)
        }

        router.post("/certificates/{id}/checks") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("婚育证明", "certificate"))
            let form = try await Form.read(request, context: context)
            do {
                try await deps.stores.certificates.verify(id, on: try Day.parse(form["checkedOn"], field: "checkedOn", default: Day(deps.stores.env.now())),
                                                          result: form["result"] ?? "", note: form["note"], in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }

        router.post("/certificates/{id}/reissue") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("婚育证明", "certificate"))
            let form = try await Form.read(request, context: context)
            do {
                var children: Int?
                if let n = form["children"]?.trimmingCharacters(in: .whitespaces), !n.isEmpty {
                    guard let v = Int(n) else { throw RenkouError.invalid([FieldError("/children", "number", Text("子女数请填写整数。", "Write the number of children as a whole number."))]) }
                    children = v
                }
                let c = try await deps.stores.certificates.reissue(id, contraception: account.role.can(.migrants(.seeReproductiveHealth)) ? form["contraception"] : nil,
                                                                   children: children, reason: form["reason"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to(path(c.id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }

        router.post("/certificates/{id}/revoke") { request, context -> Response in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", Text("婚育证明", "certificate"))
            let form = try await Form.read(request, context: context)
            do {
                try await deps.stores.certificates.revoke(id, reason: form["reason"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }
    }
}

/// The certificates of the scope.
struct CertificatesView {
    struct Row { let number: String; let version: Int; let name: String; let state: String; let stateCode: String; let validUntil: String; let office: String; let checked: String; let href: String }
    let fields: [FormField]
    let rows: [Row]
    let summary: String
}

/// One certificate: facts (contraception only for the service roles), QR code, checks, versions, and the actions.
struct CertificateView {
    struct Check { let on: String; let result: String; let by: String; let note: String }
    struct Version { let version: Int; let issuedOn: String; let state: String; let href: String; let current: Bool }
    struct Option { let code: String; let label: String; let selected: Bool }
    let facts: [PersonPages.Detail]
    let number: String, personHref: String, name: String, state: String, stateCode: String
    /// The QR code as inline SVG.
    let qr: String
    let publicURL: String
    let photoHref: String?
    let printA4: String, printCard: String
    let lookups: Int
    let checks: [Check]
    let hasChecks: Bool
    let versions: [Version]
    let verifyAction: String?
    let results: [Option]
    let today: String
    let reissueAction: String?, revokeAction: String?
    let showHealth: Bool
    let contraceptionOptions: [Option]
    let message: String?
    let revokeReason: String
}

/// A certificate printed on A4 or as a card.
struct CertificatePrintView { let card: Bool; let facts: [PersonPages.Detail]; let qr: String; let publicURL: String; let photoHref: String?; let back: String }
