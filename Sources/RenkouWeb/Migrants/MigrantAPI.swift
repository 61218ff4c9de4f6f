import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/api/v1/stays`, `/certificates`, `/hosts`, `/migrants/rates`: the floating-population
/// work, scoped and audited like the pages; `/api/v1/public/certificates/{token}` needs no login.
enum MigrantAPI {
    struct Closing: Decodable { let until: String?; let endPlace: String? }
    struct NewCertificate: Decodable {
        let side: String?; let person: String?; let number: String?; let office: String?; let issuedOn: String?; let validUntil: String?
        let children: Int?; let contraception: String?
        /// She is about to leave her hukou place (needed to issue to a woman recorded as living at home).
        let leaving: Bool?
    }
    struct ReissueBody: Decodable { let contraception: String?; let children: Int?; let reason: String? }
    struct ReasonBody: Decodable { let reason: String? }
    struct CheckInput: Decodable { let checkedOn: String?; let result: String?; let note: String? }
    struct AgreementInput: Decodable { let signedOn: String?; let expiresOn: String? }
    struct RosterInput: Decodable { let name: String?; let idNumber: String?; let room: String?; let since: String? }
    struct HostDetail: Encodable { let host: MigrantHost; let agreements: [Agreement]; let roster: [RosterEntry] }
    struct CertificateDTO: Encodable {
        let certificate: Certificate; let state: Certificate.State; let publicPath: String; let checks: [CertificateStore.Check]
    }
    struct RatesDTO: Encodable { let day: String; let indicators: [Indicator]; let unit: MigrantRateStore.UnitRates; let children: [MigrantRateStore.UnitRates] }

    static func dto(_ c: Certificate, account: Account, deps: AppDeps) async throws -> CertificateDTO {
        var c = c
        if !account.role.can(.migrants(.seeReproductiveHealth)) { c.contraception = nil }
        return CertificateDTO(certificate: c, state: c.state(on: Day(deps.stores.env.now())), publicPath: PublicPages.verifyPath(c.token),
                              checks: try await deps.stores.certificates.checks(of: c.id, in: account.scope))
    }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        let certificate = Text("婚育证明", "certificate"), host = Text("出租户或用工单位", "landlord or employer")
        api.on(.post, "/api/v1/stays") { request, context in
            _ = try context.require(.migrants(.write))
            let input = try await Body.json(StayInput.self, request, context: context)
            return try JSON.response(try await deps.stores.stays.open(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/stays/{id}/close") { request, context in
            _ = try context.require(.migrants(.write))
            let input = try await Body.json(Closing.self, request, context: context)
            let day = try Day.parse(input.until, field: "until", default: Day(deps.stores.env.now()))
            return try JSON.response(try await deps.stores.stays.close(try context.uuid("id", Text("流动记录", "stay")), on: day, endPlace: input.endPlace, in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/persons/{id}/stays") { _, context in
            _ = try context.require(.migrants(.read))
            return try JSON.response(try await deps.stores.stays.stays(of: try context.uuid("id", Text("人员", "person")), in: context.scope))
        }

        api.on(.get, "/api/v1/certificates") { request, context in
            let account = try context.require(.migrants(.read))
            var page = try await deps.stores.certificates.list(person: request.query("person").flatMap(UUID.init(uuidString:)),
                                                               state: request.query("state").flatMap(Certificate.State.init(rawValue:)), number: request.query("number"),
                                                               limit: min(request.query("limit").flatMap(Int.init) ?? 50, 500), offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope, by: context.actor)
            if !account.role.can(.migrants(.seeReproductiveHealth)) { page.items = page.items.map { var c = $0; c.contraception = nil; return c } }
            return try JSON.response(page)
        }
        api.on(.post, "/api/v1/certificates") { request, context in
            let account = try context.require(.migrants(.write))
            let b = try await Body.json(NewCertificate.self, request, context: context)
            guard let side = Certificate.Side(rawValue: b.side ?? "issued") else {
                throw RenkouError.invalid([FieldError("/side", "code-unknown", Text("类别应为 issued（本地发放）或 registered（登记外地证明）。", "The side must be issued or registered."))])
            }
            var input = CertificateInput()
            input.person = b.person; input.number = b.number; input.office = b.office; input.issuedOn = b.issuedOn; input.validUntil = b.validUntil
            input.children = b.children; input.leaving = b.leaving; input.contraception = account.role.can(.migrants(.seeReproductiveHealth)) ? b.contraception : nil
            let c = try await deps.stores.certificates.create(side, input, in: context.scope, by: context.actor)
            return try JSON.response(try await dto(c, account: account, deps: deps), status: .created)
        }
        api.on(.get, "/api/v1/certificates/{id}") { _, context in
            let account = try context.require(.migrants(.read))
            let c = try await deps.stores.certificates.certificate(try context.uuid("id", certificate), in: context.scope, by: context.actor)
            return try JSON.response(try await dto(c, account: account, deps: deps))
        }
        api.on(.post, "/api/v1/certificates/{id}/reissue") { request, context in
            let account = try context.require(.migrants(.write))
            let b = try await Body.json(ReissueBody.self, request, context: context)
            let c = try await deps.stores.certificates.reissue(try context.uuid("id", certificate), contraception: account.role.can(.migrants(.seeReproductiveHealth)) ? b.contraception : nil,
                                                               children: b.children, reason: b.reason ?? "", in: context.scope, by: context.actor)
            return try JSON.response(try await dto(c, account: account, deps: deps), status: .created)
        }
        api.on(.post, "/api/v1/certificates/{id}/revoke") { request, context in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", certificate)
            let b = try await Body.json(ReasonBody.self, request, context: context)
            try await deps.stores.certificates.revoke(id, reason: b.reason ?? "", in: context.scope, by: context.actor)
            return try JSON.response(try await dto(try await deps.stores.certificates.certificate(id, in: context.scope, by: context.actor), account: account, deps: deps))
        }
        api.on(.post, "/api/v1/certificates/{id}/checks") { request, context in
            let account = try context.require(.migrants(.write))
            let id = try context.uuid("id", certificate)
            let b = try await Body.json(CheckInput.self, request, context: context)
            try await deps.stores.certificates.verify(id, on: try Day.parse(b.checkedOn, field: "checkedOn", default: Day(deps.stores.env.now())), result: b.result ?? "",
                                                      note: b.note, in: context.scope, by: context.actor)
            return try JSON.response(try await dto(try await deps.stores.certificates.certificate(id, in: context.scope, by: context.actor), account: account, deps: deps), status: .created)
        }
        api.on(.get, "/api/v1/public/certificates/{token}") { _, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            guard let view = try await deps.stores.certificates.publicLookup(token: try context.parameters.require("token")) else { throw RenkouError.notFound(certificate) }
            return try JSON.response(view)
        }

        api.on(.get, "/api/v1/hosts") { request, context in
            _ = try context.require(.migrants(.read))
            return try JSON.response(try await deps.stores.hosts.list(kind: request.query("kind").flatMap(MigrantHost.Kind.init(rawValue:)), unitCode: request.query("unit"),
                                                                      nameContains: request.query("name"), withoutAgreement: request.query("withoutAgreement") == "true",
                                                                      limit: min(request.query("limit").flatMap(Int.init) ?? 50, 500), offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope))
        }
        api.on(.post, "/api/v1/hosts") { request, context in
            _ = try context.require(.migrants(.write))
            let input = try await Body.json(HostStore.Input.self, request, context: context)
            return try JSON.response(try await deps.stores.hosts.create(input, in: context.scope, by: context.actor), status: .created)
        }
        @Sendable func hostDetail(_ id: UUID, _ account: Account, _ context: AppContext) async throws -> HostDetail {
            HostDetail(host: try await deps.stores.hosts.host(id, in: context.scope), agreements: try await deps.stores.hosts.agreements(of: id, in: context.scope),
                       roster: try await deps.stores.rosters.roster(of: id, in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/hosts/{id}") { _, context in
            let account = try context.require(.migrants(.read))
            return try JSON.response(try await hostDetail(try context.uuid("id", host), account, context))
        }
        api.on(.post, "/api/v1/hosts/{id}/agreements") { request, context in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", host)
            let b = try await Body.json(AgreementInput.self, request, context: context)
            guard let expires = b.expiresOn.flatMap(Day.init) else {
                throw RenkouError.invalid([FieldError("/expiresOn", "date-format", Text("请填写到期日期（YYYY-MM-DD）。", "Give the expiry date (YYYY-MM-DD)."))])
            }
            let a = try await deps.stores.hosts.addAgreement(host: id, signedOn: try Day.parse(b.signedOn, field: "signedOn", default: Day(deps.stores.env.now())),
                                                             expiresOn: expires, scan: nil, in: context.scope, by: context.actor)
            return try JSON.response(a, status: .created)
        }
        api.on(.post, "/api/v1/hosts/{id}/roster") { request, context in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", host)
            let b = try await Body.json(RosterInput.self, request, context: context)
            let since = try b.since.flatMap { $0.isEmpty ? nil : try Day.parse($0, field: "since", default: Day(deps.stores.env.now())) }
            return try JSON.response(try await deps.stores.rosters.add(host: id, name: b.name ?? "", idNumber: b.idNumber ?? "", room: b.room, since: since, in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/hosts/{id}/roster/import") { request, context in
            _ = try context.require(.migrants(.write))
            let id = try context.uuid("id", host)
            let file = Upload.directory.appendingPathComponent("\(UUID().uuidString)-roster")
            defer { try? FileManager.default.removeItem(at: file) }
            try await Upload.save(request, to: file)
            return try JSON.response(try await deps.stores.rosters.importRoster(file: file, host: id, in: context.scope, by: context.actor))
        }

        api.on(.get, "/api/v1/migrants/rates") { request, context in
            _ = try context.require(.migrants(.read))
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            let s = try await deps.stores.migrantRates.summary(unitCode: request.query("unit"), on: day, in: context.scope)
            return try JSON.response(RatesDTO(day: day.description, indicators: MigrantIndicator.all, unit: s.unit, children: s.children))
        }
        api.on(.get, "/api/v1/migrants/rates/{code}/records") { request, context in
            _ = try context.require(.migrants(.read))
            let day = try Day.parse(request.query("on"), field: "on", default: Day(deps.stores.env.now()))
            return try JSON.response(try await deps.stores.migrantRates.records(try context.parameters.require("code"), unitCode: request.query("unit"), on: day,
                                                                                gapsOnly: request.query("all") != "true", limit: min(request.query("limit").flatMap(Int.init) ?? 100, 1000),
                                                                                offset: request.query("offset").flatMap(Int.init) ?? 0, in: context.scope, by: context.actor))
        }
    }
}
