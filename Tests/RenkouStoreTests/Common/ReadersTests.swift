import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import VaporCSQLite
import Testing

/// Reads on readers beside the writer (#18 part 2), their audit rows committed together, and reads from a
/// streaming replica that still see the process's own writes (part 4).
@Suite struct ReadersTests {
    /// A reader is a reader: a write that strays into `read` fails and writes nothing.
    @Test(arguments: TestEngine.all) func aReaderRefusesWrites(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            await #expect(throws: (any Error).self) {
                try await stores.db.read { try await $0.raw("UPDATE org_units SET name = 'x'").run() }
            }
            #expect(try await stores.orgs.unit(code: Fixture.district, in: .everything)?.name == "嘉定区")
        }
    }

    /// Reads answer while the writer is busy with a long transaction, from the last committed state. An
    /// audited read (a search) waits for its audit row's commit: on PostgreSQL that commit runs beside the
    /// long transaction; SQLite has one writer at a time, so there it waits for the transaction to end.
    @Test(arguments: TestEngine.all) func readsGoOnWhileTheWriterIsBusy(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            _ = try await stores.persons.create(PersonInput(name: "张三明", idNumber: Fixture.idNumber(1), unit: Fixture.communityA1), in: .everything, by: .cli())
            let started = AsyncStream<Void>.makeStream(), release = AsyncStream<Void>.makeStream()
            let writer = Task {
                try await stores.db.transaction { db in
                    try await db.raw("UPDATE persons SET name = '李四' WHERE name = '张三明'").run()
                    started.continuation.yield()
                    // held open until the reads below have answered
                    for await _ in release.stream { break }
                }
            }
            for await _ in started.stream { break }
            let named = try await stores.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM persons WHERE name = '张三明'").first()?.decode(column: "n", as: Int.self) }
            #expect(named == 1, "the read saw the committed name, not the uncommitted change")
            #expect(try await stores.persons.count(in: .everything) == 1)
            var q = PersonQuery(); q.name = "张三明"
            if engine == .postgres {
                #expect(try await stores.persons.search(q, in: .everything, by: .cli()).total == 1)
            }
            release.continuation.yield()
            try await writer.value
            #expect(try await stores.persons.search(q, in: .everything, by: .cli()).total == 0)
        }
    }

    /// Every one of many concurrent audited reads has its audit row committed when it returns, with its
    /// own request id, though they share commits.
    @Test(arguments: TestEngine.all) func everyConcurrentReadIsAudited(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let p = try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(2), unit: Fixture.communityA1), in: .everything, by: .cli())
            let audit = AuditStore(db: stores.db, env: stores.env)
            let n = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<n {
                    group.addTask {
                        let actor = Actor(userID: nil, username: "reader", client: "test", requestID: "req-\(i)")
                        _ = try await stores.persons.read(p.id, in: .everything, by: actor)
                        // committed before the read returned: visible at once
                        let rows = try await audit.search(AuditQuery(username: "reader", entityID: p.id.text, action: "read", limit: 500), in: .everything).items
                        #expect(rows.contains { $0.requestID == "req-\(i)" })
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await audit.search(AuditQuery(username: "reader", action: "read", limit: 500), in: .everything).items
            #expect(rows.count == n)
            #expect(Set(rows.map(\.requestID)).count == n)
        }
    }

    /// Planner statistics taken before a bulk change do not outlive it. A server's first start gathers them
    /// while org_units holds a few units and then loads the code table's thousands: with the old figures a
    /// reader, which keeps the statistics it loaded, reached a person by scanning every unit (a third of the
    /// reads per second). `optimizeStatistics` gathers them again and every reader plans with them; the
    /// code-table load does it itself. (PostgreSQL's autovacuum does this: there it analyzes nothing.)
    @Test(arguments: TestEngine.all) func readersPlanWithStatisticsGatheredAfterABulkChange(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            guard engine == .sqlite else {
                try await Fixture.tree(stores)
                #expect(try await stores.db.optimizeStatistics() == 0)
                return
            }
            // the figures of a new deployment's first unit (as every open gathers them), loaded by every reader
            try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: .cli())
            #expect(try await stores.db.optimizeStatistics() > 0)
            try await stores.orgs.add(code: Fixture.district, name: "嘉定区", level: .district, parentCode: "310000", in: .everything, by: .cli())
            try await stores.orgs.add(code: Fixture.streetA, name: "新成路街道", level: .street, parentCode: Fixture.district, in: .everything, by: .cli())
            try await stores.orgs.add(code: Fixture.communityA1, name: "白银路社区", level: .community, parentCode: Fixture.streetA, in: .everything, by: .cli())
            let p = try await stores.persons.create(PersonInput(name: "王芳", idNumber: Fixture.idNumber(2), unit: Fixture.communityA1), in: .everything, by: .cli())
            // SQLite's virtual-machine steps for the person read as the reader runs it, with its values bound
            // (EXPLAIN would show the plan made before they are: GLOB and LIKE plan again for the pattern)
            @Sendable func steps(_ condition: String, _ binds: [String]) async throws -> Int32 {
                try await stores.db.read { db in
                    let handle = try #require(BulkInsert.sqliteHandle(db))
                    var statement: OpaquePointer?
                    let sql = "SELECT p.name, u.code FROM persons p JOIN org_units u ON u.id = p.unit_id WHERE p.id = ?1 AND \(condition)"
                    #expect(sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK)
                    defer { sqlite_nio_sqlite3_finalize(statement) }
                    for (i, value) in ([p.id.text] + binds).enumerated() {
                        sqlite_nio_sqlite3_bind_text(statement, Int32(i + 1), value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                    }
                    var rows = 0
                    while sqlite_nio_sqlite3_step(statement) == SQLITE_ROW { rows += 1 }
                    #expect(rows == 1)
                    return sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 0)
                }
            }
            @Sendable func measure() async throws -> (glob: Int32, range: Int32) {
                (try await steps("p.path GLOB ?2", ["/310000/310114/*"]), try await steps("p.path >= ?2 AND p.path < ?3", ["/310000/310114/", "/310000/3101140"]))
            }
            // thousands of units written in bulk (as a code table is), behind the planner's back
            try await stores.db.transaction { db in
                for i in 0..<3000 {
                    try await db.raw("""
                        INSERT INTO org_units (id, code, name, level, path, status, created_at, updated_at)
                        VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: String(700000 + i)), 'x', 'district', \(bind: "/\(700000 + i)/"), 'active', '2026-01-01', '2026-01-01')
                        """).run()
                }
            }
            let stale = try await measure()
            // the code table's load (thousands of units more) brings the figures up to date
            _ = try await stores.orgs.importFile(at: Fixture.areaCodes, in: .everything, by: .cli())
            let fresh = try await measure()
            // with the old figures the reader reached the person through every unit, by the GLOB prefix once used
            // and by the range used now alike; with the new ones through its id
            #expect(stale.glob > 3000 && stale.range > 3000, "\(stale)")
            #expect(fresh.glob < 100 && fresh.range < 100, "\(fresh)")
            #expect(try await stores.db.optimizeStatistics() == 0, "nothing changed since: nothing analyzed")
            #expect(try await stores.persons.read(p.id, in: .everything, by: .cli()).name == "王芳")
        }
    }

    /// With `RENKOU_TEST_REPLICA_URL` (the test command starts a streaming replica of the test cluster with
    /// pg_basebackup): reads are served by the replica, a write is seen by the next read, and a replica
    /// whose replay is paused makes reads fall back to the primary instead of showing stale data.
    @Test func aReplicaServesReadsAndTheProcessSeesItsWrites() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let primary = env["RENKOU_TEST_POSTGRES_URL"], let replicaURL = env["RENKOU_TEST_REPLICA_URL"], !replicaURL.isEmpty else {
            if env["RENKOU_REQUIRE_POSTGRES"] == "1" { Issue.record("RENKOU_REQUIRE_POSTGRES=1 but RENKOU_TEST_REPLICA_URL is not set") }
            return
        }
        let schema = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = try await Database.open(url: primary, poolSize: 2)
        try await admin.write { try await $0.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run() }
        await admin.close()
        let db = try await Database.open(url: primary, readURL: replicaURL, poolSize: 2, searchPath: String(schema))
        let replicaAdmin = try await Database.open(url: replicaURL, poolSize: 2)
        func cleanup() async {
            _ = try? await replicaAdmin.write { try await $0.raw("SELECT pg_wal_replay_resume()").run() }
            await replicaAdmin.close()
            try? await db.write { try await $0.raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
            await db.close()
        }
        do {
            try await db.migrate()
            let clock = TestClock()
            let stores = Stores(db: db, env: RenkouCore.Environment(now: { clock.now }, newID: { UUID.v7(at: clock.now, sequence: clock.ids) }, policy: .shipped), bcryptCost: 4)
            #expect(db.readsFromReplica)
            // Under a loaded machine (CI builds and tests beside the cluster) the replica may lag past the
            // default 2 s; here reads wait for it, so the reads below are the replica's, not a fallback's.
            db.replicaWait = .seconds(120)
            // the tree and a person written on the primary are found through the replica once it has them
            try await Fixture.tree(stores)
            let p = try await stores.persons.create(PersonInput(name: "赵一", idNumber: Fixture.idNumber(5), unit: Fixture.communityA1), in: .everything, by: .cli())
            var q = PersonQuery(); q.name = "赵一"
            #expect(try await stores.persons.search(q, in: .everything, by: .cli()).items.map(\.id) == [p.id])
            let inRecovery = try await db.read { try await $0.raw("SELECT pg_is_in_recovery() AS r").first()?.decode(column: "r", as: Bool.self) }
            #expect(inRecovery == true, "reads are served by the replica")
            // the read's audit row went to the primary
            let audited = try await db.write { try await $0.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'read'").first()?.decode(column: "n", as: Int.self) }
            #expect(audited == 1)

            // replay paused: the next write is not on the replica, and a read waits, then asks the primary
            try await replicaAdmin.write { try await $0.raw("SELECT pg_wal_replay_pause()").run() }
            // pausing is a request: replay stops at its next record, so wait until it has (PostgreSQL 14+)
            var paused = false
            for _ in 0..<600 where !paused {
                paused = try await replicaAdmin.read { try await $0.raw("SELECT pg_get_wal_replay_pause_state() = 'paused' AS p").first()?.decode(column: "p", as: Bool.self) } ?? false
                if !paused { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(paused, "the replica's replay paused within 30 s")
            db.replicaWait = .milliseconds(300)
            db.replicaRetryAfter = .milliseconds(500)
            let second = try await stores.persons.create(PersonInput(name: "赵二", idNumber: Fixture.idNumber(6), unit: Fixture.communityA1), in: .everything, by: .cli())
            var q2 = PersonQuery(); q2.name = "赵二"
            #expect(try await stores.persons.search(q2, in: .everything, by: .cli()).items.map(\.id) == [second.id])
            let onReplica = try await replicaAdmin.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: String(schema)).persons").first()?.decode(column: "n", as: Int.self) }
            #expect(onReplica == 1, "the paused replica still has only the first person")

            // a sign-in check reads the primary whatever the replica holds
            let fresh = try await db.read(fresh: true) { try await $0.raw("SELECT pg_is_in_recovery() AS r").first()?.decode(column: "r", as: Bool.self) }
            #expect(fresh == false)
            // replay resumed: reads are the replica's again once it has caught up (and the primary's turn is over)
            try await replicaAdmin.write { try await $0.raw("SELECT pg_wal_replay_resume()").run() }
            try await Task.sleep(for: .milliseconds(600))
            db.replicaWait = .seconds(120)   // the whole suite writes much WAL meanwhile: replaying it may take a while
            let after = try await db.read { try await $0.raw("SELECT pg_is_in_recovery() AS r, COUNT(*) AS n FROM persons").first() }
            #expect(try after?.decode(column: "r", as: Bool.self) == true)
            #expect(try after?.decode(column: "n", as: Int.self) == 2)
            await cleanup()
        } catch {
            await cleanup()
            throw error
        }
    }
}
