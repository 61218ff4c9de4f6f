import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import RenkouCore
import RenkouStore
import RenkouWeb

extension Bench {
    /// `renkou bench supplies`: loads `--events` stock events (receipts and hand-outs, two years, in
    /// date order) over `--locations` locations × `--products` products through the stores' own
    /// recording (a transaction per 1,000), then prints, each as the median of `--runs` runs:
    /// stock on hand of one location (p50/p99 over 500 reads) and of the whole district (p50/p99 over
    /// 20), against a trivial query's p99 as baseline; the machine check over HTTP with 64 machines
    /// asking at once (p50/p99, requests a second) against `GET /healthz` at the same concurrency in
    /// the same run; and the district's monthly report.
    struct Supplies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "supplies",
            abstract: "Load N stock events; print stock-on-hand p99 (a location, the district), the machine check's p99 under 64 machines with /healthz, and the monthly report's time.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Stock events to load.") var events: Int = 1_000_000
        @Option(help: "Stock locations (a tenth of them machines).") var locations: Int = 100
        @Option(help: "Products.") var products: Int = 20
        @Option(help: "Runs (medians are reported).") var runs: Int = 3
        @Option(help: "Machines asking at once.") var concurrency: Int = 64
        @Option(help: "Machine checks per run.") var checks: Int = 6400
        @Option(help: "Checks a second offered by the machines together in the paced run (each timed from when it was due).") var rate: Int = 300

        func run() async throws {
            var logger = Logger(label: "bench"); logger.logLevel = .error
            var options = db
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-bench-supplies-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            if options.databaseURL == nil { options.databaseURL = "sqlite:" + dir.appendingPathComponent("supplies.sqlite").path }
            let stores = try await options.stores(logger: logger)
            let cli = Actor.cli("bench")
            print("loading \(events) stock events over \(locations) locations × \(products) products (\(stores.db.engine.rawValue)) …")
            let places = try await Self.seed(stores, locations: locations, products: products)
            let loadStart = ContinuousClock.now
            let today = Day(stores.env.now()), first = today.adding(days: -730)
            var balance: [Int: Int] = [:], batch: [StockEventInput] = [], loaded = 0
            var rng = SystemRandomNumberGenerator()
            for i in 0..<events {
                let l = i % locations, p = (i / locations) % products, key = l * products + p
                let day = first.adding(days: i * 730 / events).description
                let product = String(format: "P%02d", p), location = places[l].id.text
                if balance[key, default: 0] < 5 {
                    batch.append(StockEventInput(kind: "receive", location: location, product: product, lotCode: "L\(p)-\(i / (events / 4 + 1))",
                                                 expiresOn: today.adding(years: 3).description, quantity: 500, occurredOn: day, document: "RK-\(i)"))
                    balance[key, default: 0] += 500
                } else {
                    let n = Int.random(in: 1...5, using: &rng)
                    batch.append(StockEventInput(kind: places[l].kind == .machine ? "vend" : "dispense", location: location, product: product, quantity: n, occurredOn: day))
                    balance[key, default: 0] -= n
                }
                if batch.count == 1000 || i == events - 1 {
                    try await stores.supplies.record(batch: batch, in: .everything, by: cli)
                    loaded += batch.count; batch.removeAll(keepingCapacity: true)
                    if loaded % 100_000 == 0 { print("  \(loaded) events, \(Int(Double(loaded) / Self.seconds(ContinuousClock.now - loadStart)))/s") }
                }
            }
            let loadSeconds = Self.seconds(ContinuousClock.now - loadStart)
            print(String(format: "loaded %d events in %.0f s (%.0f events/s)", events, loadSeconds, Double(events) / loadSeconds))

            let machines = places.filter { $0.kind == .machine }
            var tokens: [(UUID, String)] = []
            for m in machines { tokens.append((m.id, try await stores.supplies.issueMachineToken(m.id, in: .everything, by: cli))) }
            let (router, _) = try await buildRouter(stores: stores, config: AppConfig())
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            let machineTokens = tokens, runs = self.runs, checks = self.checks, concurrency = self.concurrency, rate = self.rate
            struct Figures: Sendable {
                var one: [(Double, Double)] = [], district: [(Double, Double)] = [], trivial: [Double] = [], check: [(Double, Double, Double)] = [], health: [(Double, Double, Double)] = []
                var paced: [(Double, Double, Double)] = [], pacedHealth: [(Double, Double, Double)] = [], report: [Double] = []
            }
            let f = try await app.test(.live) { client -> Figures in
                var one: [(Double, Double)] = [], district: [(Double, Double)] = [], trivial: [Double] = [], check: [(Double, Double, Double)] = [], health: [(Double, Double, Double)] = [], report: [Double] = []
                var paced: [(Double, Double, Double)] = [], pacedHealth: [(Double, Double, Double)] = []
                let port = try client.port.map { $0 } ?? { throw ValidationError("no port") }()
                for run in 0..<runs {
                    var times: [Double] = []
                    for _ in 0..<500 {
                        let at = places.randomElement()!.id, start = ContinuousClock.now
                        _ = try await stores.supplies.stock(location: at, in: .everything)
                        times.append(Self.seconds(ContinuousClock.now - start) * 1000)
                    }
                    one.append((Self.percentile(times, 0.5), Self.percentile(times, 0.99)))
                    times = []
                    for _ in 0..<20 {
                        let start = ContinuousClock.now
                        _ = try await stores.supplies.stock(in: .everything)
                        times.append(Self.seconds(ContinuousClock.now - start) * 1000)
                    }
                    district.append((Self.percentile(times, 0.5), Self.percentile(times, 0.99)))
                    times = []
                    for _ in 0..<500 {
                        let start = ContinuousClock.now
                        _ = try await stores.db.read { db in try await db.raw("SELECT 1 AS one").first() }
                        times.append(Self.seconds(ContinuousClock.now - start) * 1000)
                    }
                    trivial.append(Self.percentile(times, 0.99))
                    // the machines: each asks for a new adult's card (a valid number, never seen) at once
                    let base = run * checks * 2
                    @Sendable func checkRequest(_ k: Int) -> URLRequest {
                        let (id, token) = machineTokens[k % machineTokens.count]
                        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/supplies/machines/\(id.text)/check")!)
                        request.httpMethod = "POST"
                        request.setValue(token, forHTTPHeaderField: "Renkou-Machine-Token")
                        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                        request.httpBody = Data(#"{"idNumber": "\#(Self.idNumber(base + k))", "product": "P00"}"#.utf8)
                        return request
                    }
                    let healthz = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/healthz")!)
                    // flat out: 64 machines asking back to back (the most the server takes), /healthz the same way
                    let c = try await Self.load(port: port, requests: checks, concurrency: concurrency, rate: nil) { checkRequest($0) }
                    check.append(c)
                    let h = try await Self.load(port: port, requests: checks, concurrency: concurrency, rate: nil) { _ in healthz }
                    health.append(h)
                    // paced: the machines together ask `rate` times a second, each timed from when it was due
                    let pacedCount = min(checks, rate * 10)
                    paced.append(try await Self.load(port: port, requests: pacedCount, concurrency: concurrency, rate: rate) { checkRequest(checks + $0) })
                    pacedHealth.append(try await Self.load(port: port, requests: pacedCount, concurrency: concurrency, rate: rate) { _ in healthz })
                    let start = ContinuousClock.now
                    _ = try await stores.supplies.report(month: Period.containing(today, .month), in: .everything)
                    report.append(Self.seconds(ContinuousClock.now - start))
                    print(String(format: "run %d: stock on hand one location p50 %.2f ms p99 %.2f ms; district p50 %.1f ms p99 %.1f ms; SELECT 1 p99 %.2f ms; monthly report %.2f s",
                                 run + 1, one.last!.0, one.last!.1, district.last!.0, district.last!.1, trivial.last!, report.last!))
                    print(String(format: "       flat out (%d in flight): check p50 %.1f ms p99 %.1f ms %.0f req/s; /healthz p50 %.1f ms p99 %.1f ms %.0f req/s",
                                 concurrency, c.0, c.1, c.2, h.0, h.1, h.2))
                    print(String(format: "       paced at %d/s: check p50 %.1f ms p99 %.1f ms; /healthz p50 %.1f ms p99 %.1f ms",
                                 rate, paced.last!.0, paced.last!.1, pacedHealth.last!.0, pacedHealth.last!.1))
                }
                return Figures(one: one, district: district, trivial: trivial, check: check, health: health, paced: paced, pacedHealth: pacedHealth, report: report)
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            let (one, district, trivial, check, health, report) = (f.one, f.district, f.trivial, f.check, f.health.map(\.2), f.report)
            print(String(format: "median: stock on hand one location p99 %.2f ms (goal < 20), district p99 %.1f ms, SELECT 1 p99 %.2f ms (ratio %.1f)",
                         median(one.map(\.1)), median(district.map(\.1)), median(trivial), median(one.map(\.1)) / median(trivial)))
            print(String(format: "median: machine check flat out at %d machines p99 %.1f ms, %.0f req/s; /healthz p99 %.1f ms, %.0f req/s; throughput ratio %.2f",
                         concurrency, median(check.map(\.1)), median(check.map(\.2)), median(f.health.map(\.1)), median(health), median(check.map(\.2)) / median(health)))
            print(String(format: "median: machine check paced at %d/s p50 %.1f ms p99 %.1f ms (goal < 20); /healthz paced p99 %.1f ms; monthly report (district) %.2f s",
                         rate, median(f.paced.map(\.0)), median(f.paced.map(\.1)), median(f.pacedHealth.map(\.1)), median(report)))
            await stores.db.close()
        }

        static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

        static func percentile(_ values: [Double], _ p: Double) -> Double {
            let s = values.sorted()
            return s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)]
        }

        /// A valid adult's ID number for `k` (born 1980–2000, a region of Hubei).
        static func idNumber(_ k: Int) -> String {
            let born = Day(year: 1980, month: 1, day: 1)!.adding(days: k / 500 % 7000)
            let first17 = "420117" + born.description.replacingOccurrences(of: "-", with: "") + String(format: "%03d", k % 500 * 2 % 1000)
            return first17 + String(CitizenID.checkCharacter(first17)!)
        }

        /// `requests` requests, at most `concurrency` in flight: back to back, or (`rate`) each due at
        /// start + k / rate and timed from then, so a slow answer delays the ones behind it in the
        /// figures too. Returns (p50 ms, p99 ms, requests a second).
        static func load(port: Int, requests: Int, concurrency: Int, rate: Int?, _ make: @escaping @Sendable (Int) -> URLRequest) async throws -> (Double, Double, Double) {
            let session = URLSession(configuration: .ephemeral)
            let start = ContinuousClock.now
            let times = try await withThrowingTaskGroup(of: [Double].self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var mine: [Double] = []
                        var k = worker
                        while k < requests {
                            var t = ContinuousClock.now
                            if let rate {
                                let due = start + .nanoseconds(Int64(k) * 1_000_000_000 / Int64(rate))
                                if due > t { try await Task.sleep(until: due, clock: .continuous) }
                                t = due
                            }
                            let (_, response) = try await session.data(for: make(k))
                            guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ValidationError("HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)") }
                            mine.append(seconds(ContinuousClock.now - t) * 1000)
                            k += concurrency
                        }
                        return mine
                    }
                }
                var all: [Double] = []
                for try await t in group { all += t }
                return all
            }
            return (percentile(times, 0.5), percentile(times, 0.99), Double(requests) / seconds(ContinuousClock.now - start))
        }

        /// The tree, `products` products and `locations` locations spread over six communities (every tenth a machine).
        static func seed(_ stores: Stores, locations: Int, products: Int) async throws -> [StockLocation] {
            let cli = Actor.cli("bench")
            _ = try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: cli)
            _ = try await stores.orgs.add(code: "310114", name: "嘉定区", level: .district, parentCode: "310000", in: .everything, by: cli)
            _ = try await stores.orgs.add(code: "310114001", name: "新成路街道", level: .street, parentCode: "310114", in: .everything, by: cli)
            for c in 1...6 { _ = try await stores.orgs.add(code: String(format: "310114001%03d", c), name: "社区\(c)", level: .community, parentCode: "310114001", in: .everything, by: cli) }
            for p in 0..<products {
                try await stores.supplies.saveProduct(Product(code: String(format: "P%02d", p), name: "药具\(p)", category: ProductCategory.allCases[p % ProductCategory.allCases.count], unit: "盒", packSize: 1), by: cli)
            }
            var places: [StockLocation] = []
            for l in 0..<locations {
                let machine = l % 10 == 9
                places.append(try await stores.supplies.addLocation(name: "存放点\(l)", kind: machine ? "machine" : "service-point", unitCode: String(format: "310114001%03d", l % 6 + 1),
                                                                    slots: machine ? 4 : nil, capacity: machine ? 200 : nil, in: .everything, by: cli))
            }
            return places
        }
    }
}
