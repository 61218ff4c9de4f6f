import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
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
                // the office's page: the message, masked; the refusal on record
                try await Fixture.account(web.stores, "street-x", .street, Fixture.streetA)
                let page = try await web.signIn("street-x").get("/exchange")
                #expect(page.status == .ok && page.text.contains("李*英") && !page.text.contains("李秀英") && !page.text.contains("420117199001010026"))
                #expect(page.text.contains("bad-signature") && !page.text.contains(#"id="peers""#))
            }
        }
    }
}
