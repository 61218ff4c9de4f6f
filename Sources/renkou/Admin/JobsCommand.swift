import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou jobs run`: every module's daily jobs once (the server runs them at start and every hour).
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Calendar work: missed visits rolled on, and the like.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every module's daily jobs once; prints each job and how many records it changed.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Run as of this day, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await withStores(db) { stores in
                let day = try Day.parse(on, field: "on", default: Day(stores.env.now()))
                for job in try await stores.runDailyJobs(on: day) { print("\(job.name)\t\(job.changed)") }
            }
        }
    }
}
