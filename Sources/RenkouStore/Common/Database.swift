import Foundation
import Logging
import NIOCore
import NIOPosix
@preconcurrency import AsyncKit
import PostgresKit
import SQLiteKit
import SQLKit
import RenkouCore

/// The connection to the database, on either engine. Stores never see which one.
///
/// Three ways in:
/// - `read` runs on a reader: on SQLite one of a pool of read-only connections beside the writer (WAL lets
///   them read while it writes), on PostgreSQL a pool of sessions whose transactions are read-only — on the
///   primary, or on a streaming replica when `readURL` names one. A read that writes its audit row
///   (`AuditLog.write` on a read session) does not write there: the row is committed by the writer, together
///   with other reads' rows (group commit), before `read` returns.
/// - `write` runs on the writer without a transaction (one statement at a time, or the caller's own BEGIN).
/// - `transaction` runs on the writer in a transaction: everything it wrote is kept, or nothing is.
public final class Database: Sendable {
    public let engine: Engine
    public let url: String
    /// The writer's connection pool size (1 for SQLite), for the metrics page.
    public let poolSize: Int
    /// How many reader connections read beside the writer (0: reads share the writer, as with `sqlite::memory:`).
    public let readerCount: Int
    /// True when reads go to a replica (`readURL`) rather than to the primary.
    public let readsFromReplica: Bool
    let logger: Logger
    private let backend: Backend
    private let closed = ClosedFlag()
    /// Reads' audit rows, committed many to one transaction.
    private let audits = GroupCommit()
    /// With a replica: how far this process has written on the primary and the replica is known to have replayed.
    private let replica = ReplicaClock()
    /// How long a read waits for the replica to replay this process's last write before it reads the primary instead.
    public var replicaWait: Duration { get { replica.wait } set { replica.wait = newValue } }
    /// How long reads stay on the primary after the replica failed one (5 s).
    public var replicaRetryAfter: Duration { get { replica.retryAfter } set { replica.retryAfter = newValue } }
    /// Small values read once per open database (a key kept in it): they go when it goes.
    let memo = Memo()

