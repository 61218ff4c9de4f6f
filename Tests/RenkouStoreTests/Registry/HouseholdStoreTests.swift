import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct HouseholdStoreTests {
    @Test(arguments: TestEngine.all) func membersRelationsAndHistory(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let father = try await stores.persons.create(PersonInput(name: "王建国", idNumber: Fixture.idNumber(1, birth: "19600101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let mother = try await stores.persons.create(PersonInput(name: "李秀英", idNumber: Fixture.idNumber(2, birth: "19620202"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let son = try await stores.persons.create(PersonInput(name: "王磊", idNumber: Fixture.idNumber(3, birth: "19900303"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let h = try await stores.households.create(number: "A0001", unitCode: Fixture.communityA1, address: "白银路 1 号", in: .everything, by: .cli())
            let day = Day(year: 2020, month: 1, day: 1)!
            try await stores.households.addMember(h.id, person: father.id, relation: "02", on: day, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: mother.id, relation: "10", on: day, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: son.id, relation: "20", on: day, in: .everything, by: .cli())
            // one head only; one current household per person; known relation codes only
            let secondHead = await #expect { try await stores.households.addMember(h.id, person: mother.id, relation: "02", on: day, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/person", code: "already-member") } as? RenkouError
            #expect(secondHead?.fields.first?.code == "already-member")
            let grandmother = try await stores.persons.create(PersonInput(name: "赵桂英", idNumber: Fixture.idNumber(4, birth: "19400404"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let head = await #expect { try await stores.households.addMember(h.id, person: grandmother.id, relation: "02", on: day, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/relation", code: "head-exists") } as? RenkouError
            #expect(head?.fields.first?.code == "head-exists")
            let other = try await stores.households.create(number: "A0002", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            let twice = await #expect { try await stores.households.addMember(other.id, person: son.id, relation: "02", on: day, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/person", code: "already-member") } as? RenkouError
            #expect(twice?.fields.first?.code == "already-member")
            await #expect { try await stores.households.addMember(other.id, person: son.id, relation: "77", on: day, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/relation", code: "code-unknown") }
            // the son leaves and heads his own household: history stays in the first
            let later = Day(year: 2024, month: 6, day: 1)!
            try await stores.households.removeMember(h.id, person: son.id, on: later, in: .everything, by: .cli())
            try await stores.households.addMember(other.id, person: son.id, relation: "02", on: later, in: .everything, by: .cli())
            let first = try await stores.households.detail(h.id, in: .everything, by: .cli())
            #expect(first.current.map(\.name) == ["王建国", "李秀英"])
            #expect(first.head?.name == "王建国")
            #expect(first.members.last?.name == "王磊" && first.members.last?.leftOn == "2024-06-01")
            #expect(try await stores.households.membership(of: son.id, in: .everything)?.number == "A0002")
            // outside the household's area the membership is not shown; reading the household is audited
            #expect(try await stores.households.membership(of: son.id, in: Scope(path: "/310000/310114/310114002/")) == nil)
            #expect(try await stores.audit.search(AuditQuery(entity: "household", entityID: h.id.text, action: "read"), in: .everything).total == 1)
            // a household number exists once
            await #expect { try await stores.households.create(number: "A0001", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/number", code: "number-taken") }
        }
    }

    @Test(arguments: TestEngine.all) func householdsFollowTheScope(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let h = try await stores.households.create(number: "B0001", unitCode: Fixture.communityB1, address: nil, in: .everything, by: .cli())
            let streetA = Scope(path: "/310000/310114/310114001/")
            await #expect { try await stores.households.detail(h.id, in: streetA, by: .cli()) }
                throws: { isRenkouError($0, code: "not-found") }
            #expect(try await stores.households.search(number: "B", in: streetA).total == 0)
            // a street cannot open a household in another street's community
            await #expect { try await stores.households.create(number: "B0002", unitCode: Fixture.communityB1, address: nil, in: streetA, by: .cli()) }
                throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") }
            // nor add someone from outside its scope
            let outsider = try await stores.persons.create(PersonInput(name: "外人", idNumber: Fixture.idNumber(9), unit: Fixture.communityB1), in: .everything, by: .cli())
            let mine = try await stores.households.create(number: "A0009", unitCode: Fixture.communityA1, address: nil, in: streetA, by: .cli())
            let refused = await #expect {
                try await stores.households.addMember(mine.id, person: outsider.id, relation: "02", on: Day(year: 2020, month: 1, day: 1)!, in: streetA, by: .cli())
            } throws: { isRenkouError($0, field: "/person", code: "unknown-person") } as? RenkouError
            #expect(refused?.fields.first?.code == "unknown-person")
        }
    }
}
