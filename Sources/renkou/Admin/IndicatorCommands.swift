import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RenkouCore
import RenkouStore
import RenkouWeb

/// `renkou indicators`: every registered indicator's figures for a unit and the units below it.
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Print every registered indicator (or --code ones) for a unit and the units below it: one JSON line per unit and indicator.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The unit code (default: the top of the tree).") var org: String?
    @Option(help: "The day (YYYY-MM-DD, default today); each indicator is counted over its period containing it.") var on: String?
    @Option(help: "Comma-separated indicator codes (default: all).") var code: String?
    @Flag(help: "List the catalogue instead of the figures.") var list = false

    func run() async throws {
        try await withStores(db) { stores in
            let store = stores.indicators
            if list {
                for i in store.all { print(String(decoding: try JSONEncoder.sorted.encode(i), as: UTF8.self)) }
                return
            }
            let day = try Day.parse(on, field: "on", default: stores.env.today)
            let codes = code.map { $0.split(separator: ",").map(String.init) } ?? store.all.map(\.code)
            try RatesOutput.print(try await store.summary(codes, unitCode: org, on: day, in: .everything), day: day)
        }
    }
}

extension Bench {
    /// Times the rate pages' API calls on a real server in this process, beside `/healthz`.
    struct Rates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rates",
            abstract: "Time GET /api/v1/quality, /api/v1/migrants/rates and /api/v1/indicators/figures (every registered indicator of the top unit and the units below it) against /healthz, over real HTTP in one run; prints p50, p99 and the ratio to /healthz.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Requests per endpoint.") var requests: Int = 20
        @Option(help: "The account whose scope is measured (default: admin, as the demo creates it).") var user: String = "admin"

        func run() async throws {
            let config = db.config()
            try await withStores(db) { stores in
                let (token, secret) = try await stores.accounts.createToken(username: user, label: "bench rates", in: .everything, by: .cli("bench"))
                let persons = try await stores.persons.count(in: .everything)
                var logger = Logger(label: "bench"); logger.logLevel = .error
                // The server gets its own connection: it closes it when the test client is done.
                let app = try await buildApplication(config: config, stores: try await db.stores(config, logger: logger), logger: logger)
                let paths = ["/healthz", "/api/v1/quality", "/api/v1/migrants/rates", "/api/v1/indicators/figures"]
                let results = try await app.test(.live) { client -> [String: [Double]] in
                    var results: [String: [Double]] = [:]
                    for path in paths {
                        var times: [Double] = []
                        for i in 0...requests {
                            let start = ContinuousClock.now
                            let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(secret)"])
                            let elapsed = ContinuousClock.now - start
                            guard response.status == .ok else { throw ValidationError("\(path) answered \(response.status)") }
                            if i > 0 { times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
                        }
                        results[path] = times.sorted()
                    }
                    return results
                }
                try await stores.accounts.revokeToken(token.id, in: .everything, by: .cli("bench"))
                func pct(_ t: [Double], _ p: Double) -> Double { t[min(t.count - 1, Int((Double(t.count) * p).rounded(.up)) - 1)] }
                print("engine \(stores.db.engine.rawValue), \(persons) persons, \(requests) requests each (after one warm-up), times in ms")
                let health = pct(results["/healthz"]!, 0.5)
                for path in paths {
                    let t = results[path]!
                    print(path.padding(toLength: 30, withPad: " ", startingAt: 0)
                          + String(format: "p50 %9.2f  p99 %9.2f  p50/healthz %8.1f×", pct(t, 0.5), pct(t, 0.99), pct(t, 0.5) / max(health, 0.001)))
                }
            }
        }
    }
}
