import Foundation
import SQLKit

/// The planner's statistics: gathered after bulk changes and every hour, and reloaded by every connection.
extension Database {
    /// Refreshes the planner's statistics of every table (after a bulk load), and makes every connection
    /// plan with them (`reloadStatistics`).
    public func refreshStatistics() async throws {
        let statements = engine.statisticsRefresh
        try await write { db in for s in statements { try await db.raw(SQLQueryString(s)).run() } }
        try await reloadStatistics()
    }

    /// Gathers the planner's statistics again for the tables that grew or shrank much since they were last
    /// gathered, or never were (SQLite's `PRAGMA optimize`, which leaves the others alone), and makes every
    /// connection plan with them. Returns how many tables with an index needed it (0: nothing was done).
    /// Run after a change of many rows in a running process (the code table loaded at first start, an import)
    /// and every hour (the daily jobs). Statistics gathered before such a change mislead the planner for as
    /// long as the process runs: org_units counted while it held one unit and then loaded with the code
    /// table's 6,452 had every person read scan them all (a fresh server answered a third of the reads it
    /// answered after a restart). PostgreSQL's autovacuum analyzes changed tables itself (within a minute of a
    /// large change, at its default naptime): there this returns 0.
    @discardableResult
    public func optimizeStatistics() async throws -> Int {
        guard engine == .sqlite else { return 0 }
        // 0x10000: look at every table, not only those this connection used; 0x02: analyze those that need it;
        // 0x01: only list them (`ANALYZE "main"."persons"`). The list is read first so that nothing is
        // reloaded when nothing changed. A table without an index is left out: the planner has no index of
        // it to choose, and SQLite lists a one-row table of keys every time.
        let needed = try await write { db in
            let indexed = Set(try await db.raw("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'index'").all()
                .map { try $0.decode(column: "tbl_name", as: String.self) })
            let needed = try await db.raw("PRAGMA optimize = 0x10003").all().map { try $0.decode(column: "optimize", as: String.self) }
                .filter { line in indexed.contains { line.hasSuffix(".\"\($0)\"") } }.count
            if needed > 0 { _ = try await db.raw("PRAGMA optimize = 0x10002").all() }
            return needed
        }
        if needed > 0 { try await reloadStatistics() }
        return needed
    }

    /// Makes every connection plan with the statistics now stored. SQLite's readers load `sqlite_stat1`
    /// with the schema and keep it while the schema is unchanged, whatever ANALYZE stores later (it reloads
    /// only the connection that ran it; a read-only reader cannot run it): a view made and dropped changes
    /// the schema's version, and every connection, of this process or another, reads the schema and its
    /// statistics again before its next statement. PostgreSQL's sessions read the statistics as they plan.
    func reloadStatistics() async throws {
        guard engine == .sqlite else { return }
        try await transaction(awaitedByReads: false) { db in
            try await db.raw("DROP VIEW IF EXISTS renkou_statistics_reload").run()
            try await db.raw("CREATE VIEW renkou_statistics_reload AS SELECT 1 AS one").run()
            try await db.raw("DROP VIEW renkou_statistics_reload").run()
        }
    }
}
