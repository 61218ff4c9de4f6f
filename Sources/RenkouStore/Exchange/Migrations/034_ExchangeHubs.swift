enum Migration034ExchangeHubs {
    /// Hubs and operators: a node may forward (枢纽); a hub's forwarded rows are kept apart from its
    /// own messages; a message that failed its last attempt keeps the operator's task, and one closed
    /// by hand keeps why.
    static let migration = Migration(id: 34, name: "exchange hubs and operators") { _ in [
        "ALTER TABLE exchange_identity ADD COLUMN is_hub INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE exchange_outbox ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE exchange_outbox ADD COLUMN task_id TEXT",
        "ALTER TABLE exchange_outbox ADD COLUMN closed_reason TEXT",
        "CREATE INDEX exchange_inbox_received ON exchange_inbox (received_at)",
    ] }
}
