enum Migration011Proposals {
    /// Changes proposed by departmental files (police, hospital, civil affairs), waiting for a worker.
    static let migration = Migration(id: 11, name: "proposals from departmental files") { engine in [
        """
        CREATE TABLE proposals (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            person_id TEXT NOT NULL REFERENCES persons(id),
            summary TEXT NOT NULL,
            payload TEXT NOT NULL,
            source TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open',
            path TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            decided_by TEXT, decided_at TEXT, note TEXT
        )
        """,
        "CREATE INDEX proposals_path ON proposals (path\(engine.prefixIndexOps))",
        "CREATE INDEX proposals_person ON proposals (person_id)",
    ] }
}
