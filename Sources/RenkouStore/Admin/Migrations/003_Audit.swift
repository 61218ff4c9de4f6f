enum Migration003Audit {
    static let migration = Migration(id: 3, name: "append-only audit log") { engine in [
        """
        CREATE TABLE audit_log (
            id \(engine.autoIncrementPrimaryKey),
            at TEXT NOT NULL,
            user_id TEXT,
            username TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            path TEXT NOT NULL,
            client TEXT NOT NULL,
            request_id TEXT NOT NULL,
            before_value TEXT,
            after_value TEXT
        )
        """,
        "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)",
        "CREATE INDEX audit_log_at ON audit_log (at)",
        "CREATE INDEX audit_log_user ON audit_log (username)",
        "CREATE INDEX audit_log_path ON audit_log (path\(engine.prefixIndexOps))",
    ] + engine.appendOnly("audit_log") }
}
