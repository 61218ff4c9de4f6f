import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// 按周期发放: a woman on the pill handed three packs is due again when they run out: her open
/// resupply visit is made by the hand-out, the next one falls due 3 × 28 days later; a hand-out to
/// someone without the method schedules nothing; the distribution rate counts her.
@Suite struct ResupplyTests {
    @Test(arguments: TestEngine.all) func aPillUserIsDueAgainWhenHerPacksRunOut(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
        try await withTestStores(engine, clock: clock) { stores in
            let (_, point, _) = try await SupplyTests.setUp(stores)
            let s = stores.supplies, today = RenkouCore.Day(stores.env.now())
            var input = PersonInput(name: "周丽", idNumber: "420117199001010027", unit: Fixture.communityA1)
            input.sex = "2"; input.maritalStatus = "20"; input.firstMarriageDate = "2015-05-01"
            let her = try await stores.persons.create(input, in: .everything, by: .cli())
            var other = PersonInput(name: "吴芳", idNumber: "420117199202020029", unit: Fixture.communityA1)
            other.sex = "2"; other.maritalStatus = "20"; other.firstMarriageDate = "2016-05-01"
            let neighbour = try await stores.persons.create(other, in: .everything, by: .cli())
            // she started the pill 40 days ago: her monthly resupply visit is open
            var start = ServiceInput(); start.person = her.id.text; start.kind = "method-start"; start.method = "oral-pill"; start.date = today.adding(days: -40).description
            start.informedChoice = InformedChoice(counselledOn: start.date, methodsExplained: ["iud", "implant", "injectable", "oral-pill", "condom", "emergency-pill"], chosen: "oral-pill", mec: 1)
            try await stores.services.record(start, in: .everything, by: .cli())
            let before = try await stores.services.followUps(personID: her.id, on: today, in: .everything).filter { $0.schedule == "oral-pill" }
            #expect(before.count == 1 && before[0].doneOn == nil)
            try await s.record(StockEventInput(kind: "receive", location: point.id.text, product: "KF-01", lotCode: "P1", expiresOn: today.adding(days: 600).description, quantity: 50,
                                               occurredOn: today.adding(days: -60).description, document: "RK-P"), in: .everything, by: .cli())
            // the worker types her ID number off the card
            let posted = try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 3, person: "420117199001010027"), in: .everything, by: .cli())
            #expect(posted.resupplyDue == today.adding(days: 84).description)
            // the open visit is made by the hand-out; the one open now falls due when the three packs run out
            #expect(try await stores.services.followUp(before[0].id, in: .everything).doneOn == today.description)
            let after = try await stores.services.followUps(personID: her.id, on: today, in: .everything).filter { $0.schedule == "oral-pill" }
            #expect(after.count == 1 && after.first?.due == today.adding(days: 84).description)
            #expect(after.first?.status(on: today) == .notYetDue && after.first?.status(on: today.adding(days: 84)) == .due)
            // no method, no reminder; an unknown number is refused by field
            let plain = try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 1, person: neighbour.id.text), in: .everything, by: .cli())
            #expect(plain.resupplyDue == nil)
            #expect(try await stores.services.followUps(personID: neighbour.id, on: today, in: .everything).isEmpty)
            await #expect { try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 1, person: "110101199003070011"), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/person", code: "unknown-person") }
            // 药具免费发放率: she is the one short-acting user of the community, and she was handed supplies this month
            let rate = try await stores.indicators.summary(["S02-supplies-distribution"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures[0]
            #expect(rate.numerator == 1 && rate.denominator == 1)
        }
    }
}

