enum Migration052PublicRateWindows {
    /// The public pages' requests per client and minute, kept in the database so that several `renkou serve`
    /// processes behind one address share one limit (it was a counter in each process's memory).
    static let migration = Migration(id: 52, name: "public rate limit windows") { _ in [
        "CREATE TABLE public_rate_windows (client TEXT NOT NULL, minute BIGINT NOT NULL, hits INTEGER NOT NULL, PRIMARY KEY (client, minute))",
    ] }
}
