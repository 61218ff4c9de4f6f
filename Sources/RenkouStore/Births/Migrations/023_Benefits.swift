enum Migration023Benefits {
    /// Benefit runs and their lines (the facts frozen as text when the run is drawn), objections from
    /// the public board or a worker, and the bank's return rows.
    static let migration = Migration(id: 23, name: "benefit runs") { engine in [
        """
        CREATE TABLE benefit_runs (id TEXT PRIMARY KEY, programme TEXT NOT NULL, year INTEGER NOT NULL, state TEXT NOT NULL, posted_on TEXT, posting_until TEXT,
            approved_by TEXT, approved_on TEXT, paid_on TEXT, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX benefit_runs_one ON benefit_runs (programme, year, unit_id)",
        """
        CREATE TABLE benefit_lines (id TEXT PRIMARY KEY, run_id TEXT NOT NULL REFERENCES benefit_runs(id), number INTEGER NOT NULL, person_id TEXT NOT NULL,
            name TEXT NOT NULL, id_number TEXT NOT NULL, eligible INTEGER NOT NULL, facts TEXT NOT NULL, amount INTEGER NOT NULL, removed_reason TEXT,
            held INTEGER NOT NULL DEFAULT 0, payment TEXT NOT NULL DEFAULT 'pending', return_reason TEXT, batch INTEGER, reissue_of TEXT UNIQUE,
            unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX benefit_lines_number ON benefit_lines (run_id, number)",
        "CREATE INDEX benefit_lines_person ON benefit_lines (person_id)",
        "CREATE INDEX benefit_lines_path ON benefit_lines (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE benefit_objections (id TEXT PRIMARY KEY, line_id TEXT NOT NULL REFERENCES benefit_lines(id), text TEXT NOT NULL, source TEXT NOT NULL,
            filed_on TEXT NOT NULL, resolved_on TEXT, upheld INTEGER, resolution TEXT, path TEXT NOT NULL)
        """,
        "CREATE INDEX benefit_objections_line ON benefit_objections (line_id)",
    ] }
}
