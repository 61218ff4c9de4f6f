import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct BulkInsertTests {
    /// The fast path is taken (SQLite's handle is reachable, PostgreSQL copies), and what it writes
    /// reads back exactly: text that COPY must escape, empty text, NULL, numbers, Chinese.
    @Test(arguments: TestEngine.all) func rowsComeBackAsWritten(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            let rows: [[BulkValue]] = [
                [.text("王\t丽\n第二行\r"), .int(1), .null],
                [.text("back\\slash \\N"), .int(-42), .text("")],
                [.text(""), .int(Int(Int32.max) + 1), .text("'; DROP TABLE persons; --")],
            ]
            let read = try await stores.db.write { db in
                #expect((BulkInsert.sqliteHandle(db) != nil) == (engine == .sqlite))
                #expect((BulkInsert.postgresConnection(db) != nil) == (engine == .postgres))
                try await db.raw("CREATE TABLE bulk_probe (t TEXT, n BIGINT, x TEXT)").run()
                try await BulkInsert("bulk_probe", ["t", "n", "x"]).run(rows, db)
                let back = try await db.raw("SELECT t, n, x FROM bulk_probe ORDER BY n").all().map { r -> [BulkValue] in
                    [.text(try r.decode(column: "t", as: String.self)), .int(try r.decode(column: "n", as: Int.self)), BulkValue(try r.decode(column: "x", as: String?.self))]
                }
                try await db.raw("DROP TABLE bulk_probe").run()
                return back
            }
            #expect(read == rows.sorted { if case .int(let a) = $0[1], case .int(let b) = $1[1] { return a < b }; return false })
        }
    }

    /// A refused row (a duplicate key) is an error, and the transaction it was in leaves nothing.
    @Test(arguments: TestEngine.all) func aRefusedRowFailsTheBatch(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await stores.db.write { db in try await db.raw("CREATE TABLE bulk_probe (k TEXT PRIMARY KEY)").run() }
            // The database's own refusal, not a RenkouError, so there is no code of ours to check. SQLite's
            // message (carried by BulkInsertError) names the constraint; PostgreSQL's COPY fails with SQLSTATE
            // 23505 (unique_violation), which unlike its message text does not depend on the server's language.
            await #expect {
                try await stores.db.transaction { db in try await BulkInsert("bulk_probe", ["k"]).run([[.text("a")], [.text("b")], [.text("a")]], db) }
            } throws: { isDatabaseError($0, mentioning: engine == .sqlite ? "UNIQUE constraint failed: bulk_probe.k" : "23505") }
            let n = try await stores.db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM bulk_probe").first()!.decode(column: "n", as: Int.self) }
            #expect(n == 0)
        }
    }
}
