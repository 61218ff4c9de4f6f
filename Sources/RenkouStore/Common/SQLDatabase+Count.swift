import SQLKit

extension SQLDatabase {
    /// The first row's `n` column: the value of a `SELECT COUNT(*) AS n ...` query.
    func count(_ sql: SQLQueryString) async throws -> Int {
        try await raw(sql).first()!.decode(column: "n", as: Int.self)
    }
}