    final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: String] = [:]
        func value(_ key: String) -> String? { lock.withLock { values[key] } }
        func set(_ key: String, _ value: String) { lock.withLock { values[key] = value } }
    }

    private enum Backend: @unchecked Sendable {
        case sqlite(SQLiteConnection, AsyncLock, readers: [SQLiteConnection], LeasePool)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>, readers: EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    private init(engine: Engine, url: String, poolSize: Int, readerCount: Int, readsFromReplica: Bool, logger: Logger, backend: Backend) {
        self.engine = engine; self.url = url; self.poolSize = poolSize; self.readerCount = readerCount
        self.readsFromReplica = readsFromReplica; self.logger = logger; self.backend = backend
    }

    /// How much of a SQLite file each connection maps into memory, in bytes: SQLite's own build limit
    /// (`SQLITE_MAX_MMAP_SIZE`, 0x7fff0000), which caps a larger request anyway.
    static let sqliteMapSize = 0x7fff0000

    /// SQLite's calls block a thread: the writer and the readers get their own threads, so that a long read
    /// does not hold up the writer (NIO's shared pool has one thread per core).
    private static let sqliteThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    /// Opens `sqlite:PATH`, `sqlite::memory:` or `postgres://user:pass@host:port/db`. `poolSize` is the
    /// writer's pool on PostgreSQL and the number of readers as many again (on SQLite, half of it, at least
    /// two, beside the one writer). `readURL` (PostgreSQL only) is a streaming replica that serves `read`.
    /// Throws what the driver throws when the database cannot be reached, or `badURL`.
    public static func open(url: String, readURL: String? = nil, logger: Logger = Logger(label: "renkou.db"), poolSize: Int = 8,
                            searchPath: String? = nil) async throws -> Database {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            func configuration(_ url: String, readOnly: Bool) throws -> SQLPostgresConfiguration {
                var config = try SQLPostgresConfiguration(url: url.contains("sslmode=") ? url : url + (url.contains("?") ? "&" : "?") + "sslmode=disable")
                if let searchPath { config.searchPath = [searchPath] }
                // A reader's every transaction is read-only, so a write that strayed into a read fails
                // on the primary exactly as it would on a replica.
                if readOnly { config.coreConfiguration.options.additionalStartupParameters.append(("default_transaction_read_only", "on")) }
                return config
            }
            let group = MultiThreadedEventLoopGroup.singleton
            // At least two per event loop: a pool is per loop, and one long transaction must not leave a loop none.
            let perLoop = max(2, poolSize / max(1, System.coreCount))
            func pool(_ config: SQLPostgresConfiguration) -> EventLoopGroupConnectionPool<PostgresConnectionSource> {
                EventLoopGroupConnectionPool(source: PostgresConnectionSource(sqlConfiguration: config),
                                             maxConnectionsPerEventLoop: perLoop, requestTimeout: .seconds(30), logger: logger, on: group)
            }
            let writer = pool(try configuration(url, readOnly: false))
            let readers: EventLoopGroupConnectionPool<PostgresConnectionSource>
            do { readers = pool(try configuration(readURL ?? url, readOnly: true)) } catch { try? await writer.shutdownAsync(); throw error }
            let db = Database(engine: .postgres, url: url, poolSize: perLoop * System.coreCount, readerCount: perLoop * System.coreCount,
                              readsFromReplica: readURL != nil, logger: logger, backend: .postgres(writer, readers: readers))
            do {
                _ = try await db.write { try await $0.raw("SELECT 1 AS one").all() }
                // (a replica that cannot be reached is not fatal: reads go to the primary until it answers)
                _ = try await db.read { try await $0.raw("SELECT 1 AS one").all() }
            } catch {
                // A pool must be shut down before it goes (async-kit asserts it): a server that cannot be
                // reached is an error to report, not a crash.
                try? await writer.shutdownAsync()
                try? await readers.shutdownAsync()
                throw error
            }
            return db
        }
        guard url.hasPrefix("sqlite:") else {
            throw RenkouStoreError.badURL(url)
        }
        if readURL != nil { throw RenkouStoreError.replicaNeedsPostgres }
        let path = String(url.dropFirst("sqlite:".count))
        let inMemory = path == ":memory:" || path.isEmpty
        let storage: SQLiteConnection.Storage = inMemory ? .memory : .file(path: path)
        let connection = try await SQLiteConnection.open(storage: storage, threadPool: sqliteThreads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        // A 64 MiB page cache and memory-mapped reads (up to SQLite's build limit, 2 GiB: a 1,000,000-person
        // registry is 1.8 GB) keep a large registry out of read(2) calls; the mapping is the kernel's page
        // cache, shared by every connection, not memory of our own. A district's tree of indicators: about
        // 40 % less time than with 256 MiB mapped.
        for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000",
                       "PRAGMA cache_size = -65536", "PRAGMA mmap_size = \(Self.sqliteMapSize)", "PRAGMA temp_store = MEMORY",
                       // Gather the planner's statistics where they are missing or stale (SQLite 3.46+; older ones ignore the argument),
                       // so that a rate's count picks the selective index (inflow women by birth date) over the unit path.
                       "PRAGMA optimize = 0x10002"] {
            _ = try await connection.sql().raw(SQLQueryString(pragma)).all()
        }
        // Readers: an in-memory database is one connection's own, so it has none (reads share the writer).
        var readers: [SQLiteConnection] = []
        if !inMemory {
            do {
                for _ in 0..<max(2, poolSize / 2) {
                    let reader = try await SQLiteConnection.open(storage: storage, threadPool: sqliteThreads, logger: logger,
                                                                 on: MultiThreadedEventLoopGroup.singleton.any())
                    readers.append(reader)
                    // query_only: a write that strayed into a read fails instead of racing the writer.
                    for pragma in ["PRAGMA query_only = ON", "PRAGMA busy_timeout = 5000", "PRAGMA cache_size = -32768",
                                   "PRAGMA mmap_size = \(Self.sqliteMapSize)", "PRAGMA temp_store = MEMORY"] {
                        _ = try await reader.sql().raw(SQLQueryString(pragma)).all()
                    }
                }
            } catch {
                for reader in readers { try? await reader.close() }
                try? await connection.close()
                throw error
            }
        }
        return Database(engine: .sqlite, url: url, poolSize: 1, readerCount: readers.count, readsFromReplica: false, logger: logger,
                        backend: .sqlite(connection, AsyncLock(), readers: readers, LeasePool(count: readers.count)))
    }

    /// Runs `body` on a reader, without a transaction. Audit rows `body` writes (`AuditLog.write`) are
    /// committed by the writer before this returns, whether `body` returned or threw; a failed commit is thrown.
    /// `body` must not write anything else: a reader refuses writes.
    /// `fresh`: read what the primary holds now, never a replica's copy (sign-in checks: a session ended or a
    /// token revoked through one process must stop working on every other at once). On SQLite it changes nothing.
    public func read<R: Sendable>(fresh: Bool = false, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let sink = ReadSession.Sink()
        let result: Result<R, any Error>
        do {
            // (a read retried on the primary after a replica failed it starts again with no rows)
            result = .success(try await onReader(fresh: fresh) { _ = sink.take(); return try await body(ReadSession(base: $0, sink: sink)) })
        } catch {
            result = .failure(error)
        }
        let rows = sink.take()
        if !rows.isEmpty {
            try await audits.commit(rows) { [self] batch in
                // one statement is atomic by itself: no BEGIN and COMMIT around it (two statements fewer per commit)
                if batch.count <= AuditRow.perStatement {
                    try await self.write(tracked: false) { db in try await AuditRow.insert(batch, db) }
                } else {
                    try await self.transaction(tracked: false) { db in try await AuditRow.insert(batch, db) }
                }
            }
        }
        return try result.get()
    }

    /// A reader's session.
    private func onReader<R: Sendable>(fresh: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(_, _, let readers, let lease) where !readers.isEmpty:
            let i = await lease.acquire()
            do { let r = try await body(readers[i].sql()); await lease.release(i); return r }
            catch { await lease.release(i); throw error }
        case .sqlite:
            return try await write(body)
        case .postgres(let writer, let readers):
            let onPrimary: @Sendable () async throws -> R = { [logger] in
                try await writer.database(logger: logger).sql().withSession(body)
            }
            guard readsFromReplica, !fresh, !replica.avoiding() else { return try await (readsFromReplica ? onPrimary() : readers.database(logger: logger).sql().withSession(body)) }
            // Read your writes: a replica that has not yet replayed this process's last write is waited for
            // (a few milliseconds on a healthy one) in the session that then reads; after `replicaWait`, or when
            // the replica cannot be reached or cancels the read (a recovery conflict), the primary answers, and
            // keeps answering for a few seconds before the replica is tried again.
            let clock = replica, target = replica.behind()
            do {
                let answer: R? = try await readers.database(logger: logger).sql().withSession { db in
                    if let target, try await !clock.waitForReplay(of: target, db) { return nil }
                    return try await body(db)
                }
                if let answer { return answer }
                clock.avoid()
            } catch let error as RenkouError {
                throw error
            } catch {
                logger.warning("replica read failed, reading the primary: \(String(reflecting: error))")
                clock.avoid()
            }
            return try await onPrimary()
        }
    }

    /// Runs `body` on the writer without a transaction (each statement commits on its own, unless `body`
    /// opens its own with BEGIN). On SQLite the writer serves one session at a time.
    /// `awaitedByReads: false` for bookkeeping no read needs to see at once (a rate-limit count, a token's
    /// last use): with a replica, later reads do not wait for it to replay that write.
    public func write<R: Sendable>(awaitedByReads: Bool = true, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await write(tracked: awaitedByReads, body)
    }

    /// `tracked`: with a replica, later reads wait until it has replayed what this wrote (reads' own audit
    /// rows are not waited for: nothing reads them back at once).
    private func write<R: Sendable>(tracked: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch backend {
        case .sqlite(let connection, let lock, _, _):
            await lock.lock()
            do { let r = try await body(connection.sql()); await lock.unlock(); return r }
            catch { await lock.unlock(); throw error }
        case .postgres(let pool, _):
            let clock = replica, track = tracked && readsFromReplica
            return try await pool.database(logger: logger).sql().withSession { db in
                let r = try await body(db)
                // the write is committed: failing to note its position must not report it as failed
                if track { try? await clock.wrote(db) }
                return r
            }
        }
    }

    /// Runs `body` on the writer in a transaction: everything it wrote is kept, or nothing is.
    public func transaction<R: Sendable>(awaitedByReads: Bool = true, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await transaction(tracked: awaitedByReads, body)
    }

    private func transaction<R: Sendable>(tracked: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await write(tracked: tracked) { db in
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw Self.foreignKeyRefusal(error) ?? error
            }
        }
    }

    /// A change the database refused for a link between rows (a foreign key: PostgreSQL's SQLSTATE 23503,
    /// SQLite's "FOREIGN KEY constraint failed") as `conflict`, in both languages; nil for any other error.
    /// On PostgreSQL a delete (or key change) of a row others still refer to is `still-referenced`; any
    /// other case (a row naming one that is gone, and every case on SQLite, whose message does not tell
    /// them apart) is `broken-link`. A module that holds links to a record and does not remove them first
    /// turns a delete into this answer, never into a server error.
    static func foreignKeyRefusal(_ error: any Error) -> RenkouError? {
        if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "23503" {
            if e.serverInfo?[.message]?.hasPrefix("update or delete on table") == true {
                return RenkouError(.conflict, "still-referenced", Text("其他记录（如抽查结果、服务记录）仍引用此记录，不能删除。",
                                                                       "Other records (a spot check's findings, a service …) still refer to this one; it cannot be deleted."))
            }
            return brokenLink
        }
        if let e = error as? SQLiteError, e.reason == .constraintForeignKeyFailed || e.message.contains("FOREIGN KEY constraint failed") { return brokenLink }
        return nil
    }

    static let brokenLink = RenkouError(.conflict, "broken-link", Text("此操作会破坏记录之间的关联（仍被其他记录引用，或所引用的记录已不存在）。",
                                                                      "This would break a link between records (others still refer to this one, or one it refers to is gone)."))

    /// Runs a bulk load on the writer with the engine's bulk settings, restored afterwards even on failure.
    /// `body` opens its own transactions (several batches per commit).
    public func bulkLoad<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let settings = engine.bulkLoad
        return try await write { db in
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

    /// True when the database answers a trivial query on a reader.
    public func ping() async -> Bool {
        guard !closed.isSet else { return false }
        return (try? await read { try await $0.raw("SELECT 1 AS one").all().count }) == 1
    }

    /// Closes the connections and pools; later calls do nothing.
    public func close() async {
        guard closed.set() else { return }
        switch backend {
        case .sqlite(let connection, _, let readers, _):
            for reader in readers { try? await reader.close() }
            try? await connection.close()
        case .postgres(let pool, let readers):
            try? await readers.shutdownAsync()
            try? await pool.shutdownAsync()
        }
    }
}

