enum Migration050LoginFailures {
    /// Sign-in throttling reads the recent failed sign-ins from the audit log, by client address and by
    /// username (known or not): two partial indexes keep that a few rows' read however large the log.
    /// Kept in the database, the throttle holds across several `renkou serve` processes.
    static let migration = Migration(id: 50, name: "failed sign-ins by client and username") { _ in [
        "CREATE INDEX audit_log_failed_by_client ON audit_log (client, at) WHERE action = 'login-failed'",
        "CREATE INDEX audit_log_failed_by_username ON audit_log (username, at) WHERE action = 'login-failed'",
    ] }
}
