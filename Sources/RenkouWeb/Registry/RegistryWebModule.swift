import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The population registry's pages and API: persons, households, life events, quality, imports,
/// duplicates. It offers the person-page and household-page sections as extension points.
struct RegistryWebModule: WebModule {
    let name = "registry"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {
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
        [ExtensionPoint.indicatorPages(IndicatorPage(module: "registry") { _, unit in "/quality?unit=\(unit)" })]
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
