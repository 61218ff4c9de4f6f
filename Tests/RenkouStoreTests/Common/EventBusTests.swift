import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct EventBusTests {
    func count(_ stores: Stores, _ table: String) async throws -> Int {
        try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self) }
    }

    @Test(arguments: TestEngine.all) func aFailingSubscriberRollsTheWholeChangeBack(engine: TestEngine) async throws {
        // setup: a subscriber that writes in the transaction, then refuses marriages
        let refuse = Subscription.on(RegistryEvent.self, "test.refuse-marriage") { event, ctx in
            try await AuditLog.write(ctx.db, at: ctx.env.now(), actor: ctx.actor, action: .create, entity: "test", entityID: event.type, path: "/")
            if case .recorded(let e) = event, e.type == .marriage {
                throw RenkouError(.conflict, "test-refused", Text("订阅者拒绝。", "The subscriber refused."))
            }
        }
        try await withTestStores(engine, subscribers: [refuse]) { stores in
            try await Fixture.tree(stores)
            let a = try await stores.persons.create(PersonInput(name: "甲", idNumber: Fixture.idNumber(1, birth: "19900101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let b = try await stores.persons.create(PersonInput(name: "乙", idNumber: Fixture.idNumber(2, birth: "19920202"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let events = try await count(stores, "domain_events"), audit = try await count(stores, "audit_log")
            // act
            await #expect { try await stores.events.record(LifeEventInput(type: "marriage", person: a.id.text, other: b.id.text, day: "2020-05-01"), in: .everything, by: .cli()) }
                throws: { ($0 as? RenkouError)?.code == "test-refused" }
            // assert: neither spouse changed, no event, no log row, no audit row, not even the subscriber's own
            for p in [a, b] {
                let read = try await stores.persons.read(p.id, in: .everything, by: .cli())
                #expect(read.maritalStatus == nil && read.spouseID == nil)
            }
            #expect(try await stores.events.timeline(of: a.id, in: .everything).isEmpty)
            #expect(try await count(stores, "domain_events") == events)
            #expect(try await count(stores, "audit_log") == audit + 2)   // only the two reads just made
            // a death passes the subscriber: the event, its log row and the subscriber's row all commit
            try await stores.events.record(LifeEventInput(type: "death", person: a.id.text, day: "2025-01-01"), in: .everything, by: .cli())
            #expect(try await count(stores, "domain_events") == events + 1)
            let written = try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'test' AND entity_id = 'death'").first()!.decode(column: "n", as: Int.self) }
            #expect(written == 1)
        }
    }

    @Test(arguments: TestEngine.all) func aRecordThatChangesUnitIsAnnouncedOnce(engine: TestEngine) async throws {
        // setup: a subscriber that notes every move
        let moves = Moves()
        let watch = Subscription.on(RegistryEvent.self, "test.moves") { event, _ in
            if case .moved(let person, let from, let to) = event { moves.add((person, from, to)) }
        }
        try await withTestStores(engine, subscribers: [watch]) { stores in
            try await Fixture.tree(stores)
            let p = try await stores.persons.create(PersonInput(name: "丙", idNumber: Fixture.idNumber(3, birth: "19850505"), unit: Fixture.communityA1), in: .everything, by: .cli())
            // act: a correction that changes nothing of the unit, then a move within the district, then a correction of the unit
            var rename = PersonInput(); rename.name = "丙二"
            try await stores.persons.update(p.id, rename, in: .everything, by: .cli())
            try await stores.events.record(LifeEventInput(type: "move-within", person: p.id.text, day: "2024-01-01", unit: Fixture.communityB1), in: .everything, by: .cli())
            var back = PersonInput(); back.unit = Fixture.communityA2
            try await stores.persons.update(p.id, back, in: .everything, by: .cli())
            // assert: two moves, from where to where
            let seen = moves.all
            #expect(seen.count == 2)
            #expect(seen.map(\.0) == [p.id, p.id])
            #expect(seen.first?.1.hasSuffix("/\(Fixture.communityA1)/") == true && seen.first?.2.hasSuffix("/\(Fixture.communityB1)/") == true)
            #expect(seen.last?.2.hasSuffix("/\(Fixture.communityA2)/") == true)
        }
    }
}

/// The moves a test subscriber saw (subscribers may run on any thread).
final class Moves: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(UUID, String, String)] = []
    func add(_ move: (UUID, String, String)) { lock.withLock { list.append(move) } }
    var all: [(UUID, String, String)] { lock.withLock { list } }
}
