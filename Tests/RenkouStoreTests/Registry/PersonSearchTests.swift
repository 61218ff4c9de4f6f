import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct PersonSearchTests {
    /// Five people; the test clock's today is 2026-11-18 (1_795_000_000 s).
    static func people(_ stores: Stores) async throws {
        try await Fixture.tree(stores)
        let rows: [(String, String, Int, String, String?, String)] = [
            ("王丽", "19900101", 2, Fixture.communityA1, "白银路 1 号", "registered"),   // woman, 36
            ("王强", "19900102", 1, Fixture.gridA1, "白银路 2 号", "registered"),        // man, 36
            ("李娟", "19761119", 2, Fixture.communityA2, "金沙路 5 号", "inflow"),       // woman, turns 50 tomorrow: 49
            ("赵敏", "19761118", 2, Fixture.communityA2, nil, "inflow"),                 // woman, 50 today
            ("钱芳", "20120601", 2, Fixture.communityB1, "丰庄路 9 号", "registered"),   // girl, 14
        ]
        for (i, r) in rows.enumerated() {
            var input = PersonInput(name: r.0, idNumber: Fixture.idNumber(r.2 == 1 ? 2 * i + 1 : 2 * i + 2, birth: r.1), unit: r.3)
            input.address = r.4; input.category = r.5
            try await stores.persons.create(input, in: .everything, by: .cli())
        }
    }

    func names(_ stores: Stores, _ scope: Scope = .everything, _ build: (inout PersonQuery) -> Void) async throws -> [String] {
        var q = PersonQuery(); build(&q); q.sort = .name
        return try await stores.persons.search(q, in: scope, by: .cli()).items.map(\.name)
    }

    @Test(arguments: TestEngine.all) func filtersCombine(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Self.people(stores)
            #expect(try await names(stores) { $0.name = "王" } == ["王丽", "王强"].sorted())
            #expect(try await names(stores) { $0.address = "金沙" } == ["李娟"])
            #expect(try await names(stores) { $0.sex = "1" } == ["王强"])
            #expect(try await names(stores) { $0.category = "inflow" }.sorted() == ["李娟", "赵敏"].sorted())
            #expect(try await names(stores) { $0.unit = Fixture.streetA }.count == 4)
            #expect(try await names(stores) { $0.unit = Fixture.communityA1 }.sorted() == ["王丽", "王强"].sorted())
            // women of reproductive age: 15–49 on today's date, to the day
            #expect(try await names(stores) { $0.womenOfReproductiveAge = true }.sorted() == ["李娟", "王丽"].sorted())
            #expect(try await names(stores) { $0.ageMin = 50 }.sorted() == ["赵敏"])
            #expect(try await names(stores) { $0.ageMax = 14 } == ["钱芳"])
            // exact ID number, in the 15-digit or lower-case form too
            let idOfWangLi = Fixture.idNumber(2, birth: "19900101")
            #expect(try await names(stores) { $0.idNumber = idOfWangLi } == ["王丽"])
            // scope still rules
            #expect(try await names(stores, Scope(path: "/310000/310114/310114002/")) { $0.sex = "2" } == ["钱芳"])
        }
    }

    @Test(arguments: TestEngine.all) func sortingAndPaging(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Self.people(stores)
            var q = PersonQuery(); q.sort = .birthDate; q.limit = 2
            let first = try await stores.persons.search(q, in: .everything, by: .cli())
            #expect(first.total == 5 && first.items.map(\.name) == ["赵敏", "李娟"])
            q.offset = 4
            #expect(try await stores.persons.search(q, in: .everything, by: .cli()).items.map(\.name) == ["钱芳"])
            q.offset = 0; q.descending = true
            #expect(try await stores.persons.search(q, in: .everything, by: .cli()).items.first?.name == "钱芳")
        }
    }

    @Test(arguments: TestEngine.all) func aSearchThatMatchesManyCountsOnlyToTheCap(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            for n in 1...5 {
                _ = try await stores.persons.create(PersonInput(name: "王\(["一", "二", "三", "四", "五"][n - 1])", idNumber: Fixture.idNumber(n), unit: Fixture.communityA1), in: .everything, by: .cli())
            }
            var q = try PersonQuery.parse { ["q": "王", "limit": "2", "sort": "name"][$0] }
            // Five match, the count stops at three: the page says 3+ and offers the next page, sorted and paged as ever.
            let first = try await stores.persons.search(q, in: .everything, by: .cli(), countCap: 3)
            #expect((first.total, first.totalExact, first.totalShown, first.hasMore) == (3, false, "3+", true))
            #expect(first.items.map(\.name) == ["王一", "王三"])
            q.offset = 4
            let last = try await stores.persons.search(q, in: .everything, by: .cli(), countCap: 3)
            #expect(last.items.map(\.name) == ["王四"] && !last.hasMore)
            // Under the cap the count is exact.
            let exact = try await stores.persons.search(q, in: .everything, by: .cli())
            #expect((exact.total, exact.totalExact, exact.totalShown) == (5, true, "5"))
            #expect(Page<Person>(items: [], total: 10_000, limit: 50, offset: 0, totalExact: false).totalShown == "10,000+")
        }
    }

    @Test func queryParametersAreCheckedWithTheirNames() {
        let bad = ["ageMin": "x", "ageMax": "200", "sex": "5", "sort": "height"]
        #expect { try PersonQuery.parse { bad[$0] } }
            throws: { isRenkouError($0, field: "/ageMin", code: "range") && isRenkouError($0, field: "/sort", code: "sort") }
        do { _ = try PersonQuery.parse { bad[$0] } } catch let e as RenkouError {
            #expect(Set(e.fields.map(\.pointer)) == ["/ageMin", "/ageMax", "/sex", "/sort"])
        } catch { Issue.record("\(error)") }
        let good = ["id": "110105491231002", "wra": "1", "limit": "20"]
        let q = try? PersonQuery.parse { good[$0] }
        #expect(q?.idNumber == "11010519491231002X" && q?.womenOfReproductiveAge == true && q?.limit == 20)
    }

    /// The name box goes through the gram table (migration 012): what it finds must follow every write
    /// to a name (create, correction, deletion, merge) and stay exact however long the text is.
    @Test(arguments: TestEngine.all) func nameSearchFollowsEveryWrite(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Self.people(stores)
            var input = PersonInput(name: "欧阳明华", idNumber: Fixture.idNumber(11, birth: "19850303"), unit: Fixture.communityA1)
            input.category = "registered"
            let ouyang = try await stores.persons.create(input, in: .everything, by: .cli())
            var latin = PersonInput(name: "Anna_Smith%", idNumber: Fixture.idNumber(12, birth: "19860404"), unit: Fixture.communityA1)
            latin.category = "registered"
            try await stores.persons.create(latin, in: .everything, by: .cli())

            #expect(try await names(stores) { $0.name = "欧" } == ["欧阳明华"])
            #expect(try await names(stores) { $0.name = "阳明" } == ["欧阳明华"])
            #expect(try await names(stores) { $0.name = "欧阳明华" } == ["欧阳明华"])
            // first and last pair present, but not as one run of characters: not a match
            #expect(try await names(stores) { $0.name = "欧阳华" } == [])
            #expect(try await names(stores) { $0.name = "明华丽" } == [])
            // Latin letters in either case; % and _ are characters, not wildcards
            #expect(try await names(stores) { $0.name = "smith" } == ["Anna_Smith%"])
            #expect(try await names(stores) { $0.name = "A_S" } == ["Anna_Smith%"])
            #expect(try await names(stores) { $0.name = "%" } == ["Anna_Smith%"])
            #expect(try await names(stores) { $0.name = "a%" } == [])

            // a correction: the old name is no longer found, the new one is
            var fix = PersonInput(); fix.name = "欧阳丽"
            try await stores.persons.update(ouyang.id, fix, in: .everything, by: .cli())
            #expect(try await names(stores) { $0.name = "明华" } == [])
            #expect(try await names(stores) { $0.name = "阳丽" } == ["欧阳丽"])
            #expect(try await names(stores) { $0.name = "丽" } == ["欧阳丽", "王丽"].sorted())
            // a deletion takes its name pieces with it
            try await stores.persons.delete(ouyang.id, in: .everything, by: .cli())
            #expect(try await names(stores) { $0.name = "丽" } == ["王丽"])
            let left = try await stores.db.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM person_name_grams WHERE person_id = \(bind: ouyang.id.text)").first()!.decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
            try await Self.expectGramsMatchNames(stores)
        }
    }

    /// The gram table holds exactly the pieces of the names in `persons`, whichever way they were written.
    static func expectGramsMatchNames(_ stores: Stores, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (names, grams) = try await stores.db.read { db in
            (try await db.raw("SELECT id, name FROM persons").all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) },
             try await db.raw("SELECT gram, person_id FROM person_name_grams").all().map { "\(try $0.decode(column: "person_id", as: String.self)) \(try $0.decode(column: "gram", as: String.self))" })
        }
        let expected = Set(names.flatMap { id, name in NameGrams.of(name).map { "\(id) \($0)" } })
        #expect(Set(grams) == expected, sourceLocation: sourceLocation)
        #expect(grams.count == expected.count, sourceLocation: sourceLocation)
    }
}
