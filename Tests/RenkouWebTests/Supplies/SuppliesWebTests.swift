import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// The storekeeper's page and API: a receipt through the API, a hand-out through the form (a bad
/// one answered next to its fields, nothing written), the stock card with its reversal.
@Suite struct SuppliesWebTests {
    @Test(arguments: TestEngine.all) func aStorekeeperReceivesHandsOutAndReadsTheCard(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await web.stores.supplies.saveProduct(Product(code: "BYT-01", name: "避孕套", category: .condom, unit: "只", packSize: 10), by: .cli())
            let store = try await web.stores.supplies.addLocation(name: "区药具库", kind: "warehouse", unitCode: Fixture.district, in: .everything, by: .cli())
            try await Fixture.account(web.stores, "keeper", .storekeeper, Fixture.district)
            let token = try await web.token("keeper")
            let expires = RenkouCore.Day(web.stores.env.now()).adding(days: 90).description
            let received = try await web.call(.post, "/api/v1/supplies/events", token: token, json: """
                {"kind": "receive", "location": "\(store.id.text)", "product": "BYT-01", "lotCode": "2026A", "expiresOn": "\(expires)", "quantity": 500, "document": "RK-1"}
                """)
            #expect(received.status == .created)
            let keeper = try await web.signIn("keeper")
            let page = try await keeper.get("/supplies")
            #expect(page.status == .ok && page.text.contains("2026A") && page.text.contains("近效期") && page.text.contains(#"id="event-form""#))
            // more than there is: the form answers with the reason, nothing written
            let tooMany = try await keeper.post("/supplies/events", ["kind": "dispense", "location": store.id.text, "product": "BYT-01", "quantity": "600"])
            #expect(tooMany.status == .conflict && tooMany.text.contains("库存不足"))
            let noQuantity = try await keeper.post("/supplies/events", ["kind": "dispense", "location": store.id.text, "product": "BYT-01", "quantity": "x"])
            #expect(noQuantity.status == .unprocessableContent && noQuantity.text.contains("数量应为正整数"))
            #expect(try await keeper.post("/supplies/events", ["kind": "dispense", "location": store.id.text, "product": "BYT-01", "quantity": "120"]).status == .seeOther)
            let lot = try #require(try await web.stores.supplies.stock(in: .everything).first).lotID
            let card = try await keeper.get("/supplies/cards/\(store.id.text)?lot=\(lot.text)")
            #expect(card.status == .ok && card.text.contains("380") && card.text.contains("-120") && card.text.contains("冲销"))
            let response = try await web.call(.get, "/api/v1/supplies/locations/\(store.id.text)/card?lot=\(lot.text)", token: token)
            let api = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [[String: Any]] ?? []
            #expect(api.count == 2 && (api.last?["balance"] as? Int) == 380)
            // a community worker of the district sees nothing of the district's store
            try await Fixture.account(web.stores, "community-x", .community, Fixture.communityA1)
            #expect(try await web.signIn("community-x").get("/supplies").text.contains("没有库存"))
            // the viewer reads, does not write
            try await Fixture.account(web.stores, "leader", .viewer, Fixture.district)
            let leader = try await web.signIn("leader")
            #expect(try await leader.get("/supplies").text.contains("2026A"))
            #expect(try await leader.post("/supplies/events", ["kind": "dispense", "location": store.id.text, "product": "BYT-01", "quantity": "1"]).status == .forbidden)
        }
    }
}

/// The count sheet through the pages: opened from the supplies page, counts entered in the form, a
/// bad value answered next to nothing lost, signed with its number.
@Suite struct CountSheetWebTests {
    @Test(arguments: TestEngine.all) func aStorekeeperCountsAndSigns(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await web.stores.supplies.saveProduct(Product(code: "BYT-01", name: "避孕套", category: .condom, unit: "只", packSize: 10), by: .cli())
            let store = try await web.stores.supplies.addLocation(name: "区药具库", kind: "warehouse", unitCode: Fixture.district, in: .everything, by: .cli())
            try await web.stores.supplies.record(StockEventInput(kind: "receive", location: store.id.text, product: "BYT-01", lotCode: "C1",
                                                                 expiresOn: RenkouCore.Day(web.stores.env.now()).adding(days: 400).description, quantity: 50, document: "RK-1"), in: .everything, by: .cli())
            try await Fixture.account(web.stores, "keeper", .storekeeper, Fixture.district)
            let keeper = try await web.signIn("keeper")
            let opened = try await keeper.post("/supplies/counts", ["location": store.id.text])
            #expect(opened.status == .seeOther)
            let sheet = try #require(opened.headers[.location])
            let lot = try #require(try await web.stores.supplies.stock(in: .everything).first).lotID
            let bad = try await keeper.post(sheet + "/counts", ["lot-\(lot.text)": "many"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("盘点数应为整数"))
            #expect(try await keeper.post(sheet + "/counts", ["lot-\(lot.text)": "48"]).status == .seeOther)
            let page = try await keeper.get(sheet)
            #expect(page.status == .ok && page.text.contains("-2") && page.text.contains(#"id="sign-form""#))
            #expect(try await keeper.post(sheet + "/sign", ["document": "PD-7"]).status == .seeOther)
            let done = try await keeper.get(sheet)
            #expect(done.text.contains("已签字") && done.text.contains("PD-7") && !done.text.contains(#"id="sign-form""#))
            #expect(try await web.stores.supplies.stock(in: .everything).first?.balance == 48)
        }
    }
}
