enum Migration031ExchangeOutbox {
    /// 发件箱: a message written in the same transaction as the change that caused it, then sent with
    /// retries; what a received message became (a matched person, a home-visit task, not found).
    static let migration = Migration(id: 31, name: "exchange outbox and applied messages") { _ in [
        """
        CREATE TABLE exchange_outbox (id TEXT PRIMARY KEY, receiver TEXT NOT NULL, kind TEXT NOT NULL, business_key TEXT NOT NULL, envelope TEXT NOT NULL,
            state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT, created_at TEXT NOT NULL, delivered_at TEXT,
            path TEXT NOT NULL)
        """,
        "CREATE INDEX exchange_outbox_due ON exchange_outbox (state, next_attempt_at)",
        "ALTER TABLE exchange_inbox ADD COLUMN person_id TEXT",
        "ALTER TABLE exchange_inbox ADD COLUMN task_id TEXT",
    ] }
}
