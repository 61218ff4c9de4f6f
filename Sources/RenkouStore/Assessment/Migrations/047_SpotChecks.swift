enum Migration047SpotChecks {
    /// 入户抽查: the draws (with their seed), the households drawn in order, and each field compared at the
    /// door (matched or not) with the task a difference became.
    static let migration = Migration(id: 47, name: "household spot checks") { engine in [
        """
        CREATE TABLE spot_checks (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, year INTEGER NOT NULL, seed BIGINT NOT NULL,
            size INTEGER NOT NULL, drawn_on TEXT NOT NULL, drawn_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX spot_checks_path ON spot_checks (path\(engine.prefixIndexOps), year)",
        """
        CREATE TABLE spot_check_households (check_id TEXT NOT NULL REFERENCES spot_checks(id), household_id TEXT NOT NULL REFERENCES households(id), position INTEGER NOT NULL,
            visited_on TEXT, visited_by TEXT, PRIMARY KEY (check_id, household_id))
        """,
        """
        CREATE TABLE spot_check_findings (id TEXT PRIMARY KEY, check_id TEXT NOT NULL REFERENCES spot_checks(id), household_id TEXT NOT NULL REFERENCES households(id),
            person_id TEXT REFERENCES persons(id), path TEXT NOT NULL, field TEXT NOT NULL, registered TEXT, found TEXT, matches INTEGER NOT NULL, checked_on TEXT NOT NULL,
            summary TEXT NOT NULL, task_id TEXT)
        """,
        "CREATE INDEX spot_check_findings_check ON spot_check_findings (check_id)",
        "CREATE INDEX spot_check_findings_path ON spot_check_findings (path\(engine.prefixIndexOps), checked_on)",
    ] }
}
