enum Migration032ExchangeReplies {
    /// 协查与反馈: a request sent keeps the reply it got (found or not, the result, when); a message
    /// received keeps when it was answered.
    static let migration = Migration(id: 32, name: "exchange replies") { _ in [
        "ALTER TABLE exchange_outbox ADD COLUMN deadline TEXT",
        "ALTER TABLE exchange_outbox ADD COLUMN replied_at TEXT",
        "ALTER TABLE exchange_outbox ADD COLUMN reply_found INTEGER",
        "ALTER TABLE exchange_outbox ADD COLUMN reply_result TEXT",
        "ALTER TABLE exchange_inbox ADD COLUMN replied_at TEXT",
    ] }
}
