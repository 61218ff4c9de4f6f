import RenkouCore
@testable import RenkouStore
import Testing

@Suite struct ModuleTests {
    @Test func everyLayerListsTheSameModulesInTheSameOrder() {
        #expect(coreModules.map(\.name) == ["admin", "registry", "tasks", "migrants"])
        #expect(storeModules.map(\.name) == coreModules.map(\.name))
    }

    @Test func migrationNumbersAreGlobalAndAppendOnly() {
        // every module's migrations together are 1, 2, 3 ... with no gap and no number twice
        let ids = Migrations.all.map(\.id)
        #expect(ids == Array(1...ids.count))
        #expect(Set(Migrations.all.map(\.name)).count == ids.count)
    }
}
