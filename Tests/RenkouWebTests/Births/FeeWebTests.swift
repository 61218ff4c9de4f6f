import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// The legacy fee ledger through the pages: hidden and not found unless the deployment switches it
/// on; then a worker enters an old case, records a payment, is refused one after 2021-08-20, and closes it.
@Suite struct FeeWebTests {
    static let ledgerOn = try! Policy.shipped.overriding(with: Data(#"{"rules": [{"key": "births.fee-ledger", "from": "2002-09-01", "value": true, "source": "test"}]}"#.utf8), file: "ledger.json")

    @Test(arguments: TestEngine.all) func theLedgerAppearsOnlyWhereItIsSwitchedOn(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let worker = try await web.signIn("worker")
            #expect(try await worker.get("/fees").status == .notFound)
            #expect(!(try await worker.get("/").text.contains(#"href="/fees""#)))
        }
        try await withWeb(engine, policy: Self.ledgerOn) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            try await Fixture.account(web.stores, "viewer", .viewer, Fixture.district)
            let p = try await web.stores.persons.create(PersonInput(name: "王建国", idNumber: Fixture.idNumber(11, birth: "19800101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let worker = try await web.signIn("worker")
            #expect(try await worker.get("/").text.contains(#"href="/fees""#))
            // a viewer neither sees nor opens it
            let viewer = try await web.signIn("viewer")
            let viewerHome = try await viewer.get("/"), viewerFees = try await viewer.get("/fees")
            #expect(!viewerHome.text.contains(#"href="/fees""#) && viewerFees.status == .forbidden)
            // a birth after the abolition: the error beside the field, nothing stored
            let late = try await worker.post("/fees", ["person": p.id.text, "childBirthDate": "2022-01-01", "decisionNumber": "X", "decidedOn": "2022-02-01", "amount": "5000"])
            #expect(late.status == .unprocessableContent && late.text.contains(#"id="e-childBirthDate""#))
            let made = try await worker.post("/fees", ["person": p.id.text, "childBirthDate": "2017-01-01", "decisionNumber": "某卫征字〔2017〕3号", "decidedOn": "2017-06-01", "amount": "20000"])
            #expect(made.status == .seeOther)
            let href = try #require(made.headers[.location])
            let paid = try await worker.post(href + "/collections", ["day": "2018-01-02", "amount": "5000", "receipt": "No.7"])
            #expect(paid.status == .seeOther)
            let refused = try await worker.post(href + "/collections", ["day": "2022-01-02", "amount": "5000", "receipt": "No.8"])
            #expect(refused.status == .unprocessableContent && refused.text.contains("不再征收"))
            let page = try await worker.get(href)
            #expect(page.text.contains("SF-000001") && page.text.contains("No.7") && page.text.contains("15,000 元"))
            #expect(try await worker.post(href + "/close", [:]).status == .seeOther)
            #expect(try await worker.get(href).text.contains("部分缴纳，余额不再征收"))
        }
    }
}
