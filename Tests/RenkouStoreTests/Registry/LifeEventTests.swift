import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct LifeEventTests {
    func person(_ stores: Stores, _ name: String, _ n: Int, _ birth: String, unit: String = Fixture.communityA1) async throws -> Person {
        try await stores.persons.create(PersonInput(name: name, idNumber: Fixture.idNumber(n, birth: birth), unit: unit), in: .everything, by: .cli())
    }

    /// The life events in the domain log (registrations by hand are logged too, counted apart).
    func domainEventCount(_ stores: Stores, registrations: Bool = false) async throws -> Int {
        try await stores.db.read {
            try await $0.raw("SELECT COUNT(*) AS n FROM domain_events WHERE (type = 'person-registered') = \(bind: registrations)").first()!.decode(column: "n", as: Int.self)
        }
    }

    @Test(arguments: TestEngine.all) func marriageThenBirthsUpdateEveryoneConcerned(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let husband = try await person(stores, "王建国", 1, "19900101")
            let wife = try await person(stores, "李秀英", 2, "19920202")
            let h = try await stores.households.create(number: "A1", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: husband.id, relation: "02", on: Day(year: 2018, month: 1, day: 1)!, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: wife.id, relation: "10", on: Day(year: 2018, month: 1, day: 1)!, in: .everything, by: .cli())
            // marriage: both married, first-marriage date, linked to each other
            try await stores.events.record(LifeEventInput(type: "marriage", person: husband.id.text, other: wife.id.text, day: "2018-05-01", source: "civil-affairs"), in: .everything, by: .cli("worker"))
            let w = try await stores.persons.read(wife.id, in: .everything, by: .cli())
            #expect(w.spouseID == husband.id && w.maritalStatus == "21" && w.firstMarriageDate == "2018-05-01")
            #expect(try await stores.persons.read(husband.id, in: .everything, by: .cli()).spouseID == wife.id)
            // each spouse's change has its own audit row keeping the values before it
            let wifeUpdate = try #require(try await stores.audit.search(AuditQuery(entityID: wife.id.text, action: "update"), in: .everything).items.first)
            #expect(wifeUpdate.username == "worker" && wifeUpdate.before?.contains("\"maritalStatus\"") == false && wifeUpdate.after?.contains("\"maritalStatus\":\"21\"") == true)
            #expect(try await stores.audit.search(AuditQuery(entityID: husband.id.text, action: "update"), in: .everything).total == 1)
            // a second marriage while married is refused
            let third = try await person(stores, "赵某", 5, "19900505")
            let refused = await #expect {
                try await stores.events.record(LifeEventInput(type: "marriage", person: third.id.text, other: wife.id.text, day: "2019-01-01"), in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/other", code: "already-married") } as? RenkouError
            #expect(refused?.fields.first?.code == "already-married")
            // two births: the children are linked, ordered, and join the household as son and daughter
            var boy = PersonInput(name: "王小明", idNumber: Fixture.idNumber(11, birth: "20190310"))
            boy.unit = nil
            let first = try await stores.events.record(LifeEventInput(type: "birth", person: wife.id.text, other: husband.id.text, day: "2019-03-10", source: "hospital", child: boy), in: .everything, by: .cli())
            let girl = PersonInput(name: "王小红", idNumber: Fixture.idNumber(12, birth: "20210704"))
            try await stores.events.record(LifeEventInput(type: "birth", person: wife.id.text, other: husband.id.text, day: "2021-07-04", child: girl), in: .everything, by: .cli())
            let son = try await stores.persons.read(first.personID, in: .everything, by: .cli())
            #expect(son.motherID == wife.id && son.fatherID == husband.id && son.birthOrder == 1 && son.sex == "1" && son.unitCode == Fixture.communityA1)
            let detail = try await stores.households.detail(h.id, in: .everything, by: .cli())
            #expect(detail.current.map(\.relation).sorted() == ["02", "10", "20", "30"])
            let daughter = try #require(detail.current.first { $0.relation == "30" })
            #expect(try await stores.persons.read(daughter.personID, in: .everything, by: .cli()).birthOrder == 2)
            // a birth whose ID number says another day is refused, and nothing of it stays
            let before = try await stores.persons.count(in: .everything)
            let wrongDay = await #expect {
                try await stores.events.record(LifeEventInput(type: "birth", person: wife.id.text, day: "2023-01-01", child: PersonInput(name: "王错", idNumber: Fixture.idNumber(13, birth: "20221231"))), in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/child/idNumber", code: "birth-date") } as? RenkouError
            #expect(wrongDay?.fields.first?.pointer == "/child/idNumber")
            #expect(try await stores.persons.count(in: .everything) == before)
            // the mother's timeline shows her marriage and both births; every event went to the domain log
            let timeline = try await stores.events.timeline(of: wife.id, in: .everything)
            #expect(timeline.map(\.type) == [.marriage, .birth, .birth])
            #expect(try await domainEventCount(stores) == 3)
            // the three people registered by hand (not the children, who came with their births)
            #expect(try await domainEventCount(stores, registrations: true) == 3)
            try await PersonSearchTests.expectGramsMatchNames(stores)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
        }
    }

    @Test(arguments: TestEngine.all) func deathDivorceMovesAndRevocation(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let a = try await person(stores, "周伟", 1, "19500101")
            let b = try await person(stores, "吴芳", 2, "19520202")
            let h = try await stores.households.create(number: "A2", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            try await stores.households.addMember(h.id, person: a.id, relation: "02", on: Day(year: 2000, month: 1, day: 1)!, in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "marriage", person: a.id.text, other: b.id.text, day: "1975-05-01"), in: .everything, by: .cli())
            // death: deceased, out of the household on that day, the spouse widowed
            try await stores.events.record(LifeEventInput(type: "death", person: a.id.text, day: "2025-01-02", source: "police"), in: .everything, by: .cli())
            #expect(try await stores.persons.read(a.id, in: .everything, by: .cli()).status == "deceased")
            #expect(try await stores.persons.read(b.id, in: .everything, by: .cli()).maritalStatus == "30")
            #expect(try await stores.households.detail(h.id, in: .everything, by: .cli()).members.first?.leftOn == "2025-01-02")
            // a death recorded by one street does not change a spouse who lives in another
            let deceased = try await person(stores, "钱明", 21, "19600101")
            let widowElsewhere = try await person(stores, "孙丽", 22, "19620101", unit: Fixture.communityB1)
            try await stores.events.record(LifeEventInput(type: "marriage", person: deceased.id.text, other: widowElsewhere.id.text, day: "1990-05-01"), in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "death", person: deceased.id.text, day: "2025-03-01"), in: Scope(path: "/310000/310114/310114001/"), by: .cli())
            #expect(try await stores.persons.read(widowElsewhere.id, in: .everything, by: .cli()).maritalStatus == "21")
            // a move within the district carries the record into the other street's scope
            let c = try await person(stores, "郑强", 3, "19800303")
            try await stores.events.record(LifeEventInput(type: "move-within", person: c.id.text, day: "2024-01-01", unit: Fixture.communityB1), in: .everything, by: .cli())
            await #expect { try await stores.persons.read(c.id, in: Scope(path: "/310000/310114/310114001/"), by: .cli()) }
                throws: { isRenkouError($0, code: "not-found") }
            #expect(try await stores.persons.read(c.id, in: Scope(path: "/310000/310114/310114002/"), by: .cli()).unitCode == Fixture.communityB1)
            // move out
            let d = try await person(stores, "冯洁", 4, "19950404")
            let out = try await stores.events.record(LifeEventInput(type: "move-out", person: d.id.text, day: "2024-05-05", place: "江苏省苏州市"), in: .everything, by: .cli())
            #expect(try await stores.persons.read(d.id, in: .everything, by: .cli()).status == "moved-away")
            // revoking needs a reason, keeps the event, and is logged
            await #expect { try await stores.events.revoke(out.id, reason: " ", in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/reason", code: "required") }
            try await stores.events.revoke(out.id, reason: "误录", in: .everything, by: .cli("admin"))
            let events = try await stores.events.timeline(of: d.id, in: .everything)
            #expect(events.count == 1 && events[0].revokeReason == "误录" && events[0].revokedBy == "admin")
            await #expect { try await stores.events.revoke(out.id, reason: "again", in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "already-revoked") }
            // events outside the scope cannot be revoked
            let e2 = try await stores.events.record(LifeEventInput(type: "move-in", person: c.id.text, day: "2024-02-01", place: "浙江"), in: .everything, by: .cli())
            await #expect { try await stores.events.revoke(e2.id, reason: "x", in: Scope(path: "/310000/310114/310114001/"), by: .cli()) }
                throws: { isRenkouError($0, code: "not-found") }
            // the domain log cannot be edited: the database's own append-only trigger refuses it (no RenkouError,
            // so no code of ours; both engines' triggers raise "<table> is append-only")
            await #expect { try await stores.db.write { try await $0.raw("DELETE FROM domain_events").run() } }
                throws: { isDatabaseError($0, mentioning: "domain_events is append-only") }
            // two marriages, two deaths, move within (and the record's person-moved), move out, revocation, move in
            #expect(try await domainEventCount(stores) == 9)
        }
    }
}
