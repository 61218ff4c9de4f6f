import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// The legacy social maintenance fee ledger (#13 part 8): off by default, old cases only, closed
/// under the 2021 rules with nothing refunded.
@Suite struct FeeLedgerTests {
    static let ledgerOn = try! Policy.shipped.overriding(with: Data(#"{"rules": [{"key": "births.fee-ledger", "from": "2002-09-01", "value": true, "source": "test"}]}"#.utf8), file: "ledger.json")

    @Test(arguments: TestEngine.all) func theLedgerIsOffByDefault(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            #expect(!stores.fees.isEnabled)
            await #expect { try await stores.fees.cases(in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "ledger-off") }
            await #expect { try await stores.fees.open(FeeCaseInput(), in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "ledger-off") }
        }
    }

    @Test(arguments: TestEngine.all) func oldCasesAreCollectedNegotiatedAndClosedUnderThe2021Rules(engine: TestEngine) async throws {
        try await withTestStores(engine, policy: Self.ledgerOn) { stores in
            try await Fixture.tree(stores)
            let father = try await stores.persons.create(PersonInput(name: "王建国", idNumber: Fixture.idNumber(11, birth: "19800101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            func input(born: String, decided: String, amount: Int) -> FeeCaseInput {
                FeeCaseInput(person: father.id.text, spouseName: "李秀英", childBirthDate: born, decisionNumber: "某卫征字〔2018〕12号", decidedOn: decided, amount: amount, instalments: 3, hukouRegion: "420117")
            }
            // no case for a birth, or a decision, on or after the day the fee was abolished
            await #expect { try await stores.fees.open(input(born: "2021-08-20", decided: "2021-09-01", amount: 10_000), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/childBirthDate", code: "fee-abolished") && isRenkouError($0, field: "/decidedOn", code: "fee-abolished") }
            await #expect { try await stores.fees.open(input(born: "2018-01-05", decided: "2017-12-01", amount: 0), in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/decidedOn", code: "before-birth") && isRenkouError($0, field: "/amount", code: "range") }
            let a = try await stores.fees.open(input(born: "2018-01-05", decided: "2018-06-01", amount: 30_000), in: .everything, by: .cli("worker"))
            #expect(a.number == "SF-000001" && a.isOpen && a.outstanding == 30_000)
            // payments before the abolition; none after it, and none beyond what is owed
            _ = try await stores.fees.collect(a.id, day: "2019-03-01", amount: 10_000, receipt: "No.0001", in: .everything, by: .cli())
            await #expect { try await stores.fees.collect(a.id, day: "2021-09-01", amount: 5_000, receipt: "No.0002", in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/day", code: "no-longer-collected") }
            await #expect { try await stores.fees.collect(a.id, day: "2020-03-01", amount: 25_000, receipt: "No.0002", in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/amount", code: "over-amount") }
            let talked = try await stores.fees.negotiate(a.id, day: "2020-05-01", region: nil, text: "函请户籍地协助征收，对方同意", in: .everything, by: .cli())
            #expect(talked.negotiations.map(\.region) == ["420117"] && talked.collections.map(\.amount) == [10_000])
            // closed under the 2021 rules: the 10,000 collected stays, the 20,000 outstanding is no longer collected
            let closed = try await stores.fees.close(a.id, in: .everything, by: .cli())
            #expect(closed.closure == .partlyPaid && closed.collected == 10_000 && !closed.isOpen)
            await #expect { try await stores.fees.close(a.id, in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "closed") }
            await #expect { try await stores.fees.collect(a.id, day: "2019-04-01", amount: 1, receipt: "x", in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "closed") }
            // the rest in one go: one paid in full, one never collected
            let b = try await stores.fees.open(input(born: "2015-03-01", decided: "2015-10-01", amount: 8_000), in: .everything, by: .cli())
            _ = try await stores.fees.collect(b.id, day: "2016-01-01", amount: 8_000, receipt: "No.0100", in: .everything, by: .cli())
            let c = try await stores.fees.open(input(born: "2016-03-01", decided: "2016-10-01", amount: 12_000), in: .everything, by: .cli())
            let done = try await stores.fees.closeAll(in: .everything, by: .cli())
            #expect(done == [.paid: 1, .uncollected: 1])
            #expect(try await stores.fees.feeCase(c.id, in: .everything, by: .cli()).closure == .uncollected)
            // the collection rate: yuan collected over yuan decided, by the year of the decision
            let rate = try await stores.indicators.summary(["B07-fee-collection"], unitCode: Fixture.streetA, on: Day("2015-12-31")!, in: .everything).unit.figures[0]
            #expect(rate.numerator == 8_000 && rate.denominator == 8_000)
            let y2018 = try await stores.indicators.summary(["B07-fee-collection"], unitCode: Fixture.streetA, on: Day("2018-12-31")!, in: .everything).unit.figures[0]
            #expect(y2018.numerator == 10_000 && y2018.denominator == 30_000)
            // a person with a case is merged, not deleted
            await #expect { try await stores.persons.delete(father.id, in: .everything, by: .cli()) } throws: { isRenkouError($0, code: "fee-case") }
        }
    }
}
