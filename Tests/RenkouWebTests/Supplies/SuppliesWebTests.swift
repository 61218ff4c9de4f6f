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
            #expect(try await leader.get("/supplies").status == .forbidden)   // the hand-outs name people; leaders read the figures
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

/// The month's pages: a hand-out to a woman typed by her ID number tells when she is due again; the
/// monthly report as a page and a workbook; the machine's log uploaded through the page (a bad one
/// answered line by line), its month flagged; no machine page shows a name or an ID number.
@Suite struct SupplyReportWebTests {
    @Test(arguments: TestEngine.all) func theMonthsReportAndTheMachinesReconciliation(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let s = web.stores.supplies, today = RenkouCore.Day(web.stores.env.now())
            try await s.saveProduct(Product(code: "BYT-01", name: "避孕套", category: .condom, unit: "只", packSize: 10), by: .cli())
            let point = try await s.addLocation(name: "白银路发放点", kind: "service-point", unitCode: Fixture.communityA1, in: .everything, by: .cli())
            let machine = try await s.addLocation(name: "自助机甲", kind: "machine", unitCode: Fixture.communityA1, slots: 4, capacity: 200, in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "receive", location: point.id.text, product: "BYT-01", lotCode: "W1", expiresOn: today.adding(days: 90).description, quantity: 300, document: "RK-W"), in: .everything, by: .cli())
            try await s.record(StockEventInput(kind: "transfer", location: point.id.text, destination: machine.id.text, product: "BYT-01", quantity: 20), in: .everything, by: .cli())
            var input = PersonInput(name: "郑秀梅", idNumber: Fixture.idNumber(32, birth: "19920412"), unit: Fixture.communityA1)
            input.sex = "2"; input.maritalStatus = "20"; input.firstMarriageDate = "2016-05-01"
            let her = try await web.stores.persons.create(input, in: .everything, by: .cli())
            var start = ServiceInput(); start.person = her.id.text; start.kind = "method-start"; start.method = "condom"; start.date = today.adding(days: -3).description
            start.informedChoice = InformedChoice(counselledOn: start.date, methodsExplained: ["iud", "implant", "injectable", "oral-pill", "condom", "emergency-pill"], chosen: "condom", mec: 1)
            try await web.stores.services.record(start, in: .everything, by: .cli())
            try await Fixture.account(web.stores, "station", .community, Fixture.communityA1)
            let station = try await web.signIn("station")
            // 30 condoms (three days' worth each) before her first month's supplies ran out: due 90 days after they would have
            let held = try #require(try await web.stores.services.followUps(personID: her.id, on: today, in: .everything).first { $0.schedule == "condom" }).due
            let handed = try await station.post("/supplies/events", ["kind": "dispense", "location": point.id.text, "product": "BYT-01", "quantity": "30", "person": her.idNumber!])
            #expect(handed.status == .seeOther)
            #expect(try await web.stores.services.followUps(personID: her.id, on: today, in: .everything).filter { $0.schedule == "condom" }.map(\.due) == [RenkouCore.Day(held)!.adding(days: 90).description])
            let unknown = try await station.post("/supplies/events", ["kind": "dispense", "location": point.id.text, "product": "BYT-01", "quantity": "1", "person": "110101199003070011"])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("该人员不存在"))
            // the report: the point's month and its near-expiry lot; the workbook is a real XLSX
            let report = try await station.get("/supplies/report")
            #expect(report.status == .ok && report.text.contains(#"id="stock-report""#) && report.text.contains("白银路发放点") && report.text.contains(#"id="expiry""#) && report.text.contains("W1"))
            let xlsx = try await station.get("/supplies/report.xlsx?month=\(today.description.prefix(7))")
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true && Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            let api = try await web.call(.get, "/api/v1/supplies/report?month=\(today.description.prefix(7))&location=\(point.id.text)", token: try await web.token("station"))
            let lines = try JSONSerialization.jsonObject(with: Data(api.text.utf8)) as? [[String: Any]] ?? []
            #expect(lines.count == 1 && (lines.first?["closing"] as? Int) == 250 && (lines.first?["dispensed"] as? Int) == 30)
            #expect(try await station.get("/supplies/report?month=2026-13").status == .unprocessableContent)
            // the machine's log through the page: a bad line is named and nothing is booked
            let bad = try await MigrantWebTests.multipart(station, "/supplies/machines/log", fields: ["machine": machine.id.text],
                                                          file: ("file", "log.csv", Data("time,event,product,quantity,check\n\(today.description) 08:00,refill,BYT-01,lots,\n".utf8)))
            #expect(bad.status == .unprocessableContent && bad.text.contains("第 2 行补货数量应为正整数"))
            let good = try await MigrantWebTests.multipart(station, "/supplies/machines/log", fields: ["machine": machine.id.text],
                                                           file: ("file", "log.csv", Data("time,event,product,quantity,check\n\(today.description) 00:01,refill,BYT-01,25,\n".utf8)))
            #expect(good.status == .seeOther)
            // the machine says 25 went in, the books 20, and nobody counted: flagged
            let machines = try await station.get("/supplies/machines")
            #expect(machines.status == .ok && machines.text.contains("自助机甲") && machines.text.contains(#"class="below""#) && machines.text.contains("+5") && machines.text.contains("未盘点"))
            #expect(!machines.text.contains(her.idNumber!) && !machines.text.contains("郑秀梅"))
            let rec = try await web.call(.get, "/api/v1/supplies/reconciliation", token: try await web.token("station"))
            #expect(rec.status == .ok && rec.text.contains("\"refilled\":25") && !rec.text.contains(her.idNumber!))
        }
    }
}
