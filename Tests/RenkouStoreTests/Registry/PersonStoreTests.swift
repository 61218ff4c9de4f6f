import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct PersonStoreTests {
    static let communityA1 = Scope(path: "/310000/310114/310114001/310114001001/")
    static let communityA2 = Scope(path: "/310000/310114/310114001/310114001002/")
    static let streetA = Scope(path: "/310000/310114/310114001/")
    static let streetB = Scope(path: "/310000/310114/310114002/")

    @Test(arguments: TestEngine.all) func scopeDecidesWhoSeesWhom(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let p = try await stores.persons.create(PersonInput(name: "张三明", idNumber: Fixture.idNumber(1), unit: Fixture.gridA1), in: Self.communityA1, by: .cli())
            // the sibling community and the other street: not found, not listed, not counted
            for scope in [Self.communityA2, Self.streetB] {
                await #expect(throws: RenkouError.notFound(Text("人员", "person"))) { try await stores.persons.read(p.id, in: scope, by: .cli()) }
                #expect(try await stores.persons.list(unitCode: nil, in: scope, by: .cli()).total == 0)
                await #expect { try await stores.persons.update(p.id, PersonInput(name: "改"), in: scope, by: .cli()) }
                    throws: { isRenkouError($0, code: "not-found") }
                await #expect { try await stores.persons.delete(p.id, in: scope, by: .cli()) }
                    throws: { isRenkouError($0, code: "not-found") }
                #expect(try await stores.persons.count(in: scope) == 0)
            }
            // the street above and the whole tree see it
            #expect(try await stores.persons.read(p.id, in: Self.streetA, by: .cli()).name == "张三明")
            #expect(try await stores.persons.list(unitCode: Fixture.communityA1, in: .everything, by: .cli()).total == 1)
            // asking for a unit outside the scope is the same error as an unknown unit
            await #expect { try await stores.persons.list(unitCode: Fixture.communityA1, in: Self.streetB, by: .cli()) }
                throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") }
            // creating in a unit outside the scope is refused, and nothing is written
            let refused = await #expect {
                try await stores.persons.create(PersonInput(name: "越界", idNumber: Fixture.idNumber(2), unit: Fixture.communityB1), in: Self.streetA, by: .cli())
            } throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") } as? RenkouError
            #expect(refused?.fields.first?.pointer == "/unit")
            #expect(try await stores.persons.count(in: .everything) == 1)
        }
    }

    @Test(arguments: TestEngine.all) func anIDNumberExistsOnce(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let existing = try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(3), unit: Fixture.communityA1), in: .everything, by: .cli())
            // inside the scope: the error names the existing record
            let inside = await #expect {
                try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(3), unit: Fixture.communityA2), in: Self.streetA, by: .cli())
            } throws: { isRenkouError($0, code: "id-number-taken") } as? RenkouError
            #expect(inside?.fields.first?.code == "id-number-taken:\(existing.id.text)")
            // outside: only that it is registered in another area, no id, no name
            let outside = await #expect {
                try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(3), unit: Fixture.communityB1), in: Self.streetB, by: .cli())
            } throws: { isRenkouError($0, code: "id-number-elsewhere") } as? RenkouError
            #expect(outside?.code == "id-number-elsewhere")
            #expect(outside?.fields.first?.code == "id-number-elsewhere")
        }
    }

    @Test(arguments: TestEngine.all) func readsAreAuditedAndFailedWritesLeaveNothing(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let p = try await stores.persons.create(PersonInput(name: "赵敏", idNumber: Fixture.idNumber(4), unit: Fixture.communityA1), in: .everything, by: .cli())
            let auditBefore = try await stores.audit.search(AuditQuery(), in: .everything).total
            // a bad create: wrong check character, empty name
            let bad = await #expect {
                try await stores.persons.create(PersonInput(name: " ", idNumber: "310114198503120010", unit: Fixture.communityA1), in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/name", code: "required") && isRenkouError($0, field: "/idNumber", code: "id-checksum") } as? RenkouError
            #expect(Set(bad?.fields.map(\.pointer) ?? []) == ["/name", "/idNumber"])
            #expect(try await stores.audit.search(AuditQuery(), in: .everything).total == auditBefore)
            // a read writes one read row naming the reader
            _ = try await stores.persons.read(p.id, in: Self.communityA1, by: Actor(userID: nil, username: "reader", client: "10.0.0.1"))
            let reads = try await stores.audit.search(AuditQuery(entity: "person", entityID: p.id.text, action: "read"), in: .everything)
            #expect(reads.total == 1)
            #expect(reads.items.first?.username == "reader" && reads.items.first?.client == "10.0.0.1")
            // a correction keeps the old value in the audit row
            try await stores.persons.update(p.id, PersonInput(name: "赵敏敏"), in: .everything, by: .cli("admin"))
            let update = try #require(try await stores.audit.search(AuditQuery(entityID: p.id.text, action: "update"), in: .everything).items.first)
            #expect(update.before?.contains("\"name\":\"赵敏\"") == true && update.after?.contains("赵敏敏") == true)
        }
    }

    @Test func sqliteBackupRoundTrip() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = "sqlite:" + dir.appendingPathComponent("live.sqlite").path
        let backup = dir.appendingPathComponent("backup.sqlite").path
        // setup: a database with one person, backed up
        var db = try await Database.open(url: url)
        try await db.migrate()
        var stores = Stores(db: db, bcryptCost: 4)
        try await Fixture.tree(stores)
        let kept = try await stores.persons.create(PersonInput(name: "留存", idNumber: Fixture.idNumber(5), unit: Fixture.communityA1), in: .everything, by: .cli())
        try await Backup.sqlite(db, to: backup)
        // act: change the live database, then restore
        try await stores.persons.delete(kept.id, in: .everything, by: .cli())
        try await stores.persons.create(PersonInput(name: "后加", idNumber: Fixture.idNumber(6), unit: Fixture.communityA1), in: .everything, by: .cli())
        await db.close()
        try await Backup.restoreSQLite(url: url, from: backup)
        // assert: exactly the backed-up state
        db = try await Database.open(url: url)
        stores = Stores(db: db, bcryptCost: 4)
        let people = try await stores.persons.list(unitCode: nil, in: .everything, by: .cli())
        #expect(people.items.map(\.name) == ["留存"])
        #expect(people.items.first?.id == kept.id)
        await db.close()
        // a second backup to the same file is refused rather than overwriting it
        db = try await Database.open(url: url)
        await #expect { try await Backup.sqlite(db, to: backup) }
            throws: { isRenkouError($0, code: "backup-exists") }
        await db.close()
    }
}
