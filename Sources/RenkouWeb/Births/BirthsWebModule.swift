import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Birth registration: the office's list and form, a registration's page with its decisions and
/// voucher, the public application and status pages, the API.
struct BirthsWebModule: WebModule {
    let name = "births"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {
        BirthPages.register(router, deps); PublicBirthPages.register(router, deps); BenefitPages.register(router, deps); FamilyPages.register(router, deps); FeePages.register(router, deps)
    }
    func api(_ api: APIRoutes, _ deps: AppDeps) { BirthAPI.register(api, deps); BenefitAPI.register(api, deps); FamilyPages.api(api, deps); FeePages.api(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/births", Text("生育登记", "Birth registration"), order: 87), NavEntry("/benefits", Text("奖扶补贴", "Benefits"), order: 88),
                                  NavEntry("/families", Text("特殊家庭", "Special families"), order: 89),
                                  NavEntry("/fees", Text("社会抚养费台账", "Fee ledger"), order: 89, permission: .births(.write), enabled: { policy, today in policy(.feeLedger, on: today) })] }
    var strings: [String: Text] { BirthStrings.all }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.birthRegistration, Text("生育登记", "Birth registration"), link: { BirthPages.path($0.id) },
                                               action: { t in (BirthPages.path(t.id), Text("办理", "Handle")) })),
         ExtensionPoint.taskKinds(TaskKindView(.familyVisit, Text("特殊家庭走访", "Special family visit"), link: { FamilyPages.path($0.id) },
                                               action: { t in (FamilyPages.path(t.id), Text("记录走访", "Record the visit")) })),
         ExtensionPoint.personSections(AnySection(BirthsPersonSection())),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "births")),
         ExtensionPoint.recordLinks(RecordLink(kind: "registration", href: BirthPages.path))]
    }
}

/// The registrations a person is named in, as mother or father.
struct BirthsPersonSection: PageSection {
    func render(_ p: Person, account: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        let lang = context.lang
        let mine = try await deps.stores.births.of(person: p, in: context.scope, by: context.actor)
        let canWrite = account.role.can(.births(.write))
        guard !mine.isEmpty || (canWrite && p.sex != "0") else { return nil }
        let model = BirthSectionView(rows: mine.map { BirthPages.row($0, today: Day(deps.stores.env.now()), lang: lang) }, hasRows: !mine.isEmpty,
                                     newHref: canWrite ? SitePath.query("/births/new", [("person", p.id.text)]) : nil,
                                     familyHref: canWrite ? SitePath.query("/families", [("person", p.id.text)]) : nil)
        return deps.renderer.fragment("births/person_section", model: model, context: context)
    }
}

/// The registrations on a person's page.
struct BirthSectionView { let rows: [BirthPages.Row]; let hasRows: Bool; let newHref: String?; let familyHref: String? }
