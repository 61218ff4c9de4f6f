import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

extension Bench {
    /// Times an eligibility run of every programme over a unit's whole registry (a district of
    /// 1,000,000: `renkou demo --persons 1000000` first), then discards the runs. Prints, per
    /// programme, the people looked at, the eligible, the seconds; and the peak resident memory.
    struct Benefits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "benefits", abstract: "Time an eligibility run of every benefit programme over a unit; prints seconds and peak memory.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit run over.") var unit: String = "310114"
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "Runs per programme (the median is printed).") var rounds: Int = 3

        func run() async throws {
            try await withStores(db) { stores in
                let year = year ?? Day(stores.env.now()).year
                func rss() -> Int { var u = rusage(); getrusage(Int32(RUSAGE_SELF.rawValue), &u); return Int(u.ru_maxrss) / 1024 }
                print("programme\tlines\teligible\tseconds (median of \(rounds))")
                let before = rss(), anonymous = AnonymousMemoryPeak()
                defer { anonymous.stop() }
                for programme in BenefitProgramme.allCases {
                    var times: [Double] = [], lines = 0, eligible = 0
                    for _ in 0..<rounds {
                        let start = Date()
                        let run = try await stores.benefits.draw(programme, year: year, unitCode: unit, in: .everything, by: .cli("bench"))
                        times.append(Date().timeIntervalSince(start))
                        lines = run.eligible + run.excluded; eligible = run.eligible
                        try await stores.benefits.discard(run.id, in: .everything, by: .cli("bench"))
                    }
                    print("\(programme.rawValue)\t\(lines)\t\(eligible)\t\(String(format: "%.2f", times.sorted()[times.count / 2]))")
                }
                print("peak memory: \(rss()) MB resident (\(before) MB before the runs; includes the database file's mapped pages)")
                print("peak anonymous memory (heap, sampled every 10 ms): \(anonymous.peakMB) MB")
            }
        }
    }
}

/// The highest `RssAnon` of this process (Linux `/proc/self/status`): the heap and stacks, without the
/// database file's pages that SQLite maps (`ru_maxrss` counts those, and they grow with the file, not
/// with what a run holds). Sampled every 10 ms on a thread of its own until `stop()`.
final class AnonymousMemoryPeak: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    private var running = true
    init() {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                let now = Self.current()
                lock.withLock { peak = max(peak, now) }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        thread.start()
    }
    func stop() { lock.withLock { running = false } }
    var peakMB: Int { lock.withLock { peak } / 1024 }
    /// kB of anonymous resident memory now; 0 where /proc is not there.
    static func current() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}
