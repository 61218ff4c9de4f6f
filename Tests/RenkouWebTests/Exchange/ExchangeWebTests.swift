import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// The inbox over HTTP: a peer posts a signed message without a user token; the office's page
/// lists it with the name and number masked; a bad signature is a problem response.
@Suite struct ExchangeWebTests {
    @Test(arguments: TestEngine.all) func aPeerDeliversThroughTheInboxAndTheOfficeSeesItMasked(engine: TestEngine) async throws {
        try await withTestStores(.sqlite) { peer in
            try await withWeb(engine) { web in
                let a = try await peer.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
                let me = try await web.stores.exchange.identity(code: "420117", url: "http://127.0.0.1:18302", by: .cli())
                try await web.stores.exchange.addPeer(code: a.code, url: a.url, key: a.publicKey, areas: ["3101"], by: .cli())
                let m = MessageEnvelope(id: UUID(), kind: .notice, subject: MessageSubject(idNumber: "420117199001010026", name: "李秀英", birthDate: nil),
                                        businessKey: "stay:9", sender: "", receiver: me.code, sentAt: "", payload: ["event": "stay-opened"])
                // the peers' clocks agree with the web's: sign with the web's time
                let (body, signature) = try await ExchangeStore(db: peer.db, env: web.stores.env).signed(m)
                let headers: HTTPFields = [HTTPField.Name("Renkou-Sender")!: a.code, HTTPField.Name("Renkou-Signature")!: signature]
                let json = String(decoding: body, as: UTF8.self)
                let first = try await web.call(.post, "/api/v1/exchange/inbox", json: json, headers: headers)
                #expect(first.status == .accepted)
                let again = try await web.call(.post, "/api/v1/exchange/inbox", json: json, headers: headers)
                let againStatus = try again.jsonObject()["status"] as? String
                #expect(again.status == .ok && againStatus == "duplicate")
                var bad = headers; bad[HTTPField.Name("Renkou-Signature")!] = String(signature.reversed())
                let refused = try await web.call(.post, "/api/v1/exchange/inbox", json: json, headers: bad)
                let refusedCode = try refused.jsonObject()["code"] as? String
                #expect(refused.status == .unauthorized && refusedCode == "bad-signature")
                // the administrator's page: the message, masked; the refusal on record; the read audited
                try await Fixture.account(web.stores, "admin-x", .admin, Fixture.district)
                let page = try await web.signIn("admin-x").get("/exchange")
                #expect(page.status == .ok && page.text.contains("李*英") && !page.text.contains("李秀英") && !page.text.contains("420117199001010026"))
                #expect(page.text.contains("bad-signature") && page.text.contains(#"id="peers""#))
                #expect(try await web.stores.audit.search(AuditQuery(entity: "exchange_messages", action: "read"), in: .everything).total >= 1)
                // an office sees this node, not other regions' people: they reach it as tasks
                try await Fixture.account(web.stores, "street-x", .street, Fixture.streetA)
                let office = try await web.signIn("street-x").get("/exchange")
                #expect(office.status == .ok && !office.text.contains("李*英") && !office.text.contains(#"id="inbox""#))
            }
        }
    }

