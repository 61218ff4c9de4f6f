import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Stock moves only by events; each card's balance follows them, a back-dated line moves the later
/// balances, a count is the balance from its day, a reversal undoes, expired stock never leaves, and
/// nothing goes below zero.
@Suite struct SupplyTests {
    static func setUp(_ stores: Stores) async throws -> (store: StockLocation, point: StockLocation, machine: StockLocation) {
        try await Fixture.tree(stores)
        for p in [Product(code: "BYT-01", name: "避孕套", category: .condom, unit: "只", packSize: 10), Product(code: "KF-01", name: "复方左炔诺孕酮片", category: .oralPill, unit: "板", packSize: 1)] {
            try await stores.supplies.saveProduct(p, by: .cli())
        }
        let store = try await stores.supplies.addLocation(name: "区药具库", kind: "warehouse", unitCode: Fixture.district, in: .everything, by: .cli())
        let point = try await stores.supplies.addLocation(name: "白银路发放点", kind: "service-point", unitCode: Fixture.communityA1, in: .everything, by: .cli())
        let machine = try await stores.supplies.addLocation(name: "自助机", kind: "machine", unitCode: Fixture.communityA1, slots: 4, capacity: 200, in: .everything, by: .cli())
        return (store, point, machine)
    }

    @Test(arguments: TestEngine.all) func eventsMoveStockAndBackDatedOnesMoveLaterBalances(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
        try await withTestStores(engine, clock: clock) { stores in
            let (store, point, _) = try await Self.setUp(stores)
            let s = stores.supplies
            func day(_ d: Int) -> String { RenkouCore.Day(stores.env.now()).adding(days: d).description }
            // two lots: the one that expires first goes out first
            try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "A1", expiresOn: day(100), quantity: 300, occurredOn: day(-30), document: "RK-1"), in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "B2", expiresOn: day(700), quantity: 500, occurredOn: day(-30), document: "RK-2"), in: .everything, by: .cli())
            let moved = try await s.record(StockEventInput(kind: "transfer", location: store.id.text, destination: point.id.text, product: "BYT-01", quantity: 400, occurredOn: day(-20)), in: .everything, by: .cli())
            #expect(moved.lines.map(\.lotCode) == ["A1", "A1", "B2", "B2"] && moved.lines.map(\.delta) == [-300, 300, -100, 100])
            let handOut = try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", quantity: 50, occurredOn: day(-5)), in: .everything, by: .cli())
            func balances(_ at: StockLocation) async throws -> [String: Int] {
                Dictionary(uniqueKeysWithValues: try await s.stock(location: at.id, in: .everything).map { ($0.lotCode, $0.balance) })
            }
            #expect(try await balances(point) == ["A1": 250, "B2": 100])
            #expect(try await balances(store) == ["B2": 400])
            // the near-expiry lot is flagged (100 days < 6 months)
            #expect(try await s.stock(location: point.id, in: .everything).first { $0.lotCode == "A1" }?.nearExpiry == true)
            // a count ten days ago found 280 of A1 (the books said 300): from that day on the balance is 280, the later hand-out follows
            let a1 = try #require(try await s.stock(location: point.id, in: .everything).first { $0.lotCode == "A1" }).lotID
            try await s.record(StockEventInput(kind: "count", location: point.id.text, product: "BYT-01", lot: a1.text, quantity: 280, occurredOn: day(-10)), in: .everything, by: .cli())
            #expect(try await balances(point)["A1"] == 230)
            let card = try await s.card(location: point.id, lot: a1, in: .everything)
            #expect(card.map(\.kind) == [.transfer, .count, .dispense] && card.map(\.balance) == [300, 280, 230] && card.map(\.delta) == [300, -20, -50])
            // an adjustment dated before the count changes nothing after it: the count is what was on the shelf
            try await s.record(StockEventInput(kind: "adjust", location: point.id.text, product: "BYT-01", lot: a1.text, quantity: 5, occurredOn: day(-15), reason: "damaged"), in: .everything, by: .cli())
            #expect(try await balances(point)["A1"] == 230)
            #expect(try await s.card(location: point.id, lot: a1, in: .everything).map(\.balance) == [300, 295, 280, 230])
            // a reversal undoes the hand-out; a second one is refused
            try await s.reverse(handOut.eventID, reason: "登记错误", in: .everything, by: .cli())
            #expect(try await balances(point)["A1"] == 280)
            await #expect { try await s.reverse(handOut.eventID, reason: "again", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "already-reversed") }
            #expect(try await s.card(location: point.id, lot: a1, in: .everything).first { $0.kind == .dispense }?.reversed == true)
        }
    }

    @Test(arguments: TestEngine.all) func expiredStockNeverLeavesAndNothingGoesBelowZero(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        try await withTestStores(engine, clock: clock) { stores in
            let (store, point, machine) = try await Self.setUp(stores)
            let s = stores.supplies
            func day(_ d: Int) -> String { RenkouCore.Day(stores.env.now()).adding(days: d).description }
            // a lot received long ago that has expired since
            try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "KF-01", lotCode: "OLD", expiresOn: day(-10), quantity: 40, occurredOn: day(-200), document: "RK-9"), in: .everything, by: .cli())
            let old = try #require(try await s.stock(location: store.id, in: .everything).first).lotID
            #expect(try await s.stock(location: store.id, in: .everything).first?.expired == true)
            await #expect { try await s.record(StockEventInput(kind: "dispense", location: store.id.text, product: "KF-01", lot: old.text, quantity: 1), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/lot", code: "lot-expired") }
            // without a lot, only unexpired lots are taken: there are none
            await #expect { try await s.record(StockEventInput(kind: "transfer", location: store.id.text, destination: point.id.text, product: "KF-01", quantity: 1), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "insufficient-stock") }
            // receiving an expired lot, or without the delivery note, is refused with every field named
            await #expect { try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "KF-01", lotCode: "X", expiresOn: day(-1), quantity: 5), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/document", code: "required") }
            await #expect { try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "KF-01", lotCode: "X", expiresOn: day(-1), quantity: 5, document: "RK-10"), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/expiresOn", code: "lot-expired") }
            // the expired lot is written off
            try await s.record(StockEventInput(kind: "adjust", location: store.id.text, product: "KF-01", lot: old.text, quantity: 40, reason: "expired"), in: .everything, by: .cli())
            #expect(try await s.stock(location: store.id, in: .everything).isEmpty)
            // a hand-out back-dated before the stock came would take a balance below zero: refused, nothing written
            try await s.record(StockEventInput(kind: "receive", location: point.id.text, product: "BYT-01", lotCode: "N1", expiresOn: day(400), quantity: 20, occurredOn: day(-3), document: "RK-11"), in: .everything, by: .cli())
            let n1 = try #require(try await s.stock(location: point.id, in: .everything).first).lotID
            await #expect { try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", lot: n1.text, quantity: 5, occurredOn: day(-4)), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "insufficient-stock") }
            await #expect { try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", quantity: 21), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "insufficient-stock") }
            #expect(try await s.card(location: point.id, lot: n1, in: .everything).count == 1)
            // a vend is a machine's; a count cannot be reversed
            await #expect { try await s.record(StockEventInput(kind: "vend", location: point.id.text, product: "BYT-01", quantity: 1), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/location", code: "not-a-machine") }
            let count = try await s.record(StockEventInput(kind: "count", location: point.id.text, product: "BYT-01", lot: n1.text, quantity: 20), in: .everything, by: .cli())
            await #expect { try await s.reverse(count.eventID, reason: "x", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "count-not-reversible") }
            // a transfer from the district's store into the community: a community-scoped caller may not reverse it (it debits the store)
            try await s.record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "S1", expiresOn: day(500), quantity: 30, document: "RK-12"), in: .everything, by: .cli())
            let sent = try await s.record(StockEventInput(kind: "transfer", location: store.id.text, destination: point.id.text, product: "BYT-01", lot: nil, quantity: 10), in: .everything, by: .cli())
            await #expect { try await s.reverse(sent.eventID, reason: "x", in: Scope(path: "/310000/310114/\(Fixture.streetA)/"), by: .cli()) } throws: { isRenkouError($0, code: "not-found") }
            // a street's worker sees only her street's locations and stock; another street's location is unknown to her
            #expect(try await s.locations(in: Scope(path: "/310000/310114/\(Fixture.streetB)/")).isEmpty)
            await #expect { try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", quantity: 1), in: Scope(path: "/310000/310114/\(Fixture.streetB)/"), by: .cli()) }
                throws: { isRenkouError($0, field: "/location", code: "unknown-location") }
            _ = machine
        }
    }
}

