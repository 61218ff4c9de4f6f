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
                    m.businessKey = "stay:\(name)"
                    let (body, signature) = try await a.exchange.signed(m)
                    _ = try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: nil)
                }
                let states = Dictionary(uniqueKeysWithValues: try await b.exchange.inbox().map { ($0.message.subject.name, $0.state) })
                #expect(states["王芳"] == "not-found" && states["赵丽"] == "matched")
            }
        }
    }

    /// A batch from one peer: each message checked on its own, one answer each in order; the good
    /// ones stored in one transaction, a copy inside the batch and a message taken before answered as
    /// duplicates, the bad ones refused and recorded.
    @Test(arguments: TestEngine.all) func aBatchAnswersEachMessageInOrder(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:18302", by: .cli())
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["3101"], by: .cli())
                func sealed(_ key: String) async throws -> (body: Data, signature: String?) {
                    var m = Self.message(to: nodeB.code, id: UUID.v7(at: clock.now)); m.businessKey = key
                    let (body, signature) = try await a.exchange.signed(m); return (body, signature)
                }
                let before = try await sealed("stay:0")
                _ = try await b.exchange.receive(body: before.body, sender: nodeA.code, signature: before.signature, client: nil)
                let one = try await sealed("stay:1"), two = try await sealed("stay:2"), forged = try await sealed("stay:3")
                let results = try await b.exchange.receive(batch: [one, before, (forged.body, String(forged.signature!.reversed())), two, one], sender: nodeA.code, client: nil)
                let statuses = results.map { r -> String in switch r { case .success(let ack): ack.status; case .failure(let e): e.code } }
                #expect(statuses == ["accepted", "duplicate", "bad-signature", "accepted", "duplicate"])
                #expect(try await b.exchange.counts().inbox.values.reduce(0, +) == 3)
                #expect(try await b.exchange.rejections().map(\.reason) == ["bad-signature"])
                // an unknown sender's batch: every message refused
                let stranger = try await b.exchange.receive(batch: [one, two], sender: "990000", client: nil)
                #expect(stranger.allSatisfy { if case .failure(let e) = $0 { e.code == "unknown-sender" } else { false } })
            }
        }
    }

    /// A relayed message is believed only from the hub this node routes its origin through: another
    /// peer cannot speak for a node (and send updates or voids under its business keys).
    @Test(arguments: TestEngine.all) func noPeerSpeaksForAnother(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { x in
            try await withTestStores(.sqlite, clock: clock) { hub in
                try await withTestStores(engine, clock: clock) { b in
                    let nodeX = try await x.exchange.identity(code: "440305", url: "http://127.0.0.1:18303", by: .cli())
                    let nodeH = try await hub.exchange.identity(code: "10", url: "http://127.0.0.1:18304", hub: true, by: .cli())
                    let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:18302", by: .cli())
                    try await b.exchange.addPeer(code: nodeX.code, url: nodeX.url, key: nodeX.publicKey, areas: ["44"], by: .cli())
                    try await b.exchange.addPeer(code: nodeH.code, url: nodeH.url, key: nodeH.publicKey, areas: [], isDefault: true, by: .cli())
                    var forged = Self.message(to: nodeB.code); forged.sender = "310114"; forged.via = [nodeX.code]; forged.kind = .void
                    let (body, signature) = try await x.exchange.signed(forged)
                    await #expect { try await b.exchange.receive(body: body, sender: nodeX.code, signature: signature, client: nil) } throws: { isRenkouError($0, code: "bad-message") }
                    // the same relayed by the hub B routes 310114 through: taken
                    var relayed = forged; relayed.id = UUID.v7(); relayed.via = [nodeH.code]; relayed.kind = .notice
                    let (good, goodSignature) = try await hub.exchange.signed(relayed)
                    #expect(try await b.exchange.receive(body: good, sender: nodeH.code, signature: goodSignature, client: nil).status == "accepted")
                }
            }
        }
    }

    /// 更正与撤销: only the newest message about a business key counts. An update closes the visit the
    /// notice opened; an update that arrives after a newer one is recorded and ignored; a void closes
    /// what is open and opens nothing.
    @Test(arguments: TestEngine.all) func anOlderUpdateIsRecordedAndIgnored(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                try await Fixture.tree(b)
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:18302", by: .cli())
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["3101"], by: .cli())
                var hers = PersonInput(name: "李秀英", idNumber: "420117199001010027", unit: Fixture.communityA1); hers.sex = "2"
                _ = try await b.persons.create(hers, in: .everything, by: .cli())
                func deliver(_ m: MessageEnvelope) async throws {
                    let (body, signature) = try await a.exchange.signed(m)
                    _ = try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: nil)
                }
                func visits() async throws -> [FieldTask] { try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli()).filter { $0.kind == .exchangeVisit } }
                // ids in the order the sender made them (UUIDv7): notice, then two updates
                let notice = Self.message(to: nodeB.code, id: UUID.v7(at: clock.now.addingTimeInterval(-30)))
                var moved = notice; moved.id = UUID.v7(at: clock.now.addingTimeInterval(-20)); moved.kind = .update; moved.payload = ["event": "stay-opened", "since": "2026-11-05"]
                var left = notice; left.id = UUID.v7(at: clock.now.addingTimeInterval(-10)); left.kind = .update; left.payload = ["event": "stay-closed", "until": "2026-11-20"]
                try await deliver(notice)
                #expect(try await visits().count == 1)
                // the newest arrives before the middle one (a retry overtaken): she has left, the visit closes
                try await deliver(left)
                #expect(try await visits().isEmpty)
                try await deliver(moved)
                #expect(try await visits().isEmpty)
                let states = Dictionary(uniqueKeysWithValues: try await b.exchange.inbox().map { ($0.message.id, $0.state) })
                #expect(states[notice.id] == "matched" && states[left.id] == "matched" && states[moved.id] == "superseded")
                // a void withdraws a notice about another key: its open visit closes, nothing new opens
                var other = Self.message(to: nodeB.code, id: UUID.v7(at: clock.now.addingTimeInterval(-5))); other.businessKey = "birth:7"
                other.payload = ["event": "birth", "born": "2026-11-02", "sex": "2"]
                try await deliver(other)
                let birthVisit = try #require(try await visits().first)
                #expect((birthVisit.note ?? "").contains("生育") && (birthVisit.note ?? "").contains("女孩"))
                var void = other; void.id = UUID.v7(at: clock.now); void.kind = .void
                try await deliver(void)
                #expect(try await visits().isEmpty)
                #expect(try await b.exchange.inbox().first { $0.message.id == void.id }?.state == "voided")
            }
        }
    }

    /// A peer that rotated its key is still believed with the previous one for the grace period, and
    /// not after it.
    @Test(arguments: TestEngine.all) func aRotatedKeyHasAGracePeriod(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:18302", by: .cli())
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["3101"], by: .cli())
                // B learns A's next key before A starts using it
                let newKey = Curve25519.Signing.PrivateKey()
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: newKey.publicKey.rawRepresentation.base64EncodedString(), areas: ["3101"], by: .cli())
                let (body, signature) = try await a.exchange.signed(Self.message(to: nodeB.code))
                #expect(try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: nil).status == "accepted")
                clock.advance(ExchangeStore.keyGrace + 60)
                let (late, lateSignature) = try await a.exchange.signed(Self.message(to: nodeB.code))
                await #expect { try await b.exchange.receive(body: late, sender: nodeA.code, signature: lateSignature, client: nil) } throws: { isRenkouError($0, code: "bad-signature") }
                // A rotates its own key: the new public key is what B needs
                let rotated = try await a.exchange.identity(rotateKey: true, by: .cli())
                #expect(rotated.publicKey != nodeA.publicKey && rotated.code == nodeA.code)
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: rotated.publicKey, areas: ["3101"], by: .cli())
                let (now, nowSignature) = try await a.exchange.signed(Self.message(to: nodeB.code))
                #expect(try await b.exchange.receive(body: now, sender: nodeA.code, signature: nowSignature, client: nil).status == "accepted")
            }
        }
    }

    /// A message that no attempt delivers becomes an operator's task after the last one; the operator
    /// sends it again, or closes it by hand with the reason (audited), and the task closes.
    @Test(arguments: TestEngine.all) func aMessageThatNeverGoesBecomesAnOperatorsTask(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(engine, clock: clock) { a in
            try await Fixture.tree(a)
            _ = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:18301", by: .cli())
            let key = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()
            // a peer at a closed port: every attempt fails
            try await a.exchange.addPeer(code: "420117", url: "http://127.0.0.1:9", key: key, areas: ["42"], by: .cli())
            var p = PersonInput(name: "李秀英", idNumber: "420117199001010027", unit: Fixture.communityA1); p.sex = "2"; p.hukouRegion = "420117"; p.category = "inflow"
            let her = try await a.persons.create(p, in: .everything, by: .cli())
            let sent = try await a.exchange.request(person: her.id, question: "pregnancy", urgent: true, in: .everything, by: .cli())
            for _ in 0..<ExchangeStore.maxAttempts {
                _ = try await a.exchange.deliverDue(timeout: 1)
                clock.advance(3700)
            }
            #expect(try await a.exchange.outbox().map(\.state) == ["failed"])
            let stuck = try await a.tasks.list(on: RenkouCore.Day(a.env.now()), in: .everything, by: .cli()).filter { $0.kind == .exchangeStuck }
            #expect(stuck.count == 1 && stuck[0].subject.contains("420117"))
            // no more attempts by itself
            #expect(try await a.exchange.deliverDue(timeout: 1) == ExchangeStore.Delivery())
            // retried by hand: pending again, the task closed
            try await a.exchange.retryNow(sent.id, by: .cli("operator"))
            #expect(try await a.exchange.outbox().map(\.state) == ["pending"])
            #expect(try await a.tasks.list(on: RenkouCore.Day(a.env.now()), in: .everything, by: .cli()).allSatisfy { $0.kind != .exchangeStuck })
            // closing needs a reason, and only a stuck message can be closed
            await #expect { try await a.exchange.close(sent.id, reason: "  ", by: .cli("operator")) } throws: { isRenkouError($0, field: "/reason", code: "required") }
            await #expect { try await a.exchange.close(sent.id, reason: "对方已撤销", by: .cli("operator")) } throws: { isRenkouError($0, code: "not-found") }
            for _ in 0..<ExchangeStore.maxAttempts { _ = try await a.exchange.deliverDue(timeout: 1); clock.advance(3700) }
            try await a.exchange.close(sent.id, reason: "对方节点已撤销，改为电话协查", by: .cli("operator"))
            #expect(try await a.exchange.outbox().map(\.state) == ["closed"])
            #expect(try await a.tasks.list(on: RenkouCore.Day(a.env.now()), in: .everything, by: .cli()).allSatisfy { $0.kind != .exchangeStuck })
            #expect(try await a.audit.search(AuditQuery(entity: "exchange_message", action: "update"), in: .everything).total == 2)
            #expect(try await a.exchange.counts().outbox == ["closed": 1])
        }
    }

    /// 育儿补贴申领核查: the residence side asks the child's hukou node whether the subsidy is claimed
    /// there; the answer comes at once from that node's lists, no visit.
    @Test(arguments: TestEngine.all) func aChildcareClaimIsCheckedAgainstTheOtherNodesLists(engine: TestEngine) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_115_200))  // 2026-03-10
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                try await Fixture.tree(a); try await Fixture.tree(b)
                func id(_ birth: String, _ seq: String) -> String { let f = "310114" + birth + seq; return f + String(CitizenID.checkCharacter(f)!) }
                // B (the hukou side, 310114) lists the child for 2025
                var m = PersonInput(name: "林静", idNumber: id("19930415", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"; m.hukouRegion = "310114"
                let mother = try await b.persons.create(m, in: .everything, by: .cli())
                var child = PersonInput(name: "许小宝", idNumber: id("20240601", "562")); child.hukouRegion = "310114"
                _ = try await b.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: "2024-06-01", child: child), in: .everything, by: .cli())
                #expect(try await b.benefits.draw(.childcareSubsidy, year: 2025, unitCode: Fixture.streetA, in: .everything, by: .cli()).eligible == 1)
                // A (where the family lives, 420117) has the child and another one B never heard of
                var here = child; here.unit = Fixture.communityA1; here.sex = "1"; here.birthDate = "2024-06-01"
                let atA = try await a.persons.create(here, in: .everything, by: .cli())
                var stranger = PersonInput(name: "许二宝", idNumber: id("20250101", "571"), unit: Fixture.communityA1); stranger.sex = "1"; stranger.hukouRegion = "310114"
                let other = try await a.persons.create(stranger, in: .everything, by: .cli())
                let nodeA = try await a.exchange.identity(code: "420117", url: "http://127.0.0.1:18301", by: .cli())
                let nodeB = try await b.exchange.identity(code: "310114", url: "http://127.0.0.1:18302", by: .cli())
                try await a.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["3101"], by: .cli())
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["4201"], by: .cli())
                for person in [atA.id, other.id] { _ = try await a.exchange.request(person: person, question: "childcare-claim", urgent: false, in: .everything, by: .cli()) }
                // carried by hand both ways (signed as the sender would)
                for out in try await a.exchange.outbox() {
                    let (body, signature) = try await a.exchange.signed(out.message)
                    _ = try await b.exchange.receive(body: body, sender: nodeA.code, signature: signature, client: nil)
                }
                #expect(try await b.tasks.list(on: RenkouCore.Day(b.env.now()), in: .everything, by: .cli()).allSatisfy { $0.kind != .exchangeVisit })
                #expect(try await b.exchange.counts().inbox == ["answered": 2])
                for out in try await b.exchange.outbox() {
                    let (body, signature) = try await b.exchange.signed(out.message)
                    _ = try await a.exchange.receive(body: body, sender: nodeB.code, signature: signature, client: nil)
                }
                let answers = Dictionary(uniqueKeysWithValues: try await a.exchange.requests(in: .everything, by: .cli()).map { ($0.message.subject.name, ($0.found, $0.result)) })
                #expect(answers["许小宝"]?.0 == true && answers["许小宝"]?.1 == "本地已列入育儿补贴名单（2025年）")
                #expect(answers["许二宝"]?.0 == false && answers["许二宝"]?.1 == "本地未申领育儿补贴")
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
            // what a node does with a message for a receiver: a hub forwards, a district takes its own
            let peers = try await stores.exchange.peers()
            let hub = NodeIdentity(code: "42", url: "https://hub.example", publicKey: "", isHub: true)
            #expect(ExchangeRouting.destination("420117", me: hub, peers: peers, via: ["310114"]) == .forward("420117"))
            #expect(ExchangeRouting.destination("42", me: hub, peers: peers, via: ["310114"]) == .here)
            #expect(ExchangeRouting.destination("420117", me: hub, peers: peers, via: ["420117"]) == .elsewhere)
            var district = hub; district.code = "420117"; district.isHub = false
            #expect(ExchangeRouting.destination("420117", me: district, peers: peers, via: ["310114"]) == .here)
            #expect(ExchangeRouting.destination("420117003", me: district, peers: peers, via: ["310114"]) == .here)
            #expect(ExchangeRouting.destination("510104", me: district, peers: peers, via: ["310114"]) == .elsewhere)
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
