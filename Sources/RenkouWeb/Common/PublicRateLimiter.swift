import Foundation
import RenkouCore

/// Counts requests per client in a sliding minute, for the public pages that need no login.
final class PublicRateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var hits: [String: [Date]] = [:]
    let perMinute: Int
    init(perMinute: Int = 30) { self.perMinute = perMinute }

    /// True when the client may go on; false once it made `perMinute` requests in the last minute.
    func allow(_ client: String, now: Date = Date()) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let recent = (hits[client] ?? []).filter { now.timeIntervalSince($0) < 60 }
        if hits.count > 10_000 { hits = hits.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < 60 } }
        guard recent.count < perMinute else { hits[client] = recent; return false }
        hits[client] = recent + [now]
        return true
    }

    /// Throws the bilingual 429 error once the client is over the limit.
    func check(_ client: String) throws {
        guard allow(client) else {
            throw RenkouError(.tooManyRequests, "rate-limited", Text("查询过于频繁，请一分钟后再试。", "Too many lookups; try again in a minute."))
        }
    }
}