/// A dispensing machine with its own token: a second box within the interval is refused, ages
/// outside the policy too; its vends move its stock; a fault is a task; and nothing kept names the
/// person or holds her number.
@Suite struct MachineTests {
    @Test(arguments: TestEngine.all) func aMachineRefusesASecondBoxWithinTheLimitAndKeepsNoNumber(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        try await withTestStores(engine, clock: clock) { stores in
            let (_, _, machine) = try await SupplyTests.setUp(stores)
            let s = stores.supplies
            try await s.record(StockEventInput(kind: "receive", location: machine.id.text, product: "BYT-01", lotCode: "M1", expiresOn: RenkouCore.Day(stores.env.now()).adding(days: 400).description,
                                               quantity: 10, document: "RK-M"), in: .everything, by: .cli())
            let token = try await s.issueMachineToken(machine.id, in: .everything, by: .cli())
            let adult = "420117199001010027", minor = { () -> String in let f = "42011720120101002"; return f + String(CitizenID.checkCharacter(f)!) }()
            await #expect { try await s.check(machine: machine.id, token: "wrong", idNumber: adult, product: "BYT-01") } throws: { isRenkouError($0, code: "machine-token") }
            let first = try await s.check(machine: machine.id, token: token, idNumber: adult, product: "BYT-01")
            #expect(first.allow && first.checkID != nil)
            // she asks again (or at the next machine) before the box comes out: held while the first is pending
            let twice = try await s.check(machine: machine.id, token: token, idNumber: adult, product: "BYT-01")
            #expect(!twice.allow && twice.reason == "pending")
            await #expect { try await s.report(machine: machine.id, token: token, kind: "vend", product: "KF-01", check: first.checkID) } throws: { isRenkouError($0, field: "/check", code: "unknown-check") }
            // the first box never came out; three minutes later she is allowed again, then both boxes are reported: the second is refused and moves nothing
            clock.advance(180)
            let later = try await s.check(machine: machine.id, token: token, idNumber: adult, product: "BYT-01")
            #expect(later.allow)
            try await s.report(machine: machine.id, token: token, kind: "vend", product: "BYT-01", check: first.checkID)
            await #expect { try await s.report(machine: machine.id, token: token, kind: "vend", product: "BYT-01", check: later.checkID) } throws: { isRenkouError($0, code: "within-limit") }
            #expect(try await s.stock(location: machine.id, in: .everything).first?.balance == 9)
            // a check is spent once
            await #expect { try await s.report(machine: machine.id, token: token, kind: "vend", product: "BYT-01", check: first.checkID) } throws: { isRenkouError($0, field: "/check", code: "unknown-check") }
            // ten days later: refused until the interval has passed (30 days, policy)
            clock.advance(10 * 86_400)
            let again = try await s.check(machine: machine.id, token: token, idNumber: adult.lowercased(), product: "BYT-01")
            #expect(!again.allow && again.reason == "within-limit" && again.nextOn == RenkouCore.Day(Date(timeIntervalSince1970: 1_795_000_180)).adding(days: 30).description)
            clock.advance(21 * 86_400)
            #expect(try await s.check(machine: machine.id, token: token, idNumber: adult, product: "BYT-01").allow)
            #expect(try await s.check(machine: machine.id, token: token, idNumber: minor, product: "BYT-01").reason == "age")
            #expect(try await s.check(machine: machine.id, token: token, idNumber: "420117199001010028", product: "BYT-01").reason == "invalid-id")
            // a fault is a task for the machine's community
            try await s.report(machine: machine.id, token: token, kind: "fault", product: nil, check: nil)
            #expect(try await stores.tasks.list(on: RenkouCore.Day(stores.env.now()), in: .everything, by: .cli()).contains { $0.kind == .machineAlert })
            // what is kept: hashes, no number, no name, anywhere in the machine's rows
            let rows = try await stores.db.read { db in try await db.raw("SELECT * FROM machine_checks").all() }
            #expect(rows.count == 6)
            for r in rows {
                let hash = try r.decode(column: "person_hash", as: String.self)
                #expect(hash.count == 64 && !hash.contains("19900101"))
            }
            let dump = try await stores.db.read { db in
                try await db.raw("SELECT id, location_id, person_hash, product, reason, decided_at, COALESCE(vended_at, '') AS v FROM machine_checks").all().map {
                    [try $0.decode(column: "id", as: String.self), try $0.decode(column: "person_hash", as: String.self), try $0.decode(column: "reason", as: String.self)].joined(separator: " ")
                }.joined(separator: "\n")
            }
            #expect(!dump.contains(adult) && !dump.contains("0101002"))
            let notes = try await stores.db.read { db in try await db.raw("SELECT COALESCE(note, '') AS n FROM stock_events").all().map { try $0.decode(column: "n", as: String.self) } }
            #expect(notes.allSatisfy { !$0.contains(adult) })
        }
    }
}

