import RenkouCore
import SQLKit

/// The two database engines. Every difference between them lives in this file.
public enum Engine: String, Sendable {
    case sqlite, postgres

    /// Column type of an auto-numbered primary key.
    var autoIncrementPrimaryKey: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }

    /// Index operator class that lets a prefix match use a b-tree index.
    var prefixIndexOps: String {
        switch self {
        case .sqlite: ""
        case .postgres: " text_pattern_ops"
        }
    }

    /// Whether SQLite should reach a part of the tree at `level` through the path index: not for a
    /// district or above, which holds most of a deployment's registry (`startsWith(_:_:indexed:)`).
    static func pathNarrows(at level: OrgLevel) -> Bool { level > .district }

    /// `column` starts with `prefix`, as a condition that uses the column's index:
    /// on SQLite the range `column >= prefix AND column < prefix′` (prefix′: its last character's successor;
    /// what SQLite makes of `GLOB 'prefix*'` itself, byte-wise and case-sensitive, but without GLOB's cost:
    /// a GLOB on a bound pattern has the statement prepared twice, the second time for the value bound),
    /// LIKE with escapes on PostgreSQL.
    /// `indexed: false` keeps SQLite from reaching the rows through the column's index: for a prefix
    /// that holds most of the table (a district's path), where SQLite, which keeps no histograms, would
    /// otherwise prefer the path index over a selective one (a month's births by birth date).
    /// PostgreSQL's planner knows the prefix's share and needs no such hint.
    func startsWith(_ column: String, _ prefix: String, indexed: Bool = true) -> SQLQueryString {
        switch self {
        case .sqlite:
            let target = indexed ? column : "+" + column
            guard let last = prefix.unicodeScalars.last else { return "(\(unsafeRaw: target) IS NOT NULL)" }
            guard let next = Unicode.Scalar(last.value == 0xD7FF ? 0xE000 : last.value + 1) else {
                // (U+10FFFF has no successor: GLOB, with its wildcards escaped)
                let escaped = prefix.map { "*?[]".contains($0) ? "[\($0)]" : String($0) }.joined()
                return "(\(unsafeRaw: target) GLOB \(bind: escaped + "*"))"
            }
            var upper = String.UnicodeScalarView(prefix.unicodeScalars.dropLast())
            upper.append(next)
            // parenthesised: the caller may put NOT or OR before it
            return "(\(unsafeRaw: target) >= \(bind: prefix) AND \(unsafeRaw: target) < \(bind: String(upper)))"
        case .postgres:
            return "\(unsafeRaw: column) LIKE \(bind: Self.likePrefix(prefix)) ESCAPE '\\'"
        }
    }

    /// The LIKE pattern (escape character `\`) of the values that begin with `prefix`.
    static func likePrefix(_ prefix: String) -> String {
        let escaped = prefix.contains(where: { "\\%_".contains($0) })
            ? prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            : prefix
        return escaped + "%"
    }

    /// Case-insensitive substring match.
    func contains(_ column: String, _ text: String) -> SQLQueryString {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        switch self {
        case .sqlite: return "\(unsafeRaw: column) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        case .postgres: return "\(unsafeRaw: column) ILIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        }
    }

    /// Statements that make a table append-only: any UPDATE or DELETE fails.
    func appendOnly(_ table: String) -> [String] {
        switch self {
        case .sqlite:
            return [
                "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END",
                "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END",
            ]
        case .postgres:
            return [
                """
                CREATE OR REPLACE FUNCTION renkou_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """,
                "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION renkou_append_only()",
                "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION renkou_append_only()",
            ]
        }
    }

    /// Settings for a bulk load on one connection, and the ones that restore normal operation after it.
    /// SQLite: no fsync per commit while loading; checkpoints every 10,000 pages keep the WAL (and the
    /// cost of finding a page in it) bounded; one full checkpoint at the end.
    var bulkLoad: (begin: [String], end: [String]) {
        switch self {
        // A 2 GiB page cache (at most; used as the load grows) for the run keeps the indexes being filled in memory between commits.
        case .sqlite: (["PRAGMA wal_autocheckpoint = 10000", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -2097152"],
                       ["PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 1000", "PRAGMA cache_size = -65536", "PRAGMA wal_checkpoint(TRUNCATE)"])
        case .postgres: (["SET synchronous_commit = off"], ["SET synchronous_commit = on"])
        }
    }

    /// What refreshes the planner's statistics after a bulk load, run outside a transaction: counts by
    /// unit pick the selective index only with them (PostgreSQL's autovacuum would get there later).
    var statisticsRefresh: [String] {
        switch self {
        case .sqlite: ["ANALYZE"]
        case .postgres: ["VACUUM ANALYZE"]
        }
    }

    /// A scratch table for one transaction (an import's "ID numbers seen so far"), kept on disk so
    /// that memory does not grow with the file: statements to run before BEGIN, after BEGIN, before
    /// COMMIT and after the transaction ends either way.
    func scratchTable(_ name: String, columns: String) -> (beforeBegin: [String], create: String, beforeCommit: [String], after: [String]) {
        switch self {
        case .sqlite: (["PRAGMA temp_store = FILE"], "CREATE TEMP TABLE \(name) (\(columns))", ["DROP TABLE temp.\(name)"], ["PRAGMA temp_store = MEMORY"])
        case .postgres: ([], "CREATE TEMP TABLE \(name) (\(columns)) ON COMMIT DROP", [], [])
        }
    }
}
