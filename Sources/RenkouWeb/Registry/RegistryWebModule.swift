import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The population registry's pages and API: persons, households, life events, quality, imports,
/// duplicates. It offers the person-page and household-page sections as extension points.
struct RegistryWebModule: WebModule {
    let name = "registry"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {
        PersonListPage.register(router, deps)
        PersonPages.register(router, deps)
        HouseholdPages.register(router, deps)
        LifeEventPages.register(router, deps)
        QualityPages.register(router, deps)
        ImportPages.register(router, deps)
        DuplicatePages.register(router, deps)
    }
    func api(_ api: APIRoutes, _ deps: AppDeps) {
        PersonAPI.register(api, deps)
        HouseholdAPI.register(api, deps)
        LifeEventAPI.register(api, deps)
        QualityAPI.register(api, deps)
        ImportAPI.register(api, deps)
        DuplicateAPI.register(api, deps)
    }
    var strings: [String: Text] { RegistryStrings.all }
    var contributions: [Contribution] {
        [ExtensionPoint.indicatorPages(IndicatorPage(module: "registry") { _, unit in "/quality?unit=\(unit)" }),
         ExtensionPoint.homeCards(HomeCard(order: 20, RegistryHomeCard()))]
    }
    var navigation: [NavEntry] {
        [NavEntry(SitePath.persons, Text("人员", "People"), order: 20),
         NavEntry(SitePath.households, Text("户", "Households"), order: 30),
         NavEntry("/quality", Text("数据质量", "Data quality"), order: 40)]
    }
}

extension ExtensionPoint where Item == AnySection<Person> {
    /// Sections other modules add to the person page, below the facts (stays, certificates, services ...).
    static var personSections: ExtensionPoint<AnySection<Person>> { ExtensionPoint("registry.person-sections") }
}

extension ExtensionPoint where Item == AnySection<HouseholdDetail> {
    /// Sections other modules add to the household page, below the members.
    static var householdSections: ExtensionPoint<AnySection<HouseholdDetail>> { ExtensionPoint("registry.household-sections") }
}

/// The workbench card of those who keep the registry: how many records of the area have data problems
/// to correct, and the last imports (file, when, by whom, what came of it).
struct RegistryHomeCard: PageSection {
    struct ImportSummary: Decodable { let file: String; let imported: Int; let updated: Int; let rejected: Int; let committed: Bool }
    func render(_ account: Account, account _: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String? {
        guard account.role.can(.registry(.write)) else { return nil }
        let lang = context.lang
        let problems = try await deps.stores.quality.recordsWithProblems(in: context.scope)
        let imports = try await deps.stores.audit.search(AuditQuery(entity: "person", action: "import", limit: 3), in: context.scope).items
        let model = RegistryHomeCardView(
            problems: problems, problemsState: problems > 0 ? "bad" : "good",
            imports: imports.compactMap { e in
                guard let data = e.after?.data(using: .utf8), let s = try? JSONDecoder().decode(ImportSummary.self, from: data) else { return nil }
                let outcome = s.committed
                    ? Text("导入 \(s.imported)，更新 \(s.updated)，拒绝 \(s.rejected)", "\(s.imported) imported, \(s.updated) updated, \(s.rejected) rejected")
                    : Text("未导入（有错误行 \(s.rejected)）", "nothing imported (\(s.rejected) rows rejected)")
                return RegistryHomeCardView.Import(file: s.file, at: e.at, who: e.username, outcome: outcome(lang))
            })
        return deps.renderer.fragment("registry/home_card", model: model, context: context)
    }
}

/// The workbench's registry card.
struct RegistryHomeCardView {
    struct Import { let file: String, at: String, who: String, outcome: String }
    let problems: Int
    let problemsState: String
    let imports: [Import]
}
