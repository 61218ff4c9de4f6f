import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Reproductive-health and family-planning services: the person page's section, the service form with
/// informed choice, the follow-up list and the visit form, the API. Methods, procedures and findings
/// are shown to the service roles only (`services.see-rh`); the others see that a visit is due.
struct ServicesWebModule: WebModule {
    let name = "services"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {
        ServicePages.register(router, deps); CheckUpPages.register(router, deps); PregnancyPages.register(router, deps)
    }
    func api(_ api: APIRoutes, _ deps: AppDeps) { ServiceAPI.register(api, deps); CheckUpPages.api(api, deps); PregnancyPages.api(api, deps) }
    var navigation: [NavEntry] {
        [NavEntry("/followups", Text("随访", "Follow-ups"), order: 84), NavEntry("/checkups", Text("双查", "Check-ups"), order: 85),
         NavEntry("/prepregnancy", Text("孕前优生", "Pre-pregnancy"), order: 86)]
    }
    var strings: [String: Text] { ServiceStrings.all }
    var contributions: [Contribution] {
        [ExtensionPoint.personSections(AnySection(ServicesPersonSection())),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "services")),
         ExtensionPoint.taskKinds(TaskKindView(.followUp, Text("随访", "Follow-up"), link: { $0.personID.map(SitePath.person) },
                                               action: { t in (ServicePages.visitPath(t.id), Text("记录随访", "Record the visit")) }))]
    }
}

/// The person page's services section. Service roles see methods, services and visits (an audited
/// read); the others see how many visits are open, and those who make visits get the link to record one.
struct ServicesPersonSection: PageSection {
    func render(_ p: Person, account: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        let lang = context.lang, today = Day(deps.stores.env.now())
        let seesHealth = account.role.can(.services(.seeReproductiveHealth)), canWrite = account.role.can(.services(.write))
        if seesHealth {
            let s = try await deps.stores.services.of(p.id, in: context.scope, by: context.actor)
            var model = ServicesSectionView(
                seesHealth: true,
                methods: s.methods.filter { $0.stoppedOn == nil }.map { Text("\($0.method.label.zh)（\($0.startedOn) 起）", "\($0.method.label.en) (since \($0.startedOn))")(lang) },
                services: s.services.map { ServicesSectionView.ServiceRow(day: $0.day, kind: $0.kind.label(lang), method: $0.method?.label(lang) ?? "",
                                                                          choice: ServicePages.choiceSummary($0.informedChoice, lang: lang), provider: [$0.facility, $0.provider].compactMap { $0 }.joined(separator: " · "),
                                                                          consentHref: $0.consentScanName.map { [id = $0.id] _ in ServicePages.consentPath(id) }) },
                visits: s.followUps.map { ServicePages.visitRow($0, today: today, seesHealth: true, canWrite: canWrite, lang: lang) },
                openCount: 0, newServiceHref: canWrite ? ServicePages.newServicePath(p.id) : nil)
            model.pregnancies = s.pregnancies.map { g in
                ServicesSectionView.PregnancyRow(detectedOn: g.detectedOn, source: g.source.label(lang), expectedOn: g.expectedOn ?? "",
                                                 outcome: g.outcome.map { "\($0.label(lang)) \(g.outcomeOn ?? "")" } ?? Text("未结束", "Open")(lang),
                                                 outcomeHref: canWrite && g.isOpen ? PregnancyPages.outcomePath(g.id) : nil)
            }
            model.checkUps = s.checkUps.map { c in
                ServicesSectionView.CheckUpRow(round: c.unitName, due: CheckUpPages.kinds(c.due, lang: lang), results: CheckUpPages.results(c, lang: lang), checkedOn: c.checkedOn ?? "")
            }
            model.prePregnancy = s.prePregnancyChecks.map { PregnancyPages.checkRow($0, lang: lang) }
            model.hasPregnancies = !model.pregnancies.isEmpty; model.hasCheckUps = !model.checkUps.isEmpty; model.hasPrePregnancy = !model.prePregnancy.isEmpty
            if canWrite {
                if p.sex == "2", !s.pregnancies.contains(where: \.isOpen) { model.newPregnancyHref = PregnancyPages.newPregnancyPath(p.id) }
                model.newPrePregnancyHref = PregnancyPages.newCheckPath(p.id)
            }
            return deps.renderer.fragment("services/person_section", model: model, context: context)
        }
        // Visits whose existence tells what they are about stay with the service roles.
        let open = try await deps.stores.services.followUps(personID: p.id, on: today, in: context.scope).filter { !FollowUpSchedules.healthOnly($0.schedule) }
        guard !open.isEmpty else { return nil }
        let model = ServicesSectionView(seesHealth: false, methods: [], services: [],
                                        visits: open.map { ServicePages.visitRow($0, today: today, seesHealth: false, canWrite: canWrite, lang: lang) },
                                        openCount: open.count, newServiceHref: nil)
        return deps.renderer.fragment("services/person_section", model: model, context: context)
    }
}

/// The services section of a person's page.
struct ServicesSectionView {
    struct ServiceRow { let day: String, kind: String, method: String, choice: String, provider: String; let consentHref: String? }
    let seesHealth: Bool
    let methods: [String]
    let services: [ServiceRow]
    let visits: [ServicePages.VisitRow]
    let openCount: Int
    let newServiceHref: String?
    var hasMethods: Bool = false
    var hasServices: Bool = false
    var hasVisits: Bool = false
    struct PregnancyRow { let detectedOn: String, source: String, expectedOn: String, outcome: String; let outcomeHref: String? }
    struct CheckUpRow { let round: String, due: String, results: String, checkedOn: String }
    var pregnancies: [PregnancyRow] = []
    var checkUps: [CheckUpRow] = []
    var prePregnancy: [PregnancyPages.CheckRow] = []
    var hasPregnancies = false, hasCheckUps = false, hasPrePregnancy = false
    var newPregnancyHref: String?
    var newPrePregnancyHref: String?
    init(seesHealth: Bool, methods: [String], services: [ServiceRow], visits: [ServicePages.VisitRow], openCount: Int, newServiceHref: String?) {
        self.seesHealth = seesHealth; self.methods = methods; self.services = services; self.visits = visits; self.openCount = openCount
        self.newServiceHref = newServiceHref; hasMethods = !methods.isEmpty; hasServices = !services.isEmpty; hasVisits = !visits.isEmpty
    }
}
