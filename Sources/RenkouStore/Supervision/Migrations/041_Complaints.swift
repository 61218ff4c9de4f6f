enum Migration041Complaints {
    /// 投诉举报信访: the cases (the complainant's name and phone only when named), their history
    /// (internal notes flagged), its rounds (each time it is to be answered), and what the public's
    /// tracking code finds.
    static let migration = Migration(id: 41, name: "complaints, reports and petitions") { engine in [
        """
        CREATE TABLE complaints (id TEXT PRIMARY KEY, tracking_code TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, category TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL, channel TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, anonymous INTEGER NOT NULL, name TEXT, phone TEXT, state TEXT NOT NULL,
            received_on TEXT NOT NULL, due_on TEXT NOT NULL, answered_on TEXT, answer TEXT, handler TEXT, escalations INTEGER NOT NULL DEFAULT 0,
            rating INTEGER, partly_resolved INTEGER, rated_on TEXT, upheld INTEGER, reward_yuan INTEGER, task_id TEXT, escalated_to TEXT, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX complaints_path ON complaints (path\(engine.prefixIndexOps), state, due_on)",
        "CREATE INDEX complaints_due ON complaints (due_on)",
        """
        CREATE TABLE complaint_steps (id TEXT PRIMARY KEY, complaint_id TEXT NOT NULL REFERENCES complaints(id), at TEXT NOT NULL, action TEXT NOT NULL, state TEXT NOT NULL,
            note TEXT, internal INTEGER NOT NULL, by_name TEXT NOT NULL)
        """,
        "CREATE INDEX complaint_steps_case ON complaint_steps (complaint_id, at)",
        // each time a case is to be answered (filed, or reopened) with its deadline, answer and rating:
        // the rates read these, so a reopened case keeps the record of its first answer
        """
        CREATE TABLE complaint_rounds (id TEXT PRIMARY KEY, complaint_id TEXT NOT NULL REFERENCES complaints(id), path TEXT NOT NULL, round INTEGER NOT NULL,
            opened_on TEXT NOT NULL, due_on TEXT NOT NULL, answered_on TEXT, rating INTEGER, partly_resolved INTEGER, rated_on TEXT, kind TEXT NOT NULL, received_on TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX complaint_rounds_case ON complaint_rounds (complaint_id, round)",
        "CREATE INDEX complaint_rounds_due ON complaint_rounds (path\(engine.prefixIndexOps), due_on)",
    ] }
}
