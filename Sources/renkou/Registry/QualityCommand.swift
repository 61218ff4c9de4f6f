import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou quality rebuild`: recompute every record's quality verdicts (after a policy file changed a rule).
struct QualityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quality", abstract: "Data-quality verdicts.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute which quality checks every record fails, under the policy in force (RENKOU_POLICY_FILE); prints the seconds it took.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                let start = Date()
                try await stores.quality.rebuildVerdicts()
                print(String(format: "{\"seconds\":%.1f}", Date().timeIntervalSince(start)))
            }
        }
    }
}
