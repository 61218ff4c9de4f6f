enum Migration043BoardNotices {
    /// 公开栏公告: notices an office publishes on its board (and the boards below it), with the days
    /// they stand.
    static let migration = Migration(id: 43, name: "disclosure board notices") { engine in [
        """
        CREATE TABLE board_notices (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
            published_on TEXT NOT NULL, until_on TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX board_notices_path ON board_notices (path\(engine.prefixIndexOps), published_on)",
    ] }
}
