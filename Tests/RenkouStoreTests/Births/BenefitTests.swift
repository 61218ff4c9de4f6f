import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// The benefit cycle: drawn with facts and exclusions, reviewed, posted, objected to line by line,
/// approved after the posting period, paid with control totals and reconciled with the bank.
@Suite struct BenefitTests {
    @Test func childcareMonthsFollowTheNationalExample() {
        // born December 2023: 24 months, 12 in 2025 and 12 in 2026 (7,200 yuan)
        func months(_ born: String, _ year: Int) -> Int { childcareMonths(born: Day(born)!, year: year, policy: .shipped).count }
        #expect([2024, 2025, 2026, 2027].map { months("2023-12-05", $0) } == [0, 12, 12, 0])
        // born March 2025: April 2025 to March 2028, 36 months
        #expect([2025, 2026, 2027, 2028].map { months("2025-03-10", $0) } == [9, 12, 12, 3])
        // born January 2022: its third birthday month, January 2025, is the one month left
        #expect(months("2022-01-15", 2025) == 1)
        #expect(months("2021-12-31", 2025) == 0)
    }

    static func id(_ birth: String, _ seq: String) -> String { let f = "310114" + birth + seq; return f + String(CitizenID.checkCharacter(f)!) }

    @Test(arguments: TestEngine.all) func aChildcareYearGoesFromTheRegistryToTheBank(engine: TestEngine) async throws {
        // 10 March 2026, noon in Beijing
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_115_200))
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            #expect(Day(stores.env.now()).description == "2026-03-10")
            var m = PersonInput(name: "林静", idNumber: Self.id("19930415", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"; m.hukouRegion = "310114"
            let mother = try await stores.persons.create(m, in: .everything, by: .cli())
            var kids: [UUID] = []
            for (born, seq, hukou) in [("2023-12-05", "551", "310114"), ("2024-06-01", "562", "310114"), ("2025-02-01", "573", "420117")] {
                var child = PersonInput(name: "许\(seq)", idNumber: Self.id(born.replacingOccurrences(of: "-", with: ""), seq)); child.hukouRegion = hukou
                kids.append(try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: born, child: child), in: .everything, by: .cli()).personID)
            }
            // the registry's children are drawn without anyone typing them in; the one with a hukou elsewhere is excluded with the reason
            // read a person at a time, the pages add up to the same list
            let run = try await BenefitStore.$pageSize.withValue(1) {
                try await stores.benefits.draw(.childcareSubsidy, year: 2025, unitCode: Fixture.streetA, in: .everything, by: .cli())
            }
            #expect(run.eligible == 2 && run.excluded == 1 && run.amount == 3600 + 3600)
            await #expect { try await stores.benefits.draw(.childcareSubsidy, year: 2025, unitCode: Fixture.streetA, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "run-exists") }
            // a community of the street cannot have its own list of the year: the same children would be paid twice
            await #expect { try await stores.benefits.draw(.childcareSubsidy, year: 2025, unitCode: Fixture.communityA1, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "run-overlap") }
            let lines = try await stores.benefits.lines(run.id, in: .everything, by: .cli())
            let december = try #require(lines.first { $0.personID == kids[0] })
            #expect(december.facts.contains("出生 2023-12-05") && december.facts.contains("12 个月") && december.amount == 3600)
            #expect(lines.first { $0.personID == kids[2] }?.facts.contains("户籍不在本地") == true)
            // posted: nothing is edited any more, and the public board masks names and numbers
            _ = try await stores.benefits.post(run.id, in: .everything, by: .cli())
            await #expect { try await stores.benefits.review(december.id, remove: "重复", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "run-state") }
            let board = try #require(try await stores.benefits.board().first)
            #expect(board.lines.count == 2 && board.lines.allSatisfy { !$0.name.hasPrefix("许5") && $0.idNumber.contains("****") })
            // an objection from the board holds exactly that line
            try await stores.benefits.publicObjection(run: run.id, number: december.number, text: "孩子已随父母迁往外省")
            #expect(try await stores.benefits.lines(run.id, in: .everything, by: .cli()).filter(\.held).map(\.id) == [december.id])
            // approval waits for the end of the posting period
            await #expect { try await stores.benefits.approve(run.id, in: .everything, by: .cli("district")) } throws: { isRenkouError($0, code: "posting-period") }
            clock.advance(8 * 86_400)
            // whoever drew the list does not approve it
            await #expect { try await stores.benefits.approve(run.id, in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "four-eyes") }
            _ = try await stores.benefits.approve(run.id, in: .everything, by: .cli("district"))
            // after approval a change is a correction entry with its reason, never an edit
            let other0 = try #require(lines.first { $0.personID == kids[1] })
            await #expect { try await stores.benefits.correct(other0.id, amount: 3300, reason: " ", in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/reason", code: "required") }
            #expect(try await stores.benefits.correct(other0.id, amount: 3600, reason: "核对出生日期后确认", in: .everything, by: .cli()).amount == 3600)
            let accuracy = try await stores.indicators.summary(["B04-benefit-accuracy"], unitCode: Fixture.streetA, on: Day("2025-12-31")!, in: .everything).unit.figures[0]
            #expect(accuracy.numerator == 1 && accuracy.denominator == 2)
            // the bank file leaves the held line out; its control row adds up
            let file = try await stores.benefits.paymentFile(run.id, in: .everything, by: .cli())
            #expect(file.lines == 1 && file.people == 1 && file.amount == 3600 && file.csv.hasSuffix("合计,1,1,3600\n") && !file.csv.contains(december.idNumber))
            // the objection dismissed: the line is released and goes in the next file
            let objection = try #require(try await stores.benefits.objections(run.id, in: .everything).first)
            _ = try await stores.benefits.resolve(objection.id, upheld: false, resolution: "核实：户口仍在本地", in: .everything, by: .cli())
            let second = try await stores.benefits.paymentFile(run.id, in: .everything, by: .cli())
            #expect(second.lines == 1 && second.csv.contains(december.idNumber))
            await #expect { try await stores.benefits.correct(december.id, amount: 0, reason: "x", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "sent") }
            // the return file: one paid, one returned, one row that matches nothing
            let other = try #require(lines.first { $0.personID == kids[1] })
            // a word the bank's file uses that is neither paid nor returned is not guessed at
            let unsure = try await stores.benefits.reconcile(run.id, returnFile: "\(december.number),\(december.idNumber),3600,处理中,\n", in: .everything, by: .cli())
            #expect(unsure.paid == 0 && unsure.unmatched == [1] && unsure.waiting == 2)
            let back = "行号,公民身份号码,金额,结果,原因\n\(december.number),\(december.idNumber),3600,成功,\n\(other.number),\(other.idNumber),3600,退回,账户已销户\n77,110101190001011234,3600,成功,\n"
            let r = try await stores.benefits.reconcile(run.id, returnFile: back, in: .everything, by: .cli())
            #expect(r.paid == 1 && r.returned == 1 && r.unmatched == [4] && r.waiting == 0)
            // the first batch downloads again, unchanged
            #expect(try await stores.benefits.paymentFile(run.id, batch: 1, in: .everything, by: .cli()).csv == file.csv)
            #expect(try await stores.benefits.run(run.id, in: .everything).state == .reconciled)
            // the returned line comes back in the next year's run
            let next = try await stores.benefits.draw(.childcareSubsidy, year: 2026, unitCode: Fixture.streetA, in: .everything, by: .cli())
            let again = try await stores.benefits.lines(next.id, in: .everything, by: .cli())
            #expect(again.contains { $0.personID == kids[1] && $0.facts.hasPrefix("补发 2025 年") && $0.amount == 3600 })
            // the year's childcare coverage: one of the two eligible children paid (the other was returned, and reissued in 2026)
            let coverage = try await stores.indicators.summary(["B06-childcare-subsidy-paid"], unitCode: Fixture.streetA, on: Day("2025-12-31")!, in: .everything).unit.figures[0]
            #expect(coverage.numerator == 1 && coverage.denominator == 2)
            // a death recorded before the 2026 list is paid holds that child's line, as an objection from the registry would
            _ = try await stores.benefits.post(next.id, in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "death", person: kids[0].text, day: Day(stores.env.now()).description), in: .everything, by: .cli())
            let held = try await stores.benefits.lines(next.id, in: .everything, by: .cli()).filter(\.held)
            #expect(held.map(\.personID) == [kids[0]])
            #expect(try await stores.benefits.objections(next.id, in: .everything).contains { $0.source == "registry" && $0.text.hasPrefix("登记为死亡") })
            // and only once: the year after does not pay it again
            let later = try await stores.benefits.draw(.childcareSubsidy, year: 2027, unitCode: Fixture.streetA, in: .everything, by: .cli())
            #expect(!(try await stores.benefits.lines(later.id, in: .everything, by: .cli()).contains { $0.facts.hasPrefix("补发") }))
        }
    }

    @Test(arguments: TestEngine.all) func aChildBornInTheYearIsInNextQuartersListAndPaymentsAreTimed(engine: TestEngine) async throws {
        // 10 March 2026
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_115_200))
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            var m = PersonInput(name: "林静", idNumber: Self.id("19930415", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"; m.hukouRegion = "310114"
            let mother = try await stores.persons.create(m, in: .everything, by: .cli())
            func birth(_ day: String, _ seq: String) async throws -> UUID {
                var child = PersonInput(name: "许\(seq)", idNumber: Self.id(day.replacingOccurrences(of: "-", with: ""), seq)); child.hukouRegion = "310114"
                return try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: day, child: child), in: .everything, by: .cli()).personID
            }
            let first = try await birth("2024-02-01", "551"), second = try await birth("2025-06-01", "562")
            let main = try await stores.benefits.draw(.childcareSubsidy, year: 2026, unitCode: Fixture.streetA, in: .everything, by: .cli())
            #expect(main.quarter == 0 && main.eligible == 2)
            // lines are numbered from 1, in order
            #expect(try await stores.benefits.lines(main.id, in: .everything, by: .cli()).map(\.number) == [1, 2])
            // a child born in May shows up in the third quarter's supplementary list, alone: nobody is listed twice
            clock.advance(120 * 86_400)
            let third = try await birth("2026-05-10", "573")
            let supplement = try await stores.benefits.draw(.childcareSubsidy, year: 2026, quarter: 3, unitCode: Fixture.streetA, in: .everything, by: .cli())
            let added = try await stores.benefits.lines(supplement.id, in: .everything, by: .cli())
            #expect(supplement.quarter == 3 && added.map(\.personID) == [third] && added[0].eligible && added[0].amount == 7 * 300)
            #expect(supplement.title.zh == "2026 年第 3 季度增补")
            await #expect { try await stores.benefits.draw(.childcareSubsidy, year: 2026, quarter: 3, unitCode: Fixture.streetA, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "run-exists") }
            await #expect { try await stores.benefits.draw(.childcareSubsidy, year: 2026, quarter: 3, unitCode: Fixture.communityA1, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "run-overlap") }
            await #expect { try await stores.benefits.draw(.rewardAssistance, year: 2026, quarter: 2, unitCode: Fixture.streetA, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/quarter", code: "quarter-programme") }
            await #expect { try await stores.benefits.draw(.childcareSubsidy, year: 2026, quarter: 5, unitCode: Fixture.streetA, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/quarter", code: "range") }
            // the main list approved: its money is due 30 working days later; one line paid in time, one late
            _ = try await stores.benefits.post(main.id, in: .everything, by: .cli())
            clock.advance(8 * 86_400)
            let approved = try await stores.benefits.approve(main.id, in: .everything, by: .cli("district"))
            let approvedOn = try #require(approved.approvedOn.flatMap(Day.init)), payBy = try #require(approved.payBy.flatMap(Day.init))
            #expect(payBy == stores.env.policy.calendar.adding(workingDays: 30, to: approvedOn))
            let file = try await stores.benefits.paymentFile(main.id, in: .everything, by: .cli())
            #expect(file.lines == 2)
            clock.advance(90 * 86_400)
            let lines = try await stores.benefits.lines(main.id, in: .everything, by: .cli())
            let onTime = try #require(lines.first { $0.personID == first }), late = try #require(lines.first { $0.personID == second })
            let back = "行号,公民身份号码,金额,结果,原因,到账日期\n\(onTime.number),\(onTime.idNumber),\(onTime.amount),成功,,\(approvedOn.adding(days: 5))\n\(late.number),\(late.idNumber),\(late.amount),成功,,\(payBy.adding(days: 10))\n"
            #expect(try await stores.benefits.reconcile(main.id, returnFile: back, in: .everything, by: .cli()).paid == 2)
            let paid = try await stores.benefits.lines(main.id, in: .everything, by: .cli())
            #expect(paid.first { $0.personID == first }?.paidOn == approvedOn.adding(days: 5).description)
            let b05 = try await stores.indicators.summary(["B05-payment-on-time"], unitCode: Fixture.streetA, on: Day("2026-12-31")!, in: .everything).unit.figures[0]
            #expect(b05.numerator == 1 && b05.denominator == 2)
        }
    }

    @Test(arguments: TestEngine.all) func theRuralRewardAndSpecialAssistanceReadTheFamily(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let year = Day(stores.env.now()).year
            // a rural mother of one daughter born 1990, aged 62; another of a son and a daughter
            func parent(_ name: String, _ born: String, _ seq: String, children: [(String, String)], diedChild: Bool = false) async throws -> Person {
                var p = PersonInput(name: name, idNumber: Self.id(born, seq), unit: Fixture.communityA1); p.sex = "2"; p.maritalStatus = "20"; p.hukouType = "agricultural"
                let person = try await stores.persons.create(p, in: .everything, by: .cli())
                for (day, s) in children {
                    let e = try await stores.events.record(LifeEventInput(type: "birth", person: person.id.text, day: day, child: PersonInput(name: name + "子", idNumber: Self.id(day.replacingOccurrences(of: "-", with: ""), s))), in: .everything, by: .cli())
                    if diedChild { try await stores.events.record(LifeEventInput(type: "death", person: e.personID.text, day: "2020-01-01"), in: .everything, by: .cli()) }
                }
                return person
            }
            let one = try await parent("甲妈", "19640101", "002", children: [("1990-05-01", "002")])
            let two = try await parent("乙妈", "19620101", "004", children: [("1988-05-01", "011"), ("1991-05-01", "002")])
            let lost = try await parent("丙妈", "19700101", "006", children: [("1995-05-01", "013")], diedChild: true)
            let reward = try await stores.benefits.lines(try await stores.benefits.draw(.rewardAssistance, year: year, unitCode: Fixture.communityA1, in: .everything, by: .cli()).id, in: .everything, by: .cli())
            #expect(reward.first { $0.personID == one.id }.map { $0.eligible && $0.amount == 960 } == true)
            #expect(reward.first { $0.personID == two.id }?.facts.contains("非独生子女或两女家庭") == true)
            let special = try await stores.benefits.lines(try await stores.benefits.draw(.specialAssistance, year: year, unitCode: Fixture.communityA1, in: .everything, by: .cli()).id, in: .everything, by: .cli())
            #expect(special.first { $0.personID == lost.id }.map { $0.eligible && $0.amount == 590 * 12 } == true)
            // a family listed as caring for its disabled only child: the disabled rate (460 a month since 2022-07)
            try await Fixture.account(stores, "cworker", .community, Fixture.communityA1)
            _ = try await stores.families.add(person: one.id, situation: "child-disabled", communityContact: "cworker", associationContact: "协会 张", associationPhone: nil,
                                              in: .everything, by: .cli())
            let special2 = try await stores.benefits.lines(try await stores.benefits.draw(.specialAssistance, year: year - 1, unitCode: Fixture.communityA1, in: .everything, by: .cli()).id, in: .everything, by: .cli())
            #expect(special2.first { $0.personID == one.id }.map { $0.eligible && $0.amount == 460 * 12 && $0.facts.contains("伤残") } == true)
            // listed under the husband: his wife, the child's mother, is found through him (by index, not a scan of the registry)
            var husband = PersonInput(name: "庚爸", idNumber: Self.id("19590707", "031"), unit: Fixture.communityA1); husband.sex = "1"
            let he = try await stores.persons.create(husband, in: .everything, by: .cli())
            var wifeInput = PersonInput(name: "庚妈", idNumber: Self.id("19610606", "022"), unit: Fixture.communityA1); wifeInput.sex = "2"
            let she = try await stores.persons.create(wifeInput, in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "marriage", person: he.id.text, other: she.id.text, day: "1985-01-01"), in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "birth", person: she.id.text, other: he.id.text, day: "1987-03-03",
                                                          child: PersonInput(name: "庚一", idNumber: Self.id("19870303", "015"))), in: .everything, by: .cli())
            _ = try await stores.families.add(person: he.id, situation: "child-disabled", communityContact: "cworker", associationContact: "协会 张", associationPhone: nil,
                                              in: .everything, by: .cli())
            let special3 = try await stores.benefits.lines(try await stores.benefits.draw(.specialAssistance, year: year - 2, unitCode: Fixture.communityA1, in: .everything, by: .cli()).id, in: .everything, by: .cli())
            #expect(special3.first { $0.personID == she.id }.map { $0.eligible && $0.facts.contains("伤残") } == true)
            #expect(special3.first { $0.personID == he.id }.map { $0.eligible } == true)
            // one-child parents' reward: an urban parent of one child of the one-child years, by the region's rule (960 a year by default)
            var urban = PersonInput(name: "丁爸", idNumber: Self.id("19600303", "011"), unit: Fixture.communityA1); urban.hukouType = "non-agricultural"
            let dad = try await stores.persons.create(urban, in: .everything, by: .cli())
            var wife = PersonInput(name: "丁妈", idNumber: Self.id("19620404", "002"), unit: Fixture.communityA1); wife.sex = "2"; wife.hukouType = "non-agricultural"
            let mum = try await stores.persons.create(wife, in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "marriage", person: dad.id.text, other: mum.id.text, day: "1984-01-01"), in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "birth", person: mum.id.text, other: dad.id.text, day: "1986-02-02",
                                                          child: PersonInput(name: "丁一", idNumber: Self.id("19860202", "013"))), in: .everything, by: .cli())
            let onlyChild = try await stores.benefits.lines(try await stores.benefits.draw(.onlyChildParents, year: year, unitCode: Fixture.communityA1, in: .everything, by: .cli()).id, in: .everything, by: .cli())
            #expect(onlyChild.first { $0.personID == dad.id }.map { $0.eligible && $0.amount == 960 } == true)
            #expect(onlyChild.first { $0.personID == mum.id }.map { $0.eligible && $0.amount == 960 } == true)
            // the rural mother of two is left to the reward assistance, not listed here
            #expect(!onlyChild.contains { $0.personID == two.id })
        }
    }

    @Test(arguments: TestEngine.all) func aOneOffOnlyChildRewardIsPaidOnce(engine: TestEngine) async throws {
        let once = try Policy.shipped.overriding(with: Data(#"{"rules": [{"key": "births.only-child-reward", "from": "2015-01-01", "value": {"form": "once", "amount": 3600, "fromAge": 60, "childBornFrom": "1980-09-25", "childBornTo": "2015-12-31", "urbanOnly": true}, "source": "test"}]}"#.utf8), file: "once.json")
        try await withTestStores(engine, policy: once) { stores in
            try await Fixture.tree(stores)
            let year = Day(stores.env.now()).year
            var p = PersonInput(name: "戊妈", idNumber: Self.id("19580505", "002"), unit: Fixture.communityA1); p.sex = "2"; p.hukouType = "non-agricultural"
            let mum = try await stores.persons.create(p, in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "birth", person: mum.id.text, day: "1988-08-08", child: PersonInput(name: "戊一", idNumber: Self.id("19880808", "013"))), in: .everything, by: .cli())
            let first = try await stores.benefits.draw(.onlyChildParents, year: year - 1, unitCode: Fixture.streetA, in: .everything, by: .cli())
            #expect(first.eligible == 1 && first.amount == 3600)
            _ = try await stores.benefits.post(first.id, in: .everything, by: .cli())
            try await stores.db.transaction { try await $0.raw("UPDATE benefit_runs SET posting_until = '2000-01-01' WHERE id = \(bind: first.id.text)").run() }
            _ = try await stores.benefits.approve(first.id, in: .everything, by: .cli("district"))
            let file = try await stores.benefits.paymentFile(first.id, in: .everything, by: .cli())
            let line = try #require(try await stores.benefits.lines(first.id, in: .everything, by: .cli()).first)
            #expect(file.amount == 3600)
            _ = try await stores.benefits.reconcile(first.id, returnFile: "\(line.number),\(line.idNumber),3600,成功,\n", in: .everything, by: .cli())
            // the year after: paid once already, excluded with the year it was paid
            let next = try await stores.benefits.lines(try await stores.benefits.draw(.onlyChildParents, year: year, unitCode: Fixture.streetA, in: .everything, by: .cli()).id, in: .everything, by: .cli())
            #expect(next.first { $0.personID == mum.id }.map { !$0.eligible && $0.facts.contains("已列入 \(year - 1) 年一次性奖励名单") } == true)
        }
    }

    @Test(arguments: TestEngine.all) func aSpecialFamilyHasTwoContactsAndVisitsOnTheTaskList(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let today = Day(stores.env.now())
            try await Fixture.account(stores, "contact-a", .community, Fixture.communityA1)
            try await Fixture.account(stores, "contact-b", .community, Fixture.communityA2)
            var m = PersonInput(name: "钱母", idNumber: Self.id("19650101", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"
            let mother = try await stores.persons.create(m, in: .everything, by: .cli())
            await #expect { try await stores.families.add(person: mother.id, situation: "lost", communityContact: "contact-b", associationContact: " ", associationPhone: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/situation", code: "code-unknown") && isRenkouError($0, field: "/communityContact", code: "unknown-account")
                          && isRenkouError($0, field: "/associationContact", code: "required") }
            let family = try await stores.families.add(person: mother.id, situation: "child-died", communityContact: "contact-a", associationContact: "王阿姨（五老）",
                                                       associationPhone: "13900000000", in: .everything, by: .cli())
            await #expect { try await stores.families.add(person: mother.id, situation: "child-died", communityContact: "contact-a", associationContact: "x", associationPhone: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "listed") }
            // the first visit is due the day the family is listed, on the community's task list
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).contains { $0.kind == .familyVisit && $0.id == family.id && $0.due == today.description })
            try await stores.families.recordHelp(family.id, kind: "visit", day: today.description, note: "身体尚好", in: .everything, by: .cli("contact-a"))
            // the next one a month on (the policy's 30 days), off the list until the horizon reaches it
            #expect(try await stores.families.family(family.id, in: .everything, by: .cli()).nextVisit == today.adding(days: 30).description)
            #expect(!(try await stores.tasks.list(on: today, in: .everything, by: .cli()).contains { $0.id == family.id && $0.due == today.description }))
            await #expect { try await stores.families.recordHelp(family.id, kind: "gift", day: today.adding(days: 1).description, note: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/kind", code: "code-unknown") && isRenkouError($0, field: "/date", code: "future-date") }
            #expect(try await stores.families.help(family.id, in: .everything).map(\.kind) == [.visit])
        }
    }
}
