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
                let before = rss()
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
                print("peak memory: \(rss()) MB (\(before) MB before the runs)")
            }
        }
    }
}