public enum RenkouStoreError: Error, CustomStringConvertible {
    case badURL(String)
    case notSQLite
    case replicaNeedsPostgres
    public var description: String {
        switch self {
        case .replicaNeedsPostgres: "RENKOU_READ_DATABASE_URL names a PostgreSQL replica; an SQLite database has none"
        case .badURL(let url): "RENKOU_DATABASE_URL must start with sqlite: or postgres:// (got \(url))"
        case .notSQLite: "this command works on SQLite databases only; for PostgreSQL use pg_dump and pg_restore"
        }
    }
}

/// Read-your-writes with a streaming replica: the primary's WAL position (LSN) after this process's last
/// write, and the position the replica is known to have replayed.
final class ReplicaClock: @unchecked Sendable {
    private let lock = NSLock()
    private var written: UInt64 = 0, replayed: UInt64 = 0
    private var waitLimit: Duration = .seconds(2)
    var wait: Duration { get { lock.withLock { waitLimit } } set { lock.withLock { waitLimit = newValue } } }

    /// The position a read must wait for, or nil when the replica is known to be there.
    func behind() -> UInt64? { lock.withLock { replayed < written ? written : nil } }

    /// Notes the primary's position after a write on `db` (a primary session).
    func wrote(_ db: any SQLDatabase) async throws {
        guard let text = try await db.raw("SELECT pg_current_wal_lsn()::text AS lsn").first()?.decode(column: "lsn", as: String.self),
              let lsn = Self.parse(text) else { return }
        lock.withLock { written = max(written, lsn) }
    }

