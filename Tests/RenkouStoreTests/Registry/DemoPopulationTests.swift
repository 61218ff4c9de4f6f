import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct DemoPopulationTests {
    func snapshot(_ stores: Stores) async throws -> [String] {
        try await stores.db.read { db in
            try await db.raw("SELECT p.id, p.name, p.id_number, p.birth_date, p.mother_id FROM persons p ORDER BY p.id_number").all().map {
                "\(try $0.decode(column: "id", as: String.self)) \(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "id_number", as: String.self)) \(try $0.decode(column: "birth_date", as: String?.self) ?? "") \(try $0.decode(column: "mother_id", as: String?.self) ?? "")"
            }
        }
    }

    /// The demo works for any size and seed (800 people with seed 1 or 4 used to stop: a certificate
    /// dated before its holder turned 15).
    @Test(arguments: TestEngine.all) func demoFillsForASpreadOfSizesAndSeeds(engine: TestEngine) async throws {
        for (persons, seed) in [(800, UInt64(1)), (800, 4), (1300, 7)] {
            try await withTestStores(engine) { stores in
                let result = try await Demo.fill(stores, seed: seed, persons: persons)
                #expect(result.persons >= persons, "\(persons) people, seed \(seed)")
                let certificates = try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM certificates").first()!.decode(column: "n", as: Int.self) }
                #expect(certificates > 0, "\(persons) people, seed \(seed)")
            }
        }
    }

    @Test(arguments: TestEngine.all) func sameSeedSamePeople(engine: TestEngine) async throws {
        let clock = TestClock()
        let first = try await withTestStores(engine, clock: clock) { stores in
            let result = try await Demo.fill(stores, seed: 42, persons: 1500)
            #expect(result.logins.count == 8)
            #expect(result.persons >= 1500 && result.persons < 1510)
            // a second fill does not touch a database that has people
            #expect(try await Demo.fill(stores, seed: 42, persons: 1500).persons == 0)
            // every ID number is valid, every active person is in a household, children point at their mothers
            let rows = try await snapshot(stores)
            #expect(rows.count == result.persons)
            for row in rows { #expect(CitizenID.check(String(row.split(separator: " ")[2]), today: Day(clock.now)).valid) }
            let summary = try await stores.quality.summary(unitCode: nil, in: .everything).unit
            #expect(summary.failures["Q01-sex-id"] == 0 && summary.failures["Q02-birth-id"] == 0 && summary.failures["Q03-mother-age"] == 0)
            #expect(summary.failures["K01-relation"] == 0)
            #expect(summary.consistency > 0.95)
            let births = try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM life_events WHERE type = 'birth'").first()!.decode(column: "n", as: Int.self) }
            #expect(births > 100)
            try await PersonSearchTests.expectGramsMatchNames(stores)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
            return rows
        }
        let second = try await withTestStores(engine, clock: clock) { stores in
            _ = try await Demo.fill(stores, seed: 42, persons: 1500)
            return try await snapshot(stores)
        }
        #expect(first == second)
        let other = try await withTestStores(engine, clock: clock) { stores in
            _ = try await Demo.fill(stores, seed: 43, persons: 1500)
            return try await snapshot(stores)
        }
        #expect(first != other)
    }
}
