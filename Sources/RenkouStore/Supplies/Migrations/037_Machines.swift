enum Migration037Machines {
    /// 自助发放机: a machine's token (its SHA-256), the deployment's key for hashing ID numbers, and
    /// each check a machine asked for: the keyed hash of the number only (no name, no number), the
    /// decision, and when the box was vended.
    static let migration = Migration(id: 37, name: "dispensing machines: tokens and checks") { _ in [
        "CREATE TABLE supply_machines (location_id TEXT PRIMARY KEY REFERENCES stock_locations(id), token_hash TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE supply_secrets (id INTEGER PRIMARY KEY, hmac_key TEXT NOT NULL)",
        """
        CREATE TABLE machine_checks (id TEXT PRIMARY KEY, location_id TEXT NOT NULL, person_hash TEXT, product TEXT NOT NULL, allowed INTEGER NOT NULL,
            reason TEXT NOT NULL, decided_at TEXT NOT NULL, vended_at TEXT, path TEXT NOT NULL)
        """,
        "CREATE INDEX machine_checks_person ON machine_checks (person_hash, vended_at)",
    ] }
}
