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
    /// `renkou bench exchange`: two nodes in this process, each with its own database; the sender
    /// (A, SQLite) puts `--messages` verification requests in its outbox (one transaction each, as a
    /// worker would) and the clock runs from the first delivery pass to the last acknowledgement: the
    /// receiver (B, a real HTTP server on loopback) has then stored, matched and tasked every one.
    /// Prints messages a second end to end per run, the median, the loss and duplicate counts from
    /// both databases, and a baseline in the same run: `GET /healthz` on B, 16 at a time, through the
    /// same HTTP client (the most requests a second the pair can exchange at all).
    struct Exchange: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exchange",
            abstract: "Send N messages between two local nodes; prints messages/s end to end (outbox to applied), lost and duplicated, and /healthz as a baseline.")
        @Option(help: "Messages per run.") var messages: Int = 2000
        @Option(help: "Runs (the median is reported).") var runs: Int = 3
        @Option(help: "The receiver's database (default: a new SQLite file; postgres://… for PostgreSQL, emptied first is up to you).") var receiverDatabase: String?
        @Option(help: "Batch requests in flight per peer (100 messages each).") var concurrency: Int = 4

        func run() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-bench-exchange-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            var logger = Logger(label: "bench"); logger.logLevel = .error
            func open(_ url: String) async throws -> Stores {
                var options = DatabaseOptions(); options.databaseURL = url
                return try await options.stores(logger: logger)
            }
            let a = try await open("sqlite:" + dir.appendingPathComponent("a.sqlite").path)
            let b = try await open(receiverDatabase ?? "sqlite:" + dir.appendingPathComponent("b.sqlite").path)
            let total = messages * runs
            print("seeding \(total) women on both nodes (B: \(b.db.engine.rawValue)) …")
            try await Self.seed(a, inflow: true, count: total)
            try await Self.seed(b, inflow: false, count: total)
            let (router, _) = try await buildRouter(stores: b, config: AppConfig())
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            try await app.test(.live) { client in
                let port = try client.port.map { $0 } ?? { throw ValidationError("no port") }()
                let nodeA = try await a.exchange.identity(code: "310114", url: "http://127.0.0.1:1", by: .cli("bench"))
                let nodeB = try await b.exchange.identity(code: "420117", url: "http://127.0.0.1:\(port)", by: .cli("bench"))
                try await a.exchange.addPeer(code: nodeB.code, url: nodeB.url, key: nodeB.publicKey, areas: ["42"], by: .cli("bench"))
                try await b.exchange.addPeer(code: nodeA.code, url: nodeA.url, key: nodeA.publicKey, areas: ["31"], by: .cli("bench"))
                let women = try await a.db.read { db in
                    try await db.raw("SELECT id FROM persons WHERE category = 'inflow' ORDER BY id_number").all().map { UUID(uuidString: try $0.decode(column: "id", as: String.self))! }
                }
                var rates: [Double] = [], healths: [Double] = []
                for run in 0..<runs {
                    let batch = women[(run * messages)..<((run + 1) * messages)]
                    for w in batch { _ = try await a.exchange.request(person: w, question: "pregnancy", urgent: false, in: .everything, by: .cli("bench")) }
                    let start = ContinuousClock.now
                    var passes = 0
                    while try await a.exchange.counts().outbox["pending", default: 0] > 0 {
                        _ = try await a.exchange.deliverDue(limit: 1000, concurrency: concurrency); passes += 1
                        if passes > 10_000 { throw ValidationError("the outbox does not empty") }
                    }
                    let seconds = Self.seconds(ContinuousClock.now - start)
                    rates.append(Double(messages) / seconds)
                    let health = try await Self.healthz(port: port, requests: messages, concurrency: 16)
                    healths.append(health)
                    print(String(format: "run %d: %d messages in %.2f s = %.0f messages/s (%d passes); /healthz %.0f req/s", run + 1, messages, seconds, Double(messages) / seconds, passes, health))
                }
                let sent = try await a.exchange.counts(), received = try await b.exchange.counts()
                let delivered = sent.outbox["delivered", default: 0], stored = received.inbox.values.reduce(0, +)
                let median = rates.sorted()[rates.count / 2], health = healths.sorted()[healths.count / 2]
                print(String(format: "median %.0f messages/s end to end (batches of 100, %d in flight); /healthz %.0f req/s at concurrency 16; ratio %.2f", median, concurrency, health, median / health))
                print("sent \(total), delivered (A) \(delivered), received (B) \(stored), applied as visits \(received.visits) from \(received.visitedMessages) messages; "
                      + "lost \(total - stored), applied twice \(received.visits - received.visitedMessages)")
            }
            await a.db.close(); await b.db.close()
        }

        static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

        /// `count` women with valid ID numbers, hukou 420117: inflow at A, residents at B.
        static func seed(_ stores: Stores, inflow: Bool, count: Int) async throws {
            let cli = Actor.cli("bench")
            _ = try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: cli)
            _ = try await stores.orgs.add(code: "310114", name: "嘉定区", level: .district, parentCode: "310000", in: .everything, by: cli)
            _ = try await stores.orgs.add(code: "310114001", name: "新成路街道", level: .street, parentCode: "310114", in: .everything, by: cli)
            _ = try await stores.orgs.add(code: "310114001001", name: "白银路社区", level: .community, parentCode: "310114001", in: .everything, by: cli)
            let start = Day(year: 1988, month: 1, day: 1)!
            for k in 0..<count {
                let first17 = "420117" + start.adding(days: k / 400).description.replacingOccurrences(of: "-", with: "") + String(format: "%03d", (k % 400) * 2 + 100)
                var p = PersonInput(name: "测试\(k)", idNumber: first17 + String(CitizenID.checkCharacter(first17)!), unit: "310114001001")
                p.sex = "2"; p.hukouRegion = "420117"
                if inflow { p.category = "inflow" }
                _ = try await stores.persons.create(p, in: .everything, by: cli)
            }
        }

        /// `GET /healthz` `requests` times, `concurrency` at a time, through the same HTTP client as the sender: requests a second.
        static func healthz(port: Int, requests: Int, concurrency: Int) async throws -> Double {
            let url = URL(string: "http://127.0.0.1:\(port)/healthz")!
            let start = ContinuousClock.now
            var done = 0
            while done < requests {
                let n = min(concurrency, requests - done)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<n { group.addTask { _ = try await URLSession.shared.data(from: url) } }
                    try await group.waitForAll()
                }
                done += n
            }
            return Double(requests) / seconds(ContinuousClock.now - start)
        }
    }
}
