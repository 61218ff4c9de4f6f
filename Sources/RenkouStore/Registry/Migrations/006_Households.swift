enum Migration006Households {
    static let migration = Migration(id: 6, name: "households and memberships") { engine in [
        """
        CREATE TABLE households (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL,
            address TEXT,
            type TEXT NOT NULL DEFAULT 'family',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX households_path ON households (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE household_members (
            id \(engine.autoIncrementPrimaryKey),
            household_id TEXT NOT NULL REFERENCES households(id),
            person_id TEXT NOT NULL REFERENCES persons(id),
            relation TEXT NOT NULL,
            joined_on TEXT NOT NULL,
            left_on TEXT
        )
        """,
        "CREATE INDEX household_members_household ON household_members (household_id)",
        "CREATE INDEX household_members_person ON household_members (person_id)",
    ] }
}