/// 盘点: a sheet lists each lot's book balance on its day; the counts are entered and the sheet signed
/// with its number: the differences are booked, later balances follow, and the books-match rate of
/// the month counts the lines that agreed.
@Suite struct CountSheetTests {
    @Test(arguments: TestEngine.all) func aSignedSheetBooksItsDifferencesAndFeedsTheRate(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        try await withTestStores(engine, clock: clock) { stores in
            let (_, point, _) = try await SupplyTests.setUp(stores)
            let s = stores.supplies
            func day(_ d: Int) -> String { RenkouCore.Day(stores.env.now()).adding(days: d).description }
            for (code, n) in [("A1", 100), ("B2", 60)] {
                try await s.record(StockEventInput(kind: "receive", location: point.id.text, product: "BYT-01", lotCode: code, expiresOn: day(500), quantity: n, occurredOn: day(-9), document: "RK-\(code)"), in: .everything, by: .cli())
            }
            try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "BYT-01", quantity: 10, occurredOn: day(-1)), in: .everything, by: .cli())
            // counted five days ago: the books then said 100 and 60
            let sheet = try await s.openSheet(location: point.id, on: day(-5), in: .everything, by: .cli())
            #expect(sheet.state == "draft" && sheet.lines.map(\.book) == [100, 60])
            let a1 = sheet.lines[0].lotID, b2 = sheet.lines[1].lotID
            await #expect { try await s.sign(sheet.id, document: "PD-1", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "not-counted") }
            await #expect { try await s.enterCounts(sheet.id, counts: [a1: -1], in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/counts/\(a1.text)", code: "out-of-range") }
            // a movement on the count's day recorded after the sheet was opened would be swallowed: signing is refused
            let other = try await s.openSheet(location: point.id, on: day(-1), in: .everything, by: .cli())
            let late = try await s.record(StockEventInput(kind: "adjust", location: point.id.text, product: "BYT-01", lot: b2.text, quantity: 1, occurredOn: day(-1), reason: "found"), in: .everything, by: .cli())
            _ = try await s.enterCounts(other.id, counts: Dictionary(uniqueKeysWithValues: other.lines.map { ($0.lotID, $0.book) }), in: .everything, by: .cli())
            await #expect { try await s.sign(other.id, document: "PD-0", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "books-moved") }
            try await s.reverse(late.eventID, reason: "盘点前误录", in: .everything, by: .cli())
            let counted = try await s.enterCounts(sheet.id, counts: [a1: 97, b2: 60], in: .everything, by: .cli())
            #expect(counted.state == "counted" && counted.lines.map(\.difference) == [-3, 0])
            await #expect { try await s.sign(sheet.id, document: " ", in: .everything, by: .cli()) } throws: { isRenkouError($0, field: "/document", code: "required") }
            let signed = try await s.sign(sheet.id, document: "PD-1", in: .everything, by: .cli())
            #expect(signed.state == "signed" && signed.document == "PD-1")
            // the later hand-out (10, first-to-expire A1) follows the count: 97 − 10
            #expect(Dictionary(uniqueKeysWithValues: try await s.stock(location: point.id, in: .everything).map { ($0.lotCode, $0.balance) }) == ["A1": 87, "B2": 60])
            await #expect { try await s.enterCounts(sheet.id, counts: [a1: 1], in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "signed") }
            // 帐物相符: one of two lines matched
            let rate = try await stores.indicators.summary(["S01-books-match"], unitCode: Fixture.communityA1, on: RenkouCore.Day(stores.env.now()), in: .everything).unit.figures[0]
            #expect(rate.numerator == 1 && rate.denominator == 2)
        }
    }
}

