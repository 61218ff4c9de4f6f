import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Missed visits that roll on, check-up rounds, pregnancies and pre-pregnancy checks.
@Suite struct CheckUpPregnancyTests {
    static func woman(_ stores: Stores, _ name: String, _ n: Int) async throws -> Person { try await ServiceStoreTests.woman(stores, name, n) }

    static func start(_ w: Person, _ kind: String, method: String? = nil, chosen: String? = nil, on day: Day) -> ServiceInput {
        var s = ServiceInput(); s.person = w.id.text; s.kind = kind; s.method = method; s.date = day.description
        s.informedChoice = InformedChoice(counselledOn: day.description, methodsExplained: ["iud", "implant", "injectable", "oral-pill", "condom", "emergency-pill"], chosen: chosen ?? method, mec: 1)
        return s
    }

    @Test(arguments: TestEngine.all) func aMissedVisitStaysMissedAndTheNextIsScheduled(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "孙莉", 11)
            let today = Day(stores.env.now()), d = today.adding(days: -200)
            try await stores.services.record(Self.start(w, "iud-insertion", chosen: "iud", on: d), in: .everything, by: .cli())
            // the 1-month visit expired unmade (day 90), and the 3-month one counted from its due day too (day 151)
            #expect(try await stores.runDailyJobs(on: today).first { $0.name == "services.roll-missed-visits" }?.changed == 2)
            #expect(try await stores.services.rollMissed(on: today) == 0)   // idempotent
            let all = try await stores.services.of(w.id, in: .everything, by: .cli()).followUps.sorted { $0.step < $1.step }
            #expect(all.map(\.step) == [0, 1, 2])
            #expect(all.map { $0.status(on: today) } == [.expired, .expired, .due])
            #expect(all[2].due == Offset(months: 3).from(Day(all[1].due)!).description)
            // both missed visits count against the rate
            let rate = try await stores.indicators.summary(["S02-follow-up"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures[0]
            #expect(rate.numerator == 0 && rate.denominator == 2)
            // a visit cannot be made before the service it follows
            await #expect { try await stores.services.recordVisit(all[2].id, on: d.adding(days: -1), findings: "normal", nextAction: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/date", code: "before-start") }
            // a missed visit recorded late does not schedule a second next one
            try await stores.services.recordVisit(all[0].id, on: today, findings: "normal", nextAction: nil, in: .everything, by: .cli())
            #expect(try await stores.services.followUps(personID: w.id, on: today, in: .everything).map(\.step) == [1, 2])
        }
    }

