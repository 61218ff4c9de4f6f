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
    @Option(help: "Count over this period instead of each indicator's own: month, quarter, year or statistical-year.") var period: String?

    func run() async throws {
        try await withStores(db) { stores in
            let store = stores.indicators
            if list {
                for i in store.all { print(String(decoding: try JSONEncoder.sorted.encode(i), as: UTF8.self)) }
                return
            }
            let day = try Day.parse(on, field: "on", default: stores.env.today)
            let codes = code.map { $0.split(separator: ",").map(String.init) } ?? store.all.map(\.code)
            var kind: Period.Kind?
            if let period { guard let k = Period.Kind(rawValue: period), k != .day else { throw ValidationError("no period \(period)") }; kind = k }
            try RatesOutput.print(try await store.summary(codes, unitCode: org, on: day, period: kind, in: .everything), day: day)
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
            try await withStores(db) { stores in
                let (token, secret) = try await stores.accounts.createToken(username: user, label: "bench rates", in: .everything, by: .cli("bench"))
                let persons = try await stores.persons.count(in: .everything)
                let paths = ["/healthz", "/api/v1/quality", "/api/v1/migrants/rates", "/api/v1/indicators/figures"]
                let results = try await HTTPBench.time(db, paths: paths, secret: secret, requests: requests)
                try await stores.accounts.revokeToken(token.id, in: .everything, by: .cli("bench"))
                print("engine \(stores.db.engine.rawValue), \(persons) persons, \(requests) requests each (after one warm-up), times in ms")
                HTTPBench.report(paths, results, width: 30)
            }
        }
    }
}
