import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct PersonMergeTests {
    @Test(arguments: TestEngine.all) func candidatesAndMergeKeepEverything(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let cli = Actor.cli()
            var a = PersonInput(name: "王芳", idNumber: Fixture.idNumber(2, birth: "19900101"), unit: Fixture.communityA1)
            a.maritalStatus = "20"
            let kept = try await stores.persons.create(a, in: .everything, by: cli)
            var b = PersonInput(name: "王芳", idNumber: Fixture.idNumber(4, birth: "19900101"), unit: Fixture.communityA1)
            b.phone = "13800000004"
            let dup = try await stores.persons.create(b, in: .everything, by: cli)
            let husband = try await stores.persons.create(PersonInput(name: "李强", idNumber: Fixture.idNumber(5, birth: "19880101"), unit: Fixture.communityA1), in: .everything, by: cli)
            _ = try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(6, birth: "19910101"), unit: Fixture.communityA1), in: .everything, by: cli)
            // the duplicate record married, had a child and belongs to a household
            try await stores.events.record(LifeEventInput(type: "marriage", person: dup.id.text, other: husband.id.text, day: "2015-05-01", source: "interview"), in: .everything, by: cli)
            var child = PersonInput(name: "李小宝", idNumber: Fixture.idNumber(7, birth: "20160606"), unit: Fixture.communityA1)
            child.birthDate = "2016-06-06"
            let h = try await stores.households.create(number: "M1", unitCode: Fixture.communityA1, address: nil, in: .everything, by: cli)
            try await stores.households.addMember(h.id, person: dup.id, relation: "02", on: Day(year: 2015, month: 5, day: 1)!, in: .everything, by: cli)
            try await stores.events.record(LifeEventInput(type: "birth", person: dup.id.text, day: "2016-06-06", source: "hospital", child: child), in: .everything, by: cli)

            // one pair: same name and birth date (the third 王芳 was born another day); none outside the area
            let pairs = try await stores.persons.duplicateCandidates(in: .everything, by: cli)
            #expect(pairs.count == 1 && pairs[0].reason == "name-birth")
            #expect(Set([pairs[0].left.id, pairs[0].right.id]) == [kept.id, dup.id])
            #expect(try await stores.persons.duplicateCandidates(in: Scope(path: "/310000/310114/310114002/"), by: cli).isEmpty)

            let merged = try await stores.persons.merge(keep: kept.id, drop: dup.id, in: .everything, by: cli)
            #expect(merged.phone == "13800000004" && merged.maritalStatus == "20" && merged.spouseID == husband.id)
            // the other record is gone; its events, children, spouse link and household now point to the kept one
            await #expect { try await stores.persons.read(dup.id, in: .everything, by: cli) }
                throws: { isRenkouError($0, code: "not-found") }
            let timeline = try await stores.events.timeline(of: kept.id, in: .everything)
            #expect(Set(timeline.map(\.type.rawValue)) == ["marriage", "birth"])
            let kid = try await stores.persons.search({ var q = PersonQuery(); q.name = "李小宝"; return q }(), in: .everything, by: cli).items[0]
            #expect(kid.motherID == kept.id)
            #expect(try await stores.persons.read(husband.id, in: .everything, by: cli).spouseID == kept.id)
            #expect(try await stores.households.detail(h.id, in: .everything, by: cli).head?.personID == kept.id)
            #expect(try await stores.persons.merged(into: kept.id, in: .everything).map(\.idNumber) == [dup.idNumber])
            #expect(try await stores.persons.merged(into: kept.id, in: Scope(path: "/310000/310114/310114002/")).isEmpty)
            let audit = try await stores.audit.search(AuditQuery(action: "merge"), in: .everything)
            #expect(audit.total == 2 && audit.items.contains { $0.entityID == dup.id.text && $0.before?.contains(dup.idNumber!) == true })
            #expect(try await stores.persons.duplicateCandidates(in: .everything, by: cli).isEmpty)
            // merging with itself, or with a record outside the area, is refused and changes nothing
            await #expect { try await stores.persons.merge(keep: kept.id, drop: kept.id, in: .everything, by: cli) }
                throws: { isRenkouError($0, field: "/drop", code: "same-record") }
            let other = try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(8, birth: "19900101"), unit: Fixture.communityB1), in: .everything, by: cli)
            await #expect { try await stores.persons.merge(keep: kept.id, drop: other.id, in: Scope(path: "/310000/310114/310114001/"), by: cli) }
                throws: { isRenkouError($0, code: "not-found") }
            #expect(try await stores.persons.count(in: .everything) == 5)
            try await PersonSearchTests.expectGramsMatchNames(stores)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
        }
    }
}
