import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou services followups`: the visits of a unit as they stand on a day.
struct ServicesCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ServicesCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Tasks.self] }
}

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "services", abstract: "Reproductive-health services and their follow-ups.",
                                                    subcommands: [FollowUps.self])

    /// One line per visit: due day, status, person, unit, schedule and step (the command line is an
    /// administrator's tool and sees everything, like `--scope everything`).
    struct FollowUps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "followups", abstract: "List the follow-up visits of a unit on a day (JSON lines).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Unit code (default: the whole tree).") var unit: String?
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?
        @Option(help: "not-yet-due, due, overdue, expired, done or closed (default: due and overdue).") var status: String?
        @Option(help: "At most this many.") var limit: Int = 100

        func run() async throws {
            try await withStores(db) { stores in
                let day = try Day.parse(on, field: "on", default: Day(stores.env.now()))
                let s = try status.map { v -> FollowUpStatus in
                    guard let s = FollowUpStatus(rawValue: v) else { throw ValidationError("unknown status \(v)") }
                    return s
                }
                let page = try await stores.services.followUps(unitCode: unit, on: day, status: s, limit: limit, in: .everything, by: .cli("services"))
                var out = ""
                for f in page.items {
                    struct Line: Encodable { let due: String; let status: String; let person: String; let name: String; let unit: String; let kind: String; let step: Int }
                    let line = Line(due: f.due, status: f.status(on: day).rawValue, person: f.personID.text, name: f.personName, unit: f.unitCode, kind: f.schedule, step: f.step + 1)
                    out += String(decoding: try JSONEncoder.sorted.encode(line), as: UTF8.self) + "\n"
                }
                out += "{\"total\":\(page.total)}\n"
                FileHandle.standardOutput.write(Data(out.utf8))
            }
        }
    }
}
