import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import Testing

/// 目标管理: the district's target handed to its streets, a street's allocation that does not meet
/// its own refused (nothing kept) and one that does kept; every figure reads the unit's own target; a
/// figure under it raises one warning (a 督办 task) closed with what was done; agreements carry the
/// unit's targets; a veto marks the unit for the year until withdrawn.
@Suite struct AssessmentTests {
    static let may15 = Date(timeIntervalSince1970: 1_778_810_400)  // 2026-05-15 10:00 in Shanghai

    @Test(arguments: TestEngine.all) func targetsAllocationWarningsAgreementsAndVetoes(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            var people: [Person] = []
            for i in 0..<4 {
                people.append(try await stores.persons.create(PersonInput(name: "居民\(i)", idNumber: Fixture.idNumber(i), unit: i < 3 ? Fixture.communityA1 : Fixture.communityA2),
                                                              in: .everything, by: .cli("t")))
            }
            let t = stores.targets, district = Actor.cli("district"), code = "O02-knowledge"
            await #expect { try await t.set("nope", unit: Fixture.district, year: 2026, value: 95, in: .everything, by: district) } throws: { isRenkouError($0, field: "/code", code: "unknown-indicator") }
            await #expect { try await t.set(code, unit: Fixture.district, year: 2026, value: 120, in: .everything, by: district) } throws: { isRenkouError($0, field: "/value", code: "out-of-range") }
            try await t.set(code, unit: Fixture.district, year: 2026, value: 95, in: .everything, by: district)
            let streets = try await t.allocate(code, unit: Fixture.district, year: 2026, method: "same", in: .everything, by: district)
            // below the district's target a street's comes through the allocation, not by hand (it could lower it)
            let streetScope = Scope(path: try await stores.orgs.unit(code: Fixture.streetA, in: .everything)!.path)
            await #expect { try await t.set(code, unit: Fixture.streetA, year: 2026, value: 50, in: streetScope, by: .cli("street")) } throws: {
                isRenkouError($0, field: "/unit", code: "allocated-from-above")
            }
            await #expect { try await t.set("B03-sex-ratio-at-birth", unit: Fixture.district, year: 2026, value: 107, in: .everything, by: district) } throws: { e in
                isRenkouError(e, field: "/code", code: "no-target") || isRenkouError(e, field: "/code", code: "unknown-indicator")
            }
            #expect(Set(streets.map(\.unitCode)) == [Fixture.streetA, Fixture.streetB] && streets.allSatisfy { abs($0.value - 0.95) < 1e-9 })
            // a community inherits its street's target until it has its own
            let today = RenkouCore.Day(stores.env.now())
            #expect(try await stores.indicators.unitFigures([code], unitCode: Fixture.communityA1, on: today, in: .everything).figures[0].target == 0.95)
            // the street's allocation: weighted by population (A1 three people, A2 one) 100 and 70 come to 92.5, short of 95: refused, nothing kept
            await #expect { try await t.allocate(code, unit: Fixture.streetA, year: 2026, method: "hand", base: "population", values: [Fixture.communityA1: 100, Fixture.communityA2: 70],
                                                 in: .everything, by: district) } throws: { isRenkouError($0, field: "/values", code: "does-not-add-up") }
            await #expect { try await t.allocate(code, unit: Fixture.streetA, year: 2026, method: "hand", values: [Fixture.communityA1: 100], in: .everything, by: district) } throws: {
                isRenkouError($0, field: "/values/\(Fixture.communityA2)", code: "required")
            }
            await #expect { try await t.allocate(code, unit: Fixture.streetA, year: 2026, method: "proportional", in: .everything, by: district) } throws: {
                isRenkouError($0, field: "/method", code: "not-for-rates")
            }
            #expect(try await t.targets(year: 2026, unitCode: Fixture.streetA, in: .everything).map(\.unitCode) == [Fixture.streetA])
            // 100 and 80 come to 95: kept
            let communities = try await t.allocate(code, unit: Fixture.streetA, year: 2026, method: "hand", base: "population",
                                                   values: [Fixture.communityA1: 100, Fixture.communityA2: 80], in: .everything, by: district)
            #expect(communities.count == 2)
            #expect(try await stores.indicators.unitFigures([code], unitCode: Fixture.communityA1, on: today, in: .everything).figures[0].target == 1.0)

            // A1's knowledge survey: 4 of 6 answers right, under its 100 %: one warning, once, on A1's list
            let survey = try await stores.surveys.open(SurveyInput(kind: "knowledge", unit: Fixture.communityA1, title: "知识调查", questions: [
                SurveyQuestion(text: "一", options: ["甲", "乙"], correct: 0), SurveyQuestion(text: "二", options: ["甲", "乙"], correct: 0)]), in: .everything, by: district)
            for (p, answers) in zip(people.prefix(3), [[0, 0], [0, 1], [1, 0]] as [[Int?]]) {
                try await stores.surveys.respond(survey.id, person: p.idNumber, unit: nil, answers: answers, in: .everything, by: district)
            }
            let w = stores.warnings
            #expect(try await w.evaluate(on: today) >= 1)
            // (the street's figure, the same answers, falls short of its 95 % too)
            let raised = try await w.list(in: .everything).filter { $0.code == code && $0.unitCode == Fixture.communityA1 }
            #expect(raised.count == 1 && raised[0].unitCode == Fixture.communityA1 && raised[0].rule == "below-target" && raised[0].against == 1.0)
            #expect(abs(raised[0].value - 4.0 / 6.0) < 1e-9)
            let before = try await w.list(in: .everything).count
            let again = try await w.evaluate(on: today), after = try await w.list(in: .everything).count
            #expect(again == 0 && after == before)
            let tasks = try await stores.tasks.list(on: today, in: .everything, by: district).filter { $0.kind == .warning && $0.object?.id == raised[0].id }
            #expect(tasks.count == 1 && tasks[0].unitCode == Fixture.communityA1 && tasks[0].subject.contains("知识知晓率"))
            await #expect { try await w.close(raised[0].id, action: " ", in: .everything, by: district) } throws: { isRenkouError($0, field: "/action", code: "required") }
            let closed = try await w.close(raised[0].id, action: "组织两次补课并重新测试", in: .everything, by: district)
            #expect(closed.closedOn == "2026-05-15" && closed.action == "组织两次补课并重新测试")
            #expect(try await stores.tasks.list(on: today, in: .everything, by: district).filter { $0.object?.id == raised[0].id }.isEmpty)
            await #expect { try await w.close(raised[0].id, action: "again", in: .everything, by: district) } throws: { isRenkouError($0, code: "closed") }
            // a community's worker sees only its own
            let a2 = Scope(path: try await stores.orgs.unit(code: Fixture.communityA2, in: .everything)!.path)
            #expect(try await w.list(in: a2).allSatisfy { $0.unitCode == Fixture.communityA2 })

            // the street's agreement carries its targets
            await #expect { try await t.sign(unit: Fixture.streetA, year: 2026, terms: "", signatories: "", signedOn: "15/01/2026", in: .everything, by: district) } throws: { e in
                isRenkouError(e, field: "/terms", code: "required") && (e as? RenkouError)?.fields.map(\.pointer).contains("/signedOn") == true
            }
            let agreement = try await t.sign(unit: Fixture.streetA, year: 2026, terms: "完成下列指标", signatories: "区局 — 新成路街道", signedOn: "2026-01-15", in: .everything, by: district)
            #expect(agreement.targets.first { $0.code == code }?.value == 0.95 && !agreement.hasScan)

            // a veto marks the community for the year until withdrawn (with its reason)
            await #expect { try await w.veto(unit: Fixture.communityA2, year: 2026, item: "late-report", evidence: "", in: .everything, by: district) } throws: { e in
                isRenkouError(e, field: "/item", code: "code-unknown") && (e as? RenkouError)?.fields.map(\.pointer).contains("/evidence") == true
            }
            let veto = try await w.veto(unit: Fixture.communityA2, year: 2026, item: "concealed-birth", evidence: "入户抽查发现一例未登记出生", in: .everything, by: district)
            #expect(try await w.vetoed(year: 2026, in: .everything) == [Fixture.communityA2])
            #expect(try await w.vetoed(year: 2027, in: .everything).isEmpty)
            try await w.withdraw(veto.id, reason: "复核：已于期限内登记", in: .everything, by: district)
            let listed = try await w.vetoes(year: 2026, in: .everything)
            #expect(try await w.vetoed(year: 2026, in: .everything).isEmpty && listed.first?.withdrawnReason == "复核：已于期限内登记")
        }
    }

    @Test(arguments: TestEngine.all) func anyIndicatorIsReadOverAnyPeriod(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            // a board renewed in the first quarter: the quarter's figure (its own period) is empty in May, the year's counts it
            let o = stores.outreach, worker = Actor.cli("w")
            let board = try await o.addBoard(unit: Fixture.communityA1, name: "橱窗", place: nil, in: .everything, by: worker)
            try await stores.db.transaction { db in try await db.raw("UPDATE outreach_boards SET created_on = '2025-12-01' WHERE id = \(bind: board.id.text)").run() }
            _ = try await o.renew(board.id, day: "2026-02-10", theme: "优生优育", in: .everything, by: worker)
            let day = RenkouCore.Day(stores.env.now())
            let own = try await stores.indicators.unitFigures(["O03-board-renewals"], unitCode: Fixture.communityA1, on: day, in: .everything).figures[0]
            let year = try await stores.indicators.unitFigures(["O03-board-renewals"], unitCode: Fixture.communityA1, on: day, period: .year, in: .everything).figures[0]
            #expect(own.denominator == 0 && year.numerator == 1 && year.denominator == 1)
            #expect(IndicatorStore.period(of: stores.indicators.all.first { $0.code == "O03-board-renewals" }!, on: day, kind: .statisticalYear).description == "2025-10/2026-09")
        }
    }

    /// The dashboards read the whole tree at once (one pass grouped by unit, summed upwards): every
    /// unit's figure must be the one it gets counted on its own (`grouped: false`, the per-unit SQL),
    /// for every indicator, over a month and a year, for the district's tree (read without the path
    /// index on SQLite) and for a street's (through it).
    @Test(arguments: TestEngine.all) func theTreeReadOnceGivesEachUnitItsOwnFigures(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            _ = try await Demo.fill(stores, seed: 7, persons: 600)
            let day = RenkouCore.Day(stores.env.now())
            let top = try await stores.orgs.unitAndChildren(nil, in: .everything).unit
            let units = try await stores.orgs.list(levels: [.district, .street, .community, .grid], in: Scope(path: top.path))
            let street = try #require(units.first { $0.level == .street })
            let streetTree = units.filter { $0.path.hasPrefix(street.path) && $0.id != street.id } + [street]  // the ancestor last: not the first unit
            let codes = stores.indicators.all.map(\.code)
            #expect(units.count > 10 && streetTree.count > 3)
            var counted = 0
            // (30 April: some of the people the demo moved in May count where they were then)
            let parsed: RenkouCore.Day? = RenkouCore.Day("2026-04-30")
            let april30 = try #require(parsed)
            for (on, kind) in [(day, Period.Kind.month), (day, .year), (april30, .month)] {
                for tree in [units, streetTree] {
                    let read = try await stores.indicators.tree(codes, units: tree, on: on, period: kind)
                    let alone = try await stores.indicators.figures(codes, units: tree, on: on, period: kind, grouped: false)
                    #expect(read.map(\.code) == tree.map(\.code) && read.count == alone.count)
                    for (unit, (r, a)) in zip(tree, zip(read, alone)) {
                        #expect(r.figures.count == codes.count && a.count == codes.count)
                        for (x, y) in zip(a, r.figures) {
                            #expect(x.code == y.code && x.numerator == y.numerator && x.denominator == y.denominator && x.target == y.target,
                                    "\(unit.code) \(on) \(kind) \(x.code): alone \(x.numerator)/\(x.denominator), in the tree \(y.numerator)/\(y.denominator)")
                            if y.denominator > 0 { counted += 1 }
                        }
                    }
                }
            }
            #expect(counted > 100)  // the comparison saw real figures, not only zeros
            // the sums: a record counts in every unit above its own, once
            let sums = IndicatorStore.rollUp([("/a/b/", 1, 2), ("/a/b/c/", 10, 20), ("/a/bc/", 100, 200)], into: ["/a/", "/a/b/", "/a/b/c/", "/a/bc/", "/x/"])
            #expect(sums.map(\.numerator) == [111, 11, 10, 100, 0] && sums.map(\.denominator) == [222, 22, 20, 200, 0])
        }
    }

    /// 期末归属: a past period counts people in the unit that held them at its end. A married woman of
    /// reproductive age moved in May to a community of the other street counts in her old community
    /// for 30 April and in her new one today, once in the district either way; the tree read agrees
    /// with each unit read alone; April's list of her old community names her to the district, masks
    /// her (no page link) to her old street, and her new community's April list leaves her out. The
    /// monthly report's line of the same women counts her where the figure does.
    @Test(arguments: TestEngine.all) func aPastPeriodCountsPeopleWhereTheyWereAtItsEnd(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            _ = try await Demo.fill(stores, seed: 7, persons: 600)
            let code = "S03-contraceptive-prevalence"  // a stock: married women of reproductive age on the day
            let top = try await stores.orgs.unitAndChildren(nil, in: .everything).unit
            let units = try await stores.orgs.list(levels: [.district, .street, .community], in: Scope(path: top.path))
            let streets = units.filter { $0.level == .street }
            try #require(streets.count >= 2)
            let from = try #require(units.first { $0.level == .community && $0.path.hasPrefix(streets[0].path) })
            let to = try #require(units.first { $0.level == .community && $0.path.hasPrefix(streets[1].path) })
            let parsed: RenkouCore.Day? = RenkouCore.Day("2026-04-30")
            let april30 = try #require(parsed), today = RenkouCore.Day(stores.env.now())
            @Sendable func denominators(_ day: RenkouCore.Day, grouped: Bool = true) async throws -> [Int] {
                try await stores.indicators.figures([code], units: [top, streets[0], streets[1], from, to], on: day, grouped: grouped).map { $0[0].denominator }
            }
            let before = try await denominators(april30), todayBefore = try await denominators(today)  // (birthdays in May change today's)
            // one who lives there and has never moved (the demo moved some in May)
            let moved = Set(try await stores.db.read { db in
                try await db.raw("SELECT person_id FROM life_events WHERE type = 'move-within'").all().map { try $0.decode(column: "person_id", as: String.self).uuid }
            })
            let listedBefore = try await stores.indicators.records(code, unitCode: from.code, on: april30, gapsOnly: false, limit: 1000, in: .everything, by: .cli()).items
            let woman = try #require(listedBefore.first { !moved.contains($0.id) })
            // the monthly report's line of married women of reproductive age counts as the figure does
            let married = try #require(stores.reportMeasures.all.first { $0.key == "services.married-wra" }), peopleMoved = stores.reportMeasures.moved
            let april = Period.containing(april30, .month), may = Period.containing(today, .month)
            @Sendable func reported() async throws -> [Int] {
                try await stores.db.read { db in
                    var n: [Int] = []
                    for (unit, period) in [(from, april), (to, april), (from, may), (to, may)] {
                        n.append(try await married.value(path: unit.path, period: period, policy: stores.env.policy, moved: peopleMoved, engine: stores.db.engine, db))
                    }
                    return n
                }
            }
            let reportedBefore = try await reported()
            #expect(reportedBefore[0] == before[3] && reportedBefore[1] == before[4])
            _ = try await stores.events.record(LifeEventInput(type: "move-within", person: woman.id.text, day: "2026-05-10", unit: to.code), in: .everything, by: .cli("worker"))
            #expect(try await reported() == [reportedBefore[0], reportedBefore[1], reportedBefore[2] - 1, reportedBefore[3] + 1])

            // April's figures are those of before the move, grouped or unit by unit; today's have moved her
            #expect(try await denominators(april30) == before)
            #expect(try await denominators(april30, grouped: false) == before)
            let now = try await denominators(today), alone = try await denominators(today, grouped: false)
            #expect(now == alone)
            #expect(now == [todayBefore[0], todayBefore[1] - 1, todayBefore[2] + 1, todayBefore[3] - 1, todayBefore[4] + 1],
                    "district, streets, communities today before the move \(todayBefore), after it \(now)")
            // single units, as a unit's page reads them
            #expect(try await stores.indicators.unitFigures([code], unitCode: from.code, on: april30, in: .everything).figures[0].denominator == before[3])
            #expect(try await stores.indicators.unitFigures([code], unitCode: to.code, on: april30, in: .everything).figures[0].denominator == before[4])

            // the click-through: April's records behind the figures
            func listed(_ unit: OrgUnit, in scope: Scope) async throws -> [IndicatorRecord] {
                let page = try await stores.indicators.records(code, unitCode: unit.code, on: april30, gapsOnly: false, limit: 1000, in: scope, by: .cli())
                #expect(page.total == page.items.count)
                return page.items
            }
            let district = try await listed(from, in: .everything)
            #expect(district.count == before[3] && district.contains(woman))
            let street = try await listed(from, in: Scope(path: streets[0].path))
            let masked = try #require(street.first { $0.id == woman.id })
            #expect(masked.name == Mask.name(woman.name) && masked.idNumber == Mask.idNumber(woman.idNumber) && masked.link.isEmpty)
            #expect(Set(street.map(\.id)) == Set(district.map(\.id)) && district == listedBefore)
            #expect(masked.detail == nil && woman.idNumber != masked.idNumber)
            let newCommunity = try await listed(to, in: .everything)
            #expect(newCommunity.count == before[4] && !newCommunity.contains { $0.id == woman.id })
            // and today's list of her new community names her
            #expect(try await stores.indicators.records(code, unitCode: to.code, on: today, gapsOnly: false, limit: 1000, in: .everything, by: .cli()).items.contains(woman))
        }
    }

    @Test(arguments: TestEngine.all) func aSpotCheckDrawnTwiceFromOneSeedVisitsTheSameHouseholds(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let team = Actor.cli("team")
            var households: [UUID] = []
            for h in 0..<12 {
                let household = try await stores.households.create(number: "H\(1000 + h)", unitCode: Fixture.communityA1, address: "\(h + 1) 号楼", in: .everything, by: team)
                for m in 0..<2 {
                    let p = try await stores.persons.create(PersonInput(name: "户\(h)成员\(m)", idNumber: Fixture.idNumber(h * 2 + m), unit: Fixture.communityA1), in: .everything, by: team)
                    try await stores.households.addMember(household.id, person: p.id, relation: m == 0 ? "02" : "10", on: RenkouCore.Day("2020-01-01")!, in: .everything, by: team)
                }
                households.append(household.id)
            }
            let s = stores.spotChecks
            await #expect { try await s.draw(unit: Fixture.streetA, year: 2026, size: 5, seed: 7, in: .everything, by: team) } throws: { isRenkouError($0, field: "/unit", code: "not-a-community") }
            let first = try await s.draw(unit: Fixture.communityA1, year: 2026, size: 5, seed: 20_260_515, in: .everything, by: team)
            let second = try await s.draw(unit: Fixture.communityA1, year: 2026, size: 5, seed: 20_260_515, in: .everything, by: team)
            let sheet = try await s.sheet(first.id, in: .everything, by: team)
            let again = try await s.sheet(second.id, in: .everything, by: team)
            #expect(first.seed == 20_260_515 && first.households == 5 && sheet.map(\.number) == again.map(\.number))
            #expect(sheet.allSatisfy { $0.members.count == 2 })
            // at the first door: one birth date wrong, one member gone, a child not on the list
            let door = sheet[0]
            let wrong = door.members[0], gone = door.members[1]
            await #expect { try await s.record(first.id, HouseholdVisit(household: door.householdID, members: [MemberFinding(person: UUID(), present: true, sex: "7")]),
                                               in: .everything, by: team) } throws: { e in
                isRenkouError(e, field: "/members/0/sex", code: "code-unknown")
            }
            let after = try await s.record(first.id, HouseholdVisit(household: door.householdID, members: [
                MemberFinding(person: wrong.personID, present: true, name: wrong.name, sex: wrong.sex, birthDate: "1985-03-13", maritalStatus: nil),
                MemberFinding(person: gone.personID, present: false)], unlisted: [UnlistedPerson(name: "小明", birthDate: "2026-03-02", note: "出生未登记")]), in: .everything, by: team)
            // name and sex as registered; birth date not; one gone; one not listed: 2 of 5
            #expect(after.visited == 1 && after.checked == 5 && after.matched == 2)
            await #expect { try await s.record(first.id, HouseholdVisit(household: door.householdID, members: []), in: .everything, by: team) } throws: { isRenkouError($0, code: "visited") }
            // the differences are tasks for the community; the registry is unchanged
            let tasks = try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: team).filter { $0.kind == .spotCheck }
            #expect(tasks.count == 3 && tasks.allSatisfy { $0.unitCode == Fixture.communityA1 } && tasks.contains { $0.subject.contains("小明") })
            #expect(try await stores.persons.read(wrong.personID, in: .everything, by: team).birthDate == wrong.birthDate)
            // the second door as registered: accuracy through the catalogue, 6 of 9
            let next = sheet[1]
            try await s.record(first.id, HouseholdVisit(household: next.householdID, members: next.members.map { MemberFinding(person: $0.personID, present: true, name: $0.name, sex: $0.sex) }),
                               in: .everything, by: team)
            let figure = try await stores.indicators.unitFigures(["A01-spot-check-accuracy"], unitCode: Fixture.communityA1, on: RenkouCore.Day(stores.env.now()), in: .everything).figures[0]
            #expect(figure.numerator == 6 && figure.denominator == 9 && figure.meetsTarget == false)
        }
    }

    @Test(arguments: TestEngine.all) func theSheetScoresFromLiveFiguresAndChangesWithOneRecord(engine: TestEngine) async throws {
        let clock = TestClock(Self.may15)
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let team = Actor.cli("team")
            for h in 0..<4 {
                let household = try await stores.households.create(number: "H\(300 + h)", unitCode: Fixture.communityA1, address: nil, in: .everything, by: team)
                let p = try await stores.persons.create(PersonInput(name: "住户\(h)", idNumber: Fixture.idNumber(h), unit: Fixture.communityA1), in: .everything, by: team)
                try await stores.households.addMember(household.id, person: p.id, relation: "02", on: RenkouCore.Day("2020-01-01")!, in: .everything, by: team)
            }
            let check = try await stores.spotChecks.draw(unit: Fixture.communityA1, year: 2026, size: 4, seed: 3, in: .everything, by: team)
            let sheet = try await stores.spotChecks.sheet(check.id, in: .everything, by: team)
            func visit(_ h: SheetHousehold, wrongSex: Bool = false) async throws {
                try await stores.spotChecks.record(check.id, HouseholdVisit(household: h.householdID, members: h.members.map {
                    MemberFinding(person: $0.personID, present: true, name: $0.name, sex: wrongSex ? ($0.sex == "1" ? "2" : "1") : $0.sex, birthDate: $0.birthDate)
                }), in: .everything, by: team)
            }
            for h in sheet.prefix(3) { try await visit(h) }
            let before = try await stores.scores.score(unitCode: Fixture.communityA1, year: 2026, in: .everything)
            let spot = try #require(before.items.first { $0.code == "spot-check" })
            #expect(spot.points == 60 && spot.trail.contains("满分"))
            #expect(before.items.count == 14 && before.items.map(\.max).reduce(0, +) == 100)
            // one more household, one field of its three found wrong: 11 of 12 fields
            try await visit(sheet[3], wrongSex: true)
            let after = try await stores.scores.score(unitCode: Fixture.communityA1, year: 2026, in: .everything)
            let spotAfter = try #require(after.items.first { $0.code == "spot-check" })
            // 11 of 12 = 91.7 %: 60 × (91.7 − 90) ÷ (98 − 90) = 12.5
            #expect(abs(spotAfter.points - 12.5) < 0.01 && after.total < before.total && spotAfter.trail.contains("下限"))
            // a hand score counts once someone else reviews it
            let hand = try await stores.scores.scoreByHand(unit: Fixture.communityA1, year: 2026, item: "reports", points: 2, evidence: "12 个月报表均按时报送", in: .everything, by: team)
            await #expect { try await stores.scores.scoreByHand(unit: Fixture.communityA1, year: 2026, item: "spot-check", points: 90, evidence: "", in: .everything, by: team) } throws: { e in
                isRenkouError(e, field: "/item", code: "code-unknown") && (e as? RenkouError)?.fields.map(\.pointer).contains("/evidence") == true
            }
            #expect(try await stores.scores.score(unitCode: Fixture.communityA1, year: 2026, in: .everything).total == after.total)
            await #expect { try await stores.scores.review(hand.id, in: .everything, by: team) } throws: { isRenkouError($0, code: "own-score") }
            try await stores.scores.review(hand.id, in: .everything, by: .cli("reviewer"))
            let reviewed = try await stores.scores.score(unitCode: Fixture.communityA1, year: 2026, in: .everything)
            #expect(abs(reviewed.total - after.total - 2) < 0.001 && reviewed.items.first { $0.code == "reports" }?.trail.contains("reviewer") == true)
            // vetoed: marked, and listed last whatever it scores
            try await stores.warnings.veto(unit: Fixture.communityA1, year: 2026, item: "data-falsification", evidence: "抽查发现虚报", in: .everything, by: .cli("district"))
            let all = try await stores.scores.scores(year: 2026, in: .everything)
            #expect(all.last?.unitCode == Fixture.communityA1 && all.last?.vetoed == true)
        }
    }
}