    /// A real HTTP server for the receiving node: a stay opened at A puts a notice in A's outbox in the
    /// same transaction; while B is down it waits; once B is up it goes, once; B matches the woman and
    /// puts a home visit on her community's task list.
    @Test(arguments: TestEngine.all) func aNoticeWaitsForADownPeerAndArrivesOnce(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                try await Fixture.tree(a); try await Fixture.tree(b)
                let idNumber = "420117199001010027"
                // B, the hukou side, has her; A, the inflow side, registers her stay
                var hers = PersonInput(name: "李秀英", idNumber: idNumber, unit: Fixture.communityA1); hers.sex = "2"; hers.hukouRegion = "420117"
                let atB = try await b.persons.create(hers, in: .everything, by: .cli())
                var inflow = hers; inflow.category = "inflow"
                let atA = try await a.persons.create(inflow, in: .everything, by: .cli())
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:1", by: .cli())
                // B listens on a port the system gives; until it is up, A has the address of nothing
                let (router, _) = try await buildRouter(stores: b, config: AppConfig())
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.live) { client in
                    let port = try #require(client.port)
                    let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:\(port)", by: .cli())
                    try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["3101"], by: .cli())
                    // first A knows B at a closed port: the link is down
                    try await a.exchange.addPeer(code: nodeB.code, url: "http://127.0.0.1:9", key: nodeB.publicKey, areas: ["42"], by: .cli())
                    var stay = StayInput(); stay.person = atA.id.text; stay.kind = "inflow"; stay.since = "2026-11-01"; stay.region = "420117"
                    _ = try await a.stays.open(stay, in: .everything, by: .cli())
                    #expect(try await a.exchange.outbox().map(\.state) == ["pending"])
                    let down = try await a.exchange.deliverDue(timeout: 2)
                    #expect(down.retrying == 1 && down.delivered == 0)
                    // not due again before its backoff
                    #expect(try await a.exchange.deliverDue(timeout: 2) == ExchangeStore.Delivery())
                    // the link comes back: the message goes, once
                    try await a.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["42"], by: .cli())
                    clock.advance(15)
                    let up = try await a.exchange.deliverDue(timeout: 5)
                    #expect(up.delivered == 1)
                    #expect(try await a.exchange.outbox().map(\.state) == ["delivered"])
                    #expect(try await a.exchange.deliverDue(timeout: 5) == ExchangeStore.Delivery())
                    let received = try await b.exchange.inbox()
                    #expect(received.count == 1 && received[0].state == "matched" && received[0].message.payload["event"] == "stay-opened")
                    // B's community sees a home visit for her, due by the ordinary deadline
                    let tasks = try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli())
                    #expect(tasks.contains { $0.kind == .exchangeVisit && $0.personID == atB.id && ($0.note ?? "").contains("信息交换") })
                }
            }
        }
    }

    /// Two real servers: A asks B to verify two women; B answers one from its visit (the task closes)
    /// and the other, whom it does not have, at once; A keeps both answers with its requests.
    @Test(arguments: TestEngine.all) func aRequestIsAnsweredFromTheVisitAndNotFoundAtOnce(engine: TestEngine) async throws {
        try await withTestStores(.sqlite) { a in
            try await withTestStores(engine) { b in
                try await Fixture.tree(a); try await Fixture.tree(b)
                func woman(_ name: String, _ number: String) -> PersonInput {
                    var p = PersonInput(name: name, idNumber: number, unit: Fixture.communityA1); p.sex = "2"; p.hukouRegion = "420117"; p.category = "inflow"; return p
                }
                let known = "420117199001010027", unknown = "42011719920202004" + String(CitizenID.checkCharacter("42011719920202004")!)
                _ = try await b.persons.create(woman("李秀英", known), in: .everything, by: .cli())
                let p1 = try await a.persons.create(woman("李秀英", known), in: .everything, by: .cli())
                let p2 = try await a.persons.create(woman("陈红", unknown), in: .everything, by: .cli())
                let (routerA, _) = try await buildRouter(stores: a, config: AppConfig()), (routerB, apiB) = try await buildRouter(stores: b, config: AppConfig())
                let appA = Application(router: routerA, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                let appB = Application(router: routerB, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await appA.test(.live) { clientA in
                    try await appB.test(.live) { clientB in
                        let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:\(try #require(clientA.port))", by: .cli())
                        let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:\(try #require(clientB.port))", by: .cli())
                        try await a.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["42"], by: .cli())
                        try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["31"], by: .cli())
                        let urgent = try await a.exchange.request(person: p1.id, question: "pregnancy", urgent: true, in: .everything, by: .cli())
                        #expect(urgent.deadlineClass == .urgent && urgent.deadline == Day(a.env.now()).adding(days: 15).description)
                        _ = try await a.exchange.request(person: p2.id, question: "contraception", urgent: false, in: .everything, by: .cli())
                        #expect(try await a.exchange.deliverDue().delivered == 2)
                        // B: the unknown woman is answered at once; the known one is a visit on the task list
                        #expect(try await b.exchange.deliverDue().delivered == 1)
                        let visit = try #require(try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli()).first { $0.kind == .exchangeVisit })
                        #expect(visit.due == Day(b.env.now()).adding(days: 15).description)
                        // the office opens the visit from its task list and answers
                        try await Fixture.account(b, "community-b", .community, Fixture.communityA1)
                        let web = Web(client: clientB, stores: b, api: apiB)
                        let office = try await web.signIn("community-b")
                        let page = try await office.get(try #require(visit.object.map { "/exchange/messages/\($0.id.text)" }))
                        #expect(page.status == .ok && page.text.contains("是否怀孕") && page.text.contains(#"id="reply-form""#))
                        let empty = try await office.post("/exchange/messages/\(visit.object!.id.text)/reply", ["found": "yes", "result": " "])
                        #expect(empty.status == .unprocessableContent)
                        #expect(try await office.post("/exchange/messages/\(visit.object!.id.text)/reply", ["found": "yes", "result": "已入户核实，未孕"]).status == .seeOther)
                        #expect(try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli()).allSatisfy { $0.kind != .exchangeVisit })
                        #expect(try await b.exchange.deliverDue().delivered == 1)
                        // A keeps both answers with its requests
                        let answered = try await a.exchange.requests(in: .everything, by: .cli())
                        #expect(answered.first { $0.message.subject.idNumber == known }.map { $0.found == true && $0.result == "已入户核实，未孕" } == true)
                        #expect(answered.first { $0.message.subject.idNumber == unknown }.map { $0.found == false && $0.result == "查无此人" } == true)
                        // the rates of the month, on both sides
                        let today = RenkouCore.Day(a.env.now())
                        let sent = try await a.indicators.summary(["X02-reply-rate", "X03-replies-on-time", "X04-not-found"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures
                        #expect(sent.map(\.numerator) == [2, 2, 1] && sent.map(\.denominator) == [2, 2, 2])
                        let received = try await b.indicators.summary(["X01-requests-answered"], unitCode: Fixture.communityA1, on: today, in: .everything).unit.figures[0]
                        #expect(received.numerator == 1 && received.denominator == 1)
                    }
                }
            }
        }
    }

    /// Three real servers, A → hub → B: the districts know only the province's hub (its code, 42, a
    /// prefix of B's: the hub still passes B's messages on instead of keeping them). A's notice and
    /// urgent request reach B through it, B's reply comes back the same way, and the hub keeps none of
    /// it as its own (its rates count nothing; its inbox shows the messages as forwarded).
    @Test(arguments: TestEngine.all) func messagesTravelThroughAHubBothWays(engine: TestEngine) async throws {
        try await withTestStores(.sqlite) { a in
            try await withTestStores(.sqlite) { hub in
                try await withTestStores(engine) { b in
                    try await Fixture.tree(a); try await Fixture.tree(hub); try await Fixture.tree(b)
                    let number = "420117199001010027"
                    var hers = PersonInput(name: "李秀英", idNumber: number, unit: Fixture.communityA1); hers.sex = "2"; hers.hukouRegion = "420117"
                    let atB = try await b.persons.create(hers, in: .everything, by: .cli())
                    var inflow = hers; inflow.category = "inflow"
                    let atA = try await a.persons.create(inflow, in: .everything, by: .cli())
                    let (routerA, _) = try await buildRouter(stores: a, config: AppConfig()), (routerH, _) = try await buildRouter(stores: hub, config: AppConfig())
                    let (routerB, _) = try await buildRouter(stores: b, config: AppConfig())
                    let appA = Application(router: routerA, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    let appH = Application(router: routerH, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    let appB = Application(router: routerB, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    try await appA.test(.live) { clientA in
                        try await appH.test(.live) { clientHub in
                            try await appB.test(.live) { clientB in
                                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:\(try #require(clientA.port))", by: .cli())
                                let nodeH = try await hub.exchange.identity(code: "42", url: "http://127.0.0.1:\(try #require(clientHub.port))", hub: true, by: .cli())
                                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:\(try #require(clientB.port))", by: .cli())
                                try await a.exchange.addPeer(code: nodeH.code, url: nodeH.url, key: nodeH.publicKey, areas: [], isDefault: true, by: .cli())
                                try await b.exchange.addPeer(code: nodeH.code, url: nodeH.url, key: nodeH.publicKey, areas: [], isDefault: true, by: .cli())
                                try await hub.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["31"], by: .cli())
                                try await hub.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["42"], by: .cli())
                                // the stay's notice, addressed to her hukou region, goes to the hub
                                var stay = StayInput(); stay.person = atA.id.text; stay.kind = "inflow"; stay.since = "2026-11-01"; stay.region = "420117"
                                let opened = try await a.stays.open(stay, in: .everything, by: .cli())
                                let request = try await a.exchange.request(person: atA.id, question: "pregnancy", urgent: true, in: .everything, by: .cli())
                                #expect(try await a.exchange.outbox().allSatisfy { $0.peer == "42" && $0.message.receiver == "420117" })
                                #expect(try await a.exchange.deliverDue().delivered == 2)
                                #expect(try await hub.exchange.deliverDue().delivered == 2)
                                // B has both, from A (the hub named as the way they came); two visits on the list
                                let atBInbox = try await b.exchange.inbox()
                                #expect(atBInbox.count == 2 && atBInbox.allSatisfy { $0.message.sender == "310114" && $0.message.via == ["42"] && $0.state == "matched" })
                                let visits = try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli()).filter { $0.kind == .exchangeVisit && $0.personID == atB.id }
                                #expect(visits.count == 2)
                                // B answers the request; the reply goes back through the hub
                                try await b.exchange.reply(to: request.id, found: true, result: "已入户核实，孕 8 周", in: .everything, by: .cli())
                                #expect(try await b.exchange.outbox().map(\.peer) == ["42"])
                                #expect(try await b.exchange.deliverDue().delivered == 1)
                                #expect(try await hub.exchange.deliverDue().delivered == 1)
                                let answered = try #require(try await a.exchange.requests(in: .everything, by: .cli()).first)
                                #expect(answered.found == true && answered.result == "已入户核实，孕 8 周")
                                // the hub: three messages passed through, none its own
                                #expect(try await hub.exchange.counts().inbox == ["forwarded": 3])
                                #expect(try await hub.exchange.counts().outbox == ["delivered": 3])
                                let hubRates = try await hub.indicators.summary(["X01-requests-answered", "X02-reply-rate"], unitCode: nil, on: RenkouCore.Day(hub.env.now()), in: .everything).unit.figures
                                #expect(hubRates.allSatisfy { $0.denominator == 0 })
                                // she gives birth at A, then leaves: a birth notice, then the stay's update, both through the hub
                                var child = PersonInput(name: "王小宝", idNumber: nil, unit: Fixture.communityA1); child.sex = "1"; child.birthDate = "2026-11-10"
                                _ = try await a.events.record(LifeEventInput(type: "birth", person: atA.id.text, day: "2026-11-10", child: child), in: .everything, by: .cli())
                                _ = try await a.stays.close(opened.id, on: RenkouCore.Day(a.env.now()), endPlace: "武汉", in: .everything, by: .cli())
                                #expect(try await a.exchange.deliverDue().delivered == 2)
                                #expect(try await hub.exchange.deliverDue().delivered == 2)
                                let open = try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli()).filter { $0.kind == .exchangeVisit }
                                // the stay's visit closed by the update; the birth's visit open
                                #expect(open.count == 1 && (open[0].note ?? "").contains("生育") && (open[0].note ?? "").contains("男孩"))
                                #expect(try await b.exchange.inbox().first { $0.message.kind == .update }?.message.payload["event"] == "stay-closed")
                                // a district that is not a hub refuses a message for another node
                                var stray = request; stray.id = UUID.v7(); stray.receiver = "440305"; stray.sender = ""
                                let (body, signature) = try await ExchangeStore(db: hub.db, env: b.env).signed(stray)
                                await #expect { try await b.exchange.receive(body: body, sender: nodeH.code, signature: signature, client: nil) }
                                    throws: { isRenkouError($0, code: "wrong-receiver") }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The operator's view of a sent message: the outbox filtered by state, and one message's history
    /// (attempts, the last error, the next try), the person masked, the read audited; only the
    /// deployment's administrators see it.
    @Test(arguments: TestEngine.all) func theOperatorSeesASentMessagesHistory(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            _ = try await web.stores.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
            // a peer's key (another node's identity) at a port nothing listens on
            let key = try await withTestStores(.sqlite) { try await $0.exchange.identity(code: "420117", by: .cli()).publicKey }
            try await web.stores.exchange.addPeer(code: "420117", url: "http://127.0.0.1:9", key: key, areas: ["42"], by: .cli())
            var p = PersonInput(name: "李秀英", idNumber: "420117199001010027", unit: Fixture.communityA1); p.sex = "2"; p.hukouRegion = "420117"; p.category = "inflow"
            let her = try await web.stores.persons.create(p, in: .everything, by: .cli())
            let sent = try await web.stores.exchange.request(person: her.id, question: "pregnancy", urgent: true, in: .everything, by: .cli())
            #expect(try await web.stores.exchange.deliverDue(timeout: 1).retrying == 1)
            try await Fixture.account(web.stores, "admin-x", .admin, Fixture.district)
            let admin = try await web.signIn("admin-x")
            let waiting = try await admin.get("/exchange?out=pending")
            #expect(waiting.status == .ok && waiting.text.contains("/exchange/outbox/\(sent.id.text)"))
            let delivered = try await admin.get("/exchange?out=delivered")
            #expect(delivered.status == .ok && !delivered.text.contains("/exchange/outbox/\(sent.id.text)"))
            let page = try await admin.get("/exchange/outbox/\(sent.id.text)")
            #expect(page.status == .ok && page.text.contains("李*英") && !page.text.contains("李秀英") && page.text.contains("下次发送") && page.text.contains("最近错误"))
            #expect(page.text.contains(sent.deadline!))
            #expect(try await web.stores.audit.search(AuditQuery(entity: "exchange_message", action: "read"), in: .everything).total == 1)
            try await Fixture.account(web.stores, "community-x", .community, Fixture.communityA1)
            #expect(try await web.signIn("community-x").get("/exchange/outbox/\(sent.id.text)").status == .forbidden)
        }
    }

    /// More notices than one request body may carry (the receiver takes 64 KiB): they go in several
    /// batches, all in one pass, none refused (a batch over the limit was once refused whole).
    @Test(arguments: TestEngine.all) func manyNoticesGoInBatchesThatFit(engine: TestEngine) async throws {
        try await withTestStores(.sqlite) { a in
            try await withTestStores(engine) { b in
                try await Fixture.tree(a); try await Fixture.tree(b)
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:1", by: .cli())
                let (router, _) = try await buildRouter(stores: b, config: AppConfig())
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.live) { client in
                    let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:\(try #require(client.port))", by: .cli())
                    try await a.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["42"], by: .cli())
                    try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["31"], by: .cli())
                    for k in 0..<200 {
                        let first17 = "420117" + "1990" + String(format: "%02d", 1 + k / 28) + String(format: "%02d", 1 + k % 28) + "102"  // 200 women, months 1-8
                        var p = PersonInput(name: "测试\(k)", idNumber: first17 + String(CitizenID.checkCharacter(first17)!), unit: Fixture.communityA1)
                        p.sex = "2"; p.hukouRegion = "420117"; p.category = "inflow"
                        let her = try await a.persons.create(p, in: .everything, by: .cli())
                        var stay = StayInput(); stay.person = her.id.text; stay.kind = "inflow"; stay.since = "2026-11-01"; stay.region = "420117"; stay.reason = "work"
                        _ = try await a.stays.open(stay, in: .everything, by: .cli())
                    }
                    let bytes = try await a.exchange.outbox(limit: 1000).map { try JSONEncoder().encode($0.message).count }.reduce(0, +)
                    #expect(bytes > 64 * 1024)
                    // even asked for batches of 500, the sender keeps each request under the receiver's limit
                    let pass = try await a.exchange.deliverDue(batchSize: 500)
                    #expect(pass.delivered == 200 && pass.refused == 0 && pass.retrying == 0)
                    #expect(try await b.exchange.counts().inbox.values.reduce(0, +) == 200)
                    #expect(try await b.exchange.rejections().isEmpty)
                }
            }
        }
    }
}
