import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou births list|decide`: birth registrations of a unit, and a decision on one.
struct BirthsCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [BirthsCommand.self] }
}

struct BirthsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "births", abstract: "Birth registrations (生育登记).", subcommands: [List.self, Decide.self])

    /// One JSON line per registration, open ones first by their time limit.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registrations of a unit (JSON lines).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Unit code (default: the whole tree).") var unit: String?
        @Option(help: "submitted, accepted, needs-information, registered or refused.") var state: String?
        @Option(help: "At most this many.") var limit: Int = 100
        func run() async throws {
            try await withStores(db) { stores in
                let s = try state.map { v -> RegistrationState in
                    guard let s = RegistrationState(rawValue: v) else { throw ValidationError("unknown state \(v)") }
                    return s
                }
                let page = try await stores.births.list(unitCode: unit, state: s, limit: limit, in: .everything, by: .cli("births"))
                for r in page.items { print(String(decoding: try JSONEncoder.sorted.encode(r), as: UTF8.self)) }
            }
        }
    }

    /// Accept, ask for information, register or refuse a registration by its id.
    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decide a registration: accept, needs-information, register or refuse.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The registration's id.") var id: String
        @Option(help: "accept, needs-information, register or refuse.") var decision: String
        @Option(help: "What is missing, or why it is refused.") var note: String?
        func run() async throws {
            try await withStores(db) { stores in
                guard let uuid = UUID(uuidString: id) else { throw ValidationError("not an id: \(id)") }
                guard let d = BirthRegistrationStore.Decision(rawValue: decision) else { throw ValidationError("unknown decision \(decision)") }
                let r = try await stores.births.decide(uuid, d, note: note, in: .everything, by: .cli("births"))
                print(String(decoding: try JSONEncoder.sorted.encode(r), as: UTF8.self))
            }
        }
    }
}
