enum Migration028FeeLedger {
    /// 社会抚养费台账 (legacy, off by default): the old cases, their collections and the talks with the
    /// hukou region; a case is closed under the 2021 rules, never deleted.
    static let migration = Migration(id: 28, name: "maintenance fee ledger") { engine in [
        """
        CREATE TABLE fee_cases (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, person_id TEXT NOT NULL REFERENCES persons(id), spouse_name TEXT,
            child_birth_date TEXT NOT NULL, decision_number TEXT NOT NULL, decided_on TEXT NOT NULL, amount INTEGER NOT NULL, instalments INTEGER NOT NULL,
            hukou_region TEXT, closure TEXT, closed_on TEXT, closure_note TEXT, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX fee_cases_path ON fee_cases (path\(engine.prefixIndexOps))",
        "CREATE INDEX fee_cases_person ON fee_cases (person_id)",
        """
        CREATE TABLE fee_collections (id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES fee_cases(id), day TEXT NOT NULL, amount INTEGER NOT NULL,
            receipt TEXT NOT NULL, by_user TEXT NOT NULL, path TEXT NOT NULL)
        """,
        "CREATE INDEX fee_collections_case ON fee_collections (case_id)",
        """
        CREATE TABLE fee_negotiations (id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES fee_cases(id), day TEXT NOT NULL, region TEXT NOT NULL,
            text TEXT NOT NULL, by_user TEXT NOT NULL, path TEXT NOT NULL)
        """,
        "CREATE INDEX fee_negotiations_case ON fee_negotiations (case_id)",
    ] }
}
