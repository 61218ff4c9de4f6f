import Foundation
import RenkouCore
import SQLKit

/// 质量判定: which quality checks each active record fails, kept in `person_checks` in the same
/// transaction as every write that can change a verdict, so that a unit's completeness and consistency
/// rates and the count per check are indexed counts instead of every rule run over every record.
///
/// One row per failing check (`Q01-…`, `K01-…`), plus `K*` when any key field is missing and `Q*`
/// when any consistency rule fails. Only active records have rows. The verdicts of a record depend on
/// related records too (its mother's birth date, its spouse's link back, its household's head), so a
/// refresh takes in the spouses, children and household members of the records it is given.
enum QualityVerdicts {
    /// The summary codes: any key field missing, any consistency rule failing.
    static let anyKeyField = "K*", anyConsistency = "Q*"

    /// Recomputes the verdicts of `ids` and of the records whose verdicts depend on them, inside the
    /// caller's transaction. Deleted records lose their rows.
    static func refresh(_ ids: [UUID], rules: QualityRules, _ db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        for chunk in stride(from: 0, to: ids.count, by: 2000).map({ Array(ids[$0..<min($0 + 2000, ids.count)]) }) {
            let all = Array(Set(chunk.map(\.text) + (try await related(chunk, db)).map(\.text)))
            for part in stride(from: 0, to: all.count, by: 5000).map({ Array(all[$0..<min($0 + 5000, all.count)]) }) {
                try await write(part, rules: rules, db)
            }
        }
    }

    /// `refresh` under the policy of `env`.
    static func refresh(_ ids: [UUID], env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        try await refresh(ids, rules: QualityRules(policy: env.policy, today: env.today), db)
    }

    /// The records whose verdicts depend on these (spouses, children, current household members, the
    /// other party of their life events), for a change that is about to remove the links (a deletion).
    static func related(_ ids: [UUID], _ db: any SQLDatabase) async throws -> [UUID] {
        let given = ids.map(\.text)
        return try await db.raw("""
            SELECT id FROM persons WHERE spouse_id IN (\(binds: given))
            UNION SELECT person_id AS id FROM life_events WHERE other_id IN (\(binds: given))
            UNION SELECT id FROM persons WHERE mother_id IN (\(binds: given))
            UNION SELECT id FROM persons WHERE father_id IN (\(binds: given))
            UNION SELECT hm2.person_id AS id FROM household_members hm JOIN household_members hm2 ON hm2.household_id = hm.household_id
                  WHERE hm.person_id IN (\(binds: given)) AND hm2.left_on IS NULL
            """).all().map { try $0.decode(column: "id", as: String.self).uuid }
    }

    /// Replaces the rows of exactly these records. On PostgreSQL the records are locked first, in id
    /// order: two transactions refreshing the same record then take turns, and the second one's delete
    /// sees the first one's rows (SQLite runs one writer at a time anyway).
    ///
    /// One read evaluates every check for every record (`failing(rules)`: the codes of the failing
    /// checks, space-separated); the summaries come from those codes, and the rows go in through
    /// `BulkInsert`. A statement per check over the same records cost 21 look-ups of each record:
    /// 400 ms a batch of 2,000 on SQLite, most of an import's time.
    ///
    /// `new`: records this transaction created, which have no rows yet and no other transaction can
    /// see: neither the lock nor the delete is needed.
    static func write(_ ids: [String], rules: QualityRules, new: Bool = false, _ db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        if db.dialect.name == "postgresql" && !new {
            _ = try await db.raw("SELECT id FROM persons WHERE id IN (\(binds: ids)) ORDER BY id FOR UPDATE").all()
        }
        if !new { try await db.raw("DELETE FROM person_checks WHERE person_id IN (\(binds: ids))").run() }
        var rows: [[BulkValue]] = []
        for r in try await db.raw("""
            SELECT p.id AS id, p.path AS path, \(unsafeRaw: failing(rules)) AS codes FROM persons p
            WHERE p.id IN (\(binds: ids)) AND p.status = 'active'
            """).all() {
            let codes = try r.decode(column: "codes", as: String.self).split(separator: " ").map(String.init)
            guard !codes.isEmpty else { continue }
            let id = BulkValue.text(try r.decode(column: "id", as: String.self)), path = BulkValue.text(try r.decode(column: "path", as: String.self))
            for code in codes + summaries(of: codes) { rows.append([id, .text(code), path]) }
        }
        try await checkRows.run(rows, db)
    }

