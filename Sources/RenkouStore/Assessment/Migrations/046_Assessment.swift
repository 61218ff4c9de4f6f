enum Migration046Assessment {
    /// 目标管理: each unit's target per indicator and year (a fraction for a rate), the responsibility
    /// agreements (one per unit and year, with the signed scan), the warnings raised (once per
    /// indicator, unit, period and rule) with their 督办 task, and the vetoes.
    static let migration = Migration(id: 46, name: "targets, agreements, warnings and vetoes") { engine in [
        """
        CREATE TABLE targets (code TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, year INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL,
            method TEXT NOT NULL, base TEXT, set_by TEXT NOT NULL, set_at TEXT NOT NULL, PRIMARY KEY (code, unit_id, year))
        """,
        "CREATE INDEX targets_path ON targets (year, path\(engine.prefixIndexOps))",
        """
        CREATE TABLE responsibility_agreements (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, year INTEGER NOT NULL,
            terms TEXT NOT NULL, signatories TEXT NOT NULL, signed_on TEXT NOT NULL, scan_name TEXT, scan_type TEXT, scan TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX responsibility_agreements_unit ON responsibility_agreements (unit_id, year)",
        """
        CREATE TABLE warnings (id TEXT PRIMARY KEY, code TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, period TEXT NOT NULL, rule TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL, against DOUBLE PRECISION NOT NULL, raised_on TEXT NOT NULL, due_on TEXT NOT NULL, task_id TEXT NOT NULL,
            closed_on TEXT, action TEXT, closed_by TEXT)
        """,
        "CREATE UNIQUE INDEX warnings_once ON warnings (code, unit_id, period, rule)",
        "CREATE INDEX warnings_path ON warnings (path\(engine.prefixIndexOps), raised_on)",
        """
        CREATE TABLE vetoes (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, year INTEGER NOT NULL, item TEXT NOT NULL,
            evidence TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_on TEXT NOT NULL, withdrawn_on TEXT, withdrawn_reason TEXT, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX vetoes_path ON vetoes (year, path\(engine.prefixIndexOps))",
    ] }
}
