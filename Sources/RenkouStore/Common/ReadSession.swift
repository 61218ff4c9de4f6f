import Foundation
import Logging
import NIOCore
import SQLKit

/// A reader's session as `Database.read` hands it to its body: every statement goes to the reader, and the
/// audit rows the body writes (`AuditLog.write`) are collected in `sink`, for the writer to commit.
struct ReadSession: SQLDatabase {
    let base: any SQLDatabase
    let sink: Sink

    /// The audit rows of one read, in the order written.
    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var rows: [AuditRow] = []
        func append(_ row: AuditRow) { lock.withLock { rows.append(row) } }
        /// The rows collected so far; the sink is empty afterwards.
        func take() -> [AuditRow] { lock.withLock { defer { rows = [] }; return rows } }
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }
    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// One row of the audit log (审计日志), as written: `at` an ISO 8601 timestamp, ids as lower-case text.
struct AuditRow: Sendable {
    var at: String, userID: String?, username: String, action: String, entity: String, entityID: String, path: String
    var client: String, requestID: String, before: String?, after: String?

    /// Rows in one INSERT: 11 parameters each stays under both engines' limits.
    static let perStatement = 500

    /// Inserts `rows` in `db`, `perStatement` to a statement.
    static func insert(_ rows: [AuditRow], _ db: any SQLDatabase) async throws {
        var start = rows.startIndex
        while start < rows.endIndex {
            let chunk = rows[start..<min(start + perStatement, rows.endIndex)]
            var values: [SQLQueryString] = []
            for r in chunk {
                values.append("""
                    (\(bind: r.at), \(bind: r.userID), \(bind: r.username), \(bind: r.action), \(bind: r.entity), \(bind: r.entityID), \(bind: r.path),
                     \(bind: r.client), \(bind: r.requestID), \(bind: r.before), \(bind: r.after))
                    """)
            }
            try await db.raw("""
                INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, path, client, request_id, before_value, after_value)
                VALUES \(values.joined(separator: ", "))
                """).run()
            start = chunk.endIndex
        }
    }
}

/// Group commit: rows handed in while a commit is under way wait for it to end and then go together in
/// the next one, so that many concurrent reads share one transaction. Each caller returns once its own
/// rows are committed, or throws the commit's error.
actor GroupCommit {
    private var pending: [(rows: [AuditRow], done: CheckedContinuation<Void, any Error>)] = []
    private var committing = false

    /// Commits `rows` through `flush` (called with one batch at a time, never two at once).
    func commit(_ rows: [AuditRow], flush: @escaping @Sendable ([AuditRow]) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            pending.append((rows, done))
            if !committing {
                committing = true
                Task { await self.drain(flush) }
            }
        }
    }

    private func drain(_ flush: @Sendable ([AuditRow]) async throws -> Void) async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                try await flush(batch.flatMap(\.rows))
                for waiter in batch { waiter.done.resume() }
            } catch {
                for waiter in batch { waiter.done.resume(throwing: error) }
            }
        }
        committing = false
    }
}

/// A first-come first-served pool of `count` numbered leases (the SQLite readers).
actor LeasePool {
    private var free: [Int]
    private var waiters: [CheckedContinuation<Int, Never>] = []

    init(count: Int) { free = Array((0..<count).reversed()) }

    func acquire() async -> Int {
        if let i = free.popLast() { return i }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ i: Int) {
        if waiters.isEmpty { free.append(i) } else { waiters.removeFirst().resume(returning: i) }
    }
}
