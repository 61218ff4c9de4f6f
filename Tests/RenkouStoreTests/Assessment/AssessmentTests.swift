import Foundation
import RenkouCore
import RenkouStore
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
}
