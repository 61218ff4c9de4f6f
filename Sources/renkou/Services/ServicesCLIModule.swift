import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou services followups|rounds|open-round|quota`: the visits of a unit on a day, check-up rounds
/// with their coverage, and the yearly pre-pregnancy quota.
struct ServicesCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ServicesCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Tasks.self] }
}

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "services", abstract: "Reproductive-health services and their follow-ups.",
                                                    subcommands: [FollowUps.self, Rounds.self, OpenRound.self, Quota.self])

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

    /// One line per round: its unit, name, days, women due and checked, coverage.
    struct Rounds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rounds", abstract: "List the check-up rounds (双查) with their coverage (JSON lines).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                for r in try await stores.checkUps.rounds(in: .everything) {
                    print(String(decoding: try JSONEncoder.sorted.encode(r), as: UTF8.self))
                }
            }
        }
    }

    /// Opens a round of a unit and draws its due list; prints the round.
    struct OpenRound: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open-round", abstract: "Open a check-up round for a unit; its due list is drawn by the rules.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Unit code.") var unit: String
        @Option(help: "Name of the round.") var name: String
        @Option(help: "First day, YYYY-MM-DD.") var from: String
        @Option(help: "Last day, YYYY-MM-DD.") var to: String
        func run() async throws {
            try await withStores(db) { stores in
                let r = try await stores.checkUps.openRound(CheckUpRoundInput(unit: unit, name: name, startsOn: from, endsOn: to), in: .everything, by: .cli("services"))
                print(String(decoding: try JSONEncoder.sorted.encode(r), as: UTF8.self))
            }
        }
    }

    /// Sets a unit's yearly pre-pregnancy check quota; prints it with the couples checked so far.
    struct Quota: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "quota", abstract: "Set a unit's yearly quota of free pre-pregnancy checks (couples).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Unit code.") var unit: String
        @Option(help: "The year.") var year: Int
        @Option(help: "Couples.") var couples: Int
        func run() async throws {
            try await withStores(db) { stores in
                let q = try await stores.prePregnancy.setQuota(unitCode: unit, year: year, couples: couples, in: .everything, by: .cli("services"))
                print(String(decoding: try JSONEncoder.sorted.encode(q), as: UTF8.self))
            }
        }
    }
}
