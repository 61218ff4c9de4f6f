enum Migration030Exchange {
    /// 信息交换: this node's identity (its Ed25519 key), its peers with the prefixes they serve, the
    /// inbox keyed by message id (a duplicate is answered with the same acknowledgement), and the
    /// messages refused (bad signature, unknown sender, outside the replay window) as a record.
    static let migration = Migration(id: 30, name: "exchange nodes, peers and inbox") { _ in [
        "CREATE TABLE exchange_identity (id INTEGER PRIMARY KEY, code TEXT NOT NULL, url TEXT NOT NULL, private_key TEXT NOT NULL, public_key TEXT NOT NULL, created_at TEXT NOT NULL)",
        """
        CREATE TABLE exchange_peers (code TEXT PRIMARY KEY, url TEXT NOT NULL, public_key TEXT NOT NULL, areas TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0,
            enabled INTEGER NOT NULL DEFAULT 1, previous_key TEXT, added_at TEXT NOT NULL, added_by TEXT NOT NULL)
        """,
        """
        CREATE TABLE exchange_inbox (id TEXT PRIMARY KEY, sender TEXT NOT NULL, kind TEXT NOT NULL, business_key TEXT NOT NULL, sent_at TEXT NOT NULL,
            body TEXT NOT NULL, state TEXT NOT NULL, ack TEXT NOT NULL, received_at TEXT NOT NULL)
        """,
        "CREATE INDEX exchange_inbox_key ON exchange_inbox (sender, business_key)",
        """
        CREATE TABLE exchange_rejections (id TEXT PRIMARY KEY, sender TEXT, message_id TEXT, reason TEXT NOT NULL, received_at TEXT NOT NULL, client TEXT)
        """,
    ] }
}
