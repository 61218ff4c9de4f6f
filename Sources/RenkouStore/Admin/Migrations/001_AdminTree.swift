enum Migration001AdminTree {
    static let migration = Migration(id: 1, name: "admin tree") { engine in [
        """
        CREATE TABLE org_units (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            level TEXT NOT NULL,
            parent_id TEXT REFERENCES org_units(id),
            path TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'active',
            valid_from TEXT,
            valid_to TEXT,
            replaced_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX org_units_parent ON org_units (parent_id)",
        "CREATE INDEX org_units_path_prefix ON org_units (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE org_unit_history (
            id \(engine.autoIncrementPrimaryKey),
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            at TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT NOT NULL,
            new_value TEXT NOT NULL,
            by_user TEXT NOT NULL
        )
        """,
        "CREATE INDEX org_unit_history_unit ON org_unit_history (unit_id)",
    ] }
}
