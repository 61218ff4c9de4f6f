import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

/// The population pyramid reads counts the database keeps at every write of a person (migration 056):
/// whatever changes a person (a new record, a correction of sex or birth date, a death, a move, a
/// unit moved in the tree, a deletion), the pyramid of every unit and every day is what counting each
/// person's age would give, before and after the counts are summed again.
@Suite struct PopulationCountsTests {
    /// A person as the test knows it: where, sex, birth date, status.
    struct Known { var unit: String; var sex: String; var birth: String; var active = true }

    /// The pyramid of `unit` on `day` by counting `people` one by one.
    static func expected(_ people: [Known], units: [String], on day: Day) -> [[Int]] {
        var bands = Array(repeating: [0, 0], count: 18)
        for p in people where p.active && units.contains(p.unit) {
            let age = Day(p.birth)!.age(on: day)
            guard age >= 0 else { continue }
            bands[min(17, age / 5)][p.sex == "1" ? 0 : 1] += 1
        }
        return bands
    }

    static func input(name: String? = nil, idNumber: String? = nil, unit: String? = nil, sex: String? = nil, birthDate: String? = nil, status: String? = nil) -> PersonInput {
        var i = PersonInput(name: name, idNumber: idNumber, unit: unit)
        i.sex = sex; i.birthDate = birthDate; i.status = status
        return i
    }

    /// The days read: band edges on either side of the birthdays below, month ends, 29 February.
    static let days = ["2026-06-14", "2026-06-15", "2026-06-16", "2026-06-30", "2026-07-01", "2028-02-28", "2028-02-29", "2029-02-28", "2026-11-18", "2026-01-01"]

    /// Every unit's pyramid on every day against counting the people one by one.
    static func check(_ stores: Stores, _ people: [Known], units: [(String, [String])]) async throws {
        for day in days.map({ Day($0)! }) {
            for (unit, leaves) in units {
                let read = try await stores.persons.ageStructure(unitCode: unit, on: day, in: .everything).map { [$0.male, $0.female] }
                #expect(read == expected(people, units: leaves, on: day), "\(unit) on \(day)")
            }
        }
    }

    /// The counts (summed) against counting the active people of `persons` now, key by key, and the
    /// active records per path (the data-quality rates' base) against the same.
    static func countsMatch(_ stores: Stores, _ step: String) async throws {
        let engine = stores.db.engine
        let (kept, counted, active, direct) = try await stores.db.read { db in
            let kept = try await db.raw("SELECT path, sex, birth_month, SUM(n) AS n FROM population_counts GROUP BY path, sex, birth_month HAVING SUM(n) <> 0").all().map {
                "\(try $0.decode(column: "path", as: String.self)) \(try $0.decode(column: "sex", as: String.self)) \(try $0.decode(column: "birth_month", as: String.self)) \(try $0.decode(column: "n", as: Int.self))"
            }
            let counted = try await db.raw("""
                SELECT path, COALESCE(sex, '') AS sex, COALESCE(substr(birth_date, 1, 7), '') AS birth_month, COUNT(*) AS n FROM persons WHERE status = 'active' GROUP BY 1, 2, 3
                """).all().map {
                "\(try $0.decode(column: "path", as: String.self)) \(try $0.decode(column: "sex", as: String.self)) \(try $0.decode(column: "birth_month", as: String.self)) \(try $0.decode(column: "n", as: Int.self))"
            }
            var direct: [String: Int] = [:]
            for r in try await db.raw("SELECT path, COUNT(*) AS n FROM persons WHERE status = 'active' GROUP BY path").all() {
                direct[try r.decode(column: "path", as: String.self)] = try r.decode(column: "n", as: Int.self)
            }
            return (kept, counted, try await PopulationCounts.active(under: "/310000/", engine: engine, db), direct)
        }
        #expect(Set(kept) == Set(counted) && kept.count == counted.count, "\(step)")
        #expect(active == direct, "\(step)")
    }

