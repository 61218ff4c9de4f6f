import Foundation
import RenkouCore
import SQLKit

/// 人口计数: the active people counted by leaf path, sex and birth month, kept by the database at every
/// write of `persons` (migration 056's triggers append deltas), read by the population pyramid and the
/// data-quality rates.
/// A district of 1,000,000 on SQLite: the pyramid read every person's entry of an index (0.38 s); it
/// now reads its few ten thousand counts and, for the months where a birthday decides the age band, the
/// people born in them (see `ageBands`).
enum PopulationCounts {
    /// The active men and women of the part of the tree under `path` by 5-year age band on `day`
    /// (18 bands, the last 85 and over), as (men, women), youngest first; exactly what grouping every
    /// person's age would give. People not yet born on `day` are not counted.
    ///
    /// The counts know the birth month only. A person born in another month than `day`'s has her age on
    /// `day` fixed by it; one born in `day`'s month is counted as if her birthday had come. That is wrong
    /// only for those born after `day`'s day of the month, and changes the band only where the age it
    /// gives is a band's first (0, 5, …, 85): those people are read from `persons` (the birth-date
    /// index `persons_wra`, a few hundred days of births) and moved to the band below.
    static func ageBands(under path: String, on day: Day, engine: Engine, _ db: any SQLDatabase) async throws -> [(male: Int, female: Int)] {
        var bands = Array(repeating: (male: 0, female: 0), count: 18)
        func add(_ sex: String, age: Int, _ n: Int) {
            guard age >= 0 else { return }
            let band = Swift.min(17, age / 5)
            if sex == "1" { bands[band].male += n } else if sex == "2" { bands[band].female += n }
        }
        // Born in `day`'s month after its day, in the years that make a band's first age: one age less.
        // Read in the same statement as the counts (one snapshot: a write between two reads would move
        // people between bands).
        let ages = stride(from: 0, through: 85, by: 5).filter { day.day < Day.daysIn(month: day.month, year: day.year - $0) }
        let edges = ages.map { age -> SQLQueryString in
            let year = day.year - age
            return """
                 UNION ALL SELECT 'edge' AS part, sex, '\(unsafeRaw: String(age))' AS key, COUNT(*) AS n FROM persons
                WHERE sex IN ('1', '2') AND status = 'active' AND birth_date > \(bind: String(format: "%04d-%02d-%02d", year, day.month, day.day))
                AND birth_date <= \(bind: String(format: "%04d-%02d-31", year, day.month)) AND \(engine.startsWith("path", path, indexed: false)) GROUP BY sex
                """
        }
        let counts: SQLQueryString = """
            SELECT 'month' AS part, sex, birth_month AS key, SUM(n) AS n FROM population_counts
            WHERE \(engine.startsWith("path", path)) AND sex IN ('1', '2') AND birth_month <> '' GROUP BY sex, birth_month
            """
        for r in try await db.raw(([counts] + edges).joined()).all() {
            let sex = try r.decode(column: "sex", as: String.self), key = try r.decode(column: "key", as: String.self), n = try r.decode(column: "n", as: Int.self)
            if try r.decode(column: "part", as: String.self) == "edge" {
                guard let age = Int(key) else { continue }
                add(sex, age: age, -n)
                add(sex, age: age - 1, n)
            } else {
                let month = key.split(separator: "-").compactMap { Int($0) }
                guard month.count == 2, (1...12).contains(month[1]) else { continue }
                add(sex, age: day.year - month[0] - (month[1] > day.month ? 1 : 0), n)
            }
        }
        return bands
    }

    /// The active people under `path` by the path they carry: [path: how many]. A district of
    /// 1,000,000 on SQLite: 0.15 s grouping the people, 6 ms summing the counts.
    static func active(under path: String, engine: Engine, _ db: any SQLDatabase) async throws -> [String: Int] {
        var n: [String: Int] = [:]
        for r in try await db.raw("SELECT path, SUM(n) AS n FROM population_counts WHERE \(engine.startsWith("path", path)) GROUP BY path").all() {
            let count = try r.decode(column: "n", as: Int.self)
            if count != 0 { n[try r.decode(column: "path", as: String.self)] = count }
        }
        return n
    }

    /// The counts of `persons` as it stands, into an empty table (migration 056's fill).
    static let fill = """
        INSERT INTO population_counts (path, sex, birth_month, n)
        SELECT path, COALESCE(sex, ''), COALESCE(substr(birth_date, 1, 7), ''), COUNT(*) FROM persons WHERE status = 'active' GROUP BY 1, 2, 3
        """

    /// Statements that make the counts again from `persons` as it stands (a large load on SQLite,
    /// which writes its rows without the triggers).
    static let recount = ["DELETE FROM population_counts", fill]

    /// Sums the deltas the triggers appended into one row per path, sex and month (dropping those that
    /// came to zero), in one transaction; returns how many rows fewer the table holds. Writers are not
    /// held up on PostgreSQL (the rows summed are those the deletion saw; a delta committed meanwhile
    /// stays as it is). Run every hour (the daily jobs) and after a large load.
    static func compact(_ db: Database) async throws -> Int {
        let engine = db.engine
        return try await db.transaction(awaitedByReads: false) { db in
            let count: SQLQueryString = "SELECT COUNT(*) AS n FROM population_counts"
            let before = try await db.raw(count).first()!.decode(column: "n", as: Int.self)
            switch engine {
            case .sqlite:
                // the writer is the only one: the rows up to the last are summed, then removed
                guard let last = try await db.raw("SELECT MAX(rowid) AS m FROM population_counts").first()?.decode(column: "m", as: Int?.self) else { return 0 }
                try await db.raw("""
                    INSERT INTO population_counts (path, sex, birth_month, n)
                    SELECT path, sex, birth_month, SUM(n) FROM population_counts WHERE rowid <= \(bind: last) GROUP BY path, sex, birth_month HAVING SUM(n) <> 0
                    """).run()
                try await db.raw("DELETE FROM population_counts WHERE rowid <= \(bind: last)").run()
            case .postgres:
                try await db.raw("""
                    WITH gone AS (DELETE FROM population_counts RETURNING path, sex, birth_month, n)
                    INSERT INTO population_counts (path, sex, birth_month, n)
                    SELECT path, sex, birth_month, SUM(n) FROM gone GROUP BY path, sex, birth_month HAVING SUM(n) <> 0
                    """).run()
            }
            return before - (try await db.raw(count).first()!.decode(column: "n", as: Int.self))
        }
    }
}
