import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// 双向考核 between two nodes: Jiading (310114) asks Xinzhou (420117) about two of its inflow women,
/// Xinzhou answers one; two of Jiading's own women work in Xinzhou and Xinzhou reports one of them.
/// Jiading scores Xinzhou as hukou region (one of two requests answered) and as inflow region (one of
/// two women reported); Xinzhou sees its own answer to Jiading. A second answer raises the score.
@Suite struct TwoWayTests {
    @Test(arguments: TestEngine.all) func eachRegionScoresTheOtherFromTheExchange(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(.sqlite, clock: clock) { a in
            try await withTestStores(engine, clock: clock) { b in
                try await Fixture.tree(a); try await Fixture.tree(b)
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:18311", by: .cli())
                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:18312", by: .cli())
                try await a.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["420117"], by: .cli())
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["310114"], by: .cli())
                // everything waiting in one node's outbox goes to the other (as delivery would take it)
                func carry(from: Stores, to: Stores, sender: String) async throws {
                    for o in try await from.exchange.outbox() where o.state == "pending" {
                        let (body, signature) = try await from.exchange.signed(o.message)
                        _ = try await to.exchange.receive(body: body, sender: sender, signature: signature, client: "test")
                    }
                }
                func woman(_ stores: Stores, _ n: Int, hukou: String, category: String) async throws -> Person {
                    var p = PersonInput(name: "女\(n)", unit: Fixture.communityA1)
                    let first17 = (hukou == "420117" ? "420117" : "310114") + "1990010100\(n)"
                    p.idNumber = first17 + String(CitizenID.checkCharacter(first17)!)
                    p.sex = "2"; p.hukouRegion = hukou; p.category = category
                    return try await stores.persons.create(p, in: .everything, by: .cli())
                }
                // Xinzhou's women living in Jiading: Jiading asks about both
                var asked: [MessageEnvelope] = []
                for n in 1...2 {
                    _ = try await woman(b, n, hukou: "420117", category: "registered")
                    let here = try await woman(a, n, hukou: "420117", category: "inflow")
                    asked.append(try await a.exchange.request(person: here.id, question: "pregnancy", urgent: false, in: .everything, by: .cli()))
                }
                // Jiading's women working in Xinzhou: Xinzhou registers the first and tells Jiading
                for n in 3...4 {
                    let home = try await woman(a, n, hukou: "310114", category: "registered")
                    var out = StayInput(); out.person = home.id.text; out.kind = "outflow"; out.since = "2026-03-01"; out.region = "420117"; out.reason = "work"
                    _ = try await a.stays.open(out, in: .everything, by: .cli())
                    if n == 3 {
                        let there = try await woman(b, n, hukou: "310114", category: "inflow")
                        var stay = StayInput(); stay.person = there.id.text; stay.kind = "inflow"; stay.since = "2026-03-05"; stay.region = "310114"; stay.reason = "work"
                        _ = try await b.stays.open(stay, in: .everything, by: .cli())
                    }
                }
                try await carry(from: a, to: b, sender: nodeA.code)
                try await b.exchange.reply(to: asked[0].id, found: true, result: "已入户核实，未孕", in: .everything, by: .cli())
                try await carry(from: b, to: a, sender: nodeB.code)

                let year = RenkouCore.Day(a.env.now()).year
                let (scores, _) = try await a.twoWay.scores(year: year, in: .everything)
                let asHukou = try #require(scores.first { $0.counterpart == "420117" && $0.role == "hukou" })
                let replied = try #require(asHukou.items.first { $0.code == "replied" })
                #expect(replied.numerator == 1 && replied.denominator == 2 && replied.points == 0)   // 50 % is the floor
                let asInflow = try #require(scores.first { $0.counterpart == "420117" && $0.role == "inflow" })
                #expect(asInflow.items.map { "\($0.numerator)/\($0.denominator)" } == ["1/2"])
                // Xinzhou's side: Jiading's two requests received, one answered in time
                let (_, ours) = try await b.twoWay.scores(year: year, in: .everything)
                #expect(ours.first { $0.counterpart == "310114" } == OurAnswers(counterpart: "310114", received: 2, answered: 1, onTime: 1, notices: 0))
                // the second answer: every request answered, full marks for it
                try await b.exchange.reply(to: asked[1].id, found: true, result: "已入户核实，已孕 6 周", in: .everything, by: .cli())
                try await carry(from: b, to: a, sender: nodeB.code)
                let after = try await a.twoWay.scores(year: year, in: .everything).scores.first { $0.counterpart == "420117" && $0.role == "hukou" }
                #expect(after?.items.first { $0.code == "replied" }?.points == 40 && (after?.total ?? 0) > asHukou.total)
                await #expect { try await a.twoWay.scores(year: 1999, in: .everything) } throws: { isRenkouError($0, field: "/year", code: "out-of-range") }
            }
        }
    }
}
