enum Migration004Persons {
    static let migration = Migration(id: 4, name: "minimal person record") { engine in [
        """
        CREATE TABLE persons (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            id_number TEXT NOT NULL UNIQUE,
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX persons_path ON persons (path\(engine.prefixIndexOps))",
        "CREATE INDEX persons_unit ON persons (unit_id)",
    ] }
}
