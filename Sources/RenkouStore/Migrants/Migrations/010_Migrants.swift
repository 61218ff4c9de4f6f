enum Migration010Migrants {
    /// Floating population: stays, certificates and their checks, landlords/employers with agreements
    /// and rosters, and the field task list. Scans and photos are base64 text, so that a backup of the
    /// database holds them too.
    static let migration = Migration(id: 10, name: "migrants and tasks") { engine in [
        """
        CREATE TABLE stays (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES persons(id),
            kind TEXT NOT NULL,
            since TEXT NOT NULL,
            until TEXT,
            region TEXT, place TEXT, reason TEXT NOT NULL,
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL,
            address TEXT, host_id TEXT, employer TEXT, contact TEXT, end_place TEXT,
            entered_by TEXT NOT NULL, entered_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX stays_person ON stays (person_id)",
        "CREATE INDEX stays_path ON stays (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE certificates (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            version INTEGER NOT NULL,
            side TEXT NOT NULL,
            person_id TEXT NOT NULL REFERENCES persons(id),
            name TEXT NOT NULL, id_number TEXT NOT NULL, birth_date TEXT, marital_status TEXT, spouse_name TEXT,
            children INTEGER NOT NULL DEFAULT 0, contraception TEXT,
            office TEXT NOT NULL, issued_on TEXT NOT NULL, valid_until TEXT NOT NULL,
            state TEXT NOT NULL, revoke_reason TEXT, replaced_by TEXT,
            token TEXT NOT NULL UNIQUE,
            photo TEXT,
            lookups INTEGER NOT NULL DEFAULT 0,
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL,
            UNIQUE (side, number, version)
        )
        """,
        "CREATE INDEX certificates_person ON certificates (person_id)",
        "CREATE INDEX certificates_path ON certificates (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE certificate_checks (
            id TEXT PRIMARY KEY,
            certificate_id TEXT NOT NULL REFERENCES certificates(id),
            checked_on TEXT NOT NULL, result TEXT NOT NULL, note TEXT,
            checked_by TEXT NOT NULL, path TEXT NOT NULL
        )
        """,
        "CREATE INDEX certificate_checks_certificate ON certificate_checks (certificate_id)",
        "CREATE TABLE public_lookups (day TEXT NOT NULL, found INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, found))",
        """
        CREATE TABLE hosts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            contact_name TEXT, phone TEXT, address TEXT, staff_count INTEGER,
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX hosts_path ON hosts (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE agreements (
            id TEXT PRIMARY KEY,
            host_id TEXT NOT NULL REFERENCES hosts(id),
            signed_on TEXT NOT NULL, expires_on TEXT NOT NULL,
            terminated_on TEXT, terminate_reason TEXT,
            scan_name TEXT, scan_type TEXT, scan TEXT,
            path TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX agreements_host ON agreements (host_id)",
        """
        CREATE TABLE roster_entries (
            id TEXT PRIMARY KEY,
            host_id TEXT NOT NULL REFERENCES hosts(id),
            person_id TEXT REFERENCES persons(id),
            name TEXT NOT NULL, id_number TEXT NOT NULL, room TEXT,
            since TEXT NOT NULL, until TEXT,
            path TEXT NOT NULL
        )
        """,
        "CREATE INDEX roster_entries_host ON roster_entries (host_id)",
        "CREATE INDEX roster_entries_id_number ON roster_entries (id_number)",
        """
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL, id_number TEXT,
            person_id TEXT, host_id TEXT, certificate_id TEXT,
            note TEXT,
            unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL,
            due TEXT NOT NULL,
            open INTEGER NOT NULL DEFAULT 1,
            outcome TEXT, outcome_note TEXT, closed_by TEXT, closed_at TEXT,
            source TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX tasks_path ON tasks (path\(engine.prefixIndexOps))",
    ] }
}