/// 发放机对账: the machine's log (CSV) is booked all or nothing and once; a month whose refills,
/// vends and count do not add up is flagged, one that adds up is not.
@Suite struct MachineLogTests {
    @Test(arguments: TestEngine.all) func aLogIsBookedOnceAndAMonthThatDoesNotAddUpIsFlagged(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
        try await withTestStores(engine, clock: clock) { stores in
            let (store, _, machine) = try await SupplyTests.setUp(stores)
            let s = stores.supplies, today = RenkouCore.Day(stores.env.now())
            try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "M1", expiresOn: today.adding(days: 500).description, quantity: 500,
                                               occurredOn: "2026-09-20", document: "RK-M"), in: .everything, by: .cli())
            // October: 50 loaded (books and machine agree), two vends, the month-end count finds 48: it adds up
            try await s.record(StockEventInput(kind: "transfer", location: store.id.text, destination: machine.id.text, product: "BYT-01", quantity: 50, occurredOn: "2026-10-02"), in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "vend", location: machine.id.text, product: "BYT-01", quantity: 2, occurredOn: "2026-10-12"), in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "count", location: machine.id.text, product: "BYT-01", lot: try await s.stock(location: machine.id, in: .everything)[0].lotID.text,
                                               quantity: 48, occurredOn: "2026-10-31"), in: .everything, by: .cli())
            // November: 40 moved on the books; the machine reports loading 40; one vend through a check; a fault
            try await s.record(StockEventInput(kind: "transfer", location: store.id.text, destination: machine.id.text, product: "BYT-01", quantity: 40, occurredOn: "2026-11-03"), in: .everything, by: .cli())
            let token = try await s.issueMachineToken(machine.id, in: .everything, by: .cli())
            let check = try await s.check(machine: machine.id, token: token, idNumber: "420117199001010027", product: "BYT-01")
            clock.advance(600)
            let vendTime = Timestamp.local(Timestamp.string(stores.env.now().addingTimeInterval(-60)))   // the box came out after the check
            // the November refill was reported through the API as it happened, with the machine's own time
            try await s.report(machine: machine.id, token: token, kind: "refill", product: "BYT-01", check: nil, quantity: 40, at: "2026-11-03 09:10")
            let log = """
                time,event,product,quantity,check
                2026-10-02 09:00,refill,BYT-01,50,
                2026-11-03 09:10:00,refill,BYT-01,40,
                \(vendTime),vend,BYT-01,1,\(check.checkID!.text)
                2026-11-05 22:00,fault,,,
                """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("machine-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            // a bad log: every bad line named, nothing kept
            try Data((log + "\n2026-11-31 10:00,refill,BYT-01,5,\n2026-11-06 10:00,jam,,,\n2026-11-07 10:00,refill,XX-9,0,\n").utf8).write(to: file)
            await #expect { try await s.uploadLog(machine: machine.id, token: token, file: file, in: nil) } throws: { e in
                let fields = (e as? RenkouError)?.fields.map(\.pointer) ?? []
                return isRenkouError(e, field: "/lines/6/time", code: "date-format") && fields.contains("/lines/7/event") && fields.contains("/lines/8/product") && fields.contains("/lines/8/quantity")
            }
            #expect(try await stores.db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM machine_reports").first()!.decode(column: "n", as: Int.self) } == 1)
            // a log whose vend is refused (the check belongs to another product) books nothing either
            try Data(log.replacingOccurrences(of: "vend,BYT-01", with: "vend,KF-01").utf8).write(to: file)
            await #expect { try await s.uploadLog(machine: machine.id, token: token, file: file, in: nil) } throws: { isRenkouError($0, field: "/lines/4", code: "unknown-check") }
            #expect(try await stores.db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM machine_reports").first()!.decode(column: "n", as: Int.self) } == 1)
            // a vend logged before its check was made is not that check's
            try Data(log.replacingOccurrences(of: vendTime, with: "2026-11-18 07:00").utf8).write(to: file)
            await #expect { try await s.uploadLog(machine: machine.id, token: token, file: file, in: nil) } throws: { isRenkouError($0, field: "/lines/4", code: "unknown-check") }
            try Data(log.utf8).write(to: file)
            let first = try await s.uploadLog(machine: machine.id, token: token, file: file, in: nil)
            // the November refill the API told (the same time written another way) counts once
            #expect(first.lines == 4 && first.applied == 3 && first.duplicates == 1 && first.byKind == ["refill": 1, "vend": 1, "fault": 1])
            // the same log again (by a worker this time): every line told before
            let again = try await s.uploadLog(machine: machine.id, token: nil, file: file, in: .everything, by: .cli())
            #expect(again.applied == 0 && again.duplicates == 4)
            // a fault told again is no second task
            try await s.report(machine: machine.id, token: token, kind: "fault", product: nil, check: nil)
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).filter { $0.kind == .machineAlert }.count == 1)
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).contains { $0.kind == .machineAlert })
            // October adds up: 0 + 50 − 2 − 48
            let october = try await s.reconciliation(month: try SupplyStore.month("2026-10", today: today), in: .everything)
            #expect(october.count == 1 && october[0].difference == 0 && october[0].closingCounted && !october[0].flagged)
            // November: the count finds 80 where 48 + 40 − 1 = 87 should be: 7 missing, flagged
            try await s.record(StockEventInput(kind: "count", location: machine.id.text, product: "BYT-01", lot: try await s.stock(location: machine.id, in: .everything)[0].lotID.text,
                                               quantity: 80, occurredOn: today.description), in: .everything, by: .cli())
            let november = try await s.reconciliation(month: try SupplyStore.month(nil, today: today), in: .everything)
            #expect(november.map(\.opening) == [48] && november.map(\.refilled) == [40] && november.map(\.booksIn) == [40] && november.map(\.vended) == [1] && november.map(\.closing) == [80])
            #expect(november[0].difference == 7 && november[0].flagged && november[0].faults == 2)
            // nothing the machine's work kept names her or holds her number: the checks, the reports, the vends' events, the audit rows
            let kept = try await stores.db.read { db in
                var text: [String] = []
                for r in try await db.raw("SELECT id, location_id, COALESCE(person_hash, '') AS h, product, reason, decided_at FROM machine_checks").all() {
                    text.append(try ["id", "location_id", "h", "product", "reason", "decided_at"].map { try r.decode(column: $0, as: String.self) }.joined(separator: " "))
                }
                for r in try await db.raw("SELECT kind, COALESCE(product, '') AS p, COALESCE(check_id, '') AS c, line_key, occurred_at FROM machine_reports").all() {
                    text.append(try ["kind", "p", "c", "line_key", "occurred_at"].map { try r.decode(column: $0, as: String.self) }.joined(separator: " "))
                }
                for r in try await db.raw("SELECT COALESCE(note, '') AS n, COALESCE(person_id, '') AS p FROM stock_events WHERE location_id = \(bind: machine.id.text)").all() {
                    text.append(try r.decode(column: "n", as: String.self) + " " + r.decode(column: "p", as: String.self))
                }
                for r in try await db.raw("SELECT COALESCE(after_value, '') AS a, entity_id AS e FROM audit_log").all() {
                    text.append(try r.decode(column: "a", as: String.self) + " " + r.decode(column: "e", as: String.self))
                }
                return text.joined(separator: "\n")
            }
            #expect(kept.contains("check ") && !kept.contains("420117199001010027") && !kept.contains("199001010027"))
            await #expect { try await s.uploadLog(machine: machine.id, token: "wrong", file: file, in: nil) } throws: { isRenkouError($0, code: "machine-token") }
            await #expect { try await SupplyStore.month("2026-13", today: today) } throws: { isRenkouError($0, field: "/month", code: "date-format") }
        }
    }
}

