import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Services by informed choice, follow-up schedules and their one status rule, and visits that follow
/// the person.
@Suite struct ServiceStoreTests {
    static func woman(_ stores: Stores, _ name: String, _ n: Int, unit: String = Fixture.communityA1) async throws -> Person {
        // an ID number of a woman: the 17th digit even
        let first17 = "310114" + "19920304" + String(format: "%03d", (n * 2) % 1000)
        var input = PersonInput(name: name, idNumber: first17 + String(CitizenID.checkCharacter(first17)!), unit: unit)
        input.sex = "2"; input.maritalStatus = "20"; input.firstMarriageDate = "2015-05-01"; input.ethnicGroup = "01"; input.hukouType = "resident"
        return try await stores.persons.create(input, in: .everything, by: .cli())
    }

    static func insertion(_ woman: Person, on day: Day, explained: [String] = ["iud", "implant", "oral-pill", "condom", "emergency-pill"], mec: Int? = 1) -> ServiceInput {
        var s = ServiceInput()
        s.person = woman.id.text; s.kind = "iud-insertion"; s.date = day.description; s.facility = "街道服务站"
        s.informedChoice = InformedChoice(counselledOn: day.description, counsellor: "王医生", methodsExplained: explained, chosen: "iud", mec: mec)
        return s
    }

