import Foundation
import NIOCore
import PostgresKit
import SQLKit
import VaporCSQLite

/// One value of a row written by `BulkInsert`.
enum BulkValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case null

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ number: Int?) { self = number.map { .int($0) } ?? .null }

    /// The value as a bind (or NULL) for an ordinary statement.
    var sql: SQLQueryString {
        switch self {
        case .text(let t): "\(bind: t)"
        case .int(let n): "\(bind: n)"
        case .null: "NULL"
        }
    }
}

/// Writes many rows into one table the fastest way each engine offers, on the connection of the
/// closure it is called from (so inside that closure's transaction):
/// - SQLite: one prepared INSERT, bound and stepped once per row through the C interface. No SQL text
///   per row and no boxing per value, which is where a multi-row INSERT through SQLKit spent its time.
/// - PostgreSQL: `COPY table (columns) FROM STDIN` in text format.
/// Constraints apply as for any INSERT. When neither the SQLite handle nor the PostgreSQL connection
/// can be reached (a driver whose internals changed), it falls back to multi-row INSERT statements:
/// slower, same rows.
struct BulkInsert: Sendable {
    let table: String
    let columns: [String]

    init(_ table: String, _ columns: [String]) { self.table = table; self.columns = columns }

    func run(_ rows: [[BulkValue]], _ db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        precondition(rows.allSatisfy { $0.count == columns.count }, "a bulk row has one value per column")
        if let handle = Self.sqliteHandle(db) {
            try sqlite(rows, handle)
        } else if let connection = Self.postgresConnection(db) {
            try await copy(rows, connection)
        } else {
            try await multiRow(rows, db)
        }
    }

    /// The `sqlite3*` behind an SQLiteKit database, or nil on PostgreSQL. SQLiteNIO keeps it internal;
    /// it is read by reflection and checked by a store test, so a change in the driver is noticed.
    /// A reader's session (`ReadSession`) gives its connection's.
    static func sqliteHandle(_ db: any SQLDatabase) -> OpaquePointer? {
        guard db.dialect.name == "sqlite" else { return nil }
        return Mirror(reflecting: (db as? ReadSession)?.base ?? db).descendant("database", "handle", "raw") as? OpaquePointer
    }

    /// The PostgreSQL connection behind a session's database (PostgresKit keeps its wrapper private;
    /// read by reflection like the SQLite handle, and checked by the same test).
    static func postgresConnection(_ db: any SQLDatabase) -> PostgresConnection? {
        guard db.dialect.name == "postgresql" else { return nil }
        return Mirror(reflecting: (db as? ReadSession)?.base ?? db).descendant("connection") as? PostgresConnection
    }

    private func sqlite(_ rows: [[BulkValue]], _ handle: OpaquePointer) throws {
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw Self.error(handle) }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        // SQLITE_TRANSIENT: SQLite copies the text before the bind returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for row in rows {
            for (i, value) in row.enumerated() {
                let index = Int32(i + 1)
                let rc: Int32
                switch value {
                case .text(var text):
                    rc = text.withUTF8 { utf8 in
                        utf8.withMemoryRebound(to: CChar.self) { chars in
                            if let base = chars.baseAddress { sqlite_nio_sqlite3_bind_text(statement, index, base, Int32(chars.count), transient) }
                            else { sqlite_nio_sqlite3_bind_text(statement, index, "", 0, transient) }
                        }
                    }
                case .int(let n): rc = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(n))
                case .null: rc = sqlite_nio_sqlite3_bind_null(statement, index)
                }
                guard rc == SQLITE_OK else { throw Self.error(handle) }
            }
            guard sqlite_nio_sqlite3_step(statement) == SQLITE_DONE else { throw Self.error(handle) }
            sqlite_nio_sqlite3_reset(statement)
        }
    }

    static func error(_ handle: OpaquePointer) -> BulkInsertError {
        BulkInsertError(message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }

    private func copy(_ rows: [[BulkValue]], _ connection: PostgresConnection) async throws {
        var buffer = ByteBufferAllocator().buffer(capacity: rows.count * columns.count * 16)
        for row in rows {
            for (i, value) in row.enumerated() {
                if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                switch value {
                case .text(let text): Self.writeCopyText(text, to: &buffer)
                case .int(let n): buffer.writeString(String(n))
                case .null: buffer.writeStaticString("\\N")
                }
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        let data = buffer
        try await connection.copyFrom(table: table, columns: columns, logger: connection.logger) { writer in
            try await writer.write(data)
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped.
    static func writeCopyText(_ text: String, to buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    private func multiRow(_ rows: [[BulkValue]], _ db: any SQLDatabase) async throws {
        // At most 30,000 binds per statement (SQLite allows 32,766; PostgreSQL 65,535).
        let perStatement = max(1, 30_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let values = rows[start..<min(rows.count, start + perStatement)].map { row -> SQLQueryString in
                "(\(row.map(\.sql).joined(separator: ", ")))"
            }
            try await db.raw("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", "))").run()
        }
    }
}

/// A bulk write the database refused (a constraint, a full disk), with SQLite's own message.
struct BulkInsertError: Error, CustomStringConvertible {
    let message: String
    var description: String { "bulk insert failed: \(message)" }
}
