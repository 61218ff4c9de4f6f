import SQLKit

extension SQLDatabase {
    /// The first row's `n` column: the value of a `SELECT COUNT(*) AS n ...` query.
    func count(_ sql: SQLQueryString) async throws -> Int {
        try await raw(sql).first()!.decode(column: "n", as: Int.self)
    }
}

/// How far a list counts its rows: a page must not wait for an exact count of every match (#18 part 3).
/// Beyond it the page says "10,000+" (`Page.totalExact` false).
public enum ListCount {
    public static let cap = 10_000
}

extension SQLDatabase {
    /// The number of rows `rows` (a `SELECT` of the matching rows, any columns, without ORDER BY)
    /// returns, counted no further than `cap`: (the count or the cap, whether it is exact). Reads at
    /// most `cap + 1` rows whatever the matches.
    func cappedCount(_ rows: SQLQueryString, cap: Int = ListCount.cap) async throws -> (total: Int, exact: Bool) {
        let n = try await count("SELECT COUNT(*) AS n FROM (\(rows) LIMIT \(unsafeRaw: String(cap + 1))) capped")
        return (min(n, cap), n <= cap)
    }
}
