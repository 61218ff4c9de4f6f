import Foundation
import RenkouCore
@testable import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct EngineTests {
    /// `startsWith` (every scope's condition: a unit's path and what lies under it) matches exactly the
    /// values that begin with the prefix, on both engines and with either index hint: not a neighbour that
    /// shares all but the last character, not the prefix's own parent, whatever wildcard or escape
    /// character of GLOB or LIKE the prefix holds, with Chinese text, with the last code point (which has
    /// no successor), and with NOT or OR written before it.
    @Test(arguments: TestEngine.all) func startsWithMatchesExactlyWhatBeginsWithThePrefix(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            let values = ["/310000/310114/", "/310000/310114/310114001/", "/310000/3101140/", "/310000/310115/", "/310000/31011/",
                          "/a*b/", "/a*b/c/", "/axb/", "/a%_/", "/a%_/x", "/aX_/", "/a\\/", "/a\\/b", "/[x]/", "/[x]/y", "/x/",
                          "嘉定区/", "嘉定区/新成路", "嘉定匹/", "end\u{10FFFF}", "end\u{10FFFF}z", "enc", ""]
            let prefixes = ["/310000/310114/", "/310000/", "/a*b/", "/a%_/", "/a\\/", "/[x]/", "嘉定区/", "end\u{10FFFF}", "", "/nothing/"]
            try await stores.db.write { db in
                try await db.raw("CREATE TABLE prefix_probe (v TEXT)").run()
                for v in values { try await db.raw("INSERT INTO prefix_probe (v) VALUES (\(bind: v))").run() }
                try await db.raw("INSERT INTO prefix_probe (v) VALUES (NULL)").run()
            }
            for prefix in prefixes {
                let expected = Set(values.filter { $0.hasPrefix(prefix) })
                for indexed in [true, false] {
                    let condition = stores.db.engine.startsWith("v", prefix, indexed: indexed)
                    let (found, outside) = try await stores.db.read { db in
                        (Set(try await db.raw("SELECT v FROM prefix_probe WHERE \(condition)").all().map { try $0.decode(column: "v", as: String.self) }),
                         try await db.raw("SELECT COUNT(*) AS n FROM prefix_probe WHERE NOT \(condition) OR v IS NULL").first()!.decode(column: "n", as: Int.self))
                    }
                    #expect(found == expected, "prefix \(prefix.debugDescription), indexed \(indexed)")
                    #expect(outside == values.count + 1 - expected.count, "NOT before the condition: prefix \(prefix.debugDescription)")
                }
            }
            try await stores.db.write { try await $0.raw("DROP TABLE prefix_probe").run() }
        }
    }

    /// A frequent statement (the sign-in check) whose first PREPARE on a connection failed, because the
    /// transaction around it had already failed, still answers on that connection afterwards: PostgresNIO
    /// keeps the failed PREPARE for the connection's life, and every later sign-in there would fail. The
    /// failure inside the transaction is reported as the transaction's own.
    @Test(arguments: TestEngine.all) func aFrequentStatementAnswersAfterItsPrepareFailed(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            try await Fixture.account(stores, "api", .district, Fixture.district)
            let (_, secret) = try await stores.accounts.createToken(username: "api", label: "etl", in: .everything, by: .cli())
            let check = AccountStore.TokenCheck(hash: Secrets.sha256(secret))
            // one session: one connection throughout
            let (failedInside, answered) = try await stores.db.write { db -> (Bool, String?) in
                try await db.raw("BEGIN").run()
                _ = try? await db.raw("SELECT CAST('x' AS INTEGER) / 0 AS broken").run()
                if engine == .postgres { _ = try? await db.raw("SELECT 1 / 0 AS broken").run() }
                let inside: Bool
                do { _ = try await db.first(check); inside = false } catch { inside = true }
                try await db.raw("ROLLBACK").run()
                return (inside, try await db.first(check)?.decode(column: "username", as: String.self))
            }
            #expect(failedInside == (engine == .postgres), "an aborted transaction refuses the statement on PostgreSQL")
            #expect(answered == "api")
            #expect(try await stores.accounts.tokenAccount(secret)?.username == "api")
        }
    }
}
