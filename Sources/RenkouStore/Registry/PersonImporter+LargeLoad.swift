import Foundation
import RenkouCore
import SQLKit

/// A large load's indexes, built after its rows, and where the writing task's time went.
extension PersonImporter {
    /// Indexes an import never reads while it runs: the quality and assessment indexes of `persons`
    /// and the per-check index of `person_checks`. Unique ones stay (they are constraints, and the
    /// import matches by ID number), and so do the spouse, mother and father links that a batch's
    /// quality refresh looks up.
    static let deferrable = ["persons", "person_checks"], readByImport: Set<String> = ["persons_spouse", "persons_mother", "persons_father"]

    /// 大批量导入: for a large load, drops the indexes in `deferrable` that the import does not read,
    /// inside the import's transaction, and returns the statements that build them again before it
    /// commits (as `pg_restore` does: one sorted build instead of a million random inserts). A run
    /// that rolls back (a refused file, an error, a crash) gets them back with the rollback.
    /// - SQLite (one writer; readers keep reading the committed state, indexes included): a file of
    ///   `largeLoadBytes` or more holding, at about 100 bytes a row, at least twice as many rows as the
    ///   registry has records; dry runs too.
    /// - PostgreSQL: the drop locks `persons` until the commit, so searches wait. Only a first load (no
    ///   records yet) that will be kept (not a dry run) is treated so, and both tables are locked
    ///   first, `persons` before `person_checks`, the order every other writer takes them in.
    static func deferIndexes(fileBytes: Int, largeLoadBytes: Int, mode: ImportMode, engine: Engine, _ db: any SQLDatabase) async throws -> [String] {
        guard fileBytes >= largeLoadBytes else { return [] }
        let query: String
        switch engine {
        case .sqlite:
            let persons = try await db.raw("SELECT COUNT(*) AS n FROM persons").first()?.decode(column: "n", as: Int.self) ?? 0
            guard persons * 2 * 100 <= fileBytes else { return [] }
            query = """
                SELECT name, '"' || name || '"' AS qualified, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (\(deferrable.map { "'\($0)'" }.joined(separator: ", ")))
                AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name
                """
        case .postgres:
            guard mode != .dryRun,
                  try await db.raw("SELECT NOT EXISTS (SELECT 1 FROM persons) AS empty").first()?.decode(column: "empty", as: Bool.self) == true else { return [] }
            try await db.raw(SQLQueryString("LOCK TABLE \(deferrable.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE")).run()
            query = """
                SELECT c.relname AS name, i.indexrelid::regclass::text AS qualified, pg_get_indexdef(i.indexrelid) AS sql FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid IN (\(deferrable.map { "'\($0)'::regclass" }.joined(separator: ", "))) AND NOT i.indisunique ORDER BY c.relname
                """
        }
        var builds: [String] = []
        for r in try await db.raw(SQLQueryString(query)).all() {
            guard !readByImport.contains(try r.decode(column: "name", as: String.self)) else { continue }
            builds.append(try r.decode(column: "sql", as: String.self))
            try await db.raw(SQLQueryString("DROP INDEX \(try r.decode(column: "qualified", as: String.self))")).run()
        }
        // SQLite's row triggers append a population count per person written (16 % of a 100,000-row
        // load): they go too, and the counts are made again from the registry before they come back.
        // (PostgreSQL's statement triggers append one per unit, sex and month of a batch: they stay.)
        if engine == .sqlite {
            let triggers = try await db.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'persons' AND name LIKE 'persons_count_%' ORDER BY name").all()
            for r in triggers { try await db.raw(SQLQueryString("DROP TRIGGER \"\(try r.decode(column: "name", as: String.self))\"")).run() }
            if !triggers.isEmpty { builds += PopulationCounts.recount + (try triggers.map { try $0.decode(column: "sql", as: String.self) }) }
        }
        return builds
    }

    /// The writing task's time per phase, printed to standard error at the end of a run when the
    /// environment has `RENKOU_IMPORT_PHASES` (the import benchmark's profile of what remains).
    struct ImportPhases {
        static let enabled = ProcessInfo.processInfo.environment["RENKOU_IMPORT_PHASES"] != nil
        var seconds: [(String, Double)] = []
        var mark = ContinuousClock.now
        /// Adds the time since the last mark to `phase`.
        mutating func lap(_ phase: String) {
            guard Self.enabled else { return }
            let now = ContinuousClock.now, d = now - mark
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            if let i = seconds.firstIndex(where: { $0.0 == phase }) { seconds[i].1 += s } else { seconds.append((phase, s)) }
            mark = now
        }
        func print() {
            guard Self.enabled else { return }
            let text = seconds.map { String(format: "%@ %.3f", $0.0, $0.1) }.joined(separator: "\n") + "\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