/// 每人每年限量: a person of the registry is handed at most the yearly quota of a category (policy);
/// a reversed hand-out does not count; anonymous hand-outs at an event count without a person.
@Suite struct QuotaTests {
    @Test(arguments: TestEngine.all) func aPersonIsHandedNoMoreThanTheYearlyQuota(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        try await withTestStores(engine, clock: clock) { stores in
            let (_, point, _) = try await SupplyTests.setUp(stores)
            let s = stores.supplies
            var p = PersonInput(name: "李秀英", idNumber: "420117199001010027", unit: Fixture.communityA1); p.sex = "2"
            let her = try await stores.persons.create(p, in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "receive", location: point.id.text, product: "KF-01", lotCode: "P1", expiresOn: RenkouCore.Day(stores.env.now()).adding(days: 600).description,
                                               quantity: 100, occurredOn: RenkouCore.Day(stores.env.now()).adding(days: -60).description, document: "RK-P"), in: .everything, by: .cli())
            let first = try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 12, occurredOn: RenkouCore.Day(stores.env.now()).adding(days: -30).description, person: her.id.text), in: .everything, by: .cli())
            await #expect { try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 2, person: her.id.text), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/quantity", code: "quota-exceeded") }
            try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 1, person: her.id.text), in: .everything, by: .cli())
            // the first hand-out entered by mistake and reversed: it no longer counts
            try await s.reverse(first.eventID, reason: "登记错误", in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 12, person: her.id.text), in: .everything, by: .cli())
            // without a person (an event's table): no quota
            try await s.record(StockEventInput(kind: "dispense", location: point.id.text, product: "KF-01", quantity: 40), in: .everything, by: .cli())
            #expect(try await s.stock(location: point.id, in: .everything).first?.balance == 100 - 1 - 12 - 40)
        }
    }
}
