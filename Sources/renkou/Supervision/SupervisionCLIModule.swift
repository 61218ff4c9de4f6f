import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou complaints list|show|escalate`: the cases from the command line.
struct SupervisionCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ComplaintsCommand.self] }
}

struct ComplaintsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complaints", abstract: "Complaints, reports and petitions (投诉举报): list, show, escalate the overdue ones.",
                                                    subcommands: [List.self, Show.self, Escalate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cases of a unit and below (complainants masked): one JSON line each, overdue and soonest due first.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        @Option(help: "Only this state (received, assigned, in-progress, answered, closed, reopened).") var state: String?
        @Flag(help: "Only the overdue ones.") var overdue = false
        func run() async throws {
            let wanted: ComplaintState?
            if let state { guard let s = ComplaintState(rawValue: state) else { throw ValidationError("no state \(state)") }; wanted = s } else { wanted = nil }
            try await withStores(db) { stores in
                for c in try await stores.complaints.list(state: wanted, overdueOnly: overdue, limit: 100_000, in: try await stores.scope(org: org), role: .admin) {
                    print(String(decoding: try JSONEncoder.sorted.encode(c), as: UTF8.self))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One case as the public sees it, by its tracking code.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The tracking code (TS-…).") var code: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let v = try await stores.complaints.publicView(code: code) else { throw ValidationError("no case \(code)") }
                print(String(decoding: try JSONEncoder.sorted.encode(v), as: UTF8.self))
            }
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send every overdue open case to the unit above (the daily job does this too); prints how many went up.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in print(try await stores.complaints.escalateOverdue(on: Day(stores.env.now()))) }
        }
    }
}