    /// An SQL expression over `persons p`: the codes of the checks the record fails, each followed by a space ('' when none).
    static func failing(_ rules: QualityRules) -> String {
        rules.all.map { "CASE WHEN (\($0.failing)) THEN '\($0.code) ' ELSE '' END" }.joined(separator: " || ")
    }

    /// The summary codes a record's failing checks add: `K*` for any key field, `Q*` for any consistency
    /// rule (`Q01`…`Q10`: migration 054 added the `Q*` rows that `Q10` alone had not given).
    static func summaries(of codes: [String]) -> [String] {
        (codes.contains { $0.hasPrefix("K") } ? [anyKeyField] : []) + (codes.contains { $0.hasPrefix("Q") } ? [anyConsistency] : [])
    }

    static let checkRows = BulkInsert("person_checks", ["person_id", "code", "path"])

    /// Recomputes every verdict (after a bulk load, or when the rules changed), inside the caller's transaction.
    static func rebuild(rules: QualityRules, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM person_checks").run()
        for statement in rebuildStatements(rules: rules) { try await db.raw(SQLQueryString(statement)).run() }
    }

    /// The statements that fill `person_checks` from nothing (also used by the migration that creates it).
    static func rebuildStatements(rules: QualityRules) -> [String] {
        rules.all.map { check in
            "INSERT INTO person_checks (person_id, code, path) SELECT p.id, '\(check.code)', p.path FROM persons p WHERE p.status = 'active' AND (\(check.failing))"
        } + [(anyKeyField, "K"), (anyConsistency, "Q")].map { summary, letter in
            "INSERT INTO person_checks (person_id, code, path) SELECT person_id, '\(summary)', MIN(path) FROM person_checks WHERE code LIKE '\(letter)%' AND code <> '\(summary)' GROUP BY person_id"
        }
    }

    /// The two rates as indicator definitions: the counts come from the verdicts (active records under
    /// the path, less those with a `K*` or `Q*` row); the click-through lists the records with one.
    static var indicators: [IndicatorDefinition] {
        [(RegistryIndicator.completeness, anyKeyField), (RegistryIndicator.consistency, anyConsistency)].map { indicator, summary in
            IndicatorDefinition(
                indicator, from: "persons x", base: { _, _ in "x.status = 'active'" },
                numerator: { _, _ in "NOT EXISTS (SELECT 1 FROM person_checks v WHERE v.person_id = x.id AND v.code = '\(summary)')" },
                key: "x.id", record: "x.id AS id, x.name AS name, x.id_number AS id_number, x.address AS detail, 'person' AS link",
                groups: { under, indexed, _, engine, db, shared in
                    // per path the records carry: the active records (counted once for both rates), less those with a verdict
                    // (kept at every write: `PopulationCounts`)
                    let active: [String: Int] = try await shared.value("active-records:\(under)") { try await PopulationCounts.active(under: under, engine: engine, db) }
                    var groups = active.mapValues { (numerator: $0, denominator: $0) }
                    for r in try await db.raw("SELECT path, COUNT(*) AS n FROM person_checks WHERE code = \(bind: summary) AND \(engine.startsWith("path", under, indexed: indexed)) GROUP BY path").all() {
                        groups[try r.decode(column: "path", as: String.self), default: (0, 0)].numerator -= try r.decode(column: "n", as: Int.self)
                    }
                    return groups.map { (path: $0.key, numerator: $0.value.numerator, denominator: $0.value.denominator) }
                })
        }
    }
}
