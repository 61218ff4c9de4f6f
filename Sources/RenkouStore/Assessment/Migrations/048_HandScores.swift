enum Migration048HandScores {
    /// 考核评分: the items of the sheet scored by hand, with their evidence and the reviewer (a hand
    /// score counts once another account has reviewed it).
    static let migration = Migration(id: 48, name: "hand scores of the assessment sheet") { engine in [
        """
        CREATE TABLE assessment_hand_scores (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, year INTEGER NOT NULL, item TEXT NOT NULL,
            points DOUBLE PRECISION NOT NULL, evidence TEXT NOT NULL, scored_by TEXT NOT NULL, scored_at TEXT NOT NULL, reviewed_by TEXT, reviewed_at TEXT)
        """,
        "CREATE INDEX assessment_hand_scores_unit ON assessment_hand_scores (unit_id, year, item)",
        "CREATE INDEX assessment_hand_scores_path ON assessment_hand_scores (path\(engine.prefixIndexOps), year)",
    ] }
}
