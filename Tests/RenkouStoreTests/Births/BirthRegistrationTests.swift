import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Birth registration: the time limit in working days, the states, the public views, children
/// counted by the rules of the day and births judged by the policy of their date.
@Suite struct BirthRegistrationTests {
    static func id(_ birth: String, _ seq: String) -> String { let f = "310114" + birth + seq; return f + String(CitizenID.checkCharacter(f)!) }

    static func input(mother: String = id("19930415", "002"), father: String = id("19910210", "013"), expected: Day? = nil, born: Day? = nil) -> BirthRegistrationInput {
        var i = BirthRegistrationInput()
        i.unit = Fixture.communityA1; i.motherName = "林静"; i.motherIDNumber = mother; i.fatherName = "许强"; i.fatherIDNumber = father
        i.expectedOn = expected?.description
        if let born { i.childBornOn = born.description; i.childName = "许小"; i.childSex = "2" }
        i.pledge = true
        return i
    }

    /// 12 February 2026 (a Thursday), noon in Beijing.
    static func beforeSpringFestival() -> TestClock { TestClock(Date(timeIntervalSince1970: 1_770_868_800)) }

    @Test(arguments: TestEngine.all) func aTimeLimitCrossesTheSpringFestivalAndItsWorkingSaturdays(engine: TestEngine) async throws {
        let clock = Self.beforeSpringFestival()
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            #expect(Day(stores.env.now()).description == "2026-02-12")
            let r = try await stores.births.submit(Self.input(expected: Day("2026-07-01")), channel: .counter, in: .everything, by: .cli())
            // 7 working days: Fri 13, Sat 14 (调休上班), the holiday 15–23, then 24–27 and Sat 28 (调休上班)
            #expect(r.state == .accepted && r.submittedOn == "2026-02-12" && r.dueOn == "2026-02-28")
            // decided on Monday 2 March: late, and the rate says so
            clock.advance(18 * 86_400)
            let done = try await stores.births.decide(r.id, .register, note: nil, in: .everything, by: .cli())
            #expect(done.decidedOn == "2026-03-02" && done.voucherToken != nil)
            let rate = try await stores.indicators.summary(["B01-registration-on-time"], unitCode: Fixture.communityA1, on: Day("2026-12-31")!, in: .everything).unit.figures[0]
            #expect(rate.numerator == 0 && rate.denominator == 1)
        }
    }

    @Test(arguments: TestEngine.all) func aRegistrationMovesThroughItsStatesAndThePublicSeesItMasked(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let today = Day(stores.env.now())
            var bad = Self.input(); bad.fatherIDNumber = bad.motherIDNumber; bad.motherName = " "
            await #expect { try await stores.births.submit(bad, channel: .counter, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/motherName", code: "required") && isRenkouError($0, field: "/fatherIDNumber", code: "same-person")
                          && isRenkouError($0, field: "/expectedOn", code: "birth-or-expected") }
            var unpledged = Self.input(expected: today.adding(days: 100)); unpledged.pledge = false
            await #expect { try await stores.births.apply(unpledged) } throws: { isRenkouError($0, field: "/pledge", code: "pledge-required") }
            var nowhere = Self.input(expected: today.adding(days: 100)); nowhere.unit = Fixture.gridA1
            await #expect { try await stores.births.apply(nowhere) } throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") }
            #expect(try await stores.births.list(unitCode: nil, state: nil, in: .everything, by: .cli()).total == 0)
            // online: submitted, complete with the pledge, so its time limit runs from today; the public sees it masked
            let view = try await stores.births.apply(Self.input(expected: today.adding(days: 100)))
            #expect(view.state == .submitted && view.dueOn == Policy.shipped.calendar.adding(workingDays: 7, to: today).description && view.motherName == "林*" && view.motherIDNumber.hasPrefix("3101") && view.motherIDNumber.contains("****"))
            #expect(try await stores.births.publicStatus(number: view.number, idLast4: "0000") == nil)
            #expect(try await stores.births.publicStatus(number: view.number.lowercased(), idLast4: String(Self.id("19910210", "013").suffix(4))) == view)
            let r = try #require(try await stores.births.list(unitCode: Fixture.communityA1, state: .submitted, in: .everything, by: .cli()).items.first)
            // on the community's task list until it is decided
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).contains { $0.kind == .birthRegistration && $0.id == r.id })
            await #expect { try await stores.births.decide(r.id, .needsInformation, note: " ", in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/note", code: "required") }
            let back = try await stores.births.decide(r.id, .needsInformation, note: "请补充男方户口簿", in: .everything, by: .cli())
            // sent back, it keeps its day (an overdue one stays overdue); supplied, the limit starts again
            #expect(back.state == .needsInformation && back.dueOn == view.dueOn)
            #expect(try await stores.births.publicStatus(number: view.number, idLast4: String(Self.id("19930415", "002").suffix(4)))?.note == "请补充男方户口簿")
            await #expect { try await stores.births.decide(r.id, .register, note: nil, in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "state") }
            let accepted = try await stores.births.decide(r.id, .accept, note: nil, in: .everything, by: .cli())
            #expect(accepted.state == .accepted && accepted.dueOn != nil)
            let registered = try await stores.births.decide(r.id, .register, note: nil, in: .everything, by: .cli())
            let token = try #require(registered.voucherToken)
            #expect(try await stores.births.publicVoucher(token: token)?.state == .registered)
            #expect(try await stores.births.publicVoucher(token: token + "x") == nil)
            #expect(!(try await stores.tasks.list(on: today, in: .everything, by: .cli()).contains { $0.id == r.id }))
        }
    }

    @Test(arguments: TestEngine.all) func childrenAreCountedByTheRulesAndBirthsJudgedByThePolicyOfTheirDay(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let today = Day(stores.env.now())
            var m = PersonInput(name: "林静", idNumber: Self.id("19930415", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"
            let mother = try await stores.persons.create(m, in: .everything, by: .cli())
            // two children: the first died, the second lives
            for (i, born) in ["2017-03-01", "2019-06-01"].enumerated() {
                let child = PersonInput(name: "许\(i)", idNumber: Self.id(born.replacingOccurrences(of: "-", with: ""), "55\(i + 1)"))
                let e = try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: born, child: child), in: .everything, by: .cli())
                if i == 0 { try await stores.events.record(LifeEventInput(type: "death", person: e.personID.text, day: "2018-01-01"), in: .everything, by: .cli()) }
            }
            let r = try await stores.births.submit(Self.input(expected: today.adding(days: 20)), channel: .counter, in: .everything, by: .cli())
            #expect(r.motherID == mother.id && r.childrenBefore == 1 && r.childOrder == 2 && r.compliant)
            // the registered birth completes it
            let first17 = "310114" + today.adding(days: -1).description.replacingOccurrences(of: "-", with: "") + "562"
            let e = try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: today.adding(days: -1).description,
                                                                 child: PersonInput(name: "许三", idNumber: first17 + String(CitizenID.checkCharacter(first17)!))), in: .everything, by: .cli())
            #expect(try await stores.births.registration(r.id, in: .everything, by: .cli()).childID == e.personID)
            // births of a year judged by the policy of their day: a second child in 2015 was outside it, in 2017 within
            let births2015 = try await stores.indicators.summary(["B02-policy-compliant-births"], unitCode: Fixture.communityA1, on: Day("2017-12-31")!, in: .everything).unit.figures[0]
            #expect(births2015.denominator == 1 && births2015.numerator == 1)
            var m2 = PersonInput(name: "周芳", idNumber: Self.id("19850101", "022"), unit: Fixture.communityA1); m2.sex = "2"; m2.maritalStatus = "20"
            let earlier = try await stores.persons.create(m2, in: .everything, by: .cli())
            for (born, seq) in [("2012-05-01", "571"), ("2015-06-01", "573")] {
                try await stores.events.record(LifeEventInput(type: "birth", person: earlier.id.text, day: born,
                                                              child: PersonInput(name: "周\(seq)", idNumber: Self.id(born.replacingOccurrences(of: "-", with: ""), seq))), in: .everything, by: .cli())
            }
            let y2015 = try await stores.indicators.summary(["B02-policy-compliant-births"], unitCode: Fixture.communityA1, on: Day("2015-12-31")!, in: .everything).unit.figures[0]
            #expect(y2015.denominator == 1 && y2015.numerator == 0)
            // that second child had its approval (再生育审批) then: entered now, the birth counts as within policy
            var legacy = Self.input(mother: Self.id("19850101", "022"), born: Day("2015-06-01")!)
            legacy.motherName = "周芳"; legacy.approvalNumber = "某计生审〔2014〕8号"; legacy.approvedOn = "2014-10-01"
            let approved = try await stores.births.submit(legacy, channel: .counter, in: .everything, by: .cli())
            #expect(approved.childOrder == 2 && approved.compliant && approved.approvalNumber == "某计生审〔2014〕8号" && approved.childID != nil)
            let y2015Approved = try await stores.indicators.summary(["B02-policy-compliant-births"], unitCode: Fixture.communityA1, on: Day("2015-12-31")!, in: .everything).unit.figures[0]
            #expect(y2015Approved.denominator == 1 && y2015Approved.numerator == 1)
            // an approval where none was needed, or dated after approvals ended, is refused
            var needless = Self.input(mother: Self.id("19850101", "022"), born: Day("2012-05-01")!)
            needless.approvalNumber = "X"; needless.approvedOn = "2012-01-01"
            await #expect { try await stores.births.submit(needless, channel: .counter, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/approvalNumber", code: "approval-not-needed") }
            legacy.approvedOn = "2022-01-01"
            await #expect { try await stores.births.submit(legacy, channel: .counter, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/approvedOn", code: "approval-abolished") }
            // the sex ratio at birth: boys per hundred girls
            let ratio = try await stores.indicators.summary(["B03-sex-ratio-at-birth"], unitCode: Fixture.communityA1, on: Day("2017-12-31")!, in: .everything).unit.figures[0]
            #expect(ratio.numerator + ratio.denominator == 1)
        }
    }
}
