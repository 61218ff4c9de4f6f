import Foundation
import Logging
import NIOCore
import NIOPosix
@preconcurrency import AsyncKit
import PostgresKit
import SQLiteKit
import SQLKit

/// The connection to the database, on either engine. Stores never see which one.
public final class Database: Sendable {
    public let engine: Engine
    public let url: String
    /// The connection pool's size (1 for SQLite), for the metrics page.
    public let poolSize: Int
    let logger: Logger
    private let backend: Backend
    private let closed = ClosedFlag()
    /// Small values read once per open database (a key kept in it): they go when it goes.
    let memo = Memo()

    final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: String] = [:]
        func value(_ key: String) -> String? { lock.withLock { values[key] } }
        func set(_ key: String, _ value: String) { lock.withLock { values[key] = value } }
    }

    private enum Backend: @unchecked Sendable {
        case sqlite(SQLiteConnection, AsyncLock)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    private init(engine: Engine, url: String, poolSize: Int, logger: Logger, backend: Backend) {
        self.engine = engine; self.url = url; self.poolSize = poolSize; self.logger = logger; self.backend = backend
    }

    /// Opens `sqlite:PATH`, `sqlite::memory:` or `postgres://user:pass@host:port/db`.
    public static func open(url: String, logger: Logger = Logger(label: "renkou.db"), poolSize: Int = 8, searchPath: String? = nil) async throws -> Database {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            var config = try SQLPostgresConfiguration(url: url.contains("sslmode=") ? url : url + (url.contains("?") ? "&" : "?") + "sslmode=disable")
            if let searchPath { config.searchPath = [searchPath] }
            let group = MultiThreadedEventLoopGroup.singleton
            let perLoop = max(1, poolSize / max(1, System.coreCount))
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: config),
                maxConnectionsPerEventLoop: perLoop, requestTimeout: .seconds(30), logger: logger, on: group)
            let db = Database(engine: .postgres, url: url, poolSize: perLoop * System.coreCount, logger: logger, backend: .postgres(pool))
            do {
                _ = try await db.read { try await $0.raw("SELECT 1 AS one").all() }
            } catch {
                // A pool must be shut down before it goes (async-kit asserts it): a server that cannot be
                // reached is an error to report, not a crash.
                try? await pool.shutdownAsync()
                throw error
            }
            return db
        }
        guard url.hasPrefix("sqlite:") else {
            throw RenkouStoreError.badURL(url)
        }
        let path = String(url.dropFirst("sqlite:".count))
        let storage: SQLiteConnection.Storage = (path == ":memory:" || path.isEmpty) ? .memory : .file(path: path)
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        let sql = connection.sql()
        // A 64 MiB page cache and memory-mapped reads keep the indexes of a large registry out of read(2) calls.
        for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000",
                       "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456", "PRAGMA temp_store = MEMORY",
                       // Gather the planner's statistics where they are missing or stale (SQLite 3.46+; older ones ignore the argument),
                       // so that a rate's count picks the selective index (inflow women by birth date) over the unit path.
                       "PRAGMA optimize = 0x10002"] {
            _ = try await sql.raw(SQLQueryString(pragma)).all()
        }
        return Database(engine: .sqlite, url: url, poolSize: 1, logger: logger, backend: .sqlite(connection, AsyncLock()))
    }

    /// Runs `body` on one connection without a transaction.
    public func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(let connection, let lock):
            await lock.lock()
            do { let r = try await body(connection.sql()); await lock.unlock(); return r }
            catch { await lock.unlock(); throw error }
        case .postgres(let pool):
            return try await pool.database(logger: logger).sql().withSession(body)
        }
    }

    /// Runs `body` in a transaction: everything it wrote is kept, or nothing is.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await read { db in
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs a bulk load on one connection with the engine's bulk settings, restored afterwards even on failure.
    /// `body` opens its own transactions (several batches per commit).
    public func bulkLoad<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let settings = engine.bulkLoad
        return try await read { db in
            for statement in settings.begin { _ = try await db.raw(SQLQueryString(statement)).all() }
            do {
                let r = try await body(db)
                for statement in settings.end { _ = try await db.raw(SQLQueryString(statement)).all() }
                return r
            } catch {
                for statement in settings.end { _ = try? await db.raw(SQLQueryString(statement)).all() }
                throw error
            }
        }
    }

    /// True when the database answers a trivial query.
    /// Refreshes the planner's statistics (after a bulk load).
    public func refreshStatistics() async throws {
        let statements = engine.statisticsRefresh
        try await read { db in for s in statements { try await db.raw(SQLQueryString(s)).run() } }
    }

    public func ping() async -> Bool {
        guard !closed.isSet else { return false }
        return (try? await read { try await $0.raw("SELECT 1 AS one").all().count }) == 1
    }

    /// Closes the connection or pool; later calls do nothing.
    public func close() async {
        guard closed.set() else { return }
        switch backend {
        case .sqlite(let connection, _): try? await connection.close()
        case .postgres(let pool): try? await pool.shutdownAsync()
        }
    }
}

public enum RenkouStoreError: Error, CustomStringConvertible {
    case badURL(String)
    case notSQLite
    public var description: String {
        switch self {
        case .badURL(let url): "RENKOU_DATABASE_URL must start with sqlite: or postgres:// (got \(url))"
        case .notSQLite: "this command works on SQLite databases only; for PostgreSQL use pg_dump and pg_restore"
        }
    }
}

/// Remembers that the database was closed, so that closing twice is harmless.
private final class ClosedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    /// Sets the flag; true if this call was the one that set it.
    func set() -> Bool { lock.lock(); defer { lock.unlock() }; if value { return false }; value = true; return true }
}
