enum Migration019CheckUpsPregnancies {
    /// Check-up rounds and their due lists, pregnancies, pre-pregnancy checks and their yearly quotas;
    /// a visit keeps the id of the visit that followed it (made or missed), so a missed visit's next
    /// one is scheduled once.
    static let migration = Migration(id: 19, name: "check-ups, pregnancies, pre-pregnancy checks") { engine in [
        "ALTER TABLE follow_ups ADD COLUMN next_id TEXT",
        "CREATE INDEX follow_ups_unrolled ON follow_ups (expires) WHERE done_on IS NULL AND closed_reason IS NULL AND next_id IS NULL",
        """
        CREATE TABLE pregnancies (id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), source TEXT NOT NULL, detected_on TEXT NOT NULL,
            lmp TEXT, expected_on TEXT, outcome TEXT, outcome_on TEXT, child_id TEXT, note TEXT,
            unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, entered_by TEXT NOT NULL, entered_at TEXT NOT NULL)
        """,
        "CREATE INDEX pregnancies_person ON pregnancies (person_id)",
        "CREATE INDEX pregnancies_path ON pregnancies (path\(engine.prefixIndexOps), detected_on)",
        """
        CREATE TABLE checkup_rounds (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, name TEXT NOT NULL,
            starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX checkup_rounds_path ON checkup_rounds (path\(engine.prefixIndexOps), starts_on)",
        """
        CREATE TABLE checkups (id TEXT PRIMARY KEY, round_id TEXT NOT NULL REFERENCES checkup_rounds(id), person_id TEXT NOT NULL REFERENCES persons(id),
            pregnancy_due INTEGER NOT NULL, iud_due INTEGER NOT NULL, gynaecological_due INTEGER NOT NULL,
            pregnancy_result TEXT, iud_result TEXT, gynaecological_result TEXT, complete INTEGER NOT NULL DEFAULT 0, exempt INTEGER NOT NULL DEFAULT 0,
            checked_on TEXT, checked_by TEXT, note TEXT, round_ends_on TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX checkups_round_person ON checkups (round_id, person_id)",
        "CREATE INDEX checkups_person ON checkups (person_id)",
        "CREATE INDEX checkups_path ON checkups (path\(engine.prefixIndexOps), round_ends_on)",
        """
        CREATE TABLE prepregnancy_checks (id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), spouse_id TEXT, spouse_name TEXT, spouse_id_number TEXT,
            checked_on TEXT NOT NULL, items TEXT NOT NULL, risk TEXT NOT NULL, counselling TEXT, early_finding TEXT, early_on TEXT, outcome_finding TEXT, outcome_on TEXT,
            unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, entered_by TEXT NOT NULL, entered_at TEXT NOT NULL)
        """,
        "CREATE INDEX prepregnancy_checks_path ON prepregnancy_checks (path\(engine.prefixIndexOps), checked_on)",
        "CREATE INDEX prepregnancy_checks_person ON prepregnancy_checks (person_id)",
        """
        CREATE TABLE prepregnancy_quotas (unit_id TEXT NOT NULL REFERENCES org_units(id), year INTEGER NOT NULL, couples INTEGER NOT NULL,
            path TEXT NOT NULL, set_by TEXT NOT NULL, set_at TEXT NOT NULL, PRIMARY KEY (unit_id, year))
        """,
    ] }
}