    @Test(arguments: TestEngine.all) func thePyramidFollowsEveryWrite(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // Birthdays at the edges of bands: 5 and 4, 30 and 29, 85 and 84 on 15 June 2026; born on 29 February; one in the future of some days read.
            let births = ["2021-06-15", "2021-06-16", "2021-06-30", "2021-05-20", "2021-07-01", "1996-06-15", "1996-06-20", "1941-06-15", "1941-06-16",
                          "1930-01-01", "2024-02-29", "2026-06-16", "2023-02-28", "1976-02-29"]
            var people: [Known] = [], ids: [UUID] = []
            for (i, birth) in births.enumerated() {
                let unit = [Fixture.gridA1, Fixture.communityA2, Fixture.communityB1][i % 3], sex = i % 2 == 0 ? "1" : "2"
                let p = try await stores.persons.create(Self.input(name: "测试\(i)", idNumber: Fixture.idNumber(i * 2 + (sex == "1" ? 1 : 2), birth: birth.replacingOccurrences(of: "-", with: "")),
                                                                   unit: unit, sex: sex, birthDate: birth), in: .everything, by: .cli())
                people.append(Known(unit: unit, sex: sex, birth: birth)); ids.append(p.id)
            }
            // one registered as moved away: not counted, until she comes back
            let away = try await stores.persons.create(Self.input(name: "外迁", idNumber: Fixture.idNumber(902, birth: "19960620"), unit: Fixture.communityA2, sex: "2",
                                                                  birthDate: "1996-06-20", status: "moved-away"), in: .everything, by: .cli())
            people.append(Known(unit: Fixture.communityA2, sex: "2", birth: "1996-06-20", active: false)); ids.append(away.id)
            try await Self.countsMatch(stores, "created")
            let units: [(String, [String])] = [(Fixture.district, [Fixture.gridA1, Fixture.communityA2, Fixture.communityB1]),
                                               (Fixture.streetA, [Fixture.gridA1, Fixture.communityA2]), (Fixture.communityA1, [Fixture.gridA1]),
                                               (Fixture.communityB1, [Fixture.communityB1])]
            try await Self.check(stores, people, units: units)
            // corrections: a birth date (across a band's edge), a sex; a death; a move to the other street; a deletion
            _ = try await stores.persons.update(ids[0], Self.input(idNumber: Fixture.idNumber(1, birth: "20210617"), birthDate: "2021-06-17"), in: .everything, by: .cli())
            people[0].birth = "2021-06-17"
            _ = try await stores.persons.update(ids[1], Self.input(idNumber: Fixture.idNumber(5, birth: "20210616"), sex: "1"), in: .everything, by: .cli())
            people[1].sex = "1"
            _ = try await stores.persons.update(ids[7], Self.input(status: "deceased"), in: .everything, by: .cli())
            people[7].active = false
            _ = try await stores.persons.update(ids[4], Self.input(unit: Fixture.communityB1), in: .everything, by: .cli())
            people[4].unit = Fixture.communityB1
            try await stores.persons.delete(ids[9], in: .everything, by: .cli())
            people.remove(at: 9); ids.remove(at: 9)
            _ = try await stores.persons.update(away.id, Self.input(status: "active"), in: .everything, by: .cli())
            people[people.count - 1].active = true
            try await Self.countsMatch(stores, "corrected")
            try await Self.check(stores, people, units: units)
            // the grid moves in the tree, from street A to street B, with its people
            let grid = try #require(try await stores.orgs.unit(code: Fixture.gridA1, in: .everything))
            _ = try await stores.orgs.move(grid.id, toParent: Fixture.communityB1, in: .everything, by: .cli())
            let moved: [(String, [String])] = [(Fixture.district, [Fixture.gridA1, Fixture.communityA2, Fixture.communityB1]), (Fixture.streetA, [Fixture.communityA2]),
                                               (Fixture.communityA1, []), (Fixture.communityB1, [Fixture.communityB1, Fixture.gridA1]), (Fixture.streetB, [Fixture.communityB1, Fixture.gridA1])]
            try await Self.countsMatch(stores, "moved in the tree")
            try await Self.check(stores, people, units: moved)
            // a sex and a birth date not known (written past the store): counted as active records, not in the pyramid
            let (noBirth, noSex) = (ids[3], ids[5])
            try await stores.db.write { db in
                try await db.raw("UPDATE persons SET birth_date = NULL WHERE id = \(bind: noBirth.text)").run()
                try await db.raw("UPDATE persons SET sex = '9' WHERE id = \(bind: noSex.text)").run()
            }
            people[3].active = false; people[5].active = false
            try await Self.countsMatch(stores, "not known")
            try await Self.check(stores, people, units: moved)
            // summed again: fewer rows, none of them zero, the same pyramids
            let rows: SQLQueryString = "SELECT COUNT(*) AS n FROM population_counts"
            let before = try await stores.db.read { try await $0.raw(rows).first()!.decode(column: "n", as: Int.self) }
            let removed = try await stores.runDailyJobs(on: Day("2026-11-18")!).first { $0.name == "registry.population-counts" }?.changed
            let after = try await stores.db.read { try await $0.raw(rows).first()!.decode(column: "n", as: Int.self) }
            #expect(removed == before - after && after < before)
            #expect(try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM population_counts WHERE n <= 0").first()!.decode(column: "n", as: Int.self) } == 0)
            try await Self.countsMatch(stores, "summed")
            try await Self.check(stores, people, units: moved)
            // a write after the summing is counted as before
            _ = try await stores.persons.update(ids[2], Self.input(status: "moved-away"), in: .everything, by: .cli())
            people[2].active = false
            try await Self.countsMatch(stores, "after the summing")
            try await Self.check(stores, people, units: moved)
        }
    }
}
