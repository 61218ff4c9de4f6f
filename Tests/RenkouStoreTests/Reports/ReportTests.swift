import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// 统计月报: a community's April report filled from the records, refused before the month is over or
/// above its level, sent back with a note, corrected (a birth left out) and accepted — two versions,
/// the second showing what changed — then a correction after acceptance as a third; the street's own
/// report waits for its communities; who reported late, and the reporting rates.
@Suite struct ReportTests {
    static let may15 = Date(timeIntervalSince1970: 1_778_810_400)  // 2026-05-15 10:00 in Shanghai

    static func child(_ stores: Stores, _ n: Int, born: String, unit: String = Fixture.communityA1) async throws {
        var input = PersonInput(name: "宝宝\(n)", idNumber: Fixture.idNumber(n, birth: born.replacingOccurrences(of: "-", with: "")), unit: unit)
        input.birthDate = born
        input.sex = n % 2 == 0 ? "2" : "1"
        try await stores.persons.create(input, in: .everything, by: .cli("t"))
    }

    @Test(arguments: TestEngine.all) func aReportSentBackCorrectedAndAcceptedKeepsItsVersions(engine: TestEngine) async throws {
        try await withTestStores(engine, clock: TestClock(Self.may15)) { stores in
            try await Fixture.tree(stores)
            try await Self.child(stores, 1, born: "2026-01-10")
            try await Self.child(stores, 2, born: "2026-04-10")
            let r = stores.reports
            func scope(_ code: String) async throws -> Scope { Scope(path: try await stores.orgs.unit(code: code, in: .everything)!.path) }
            let community = try await scope(Fixture.communityA1), street = try await scope(Fixture.streetA)
            let worker = Actor.cli("community"), office = Actor.cli("street")

            // the figures: one birth in April, two since January
            let sheet = try await r.sheet(unit: Fixture.communityA1, month: "2026-04", in: community)
            let births = sheet.live.first { $0.line == "registry.births" }
            #expect(births?.month == 1 && births?.cumulative == 2 && sheet.cumulativePeriod == "2026" && sheet.blocked == nil)
            // a community's report is due on the 3rd, here moved past the Labour Day holiday (1–5 May 2026)
            #expect(sheet.dueOn == "2026-05-06")
            #expect(sheet.live.first { $0.line == "registry.population" }?.month == 2)

            // refused: a month not over, a unit that does not report, a bad month, a street whose communities are not accepted
            await #expect { try await r.submit(unit: Fixture.communityA1, month: "2026-05", in: community, by: worker) } throws: { isRenkouError($0, field: "/month", code: "not-ended") }
            await #expect { try await r.submit(unit: Fixture.district, month: "2026-04", in: .everything, by: worker) } throws: { isRenkouError($0, field: "/unit", code: "not-reporting") }
            await #expect { try await r.submit(unit: Fixture.communityA1, month: "2026/04", in: community, by: worker) } throws: { isRenkouError($0, field: "/month", code: "month-format") }
            await #expect { try await r.submit(unit: Fixture.streetA, month: "2026-04", in: street, by: office) } throws: { isRenkouError($0, field: "/unit", code: "waiting-for-lower") }
            await #expect { try await r.submit(unit: Fixture.communityB1, month: "2026-04", in: community, by: worker) } throws: { isRenkouError($0, code: "not-found") }

            let v1 = try await r.submit(unit: Fixture.communityA1, month: "2026-04", note: "四月报表", in: community, by: worker)
            #expect(v1.version == 1 && v1.state == .submitted && v1.late && v1.submittedOn == "2026-05-15")
            await #expect { try await r.submit(unit: Fixture.communityA1, month: "2026-04", in: community, by: worker) } throws: { isRenkouError($0, code: "already-submitted") }
            // a unit does not review its own report; sending back needs a note
            await #expect { try await r.review(v1.id, accept: true, note: nil, in: community, by: worker) } throws: { isRenkouError($0, code: "own-report") }
            await #expect { try await r.review(v1.id, accept: false, note: " ", in: street, by: office) } throws: { isRenkouError($0, field: "/note", code: "required") }
            let returned = try await r.review(v1.id, accept: false, note: "漏报一例出生", in: street, by: office)
            #expect(returned.state == .returned && returned.reviewNote == "漏报一例出生" && returned.reviewedBy == "street")

            // the worker registers the birth left out and submits again: version 2 shows the change
            try await Self.child(stores, 3, born: "2026-04-20")
            let v2 = try await r.submit(unit: Fixture.communityA1, month: "2026-04", in: community, by: worker)
            #expect(v2.version == 2 && v2.changes.contains(ReportChange(line: "registry.births", before: 1, after: 2, cumulativeBefore: 2, cumulativeAfter: 3)))
            let accepted = try await r.review(v2.id, accept: true, note: nil, in: street, by: office)
            #expect(accepted.state == .accepted)
            await #expect { try await r.review(v2.id, accept: false, note: "again", in: street, by: office) } throws: { isRenkouError($0, code: "not-waiting") }
            await #expect { try await r.review(v1.id, accept: true, note: nil, in: street, by: office) } throws: { isRenkouError($0, code: "not-waiting") }

            // accepted is locked: what it went up with stays, whatever the records say later
            try await Self.child(stores, 5, born: "2026-04-25")
            let after = try await r.sheet(unit: Fixture.communityA1, month: "2026-04", in: street)
            #expect(after.versions.map(\.state) == [.returned, .accepted] && after.versions.map(\.version) == [1, 2])
            #expect(after.latest?.figures.first { $0.line == "registry.births" }?.month == 2 && after.live.first { $0.line == "registry.births" }?.month == 3)
            // a correction after acceptance says why and changes a figure; it goes up as a new version
            await #expect { try await r.submit(unit: Fixture.communityA1, month: "2026-04", in: community, by: worker) } throws: { isRenkouError($0, field: "/note", code: "required") }
            let v3 = try await r.submit(unit: Fixture.communityA1, month: "2026-04", note: "更正", in: community, by: worker)
            #expect(v3.version == 3 && v3.changes.contains(ReportChange(line: "registry.births", before: 2, after: 3, cumulativeBefore: 3, cumulativeAfter: 4)))

            // who reported April: A1 ten days late (its first version), A2 not at all; the street waits for A2
            let (units, rates) = try await r.status(month: "2026-04", unit: Fixture.streetA, in: .everything)
            let a1 = units.first { $0.unitCode == Fixture.communityA1 }, a2 = units.first { $0.unitCode == Fixture.communityA2 }
            #expect(a1?.state == .submitted && a1?.standing == .submitted && a1?.version == 3 && a1?.firstSubmittedOn == "2026-05-15" && a1?.daysLate == 9 && a1?.onTime == false)
            #expect(a2?.state == nil && a2?.daysLate == 9)
            #expect(rates.first { $0.level == .community } == ReportRates(level: .community, expected: 2, submitted: 1, onTime: 0, accepted: 0))
            let blocked = try await r.sheet(unit: Fixture.streetA, month: "2026-04", in: street)
            #expect(blocked.blocked?.zh.contains("金沙社区") == true)

            // the rates read over May (April's reports fell due in it): A1 late but in, A2 missing
            let figures = try await stores.indicators.unitFigures(["RP01-reports-on-time", "RP02-reports-complete"], unitCode: Fixture.streetA,
                                                                  on: RenkouCore.Day(year: 2026, month: 5, day: 15)!, in: .everything).figures
            #expect(figures[0].numerator == 0 && figures[0].denominator == 3)
            #expect(figures[1].numerator == 1 && figures[1].denominator == 3)
            // the correction sent back: the accepted version 2 still stands
            try await r.review(v3.id, accept: false, note: "更正依据不足", in: street, by: office)
            let standing = try await r.status(month: "2026-04", unit: Fixture.streetA, in: .everything).units.first { $0.unitCode == Fixture.communityA1 }
            #expect(standing?.state == .returned && standing?.standing == .accepted && standing?.daysLate == 9)
            // corrected again and accepted; a correction with the same figures as the accepted version does not go up
            let again = try await r.submit(unit: Fixture.communityA1, month: "2026-04", note: "重报", in: community, by: worker)
            try await r.review(again.id, accept: true, note: nil, in: street, by: office)
            await #expect { try await r.submit(unit: Fixture.communityA1, month: "2026-04", note: "再报", in: community, by: worker) } throws: { isRenkouError($0, code: "no-changes") }
            // a district does not accept for the street, and nobody accepts a report they submitted
            let district = Scope(path: try await stores.orgs.unit(code: Fixture.district, in: .everything)!.path)
            let proxy = try await r.submit(unit: Fixture.communityA2, month: "2026-04", note: "街道代报", in: street, by: Actor(userID: nil, username: "clerk", role: .street))
            await #expect { try await r.review(proxy.id, accept: true, note: nil, in: district, by: Actor(userID: nil, username: "bureau", role: .district)) } throws: {
                isRenkouError($0, code: "not-level-above")
            }
            await #expect { try await r.review(proxy.id, accept: true, note: nil, in: street, by: Actor(userID: nil, username: "clerk", role: .street)) } throws: {
                isRenkouError($0, code: "own-submission")
            }
            #expect(try await r.review(proxy.id, accept: true, note: nil, in: street, by: Actor(userID: nil, username: "head", role: .street)).state == .accepted)
            let missing = try await stores.indicators.records("RP02-reports-complete", unitCode: Fixture.streetA, on: RenkouCore.Day(year: 2026, month: 5, day: 15)!,
                                                              in: .everything, by: .cli("t"))
            #expect(Set(missing.items.map(\.name)) == ["新成路街道"])
        }
    }

    /// Forms are dated policy: a month of 2015 adds its year to date over the statistical year (October
    /// to September), a month of today over the calendar year.
    @Test func olderFormsCountTheStatisticalYear() throws {
        let old = Policy.shipped(.reportForms, on: RenkouCore.Day(year: 2015, month: 11, day: 1)!)[0]
        let now = Policy.shipped(.reportForms, on: RenkouCore.Day(year: 2026, month: 11, day: 1)!)[0]
        #expect(old.cumulative == .statisticalYear && now.cumulative == .year)
        #expect(now.due(for: RenkouCore.Day(year: 2026, month: 11, day: 1)!, level: .street).description == "2026-12-05")
        #expect(now.due(for: RenkouCore.Day(year: 2026, month: 11, day: 1)!, level: .community).description == "2026-12-03")
        // September's, due in the National Day holiday, moves to the first working day after it
        #expect(now.due(for: RenkouCore.Day(year: 2026, month: 9, day: 1)!, level: .street, calendar: Policy.shipped.calendar) > RenkouCore.Day(year: 2026, month: 10, day: 5)!)
        #expect(Set(now.lines.map(\.code)).count == now.lines.count)
    }
}
