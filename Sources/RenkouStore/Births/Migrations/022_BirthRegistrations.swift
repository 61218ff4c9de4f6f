enum Migration022BirthRegistrations {
    /// 生育登记: registrations with their tracking number, state, time limit and voucher token. The
    /// couple is kept by name and ID number (and linked to the registry when known): an online
    /// application may come from people the registry does not hold yet.
    static let migration = Migration(id: 22, name: "birth registrations") { engine in [
        """
        CREATE TABLE birth_registrations (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, state TEXT NOT NULL, channel TEXT NOT NULL, basis TEXT NOT NULL,
            mother_name TEXT NOT NULL, mother_id_number TEXT NOT NULL, mother_id TEXT, father_name TEXT NOT NULL, father_id_number TEXT NOT NULL, father_id TEXT,
            phone TEXT, expected_on TEXT, child_name TEXT, child_sex TEXT, child_born_on TEXT, child_id TEXT, children_before INTEGER NOT NULL,
            compliant INTEGER NOT NULL, document TEXT NOT NULL, pledge INTEGER NOT NULL, submitted_on TEXT NOT NULL, complete_on TEXT, due_on TEXT,
            decided_on TEXT, decision_note TEXT, voucher_token TEXT UNIQUE, note TEXT,
            unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, entered_by TEXT NOT NULL, entered_at TEXT NOT NULL)
        """,
        "CREATE INDEX birth_registrations_path ON birth_registrations (path\(engine.prefixIndexOps), state, due_on)",
        "CREATE INDEX birth_registrations_mother ON birth_registrations (mother_id_number)",
        "CREATE INDEX birth_registrations_decided ON birth_registrations (path\(engine.prefixIndexOps), decided_on)",
    ] }
}