    @Test(arguments: TestEngine.all) func anAbortionEndsThePregnancyAndThePillIsResupplied(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "周燕", 12)
            let today = Day(stores.env.now())
            let g = try await stores.pregnancies.open(PregnancyInput(person: w.id.text, detectedOn: today.adding(days: -20).description, lastMenstrualPeriod: today.adding(days: -60).description),
                                                      in: .everything, by: .cli())
            #expect(g.isOpen && g.expectedOn == today.adding(days: 220).description)
            await #expect { try await stores.pregnancies.open(PregnancyInput(person: w.id.text, detectedOn: today.description), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "pregnancy-open") }
            await #expect { try await stores.pregnancies.open(PregnancyInput(person: w.id.text, detectedOn: today.description, lastMenstrualPeriod: today.adding(days: 1).description), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/lastMenstrualPeriod", code: "future-date") }
            // post-abortion contraception: the abortion's visits and the pill's monthly resupply
            try await stores.services.record(Self.start(w, "abortion", chosen: "oral-pill", on: today), in: .everything, by: .cli())
            let s = try await stores.services.of(w.id, in: .everything, by: .cli())
            #expect(Set(s.followUps.map(\.schedule)) == ["abortion", "oral-pill"])
            #expect(s.pregnancies.first?.outcome == .inducedAbortion && s.pregnancies.first?.outcomeOn == today.description)
            await #expect { try await stores.pregnancies.recordOutcome(g.id, outcome: "miscarriage", on: today.description, note: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "pregnancy-ended") }
        }
    }

    @Test(arguments: TestEngine.all) func revokedEventsAndMergesPutVisitsRight(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let mother = try await Self.woman(stores, "郑洁", 13)
            let today = Day(stores.env.now()), born = today.adding(days: -5)
            try await stores.pregnancies.open(PregnancyInput(person: mother.id.text, detectedOn: today.adding(days: -200).description), in: .everything, by: .cli())
            let first17 = "310114" + born.description.replacingOccurrences(of: "-", with: "") + "553"
            let birth = try await stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: born.description,
                                                                      child: PersonInput(name: "郑宝", idNumber: first17 + String(CitizenID.checkCharacter(first17)!))), in: .everything, by: .cli())
            // the birth ended her pregnancy as a live birth of this child
            let ended = try #require(try await stores.services.of(mother.id, in: .everything, by: .cli()).pregnancies.first)
            #expect(ended.outcome == .liveBirth && ended.childID == birth.personID)
            // revoked: the care visits not yet made go, the pregnancy is open again
            try await stores.events.revoke(birth.id, reason: "录入错误", in: .everything, by: .cli())
            #expect(try await stores.services.followUps(personID: mother.id, on: today, in: .everything).isEmpty)
            #expect(try await stores.services.followUps(personID: birth.personID, on: today, in: .everything).isEmpty)
            #expect(try await stores.services.of(mother.id, in: .everything, by: .cli()).pregnancies.first?.isOpen == true)
            // a death revoked: her visits and her method come back
            let w = try await Self.woman(stores, "冯静", 14)
            try await stores.services.record(Self.start(w, "method-start", method: "injectable", on: today.adding(days: -10)), in: .everything, by: .cli())
            let death = try await stores.events.record(LifeEventInput(type: "death", person: w.id.text, day: today.description), in: .everything, by: .cli())
            #expect(try await stores.services.followUps(personID: w.id, on: today, in: .everything).isEmpty)
            try await stores.events.revoke(death.id, reason: "误报", in: .everything, by: .cli())
            #expect(try await stores.services.followUps(personID: w.id, on: today, in: .everything).count == 1)
            #expect(try await stores.services.of(w.id, in: .everything, by: .cli()).methods.first?.stoppedOn == nil)
            // two records of one woman in two communities, each with a method: one stays, in the kept record's unit
            let twin = try await ServiceStoreTests.woman(stores, "冯静", 15, unit: Fixture.communityA2)
            try await stores.services.record(Self.start(twin, "method-start", method: "condom", on: today), in: .everything, by: .cli())
            _ = try await stores.persons.merge(keep: twin.id, drop: w.id, in: .everything, by: .cli())
            let merged = try await stores.services.of(twin.id, in: .everything, by: .cli())
            #expect(merged.methods.filter { $0.stoppedOn == nil }.map(\.method) == [.condom])
            #expect(try await stores.services.followUps(unitCode: Fixture.communityA1, on: today, status: nil, in: .everything, by: .cli()).items.allSatisfy { $0.personID != twin.id })
        }
    }

    @Test(arguments: TestEngine.all) func aRoundListsWhoIsDueAndCountsCoverage(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let today = Day(stores.env.now())
            let plain = try await Self.woman(stores, "甲", 21), iud = try await Self.woman(stores, "乙", 22), pregnant = try await Self.woman(stores, "丙", 23)
            let sterilised = try await Self.woman(stores, "丁", 24)
            try await stores.services.record(Self.start(iud, "iud-insertion", chosen: "iud", on: today.adding(days: -100)), in: .everything, by: .cli())
            try await stores.pregnancies.open(PregnancyInput(person: pregnant.id.text, detectedOn: today.adding(days: -30).description), in: .everything, by: .cli())
            var st = Self.start(sterilised, "sterilisation", on: today.adding(days: -800)); st.informedChoice?.methodsExplained = ["female-sterilisation", "iud", "implant", "condom", "emergency-pill"]
            try await stores.services.record(st, in: .everything, by: .cli())
            let input = CheckUpRoundInput(unit: Fixture.communityA1, name: "\(today.year) 年第一轮", startsOn: today.description, endsOn: today.adding(days: 30).description)
            let round = try await stores.checkUps.openRound(input, in: .everything, by: .cli())
            #expect(round.due == 4 && round.checked == 0)
            let list = try await stores.checkUps.dueList(round.id, in: .everything, by: .cli())
            func due(_ p: Person) -> [CheckUpKind] { list.first { $0.personID == p.id }!.due }
            #expect(due(plain) == [.pregnancy, .gynaecological] && due(iud) == [.pregnancy, .iud, .gynaecological])
            #expect(due(pregnant) == [.gynaecological] && due(sterilised) == [.gynaecological])
            // overlapping rounds and more than the year's rounds are refused
            await #expect { try await stores.checkUps.openRound(input, in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/startsOn", code: "round-overlap") }
            await #expect { try await stores.checkUps.openRound(CheckUpRoundInput(unit: Fixture.communityA1, name: "x", startsOn: "2026-13-01", endsOn: nil), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/startsOn", code: "date-format") }
            // results: a check not due is refused; the plain woman's positive pregnancy check opens her pregnancy
            let line = list.first { $0.personID == plain.id }!
            await #expect { try await stores.checkUps.record(line.id, CheckUpResultInput(date: today.description, results: ["iud": "normal"]), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/results/iud", code: "not-due") }
            try await stores.checkUps.record(line.id, CheckUpResultInput(date: today.description, results: ["pregnancy": "positive"]), in: .everything, by: .cli())
            #expect(try await stores.checkUps.round(round.id, in: .everything).checked == 0)   // the gynaecological check is still to do
            try await stores.checkUps.record(line.id, CheckUpResultInput(date: today.description, results: ["gynaecological": "normal"]), in: .everything, by: .cli())
            #expect(try await stores.checkUps.round(round.id, in: .everything).checked == 1)
            #expect(try await stores.services.of(plain.id, in: .everything, by: .cli()).pregnancies.first?.source == .checkUp)
            // exempt from everything due: out of the denominator
            let p = list.first { $0.personID == pregnant.id }!
            try await stores.checkUps.record(p.id, CheckUpResultInput(date: today.description, results: ["gynaecological": "exempt"], note: "孕期"), in: .everything, by: .cli())
            let after = try await stores.checkUps.round(round.id, in: .everything)
            #expect(after.due == 3 && after.checked == 1)
            // a street round over the same days would put them on two lists
            await #expect { try await stores.checkUps.openRound(CheckUpRoundInput(unit: Fixture.streetA, name: "街道轮", startsOn: today.adding(days: 5).description, endsOn: today.adding(days: 40).description),
                                                               in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/startsOn", code: "round-overlap") }
            // the indicator says the same for the year of the round's end
            let rate = try await stores.indicators.summary(["S04-check-up-coverage"], unitCode: Fixture.communityA1, on: today.adding(days: 30), in: .everything).unit.figures[0]
            #expect(rate.numerator == 1 && rate.denominator == 3)
        }
    }

    @Test(arguments: TestEngine.all) func aPrePregnancyCheckIsFollowedToTheOutcome(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let today = Day(stores.env.now())
            let w = try await Self.woman(stores, "褚英", 31)
            var input = PrePregnancyInput(); input.person = w.id.text; input.date = today.adding(days: -150).description
            input.items = ["blood-routine": "normal", "rubella": "abnormal"]; input.risk = "high"
            await #expect { try await stores.prePregnancy.record(input, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/spouseName", code: "spouse-required") && isRenkouError($0, field: "/counselling", code: "counselling-required") }
            input.spouseName = "卫东"; input.counselling = "建议接种风疹疫苗后三个月再怀孕"; input.items?["x-ray"] = "normal"
            await #expect { try await stores.prePregnancy.record(input, in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/items/x-ray", code: "code-unknown") }
            input.items?["x-ray"] = nil
            let check = try await stores.prePregnancy.record(input, in: .everything, by: .cli())
            #expect(check.items["rubella"] == .abnormal && check.risk == .high && check.spouseName == "卫东")
            // the early-pregnancy follow-up: open from month 4, due at month 6
            let early = try #require(try await stores.services.followUps(personID: w.id, on: today, in: .everything).first)
            #expect(early.schedule == FollowUpSchedules.prePregnancyEarly && early.status(on: today) == .due)
            await #expect { try await stores.services.recordVisit(early.id, on: today, findings: "normal", nextAction: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/findings", code: "code-unknown") }
            try await stores.services.recordVisit(early.id, on: today, findings: "pregnant", nextAction: nil, in: .everything, by: .cli())
            let s = try await stores.services.of(w.id, in: .everything, by: .cli())
            #expect(s.prePregnancyChecks.first?.earlyFinding == .pregnant && s.pregnancies.first?.source == .prePregnancy)
            #expect(s.followUps.contains { $0.schedule == FollowUpSchedules.prePregnancyOutcome && $0.doneOn == nil })
            let rate = try await stores.indicators.summary(["S06-early-pregnancy-follow-up"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures[0]
            #expect(rate.numerator == 1 && rate.denominator == 1)
            // the quota: the street's, split to a community; coverage against the one that holds
            await #expect { try await stores.prePregnancy.setQuota(unitCode: Fixture.streetA, year: 1999, couples: -1, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/year", code: "range") && isRenkouError($0, field: "/couples", code: "range") }
            let year = today.adding(days: -150).year
            try await stores.prePregnancy.setQuota(unitCode: Fixture.streetA, year: year, couples: 420, in: .everything, by: .cli())
            try await stores.prePregnancy.setQuota(unitCode: Fixture.communityA1, year: year, couples: 40, in: .everything, by: .cli())
            let q = try await stores.prePregnancy.quotas(year: year, in: .everything)
            #expect(q.map(\.couples) == [420, 40] && q.map(\.checked) == [1, 1])
            let day = Day(year: year, month: 12, day: 31)!
            let street = try await stores.indicators.summary(["S05-pre-pregnancy-coverage"], unitCode: Fixture.streetA, on: day, in: .everything).unit.figures[0]
            #expect(street.numerator == 1 && street.denominator == 420)
            let community = try await stores.indicators.summary(["S05-pre-pregnancy-coverage"], unitCode: Fixture.communityA1, on: day, in: .everything).unit.figures[0]
            #expect(community.numerator == 1 && community.denominator == 40)
            // a street's code written with its three trailing zeros is the same street
            #expect(try await stores.prePregnancy.setQuota(unitCode: Fixture.streetA + "000", year: year, couples: 400, in: .everything, by: .cli()).couples == 400)
        }
    }

    @Test(arguments: TestEngine.all) func aSignedConsentIsKeptWithTheService(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let w = try await Self.woman(stores, "蒋兰", 41)
            var s = Self.start(w, "implant-insertion", chosen: "implant", on: Day(stores.env.now()))
            s.consentScan = "not base64!"
            await #expect { try await stores.services.record(s, in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/consentScan", code: "base64") }
            s.consentScan = Data("GIF89a".utf8).base64EncodedString()
            await #expect { try await stores.services.record(s, in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/consentScan", code: "scan-type") }
            let pdf = Data("%PDF-1.4 signed".utf8)
            s.consentScan = pdf.base64EncodedString(); s.consentScanName = "同意书.pdf"
            let recorded = try await stores.services.record(s, in: .everything, by: .cli())
            #expect(recorded.consentScanName == "同意书.pdf")
            #expect(try await stores.services.of(w.id, in: .everything, by: .cli()).services.first?.consentScanName == "同意书.pdf")
            let scan = try await stores.services.consent(of: recorded.id, in: .everything, by: .cli("provider"))
            #expect(scan.data == pdf && scan.type == "application/pdf")
            #expect(try await stores.audit.search(AuditQuery(entity: "health_record", action: "read"), in: .everything).total == 1)
        }
    }

    /// Two records of one woman, both on a round's list: the merge keeps one line.
    @Test(arguments: TestEngine.all) func mergingTwoRecordsOnOneRoundKeepsOneLine(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let today = Day(stores.env.now())
            let a = try await Self.woman(stores, "韩梅", 51), b = try await Self.woman(stores, "韩梅", 52)
            let round = try await stores.checkUps.openRound(CheckUpRoundInput(unit: Fixture.communityA1, name: "一轮", startsOn: today.description, endsOn: today.adding(days: 9).description),
                                                           in: .everything, by: .cli())
            #expect(round.due == 2)
            _ = try await stores.persons.merge(keep: a.id, drop: b.id, in: .everything, by: .cli())
            #expect(try await stores.checkUps.dueList(round.id, in: .everything, by: .cli()).map(\.personID) == [a.id])
        }
    }
}
