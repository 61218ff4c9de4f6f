import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Floating population: stays, certificates (and their public check), landlords and employers,
/// departmental files. Adds its section to the person page and its kinds to the task list.
struct MigrantsWebModule: WebModule {
    let name = "migrants"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {
        MigrantPages.register(router, deps)
        CertificatePages.register(router, deps)
        PublicPages.register(router, deps)
        HostPages.register(router, deps)
        DepartmentFilePages.register(router, deps)
    }
    func api(_ api: APIRoutes, _ deps: AppDeps) {
        MigrantAPI.register(api, deps)
        DepartmentFileAPI.register(api, deps)
    }
    var navigation: [NavEntry] {
        [NavEntry("/migrants", Text("流动人口", "Migrants"), order: 50),
         NavEntry("/certificates", Text("婚育证明", "Certificates"), order: 60),
         NavEntry("/hosts", Text("出租户与单位", "Landlords"), order: 70)]
    }
    var strings: [String: Text] { MigrantStrings.all }
    var contributions: [Contribution] {
        [ExtensionPoint.personSections(AnySection(MigrantPersonSection())), ExtensionPoint.recordLinks(RecordLink(kind: "host", href: HostPages.path)),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "migrants") { code, unit in "/migrants/rates/\(code)?unit=\(unit)" }),
         ExtensionPoint.taskKinds(TaskKindView(.register, Text("新登记", "Register"), link: { $0.object.map { HostPages.path($0.id) } },
                                               action: { t in
                                                   guard let host = t.object, host.type == "host" else { return nil }
                                                   return (HostPages.registerPath(host: host.id, idNumber: t.idNumber ?? ""), Text("去登记", "Register"))
                                               })),
         ExtensionPoint.taskKinds(TaskKindView(.departure, Text("离开核实", "Check departure"), link: { t in t.personID.map(SitePath.person) ?? t.object.map { HostPages.path($0.id) } })),
         ExtensionPoint.taskKinds(TaskKindView(.certificateExpiring, Text("婚育证明到期", "Certificate expiring"), link: { $0.object.map { CertificatePages.path($0.id) } })),
         ExtensionPoint.taskKinds(TaskKindView(.agreementExpiring, Text("协议到期", "Agreement expiring"), link: { $0.object.map { HostPages.path($0.id) } }))]
    }
}

/// The person page's floating-population section: stays, certificates, and the links to record more.
struct MigrantPersonSection: PageSection {
    func render(_ p: Person, account: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        let today = Day(deps.stores.env.now()), lang = context.lang
        let stays = try await deps.stores.stays.stays(of: p.id, in: context.scope)
        let certificates = try await deps.stores.certificates.list(person: p.id, limit: 20, in: context.scope, by: context.actor).items
        let canRegister = account.role.can(.migrants(.write))
        let wra = p.isWomanOfReproductiveAge(on: today, policy: deps.stores.env.policy)
        // A region code as people say it (510104 → 四川省成都市锦江区).
        var regionNames: [String: String] = [:]
        for code in Set(stays.compactMap(\.region)) { regionNames[code] = try await deps.stores.orgs.regionName(code) }
        let model = MigrantSectionView(
            stays: stays.map { s in
                MigrantSectionView.StayRow(kind: s.kind.label(lang), since: s.since, until: s.until ?? "—", place: [s.region.map { regionNames[$0] ?? $0 }, s.place].compactMap { $0 }.joined(separator: " "),
                                           reason: Codes.label(Stay.reasons, s.reason)?(lang) ?? s.reason, host: s.hostName ?? s.employer ?? "",
                                           hostHref: s.hostID.map(HostPages.path), endPlace: s.endPlace ?? "",
                                           closeAction: canRegister && s.isOpen ? "/stays/\(s.id.text)/close" : nil)
            },
            hasStays: !stays.isEmpty,
            newStayHref: canRegister && !stays.contains(where: \.isOpen) ? SitePath.person(p.id) + "/stays/new" : nil,
            certificates: certificates.map { c in
                MigrantSectionView.CertificateRow(number: c.number, version: c.version, state: c.state(on: today).label(lang), validUntil: c.validUntil,
                                                  side: (c.side == .issued ? Text("本地发放", "Issued here") : Text("外地发放", "Issued elsewhere"))(lang), href: CertificatePages.path(c.id))
            },
            hasCertificates: !certificates.isEmpty,
            issueHref: canRegister && wra && deps.stores.env.policy(.certificateIssuing, on: today) ? "/certificates/new?person=\(p.id.text)&side=issued" : nil,
            registerCertHref: canRegister && wra ? "/certificates/new?person=\(p.id.text)&side=registered" : nil,
            visitHref: account.role.can(.tasks(.write)) ? "/tasks/new?person=\(p.id.text)" : nil)
        return deps.renderer.fragment("migrants/person_section", model: model, context: context)
    }
}

/// The person page's floating-population section.
struct MigrantSectionView {
    struct StayRow { let kind: String, since: String, until: String, place: String, reason: String, host: String; let hostHref: String?; let endPlace: String; let closeAction: String? }
    struct CertificateRow { let number: String; let version: Int; let state: String, validUntil: String, side: String, href: String }
    let stays: [StayRow]
    let hasStays: Bool
    let newStayHref: String?
    let certificates: [CertificateRow]
    let hasCertificates: Bool
    let issueHref: String?
    let registerCertHref: String?
    let visitHref: String?
}
