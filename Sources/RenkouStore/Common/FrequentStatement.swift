import Foundation
import PostgresKit
import SQLKit

/// A statement that runs on nearly every request (the sign-in check, a person record by its id). On
/// PostgreSQL it is prepared once per connection (a named prepared statement: PostgresNIO's
/// `PostgresPreparedStatement`) and afterwards only bound and run. Planning is what such a statement
/// costs there: for the token check and the person read, 0.18 and 0.25 ms per call against 0.04 and 0.03 ms
/// to run them (pg_stat_statements with `track_planning`, `scripts/bench-api` at 64 connections). SQLite
/// prepares every statement each time (SQLiteNIO keeps none) and runs `sqlite`.
///
/// `sql` (PostgreSQL, `$1`, `$2` … for `values`) must name its columns (never `*`): a prepared statement
/// whose result columns change under it fails, and a migration may add a column while a connection holds it.
/// `bindingDataTypes` gives each value's type (text), as SQLKit does for an unprepared statement: left out,
/// the server would infer it from the column compared and misread the text sent for, say, a uuid column.
protocol FrequentStatement: PostgresPreparedStatement where Row == PostgresRow {
    /// The values of `$1`, `$2` … in `sql`, in order.
    var values: [String] { get }
    /// The same statement for SQLite, its values bound: `sql` itself unless SQLite needs other words.
    var sqlite: SQLQueryString { get }
}

extension FrequentStatement {
    var sqlite: SQLQueryString { unprepared }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// `sql` with each `$n` bound through SQLKit: the statement run unprepared on PostgreSQL.
    var unprepared: SQLQueryString {
        var query = SQLQueryString("")
        var text = Substring(Self.sql)
        while let dollar = text.firstIndex(of: "$") {
            let digits = text[text.index(after: dollar)...].prefix { $0.isASCII && $0.isNumber }
            guard let n = Int(digits), (1...values.count).contains(n) else {
                query.appendLiteral(String(text[...dollar])); text = text[text.index(after: dollar)...]; continue
            }
            query.appendLiteral(String(text[..<dollar]))
            query.appendInterpolation(bind: values[n - 1])
            text = text[digits.endIndex...]
        }
        query.appendLiteral(String(text))
        return query
    }
}

extension SQLDatabase {
    /// The rows of `statement`: on a PostgreSQL session through its prepared form, on SQLite as `sqlite`.
    func all<S: FrequentStatement>(_ statement: S) async throws -> [any SQLRow] {
        guard dialect.name == "postgresql" else { return try await raw(statement.sqlite).all() }
        // (a driver whose connection cannot be reached runs it unprepared)
        guard let connection = BulkInsert.postgresConnection(self) else {
            return try await raw(statement.unprepared).all()
        }
        do {
            var rows: [any SQLRow] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row.sql()) }
            return rows
        } catch is PSQLError {
            // PostgresNIO keeps a failed PREPARE for the connection's life (a first use inside a transaction
            // already failed, a replica's cancelled statement): the statement is run unprepared instead, and
            // throws there if the failure was its own
            return try await raw(statement.unprepared).all()
        }
    }

    /// The first row of `statement`, or nil.
    func first<S: FrequentStatement>(_ statement: S) async throws -> (any SQLRow)? { try await all(statement).first }
}
