enum Migration012NameGrams {
    /// Every one- and two-character piece of each person's name, lower-cased, so that a name-substring
    /// search looks up an index instead of reading every name. Trigram indexes do not help here: most
    /// Chinese names, and most of what a worker types, are two or three characters long.
    ///
    /// The stores keep the table in step (`NameGrams`: every insert, name change and deletion of a
    /// person goes through `PersonStore`'s row functions or a bulk writer that adds the pieces), not
    /// triggers: on SQLite a trigger makes every insert keep a statement journal, which cost a bulk
    /// load a third of its time. This migration fills it for the people already registered.
    static let migration = Migration(id: 12, name: "name grams for substring search") { engine in
        switch engine {
        case .sqlite: [
            "CREATE TABLE person_name_grams (gram TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (gram, person_id)) WITHOUT ROWID",
            // Positions 1…64 (a name has at most 50 characters) from a recursive CTE.
            """
            INSERT OR IGNORE INTO person_name_grams (gram, person_id)
            WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 64)
            SELECT lower(substr(p.name, k.n, 1)), p.id FROM persons p, k WHERE k.n <= length(p.name)
            UNION SELECT lower(substr(p.name, k.n, 2)), p.id FROM persons p, k WHERE k.n < length(p.name)
            """,
        ]
        case .postgres: [
            "CREATE TABLE person_name_grams (gram TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (gram, person_id))",
            """
            INSERT INTO person_name_grams (gram, person_id)
            SELECT lower(substr(p.name, k, 1)), p.id FROM persons p, generate_series(1, length(p.name)) k
            UNION SELECT lower(substr(p.name, k, 2)), p.id FROM persons p, generate_series(1, length(p.name) - 1) k
            """,
        ]
        }
    }
}
