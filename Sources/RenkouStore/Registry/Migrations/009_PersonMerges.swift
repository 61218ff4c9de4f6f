enum Migration009PersonMerges {
    /// Which records were merged into which (the merged record's id, ID number and name stay findable),
    /// and an index for duplicate candidates (same name and birth date, or same name and mother).
    static let migration = Migration(id: 9, name: "person merges, name index") { _ in [
        """
        CREATE TABLE person_merges (
            merged_id TEXT PRIMARY KEY,
            kept_id TEXT NOT NULL,
            merged_id_number TEXT NOT NULL,
            merged_name TEXT NOT NULL,
            at TEXT NOT NULL,
            by_user TEXT NOT NULL
        )
        """,
        "CREATE INDEX person_merges_kept ON person_merges (kept_id)",
        "CREATE INDEX persons_name_birth ON persons (name, birth_date)",
    ] }
}
