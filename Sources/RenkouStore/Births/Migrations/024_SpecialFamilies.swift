enum Migration024SpecialFamilies {
    /// 计划生育特殊家庭: the families, their two contacts, and the help given (visits included).
    static let migration = Migration(id: 24, name: "special families") { engine in [
        """
        CREATE TABLE special_families (id TEXT PRIMARY KEY, person_id TEXT NOT NULL UNIQUE REFERENCES persons(id), situation TEXT NOT NULL,
            community_contact TEXT NOT NULL, association_contact TEXT NOT NULL, association_phone TEXT, since TEXT NOT NULL, next_visit TEXT NOT NULL,
            unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX special_families_path ON special_families (path\(engine.prefixIndexOps), next_visit)",
        """
        CREATE TABLE family_help (id TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES special_families(id), day TEXT NOT NULL, kind TEXT NOT NULL, note TEXT,
            by_user TEXT NOT NULL, path TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX family_help_family ON family_help (family_id, day)",
    ] }
}
