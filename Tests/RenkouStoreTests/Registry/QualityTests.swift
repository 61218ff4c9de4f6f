import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct QualityTests {
    func add(_ stores: Stores, _ name: String, _ n: Int, _ birth: String, unit: String = Fixture.communityA1, _ edit: (inout PersonInput) -> Void = { _ in }) async throws -> Person {
        var input = PersonInput(name: name, idNumber: Fixture.idNumber(n, birth: birth), unit: unit)
        input.ethnicGroup = "01"; input.hukouType = "resident"; input.maritalStatus = "10"
        edit(&input)
        return try await stores.persons.create(input, in: .everything, by: .cli())
    }

    @Test(arguments: TestEngine.all) func rulesRatesAndClickThrough(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let day = Day(year: 2020, month: 1, day: 1)!
            // a complete, consistent record: in a household as its head
            let good = try await add(stores, "好记录", 1, "19800101")
            let h = try await stores.households.create(number: "Q1", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: good.id, relation: "02", on: day, in: .everything, by: .cli())
            // one record per broken rule (none of these is in a household: all miss the relation key field)
            let wrongSex = try await add(stores, "性别错", 2, "19800101") { $0.sex = "1" }           // even sequence = female
            let young = try await add(stores, "早婚", 4, "20000101") { $0.maritalStatus = "21"; $0.firstMarriageDate = "2018-06-01" }
            let noLink = try await add(stores, "无配偶", 6, "19800101") { $0.maritalStatus = "20" }
            let dated = try await add(stores, "未婚有日期", 8, "19800101") { $0.firstMarriageDate = "2005-01-01" }
            let mother = try await add(stores, "小妈妈", 10, "20000101")
            var child = PersonInput(name: "孩子", idNumber: Fixture.idNumber(12, birth: "20100101")); child.unit = Fixture.communityA1
            try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: "2010-01-01", child: child), in: .everything, by: .cli())
            let headless = try await stores.households.create(number: "Q2", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            let spouseOnly = try await add(stores, "无户主", 14, "19800101")
            try await stores.households.addMember(headless.id, person: spouseOnly.id, relation: "10", on: day, in: .everything, by: .cli())

            // each person lists exactly their own problems
            func codes(_ p: Person) async throws -> Set<String> { Set(try await stores.quality.problems(of: p.id, in: .everything).map(\.code)) }
            #expect(try await codes(good).isEmpty)
            #expect(try await codes(wrongSex) == ["Q01-sex-id", "K01-relation"])
            #expect(try await codes(young) == ["Q04-marriage-age", "K01-relation"])
            #expect(try await codes(noLink) == ["Q06-married-link", "K01-relation", "K09-first-marriage"])
            #expect(try await codes(dated) == ["Q07-unmarried-with-date", "K01-relation"])
            #expect(try await codes(spouseOnly) == ["Q09-household-head"])
            let kid = try #require(try await stores.persons.search({ var q = PersonQuery(); q.name = "孩子"; return q }(), in: .everything, by: .cli()).items.first)
            // the child: mother too young; in no household (the mother has none); ethnic group and hukou type come
            // from the mother; no marital status is asked of a 16-year-old
            #expect(try await codes(kid) == ["Q03-mother-age", "K01-relation"])
            #expect(kid.ethnicGroup == "01" && kid.hukouType == "resident" && kid.maritalStatus == nil)

            // the unit rates are live and match the records above
            let summary = try await stores.quality.summary(unitCode: Fixture.streetA, in: .everything)
            #expect(summary.unit.records == 8)
            #expect(summary.unit.complete == 2)          // good and spouseOnly have every key field
            #expect(summary.unit.consistent == 2)        // good and the mother; each of the other six breaks one rule
            #expect(summary.unit.failures["Q01-sex-id"] == 1 && summary.unit.failures["Q09-household-head"] == 1)
            #expect(summary.children.map(\.code) == [Fixture.communityA1, Fixture.communityA2])
            #expect(summary.children[1].records == 0 && summary.children[1].consistency == 1)

            // click-through: the records behind a figure, and nothing outside the scope
            let list = try await stores.quality.failing("Q04-marriage-age", unitCode: Fixture.streetA, in: .everything, by: .cli())
            #expect(list.items.map(\.name) == ["早婚"])
            #expect(try await stores.quality.failing("Q04-marriage-age", unitCode: nil, in: Scope(path: "/310000/310114/310114002/"), by: .cli()).total == 0)
            // a correction shows in the next query
            try await stores.persons.update(wrongSex.id, { var i = PersonInput(); i.sex = "2"; return i }(), in: .everything, by: .cli())
            #expect(try await stores.quality.summary(unitCode: Fixture.streetA, in: .everything).unit.failures["Q01-sex-id"] == 0)
        }
    }
}
