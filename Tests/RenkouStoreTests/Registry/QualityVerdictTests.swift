import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct QualityVerdictTests {
    /// The stored verdicts are exactly what the rules give when run over every record now: a write
    /// path that forgets to refresh them fails here.
    static func expectVerdictsCurrent(_ stores: Stores, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        func rows() async throws -> Set<String> {
            Set(try await stores.db.read { db in
                try await db.raw("SELECT person_id, code, path FROM person_checks").all().map {
                    "\(try $0.decode(column: "person_id", as: String.self)) \(try $0.decode(column: "code", as: String.self)) \(try $0.decode(column: "path", as: String.self))"
                }
            })
        }
        let stored = try await rows()
        try await stores.quality.rebuildVerdicts()
        let fresh = try await rows()
        #expect(stored.subtracting(fresh).isEmpty, "stale verdicts: \(stored.subtracting(fresh).sorted().prefix(5))", sourceLocation: sourceLocation)
        #expect(fresh.subtracting(stored).isEmpty, "missing verdicts: \(fresh.subtracting(stored).sorted().prefix(5))", sourceLocation: sourceLocation)
    }

    @Test(arguments: TestEngine.all) func verdictsFollowEveryKindOfWrite(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            // setup: a couple in a household, then a child
            try await Fixture.tree(stores)
            var mother = PersonInput(name: "李梅", idNumber: Fixture.idNumber(2, birth: "19900202"), unit: Fixture.communityA1)
            mother.maritalStatus = "21"
            let m = try await stores.persons.create(mother, in: .everything, by: .cli())
            let f = try await stores.persons.create(PersonInput(name: "王强", idNumber: Fixture.idNumber(1, birth: "19880101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let h = try await stores.households.create(number: "H-001", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            // married without a link or a date: Q06 and K09 for her; no household yet: K01 for both
            var quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect(quality.records == 2 && quality.failures["Q06-married-link"] == 1 && quality.failures["K01-relation"] == 2)
            #expect(quality.complete == 0 && quality.consistent == 1)
            // act: household, marriage record, a child, a correction, a move, a deletion
            try await stores.households.addMember(h.id, person: f.id, relation: "02", on: Day("2020-01-01")!, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: m.id, relation: "10", on: Day("2020-01-01")!, in: .everything, by: .cli())
            quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect(quality.failures["K01-relation"] == 0)
            var fix = PersonInput(); fix.firstMarriageDate = "2015-05-01"; fix.maritalStatus = "21"
            try await stores.persons.update(m.id, fix, in: .everything, by: .cli())
            quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect(quality.failures["Q06-married-link"] == 0 && quality.failures["K09-first-marriage"] == 0)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
            var child = PersonInput(name: "王小", idNumber: Fixture.idNumber(3, birth: "20240303"))
            child.sex = "1"
            try await stores.events.record(LifeEventInput(type: "birth", person: m.id.text, day: "2024-03-03", child: child), in: .everything, by: .cli())
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
            // the father leaves: the household has no head, every member left fails Q09
            try await stores.households.removeMember(h.id, person: f.id, on: Day("2025-01-01")!, in: .everything, by: .cli())
            quality = try await stores.quality.summary(unitCode: Fixture.communityA1, in: .everything).unit
            #expect(quality.failures["Q09-household-head"] == 2)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
            try await stores.events.record(LifeEventInput(type: "move-within", person: m.id.text, day: "2025-02-01", unit: Fixture.communityB1), in: .everything, by: .cli())
            #expect(try await stores.quality.summary(unitCode: Fixture.communityB1, in: .everything).unit.records == 1)
            try await stores.persons.delete(f.id, in: .everything, by: .cli())
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
            // the click-through lists exactly the records the count counts
            let failing = try await stores.quality.failing("Q09-household-head", unitCode: nil, in: .everything, by: .cli())
            let figures = try await stores.quality.summary(unitCode: nil, in: .everything).unit
            #expect(failing.total == figures.failures["Q09-household-head"] && failing.items.count == failing.total)
            // the catalogue's registry rates agree with the quality page
            let rates = try await stores.indicators.unitFigures([RegistryIndicator.completeness.code, RegistryIndicator.consistency.code],
                                                                unitCode: nil, on: Day("2026-11-29")!, in: .everything).figures
            #expect(rates.map(\.numerator) == [figures.complete, figures.consistent] && rates.allSatisfy { $0.denominator == figures.records })
        }
    }

    @Test(arguments: TestEngine.all) func aMovedUnitTakesEveryModulesRecordsAlong(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let p = try await stores.persons.create(PersonInput(name: "赵敏", idNumber: Fixture.idNumber(4, birth: "19950505"), unit: Fixture.gridA1), in: .everything, by: .cli())
            try await stores.tasks.addHomeVisit(person: p.id, due: Day("2026-12-01")!, note: nil, in: .everything, by: .cli())
            var stay = StayInput(); stay.person = p.id.text; stay.kind = "inflow"; stay.since = "2026-01-01"; stay.region = "510104"
            try await stores.stays.open(stay, in: .everything, by: .cli())
            // act: the grid moves from a community of street A to one of street B
            let grid = try #require(try await stores.orgs.unit(code: Fixture.gridA1, in: .everything))
            try await stores.orgs.move(grid.id, toParent: Fixture.communityB1, in: .everything, by: .cli())
            // assert: street B sees the person, the task, the stay and the verdicts; street A sees none of them
            let streetB = try #require(try await stores.orgs.unit(code: Fixture.streetB, in: .everything)).path
            let streetA = try #require(try await stores.orgs.unit(code: Fixture.streetA, in: .everything)).path
            #expect(try await stores.tasks.list(on: Day("2026-11-29")!, in: Scope(path: streetB), by: .cli()).count == 1)
            #expect(try await stores.tasks.list(on: Day("2026-11-29")!, in: Scope(path: streetA), by: .cli()).isEmpty)
            #expect(try await stores.stays.stays(of: p.id, in: Scope(path: streetB)).count == 1)
            #expect(try await stores.stays.stays(of: p.id, in: Scope(path: streetA)).isEmpty)
            #expect(try await stores.quality.summary(unitCode: Fixture.streetB, in: .everything).unit.records == 1)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
        }
    }

    @Test(arguments: TestEngine.all) func theDefaultUnitOfTheWholeTreeIsTheOneWithPeople(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            // setup: the tree, one person, then the national code table (every province becomes a top unit)
            try await Fixture.tree(stores)
            try await stores.persons.create(PersonInput(name: "吴刚", idNumber: Fixture.idNumber(7, birth: "19800707"), unit: Fixture.communityA1), in: .everything, by: .cli())
            try await stores.orgs.importFile(at: Fixture.areaCodes, in: .everything, by: .cli())
            #expect(try await stores.orgs.tops(in: .everything).count > 30)
            // act + assert: without a unit, the rates of the whole tree are those of the province that has people
            #expect(try await stores.quality.summary(unitCode: nil, in: .everything).unit.code == "310000")
            #expect(try await stores.indicators.summary([RegistryIndicator.completeness.code], unitCode: nil, on: Day("2026-11-29")!, in: .everything).unit.figures[0].denominator == 1)
            // a unit outside the scope reads like an unknown one
            await #expect { try await stores.quality.summary(unitCode: "110000", in: Scope(path: "/310000/")) } throws: { ($0 as? RenkouError)?.code == "not-found" }
        }
    }
}