    @Test(arguments: TestEngine.all) func aMethodStartsOnlyWithInformedChoice(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "李丽", 1)
            let today = Day(stores.env.now())
            var bare = Self.insertion(w, on: today); bare.informedChoice = nil
            await #expect { try await stores.services.record(bare, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/informedChoice", code: "informed-choice-required") }
            await #expect { try await stores.services.record(Self.insertion(w, on: today, explained: ["iud", "condom"]), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/informedChoice/methodsExplained", code: "methods-explained") }
            await #expect { try await stores.services.record(Self.insertion(w, on: today, explained: ["implant", "oral-pill", "condom", "emergency-pill"]), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/informedChoice/chosen", code: "chosen-not-explained") }
            await #expect { try await stores.services.record(Self.insertion(w, on: today, mec: 3), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/informedChoice/mecReason", code: "mec-reason-required") }
            // nothing of the refused ones stays
            #expect(try await stores.services.of(w.id, in: .everything, by: .cli()).services.isEmpty)
            // a man gets no IUD
            let man = try await stores.persons.create(PersonInput(name: "王强", idNumber: Fixture.idNumber(3, birth: "19900101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            var forMan = Self.insertion(w, on: today); forMan.person = man.id.text
            await #expect { try await stores.services.record(forMan, in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/person", code: "not-female") }
            // with her informed choice: recorded, the IUD in use, the first visit scheduled at one month
            let s = try await stores.services.record(Self.insertion(w, on: today), in: .everything, by: .cli("provider"))
            #expect(s.method == .iud && s.informedChoice?.chosen == "iud" && s.informedChoice?.methodsExplained?.count == 5)
            let mine = try await stores.services.of(w.id, in: .everything, by: .cli())
            #expect(mine.methods.map(\.method) == [.iud] && mine.methods[0].stoppedOn == nil)
            #expect(mine.followUps.map(\.due) == [today.adding(days: 30).description])
            // the rate counts it
            let rate = try await stores.indicators.summary(["S01-informed-choice"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures[0]
            #expect(rate.numerator == 1 && rate.denominator == 1)
        }
    }

    @Test(arguments: TestEngine.all) func oneRuleGivesAVisitsStatusAndTheNextCountsFromTheVisit(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "张敏", 2)
            let today = Day(stores.env.now()), d = today.adding(days: -200)
            try await stores.services.record(Self.insertion(w, on: d), in: .everything, by: .cli())
            let first = try #require(try await stores.services.followUps(personID: w.id, on: today, in: .everything).first)
            // the first visit: due a month after, overdue a month later, missed after another
            #expect(first.due == d.adding(days: 30).description && first.overdueOn == d.adding(days: 60).description && first.expires == d.adding(days: 90).description)
            #expect([29, 30, 59, 60, 89, 90].map { first.status(on: d.adding(days: $0)) } == [.notYetDue, .due, .due, .overdue, .overdue, .expired])
            // the lists agree with the rule
            #expect(try await stores.services.followUps(unitCode: Fixture.communityA1, on: d.adding(days: 65), status: .overdue, in: .everything, by: .cli()).items.map(\.id) == [first.id])
            #expect(try await stores.services.followUps(unitCode: Fixture.communityA1, on: d.adding(days: 65), status: .due, in: .everything, by: .cli()).total == 0)
            // the list names people: each read is in the audit log
            #expect(try await stores.audit.search(AuditQuery(entity: "follow-ups", action: "read"), in: .everything).total == 2)
            // made late (day 40): the next counts two months from that day
            try await stores.services.recordVisit(first.id, on: d.adding(days: 40), findings: "normal", nextAction: nil, in: .everything, by: .cli("grid"))
            let second = try #require(try await stores.services.followUps(personID: w.id, on: today, in: .everything).first)
            #expect(second.step == 1 && second.due == Offset(months: 2).from(d.adding(days: 40)).description)
            await #expect { try await stores.services.recordVisit(first.id, on: today, findings: "normal", nextAction: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "visit-recorded") }
            await #expect { try await stores.services.recordVisit(second.id, on: today, findings: "fine", nextAction: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/findings", code: "code-unknown") }
            // the removal ends the IUD and its visits, and schedules its own
            var removal = ServiceInput(); removal.person = w.id.text; removal.kind = "iud-removal"; removal.date = today.description; removal.stopReason = "想生育"
            try await stores.services.record(removal, in: .everything, by: .cli())
            let after = try await stores.services.of(w.id, in: .everything, by: .cli())
            #expect(after.methods.first?.stoppedOn == today.description)
            #expect(after.followUps.first { $0.id == second.id }?.status(on: today) == .closed)
            #expect(try await stores.services.followUps(personID: w.id, on: today, in: .everything).map(\.schedule) == ["iud-removal"])
            // the follow-up rate: the first visit was made inside its window
            let rate = try await stores.indicators.summary(["S02-follow-up"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures[0]
            #expect(rate.numerator == 1 && rate.denominator == 1)
        }
    }

    @Test(arguments: TestEngine.all) func visitsFollowThePersonAndEndWithADeath(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "赵红", 4)
            let today = Day(stores.env.now())
            var injectable = ServiceInput(); injectable.person = w.id.text; injectable.kind = "method-start"; injectable.method = "injectable"
            injectable.date = today.adding(days: -80).description
            injectable.informedChoice = InformedChoice(counselledOn: injectable.date, methodsExplained: ["injectable", "iud", "condom", "emergency-pill"], mec: 2)
            try await stores.services.record(injectable, in: .everything, by: .cli())
            let visit = try #require(try await stores.services.followUps(personID: w.id, on: today, in: .everything).first)
            #expect(visit.due == today.adding(days: 4).description && visit.overdueOn == today.adding(days: 11).description && visit.status(on: today) == .due)
            // it is on the community's task list, naming her but not the method
            let task = try #require(try await stores.tasks.list(on: today, in: .everything, by: .cli()).first { $0.kind == .followUp })
            #expect(task.subject == "赵红" && task.note == nil && task.object?.id == visit.id)
            // she moves to another community: the visit goes with her, handed over
            try await stores.events.record(LifeEventInput(type: "move-within", person: w.id.text, day: today.description, unit: Fixture.communityA2), in: .everything, by: .cli())
            let moved = try await stores.services.followUp(visit.id, in: .everything)
            #expect(moved.unitCode == Fixture.communityA2 && moved.handedOverFrom == "白银路社区")
            #expect(try await stores.services.followUps(unitCode: Fixture.communityA1, on: today, status: nil, in: .everything, by: .cli()).total == 0)
            #expect(try await stores.services.followUps(unitCode: Fixture.communityA2, on: today, status: nil, in: .everything, by: .cli()).total == 1)
            // a death closes it and ends the method
            try await stores.events.record(LifeEventInput(type: "death", person: w.id.text, day: today.description), in: .everything, by: .cli())
            #expect(try await stores.services.followUp(visit.id, in: .everything).status(on: today) == .closed)
            #expect(try await stores.services.of(w.id, in: .everything, by: .cli()).methods.allSatisfy { $0.stoppedOn != nil })
        }
    }

    @Test(arguments: TestEngine.all) func aBirthSchedulesTheMothersAndTheChildsVisits(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let mother = try await Self.woman(stores, "钱芳", 5)
            let today = Day(stores.env.now()), born = today.adding(days: -10)
            let first17 = "310114" + born.description.replacingOccurrences(of: "-", with: "") + "551"
            let child = PersonInput(name: "钱宝", idNumber: first17 + String(CitizenID.checkCharacter(first17)!))
            let birth = try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: born.description, child: child), in: .everything, by: .cli())
            // the mother: a home visit within the week (now overdue), the 42-day check later
            let hers = try #require(try await stores.services.followUps(personID: mother.id, on: today, in: .everything).first)
            #expect(hers.schedule == "postpartum" && hers.due == born.adding(days: 3).description && hers.status(on: today) == .overdue)
            // the child: the newborn visit; made today, the next (满月) still counts from the birth, not from the visit
            let baby = try #require(try await stores.services.followUps(personID: birth.personID, on: today, in: .everything).first)
            #expect(baby.schedule == "child-health" && baby.anchor == born.description)
            try await stores.services.recordVisit(baby.id, on: today, findings: "normal", nextAction: nil, in: .everything, by: .cli())
            let next = try #require(try await stores.services.followUps(personID: birth.personID, on: today, in: .everything).first)
            #expect(next.step == 1 && next.due == born.adding(days: 28).description)
            try await stores.services.recordVisit(hers.id, on: today, findings: "normal", nextAction: nil, in: .everything, by: .cli())
            #expect(try await stores.services.followUps(personID: mother.id, on: today, in: .everything).first?.due == born.adding(days: 42).description)
        }
    }

    /// A record entered by mistake goes with its services and visits; one holding a certificate stays.
    @Test(arguments: TestEngine.all) func aDeletedRecordTakesItsServices(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "吴错", 7)
            try await stores.services.record(Self.insertion(w, on: Day(stores.env.now())), in: .everything, by: .cli())
            try await stores.persons.delete(w.id, in: .everything, by: .cli())
            let left = try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM follow_ups").first()!.decode(column: "n", as: Int.self) }
            #expect(left == 0)
            let holder = try await Self.woman(stores, "王证", 8)
            var c = CertificateInput(); c.person = holder.id.text; c.number = "外-1"; c.office = "外地"; c.issuedOn = "2021-03-01"
            try await stores.certificates.create(.registered, c, in: .everything, by: .cli())
            await #expect { try await stores.persons.delete(holder.id, in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "has-certificates") }
            #expect(try await stores.persons.read(holder.id, in: .everything, by: .cli()).name == "王证")
        }
    }
}
