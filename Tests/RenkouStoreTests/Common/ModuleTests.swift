import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct ModuleTests {
    @Test func everyLayerListsTheSameModulesInTheSameOrder() {
        #expect(coreModules.map(\.name) == ["admin", "registry", "tasks", "migrants", "services", "births", "exchange", "supplies", "outreach", "supervision", "assessment", "reports"])
        #expect(storeModules.map(\.name) == coreModules.map(\.name))
    }

    @Test func migrationNumbersAreGlobalAndAppendOnly() {
        // every module's migrations together are 1, 2, 3 ... with no gap and no number twice
        let ids = Migrations.all.map(\.id)
        #expect(ids == Array(1...ids.count))
        #expect(Set(Migrations.all.map(\.name)).count == ids.count)
    }

    /// A fresh clone passes its tests on its own: no test names a path outside the repository (the
    /// code table the tests import is the repository's copy).
    @Test func testsReadNothingOutsideTheRepository() throws {
        let tests = Fixture.repository.appendingPathComponent("Tests")
        let outside = [".." + "/", "shared" + "/reference", "/work" + "/"]
        var offenders: [String] = []
        for case let file as String in FileManager.default.enumerator(atPath: tests.path)! where file.hasSuffix(".swift") || file.hasSuffix(".py") {
            let text = try String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8)
            for needle in outside where text.contains(needle) { offenders.append("\(file): \(needle)") }
        }
        #expect(offenders.isEmpty, "\(offenders)")
        #expect(FileManager.default.fileExists(atPath: Fixture.areaCodes))
        #expect(Fixture.areaCodes.hasPrefix(Fixture.repository.path))
    }
}
