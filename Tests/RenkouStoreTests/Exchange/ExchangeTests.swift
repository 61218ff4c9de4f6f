import Crypto
import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Two nodes, each with its own database: a message signed by one is taken by the other once;
/// forged, replayed, misaddressed messages and unknown senders are refused and recorded.
@Suite struct ExchangeTests {
    static func message(to receiver: String, id: UUID = UUID()) -> MessageEnvelope {
        MessageEnvelope(id: id, kind: .notice, subject: MessageSubject(idNumber: "42011719900101002X", name: "李秀英", birthDate: "1990-01-01"),
                        businessKey: "stay:1", sender: "", receiver: receiver, sentAt: "", payload: ["event": "stay-opened", "since": "2026-11-01"])
    }

    @Test(arguments: TestEngine.all) func aSignedMessageIsTakenOnceAndForgeriesAreRefused(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:18302", by: .cli())
                // B knows A by its key and the areas it serves
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["3101"], by: .cli())
                let m = Self.message(to: nodeB.code)
                let (body, signature) = try await a.exchange.signed(m)
                let ack = try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: "127.0.0.1")
                #expect(ack.status == "accepted" && ack.messageId == m.id && ack.receiver == "420117")
                // delivered again (a retry after a lost answer): the first acknowledgement, nothing stored twice
                clock.advance(60)
                let again = try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: "127.0.0.1")
                #expect(again.status == "duplicate" && again.receivedAt == ack.receivedAt)
                #expect(try await b.exchange.inbox().map(\.message.id) == [m.id])
                #expect(try await b.exchange.inbox().first?.message.subject.idNumber == "42011719900101002X")

                // a body changed after signing
                var forged = body; forged[forged.count - 2] ^= 1
                await #expect { try await b.exchange.receive(body: forged, sender: nodeA.code, signature: signature, client: "10.0.0.9") }
                    throws: { isRenkouError($0, code: "bad-signature") }
                // signed by a key that is not A's
                let other = Curve25519.Signing.PrivateKey()
                let (body2, _) = try await a.exchange.signed(Self.message(to: nodeB.code))
                await #expect { try await b.exchange.receive(body: body2, sender: nodeA.code, signature: try other.signature(for: body2).base64EncodedString(), client: nil) }
                    throws: { isRenkouError($0, code: "bad-signature") }
                // an unknown sender
                await #expect { try await b.exchange.receive(body: body2, sender: "110101", signature: "x", client: nil) } throws: { isRenkouError($0, code: "unknown-sender") }
                // an old message replayed: outside the window
                let (old, oldSignature) = try await a.exchange.signed(Self.message(to: nodeB.code))
                clock.advance(ExchangeStore.replayWindow + 60)
                await #expect { try await b.exchange.receive(body: old, sender: nodeA.code, signature: oldSignature, client: nil) } throws: { isRenkouError($0, code: "replay-window") }
                // addressed to another node
                let (elsewhere, elsewhereSignature) = try await a.exchange.signed(Self.message(to: "440305"))
                await #expect { try await b.exchange.receive(body: elsewhere, sender: nodeA.code, signature: elsewhereSignature, client: nil) } throws: { isRenkouError($0, code: "wrong-receiver") }
                // a disabled peer is refused
                try await b.exchange.setPeer(nodeA.code, enabled: false, by: .cli())
                let (late, lateSignature) = try await a.exchange.signed(Self.message(to: nodeB.code))
                await #expect { try await b.exchange.receive(body: late, sender: nodeA.code, signature: lateSignature, client: nil) } throws: { isRenkouError($0, code: "unknown-sender") }
                // every refusal is on record; only the good message is in the inbox
                #expect(try await b.exchange.rejections().map(\.reason).sorted() == ["bad-signature", "bad-signature", "replay-window", "unknown-sender", "unknown-sender", "wrong-receiver"])
                #expect(try await b.exchange.inbox().count == 1)
                // matching by name and birth date only when exactly one living person fits
                try await b.exchange.setPeer(nodeA.code, enabled: true, by: .cli())
                try await Fixture.tree(b)
                for (name, n) in [("王芳", 41), ("王芳", 43), ("赵丽", 45)] {
                    var p = PersonInput(name: name, idNumber: Fixture.idNumber(n, birth: "19900101"), unit: Fixture.communityA1); p.sex = "2"
                    _ = try await b.persons.create(p, in: .everything, by: .cli())
                }
                for name in ["王芳", "赵丽"] {
                    var m = Self.message(to: nodeB.code); m.subject = MessageSubject(idNumber: "110101199001019999", name: name, birthDate: "1990-01-01")
                    let (body, signature) = try await a.exchange.signed(m)
                    _ = try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: nil)
                }
                let states = Dictionary(uniqueKeysWithValues: try await b.exchange.inbox().map { ($0.message.subject.name, $0.state) })
                #expect(states["王芳"] == "not-found" && states["赵丽"] == "matched")
            }
        }
    }

    @Test(arguments: TestEngine.all) func peersAreRoutedByTheLongestPrefixElseTheHub(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            let key = { Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString() }
            try await stores.exchange.addPeer(code: "420000", url: "https://hub.hubei.example", key: key(), areas: ["42"], by: .cli())
            try await stores.exchange.addPeer(code: "420117", url: "https://xinzhou.example", key: key(), areas: ["420117"], by: .cli())
            try await stores.exchange.addPeer(code: "100000", url: "https://hub.example", key: key(), areas: [], isDefault: true, by: .cli())
            #expect(try await stores.exchange.route("420117").map(\.code) == "420117")
            #expect(try await stores.exchange.route("420102").map(\.code) == "420000")
            #expect(try await stores.exchange.route("510104").map(\.code) == "100000")
            try await stores.exchange.setPeer("420117", enabled: false, by: .cli())
            #expect(try await stores.exchange.route("420117").map(\.code) == "420000")
            // bad input: every field named, nothing stored
            await #expect { try await stores.exchange.addPeer(code: "x", url: "ftp://a", key: "abc", areas: [], by: .cli()) }
                throws: { isRenkouError($0, field: "/code", code: "code-format") && isRenkouError($0, field: "/url", code: "url-format")
                          && isRenkouError($0, field: "/key", code: "key-format") && isRenkouError($0, field: "/areas", code: "required") }
            #expect(try await stores.exchange.peers().count == 3)
            // a new key for a known peer replaces it (a rotation): still one peer
            let rotated = key()
            try await stores.exchange.addPeer(code: "420000", url: "https://hub.hubei.example", key: rotated, areas: ["42"], by: .cli())
            #expect(try await stores.exchange.peers().first { $0.code == "420000" }?.publicKey == rotated)
            #expect(try await stores.exchange.peers().count == 3)
        }
    }
}
