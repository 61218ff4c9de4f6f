enum Migration049Reports {
    /// 统计报表: every version of a unit's monthly report with the figures it went up with; the latest
    /// version of a unit and month is where it stands (submitted, sent back, accepted).
    static let migration = Migration(id: 49, name: "monthly reports") { engine in [
        """
        CREATE TABLE reports (id TEXT PRIMARY KEY, form TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, month TEXT NOT NULL,
            version INTEGER NOT NULL, state TEXT NOT NULL, figures TEXT NOT NULL, submitted_on TEXT NOT NULL, submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL,
            note TEXT, due_on TEXT NOT NULL, reviewed_on TEXT, reviewed_by TEXT, review_note TEXT, UNIQUE (form, unit_id, month, version))
        """,
        "CREATE INDEX reports_path ON reports (path\(engine.prefixIndexOps), month)",
        "CREATE INDEX reports_unit ON reports (unit_id, form, month)",
    ] }
}
