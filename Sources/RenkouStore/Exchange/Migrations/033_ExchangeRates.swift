enum Migration033ExchangeRates {
    /// The rates per unit: a request sent keeps the person it is about; a message received is filed
    /// under the matched person's unit (or this node's own unit when nobody matched).
    static let migration = Migration(id: 33, name: "exchange rates by unit") { _ in [
        "ALTER TABLE exchange_outbox ADD COLUMN person_id TEXT",
        "ALTER TABLE exchange_inbox ADD COLUMN path TEXT NOT NULL DEFAULT '/'",
        "CREATE INDEX exchange_inbox_path ON exchange_inbox (path)",
        "CREATE INDEX exchange_outbox_path ON exchange_outbox (path)",
    ] }
}