/// 药具月报: a location's month adds up from opening to closing, the planning figures follow the last
/// three months' use, and a write-off above 5‰ of what went out this year is flagged.
@Suite struct StockReportTests {
    @Test(arguments: TestEngine.all) func theMonthlyReportAddsUpAndFlagsWriteOffs(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
        try await withTestStores(engine, clock: clock) { stores in
            let (store, point, _) = try await SupplyTests.setUp(stores)
            let s = stores.supplies, today = RenkouCore.Day(stores.env.now())
            func record(_ e: StockEventInput) async throws { try await s.record(e, in: .everything, by: .cli()) }
            try await record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "A", expiresOn: "2027-02-28", quantity: 1000, occurredOn: "2026-08-01", document: "RK-1"))
            // three months of 100 out to the point, 90 handed out there each month
            for m in ["09", "10", "11"] {
                try await record(StockEventInput(kind: "transfer", location: store.id.text, destination: point.id.text, product: "BYT-01", quantity: 100, occurredOn: "2026-\(m)-05"))
                try await record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", quantity: 90, occurredOn: "2026-\(m)-10"))
            }
            try await record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "B", expiresOn: "2028-01-31", quantity: 200, occurredOn: "2026-11-02", document: "RK-2"))
            let lotA = try #require(try await s.stock(location: point.id, in: .everything).first { $0.lotCode == "A" }).lotID
            try await record(StockEventInput(kind: "adjust", location: point.id.text, product: "BYT-01", lot: lotA.text, quantity: 2, occurredOn: "2026-11-12", reason: "damaged"))
            let month = try SupplyStore.month("2026-11", today: today)
            let lines = try await s.report(month: month, in: .everything)
            let pointLine = try #require(lines.first { $0.locationID == point.id }), storeLine = try #require(lines.first { $0.locationID == store.id })
            // the point: 20 + 100 − 90 − 2 = 28
            #expect(pointLine.opening == 20 && pointLine.transferredIn == 100 && pointLine.dispensed == 90 && pointLine.adjusted == -2 && pointLine.closing == 28)
            // three months' use over the part of them gone by (1 September to 18 November: 79 days), the order up to three months of it
            let months = 79.0 / 30.44, pointUse = (270 / months * 10).rounded() / 10
            #expect(pointLine.averageMonthlyConsumption == pointUse && pointLine.suggestedOrder == Int((pointUse * 3).rounded(.up)) - 28)
            // 2 lost of 270 handed out this year: 7.4‰, above 5‰
            #expect(pointLine.writeOffFlagged && abs((pointLine.writeOffPerMille ?? 0) - 2000.0 / 270) < 0.01)
            // lot A expires within six months of the month's end: all 28 near expiry
            #expect(pointLine.nearExpiry == 28 && pointLine.expired == 0)
            // the store: 800 + 200 received − 100 out = 900, nothing written off
            #expect(storeLine.opening == 800 && storeLine.received == 200 && storeLine.transferredOut == 100 && storeLine.closing == 900 && !storeLine.writeOffFlagged)
            #expect(storeLine.opening + storeLine.received - storeLine.transferredOut == storeLine.closing)
            #expect(storeLine.suggestedOrder == 0 && abs((storeLine.monthsOfStock ?? 0) - 900 / ((300 / months * 10).rounded() / 10)) < 0.001)
            // a hand-out taken back is not use; a count that finds fewer is a loss: 2 + 3 of 270 − 90 (the reversed hand-out)
            let last = try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", quantity: 9, occurredOn: "2026-11-14"), in: .everything, by: .cli())
            try await s.reverse(last.eventID, reason: "误录", in: .everything, by: .cli())
            try await record(StockEventInput(kind: "count", location: point.id.text, product: "BYT-01", lot: lotA.text, quantity: 25, occurredOn: "2026-11-15"))
            let again = try #require(try await s.report(month: month, location: point.id, in: .everything).first)
            #expect(again.dispensed == 99 && again.adjusted == -2 + 9 && again.countDifference == -3 && again.closing == 25 && again.averageMonthlyConsumption == pointUse)
            #expect(abs((again.writeOffPerMille ?? 0) - 5000.0 / 270) < 0.01)
            // one location only; one outside the scope is unknown
            #expect(try await s.report(month: month, location: point.id, in: .everything).count == 1)
            let outside = try await stores.orgs.unit(code: Fixture.communityB1, in: .everything)!
            await #expect { try await s.report(month: month, location: point.id, in: Scope(path: outside.path)) } throws: { isRenkouError($0, field: "/location", code: "unknown-location") }
        }
    }
}