    /// Waits until the server behind `db` has replayed `target`; false if it has not within `wait`. A server
    /// not in recovery (a promoted standby, a primary named as the replica) has everything. Polls every 2 ms,
    /// backing off to 50 ms.
    func waitForReplay(of target: UInt64, _ db: any SQLDatabase) async throws -> Bool {
        let deadline = ContinuousClock.now + wait
        var pause = 2
        while true {
            let row = try await db.raw("SELECT pg_is_in_recovery() AS r, pg_last_wal_replay_lsn()::text AS lsn").first()
            guard let row, try row.decode(column: "r", as: Bool.self),
                  let text = try row.decode(column: "lsn", as: String?.self), let lsn = Self.parse(text) else { return true }
            if lsn >= target { lock.withLock { replayed = max(replayed, lsn) }; return true }
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 50)
        }
    }

    private var avoidUntil: ContinuousClock.Instant?
    private var retryLimit: Duration = .seconds(5)
    var retryAfter: Duration { get { lock.withLock { retryLimit } } set { lock.withLock { retryLimit = newValue } } }
    /// After a replica failed a read (behind for too long, unreachable): reads go to the primary for `retryAfter`.
    func avoid() { lock.withLock { avoidUntil = ContinuousClock.now + retryLimit } }
    func avoiding() -> Bool { lock.withLock { avoidUntil.map { ContinuousClock.now < $0 } ?? false } }

    /// `16/B374D848` → 0x16_B374D848.
    static func parse(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let hi = UInt64(parts[0], radix: 16), let lo = UInt64(parts[1], radix: 16) else { return nil }
        return hi << 32 | lo
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
