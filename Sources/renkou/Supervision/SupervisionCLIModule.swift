import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou complaints list|show|file|act|escalate`: the cases from the command line.
struct SupervisionCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ComplaintsCommand.self] }
}

struct ComplaintsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complaints", abstract: "Complaints, reports and petitions (投诉举报): list, show, file, act on, escalate the overdue ones.",
                                                    subcommands: [List.self, Show.self, File.self, Act.self, Escalate.self])

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

    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a case for a caller (by phone, at the counter, by letter); prints it as JSON with its tracking code.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The category's code (service, benefits, records, supplies, two-non, falsified-data, petition).") var category: String
        @Option(help: "The community or street it is about.") var unit: String
        @Option(help: "The subject.") var subject: String
        @Option(help: "What happened.") var body: String
        @Option(help: "phone, counter or letter.") var channel = "phone"
        @Option(help: "The caller's name (leave out for an anonymous case).") var name: String?
        @Option(help: "The caller's phone.") var phone: String?
        func run() async throws {
            try await withStores(db) { stores in
                let filed = try await stores.complaints.file(ComplaintInput(category: category, unit: unit, subject: subject, body: body, anonymous: name == nil, name: name, phone: phone,
                                                                            channel: channel), in: .everything, by: .cli())
                print(String(decoding: try JSONEncoder.sorted.encode(filed), as: UTF8.self))
            }
        }
    }

    struct Act: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Act on a case by its tracking code: assign, start, answer, note, close, uphold; prints it as JSON.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The tracking code (TS-…).") var code: String
        @Argument(help: "assign, start, answer, note, close or uphold.") var action: String
        @Option(help: "The answer or note.") var note: String?
        @Option(help: "assign: the handler's username.") var handler: String?
        @Option(help: "assign: the unit to pass it to.") var unit: String?
        @Option(help: "uphold: whether the report was founded (true/false).") var upheld: Bool?
        @Option(help: "uphold: the reward in yuan.") var reward: Int?
        func run() async throws {
            try await withStores(db) { stores in
                guard let id = try await stores.complaints.id(code: code) else { throw ValidationError("no case \(code)") }
                let c = try await stores.complaints.act(id, action: action, note: note, handler: handler, unit: unit, upheld: upheld, reward: reward, in: .everything, role: .admin, by: .cli())
                print(String(decoding: try JSONEncoder.sorted.encode(c), as: UTF8.self))
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
