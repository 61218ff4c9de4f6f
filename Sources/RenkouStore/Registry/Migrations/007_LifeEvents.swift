enum Migration007LifeEvents {
    static let migration = Migration(id: 7, name: "family links, life events, domain event log") { engine in [
        "ALTER TABLE persons ADD COLUMN mother_id TEXT",
        "ALTER TABLE persons ADD COLUMN father_id TEXT",
        "ALTER TABLE persons ADD COLUMN spouse_id TEXT",
        "ALTER TABLE persons ADD COLUMN birth_order INTEGER",
        "CREATE INDEX persons_mother ON persons (mother_id)",
        "CREATE INDEX persons_father ON persons (father_id)",
        """
        CREATE TABLE life_events (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            person_id TEXT NOT NULL REFERENCES persons(id),
            other_id TEXT,
            day TEXT NOT NULL,
            source TEXT NOT NULL,
            place TEXT,
            note TEXT,
            path TEXT NOT NULL,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_by TEXT,
            revoke_reason TEXT
        )
        """,
        "CREATE INDEX life_events_person ON life_events (person_id)",
        "CREATE INDEX life_events_other ON life_events (other_id)",
        """
        CREATE TABLE domain_events (
            id \(engine.autoIncrementPrimaryKey),
            at TEXT NOT NULL,
            type TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            path TEXT NOT NULL,
            payload TEXT NOT NULL
        )
        """,
        "CREATE INDEX domain_events_type ON domain_events (type, id)",
    ] + engine.appendOnly("domain_events") }
}
