import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RenkouStore
import RenkouWeb

/// Times GET requests on a real server in this process (`bench rates`, `bench tasks`): each path
/// `requests` times after one warm-up, with a bearer token; returns the sorted times in ms and each
/// answer's size in bytes. Throws when a path answers other than 200.
enum HTTPBench {
    static func time(_ db: DatabaseOptions, paths: [String], secret: String, requests: Int) async throws -> (times: [String: [Double]], bytes: [String: Int]) {
        let config = db.config()
        var logger = Logger(label: "bench"); logger.logLevel = .error
        // The server gets its own connection: it closes it when the test client is done.
        let app = try await buildApplication(config: config, stores: try await db.stores(config, logger: logger), logger: logger)
        return try await app.test(.live) { client -> ([String: [Double]], [String: Int]) in
            var results: [String: [Double]] = [:], sizes: [String: Int] = [:]
            for path in paths {
                var times: [Double] = []
                for i in 0...requests {
                    let start = ContinuousClock.now
                    let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(secret)"])
                    let elapsed = ContinuousClock.now - start
                    guard response.status == .ok else { throw ValidationError("\(path) answered \(response.status)") }
                    if i == 0 { sizes[path] = response.body.readableBytes }
                    else { times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
                }
                results[path] = times.sorted()
            }
            return (results, sizes)
        }
    }

    /// The `p` quantile (0…1) of sorted times.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))] }

    /// One line per path: p50, p99, the ratio of p50 to `/healthz`'s, and the answer's size.
    static func report(_ paths: [String], _ r: (times: [String: [Double]], bytes: [String: Int]), width: Int = 34) {
        let health = percentile(r.times["/healthz"] ?? [1], 0.5)
        for path in paths {
            let t = r.times[path]!
            print(path.padding(toLength: width, withPad: " ", startingAt: 0)
                  + String(format: "p50 %9.2f  p99 %9.2f  p50/healthz %8.1f×  %8d bytes", percentile(t, 0.5), percentile(t, 0.99), percentile(t, 0.5) / max(health, 0.001), r.bytes[path] ?? 0))
        }
    }
}
