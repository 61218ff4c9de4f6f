import Foundation
import RenkouCore
import SQLKit

/// The limit on the public pages (公开查询限流): requests a client (its address) may make a minute to the
/// forms and look-ups that need no account. On PostgreSQL counted in the database, so that every
/// `renkou serve` process of a deployment counts against the same limit (one atomic upsert, not waited for
/// by reads from a replica); on SQLite, which one process serves, counted in memory, so that a flood of
/// public requests never queues at the one writer (nor waits for an import's commit).
///
/// A sliding window estimated from two fixed ones (the current minute's hits and the previous minute's,
/// weighted by how much of it still lies within the last 60 s).
public struct PublicRateLimit: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Counts this request and tells whether the client may go on: false once its requests in the last
    /// minute exceed `perMinute` (refused requests count too, so a client that keeps trying stays refused).
    public func allow(_ client: String, perMinute: Int) async throws -> Bool {
        let now = env.now().timeIntervalSince1970
        let minute = Int64((now / 60).rounded(.down)), elapsed = now / 60 - Double(minute)
        if db.engine == .sqlite {
            let (previous, hits) = Self.memory.count(db.url + "\u{0}" + client, minute: minute)
            return Double(previous) * (1 - elapsed) + Double(hits) <= Double(perMinute)
        }
        return try await db.transaction(awaitedByReads: false) { db in
            let hits = try await db.raw("""
                INSERT INTO public_rate_windows (client, minute, hits) VALUES (\(bind: client), \(bind: minute), 1)
                ON CONFLICT (client, minute) DO UPDATE SET hits = public_rate_windows.hits + 1 RETURNING hits
                """).first()?.decode(column: "hits", as: Int.self) ?? 1
            if hits == 1 {
                // a client's first request of a minute clears every window no longer needed (the table holds two minutes)
                try await db.raw("DELETE FROM public_rate_windows WHERE minute < \(bind: minute - 1)").run()
            }
            let previous = try await db.raw("SELECT hits FROM public_rate_windows WHERE client = \(bind: client) AND minute = \(bind: minute - 1)")
                .first()?.decode(column: "hits", as: Int.self) ?? 0
            return Double(previous) * (1 - elapsed) + Double(hits) <= Double(perMinute)
        }
    }

    /// SQLite's windows: key → (minute, hits) for the current and the previous minute.
    static let memory = MemoryWindows()

    final class MemoryWindows: @unchecked Sendable {
        private let lock = NSLock()
        private var windows: [String: (minute: Int64, hits: Int, previous: Int)] = [:]
        /// Counts a hit in `minute`; returns the previous minute's hits and this one's.
        func count(_ key: String, minute: Int64) -> (previous: Int, hits: Int) {
            lock.withLock {
                if windows.count > 10_000 { windows = windows.filter { $0.value.minute >= minute - 1 } }
                var w = windows[key] ?? (minute, 0, 0)
                if w.minute != minute { w = (minute, 0, w.minute == minute - 1 ? w.hits : 0) }
                w.hits += 1
                windows[key] = w
                return (w.previous, w.hits)
            }
        }
    }

    /// Throws `too-many-requests` `rate-limited` (bilingual) once the client is over the limit.
    public func check(_ client: String, perMinute: Int) async throws {
        guard try await allow(client, perMinute: perMinute) else {
            throw RenkouError(.tooManyRequests, "rate-limited", Text("查询过于频繁，请一分钟后再试。", "Too many lookups; try again in a minute."))
        }
    }
}

extension Stores {
    /// The public pages' rate limit, shared by every process on this database.
    public var publicRateLimit: PublicRateLimit { PublicRateLimit(db: db, env: env) }
}
