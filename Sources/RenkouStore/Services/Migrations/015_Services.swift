enum Migration015Services {
    /// Services with their informed choice, the methods in use, and the follow-up visits (only the next
    /// one of each schedule). Open visits are found by unit path and opening day through a partial index.
    static let migration = Migration(id: 15, name: "services, methods and follow-ups") { engine in [
        """
        CREATE TABLE services (id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), kind TEXT NOT NULL, day TEXT NOT NULL,
            facility TEXT, provider TEXT, outcome TEXT, complication TEXT, complication_grade INTEGER, method TEXT,
            counselled_on TEXT, counsellor TEXT, methods_explained TEXT, chosen TEXT, mec INTEGER, mec_reason TEXT, spouse_took_part INTEGER,
            note TEXT, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, entered_by TEXT NOT NULL, entered_at TEXT NOT NULL)
        """,
        "CREATE INDEX services_person ON services (person_id)",
        "CREATE INDEX services_path_day ON services (path\(engine.prefixIndexOps), day)",
        """
        CREATE TABLE method_uses (id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), method TEXT NOT NULL, started_on TEXT NOT NULL,
            stopped_on TEXT, stop_reason TEXT, service_id TEXT, path TEXT NOT NULL)
        """,
        "CREATE INDEX method_uses_person ON method_uses (person_id)",
        "CREATE INDEX method_uses_path ON method_uses (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE follow_ups (id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), service_id TEXT, schedule TEXT NOT NULL, step INTEGER NOT NULL,
            opens TEXT NOT NULL, due TEXT NOT NULL, overdue_on TEXT NOT NULL, expires TEXT NOT NULL, done_on TEXT, findings TEXT, next_action TEXT,
            done_by TEXT, closed_reason TEXT, handed_over_from TEXT, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX follow_ups_open ON follow_ups (path\(engine.prefixIndexOps), opens) WHERE done_on IS NULL AND closed_reason IS NULL",
        "CREATE INDEX follow_ups_person ON follow_ups (person_id)",
        "CREATE INDEX follow_ups_path_due ON follow_ups (path\(engine.prefixIndexOps), due)",
    ] }
}
