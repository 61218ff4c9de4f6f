import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou births list|decide`: birth registrations of a unit, and a decision on one.
struct BirthsCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [BirthsCommand.self, BenefitsCommand.self, FeesCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Benefits.self] }
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

/// `renkou benefits run|post|approve|pay|reconcile`: a programme's yearly list through its cycle.
struct BenefitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "benefits", abstract: "Benefit programmes: draw, post, approve, pay, reconcile.",
                                                    subcommands: [Run.self, Post.self, Approve.self, Pay.self, Reconcile.self])

    /// Draws a list and prints it (one JSON line) with its time.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw a programme's list for a year and a unit.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "childcare-subsidy, reward-assistance, special-assistance, complication-assistance or only-child-parents.") var programme: String
        @Option(help: "The year.") var year: Int
        @Option(help: "1–4: the childcare subsidy's supplementary list of that quarter (default: the year's main list).") var quarter: Int = 0
        @Option(help: "Unit code (district, street or community).") var unit: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let p = BenefitProgramme(rawValue: programme) else { throw ValidationError("unknown programme \(programme)") }
                let start = Date()
                let r = try await stores.benefits.draw(p, year: year, quarter: quarter, unitCode: unit, in: .everything, by: .cli("benefits"))
                print(String(decoding: try JSONEncoder.sorted.encode(r), as: UTF8.self))
                FileHandle.standardError.write(Data(String(format: "drawn in %.2f s\n", Date().timeIntervalSince(start)).utf8))
            }
        }
    }
    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Post a list on the public board.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The list's id.") var id: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let u = UUID(uuidString: id) else { throw ValidationError("not an id: \(id)") }
                print(String(decoding: try JSONEncoder.sorted.encode(try await stores.benefits.post(u, in: .everything, by: .cli("benefits"))), as: UTF8.self))
            }
        }
    }
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a posted list after its posting period.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The list's id.") var id: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let u = UUID(uuidString: id) else { throw ValidationError("not an id: \(id)") }
                print(String(decoding: try JSONEncoder.sorted.encode(try await stores.benefits.approve(u, in: .everything, by: .cli("benefits"))), as: UTF8.self))
            }
        }
    }
    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the bank file of an approved list (CSV with its control row) to standard output.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The list's id.") var id: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let u = UUID(uuidString: id) else { throw ValidationError("not an id: \(id)") }
                FileHandle.standardOutput.write(Data(try await stores.benefits.paymentFile(u, in: .everything, by: .cli("benefits")).csv.utf8))
            }
        }
    }
    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reconcile a list with the bank's return file (CSV).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The list's id.") var id: String
        @Argument(help: "The return file.") var file: String
        func run() async throws {
            try await withStores(db) { stores in
                guard let u = UUID(uuidString: id) else { throw ValidationError("not an id: \(id)") }
                let text = try String(contentsOfFile: file, encoding: .utf8)
                print(String(decoding: try JSONEncoder.sorted.encode(try await stores.benefits.reconcile(u, returnFile: text, in: .everything, by: .cli("benefits"))), as: UTF8.self))
            }
        }
    }
}

/// `renkou fees list|close-all`: the legacy maintenance fee ledger (only where the policy switches it on).
struct FeesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fees", abstract: "The legacy social maintenance fee ledger (社会抚养费台账, off by default).",
                                                    subcommands: [List.self, CloseAll.self])

    /// One JSON line per case, open ones first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the cases (JSON lines).")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Only the open cases.") var open = false
        func run() async throws {
            try await withStores(db) { stores in
                for c in try await stores.fees.cases(openOnly: open, in: .everything, by: .cli("fees")) { print(String(decoding: try JSONEncoder.sorted.encode(c), as: UTF8.self)) }
            }
        }
    }

    /// Closes every open case under the 2021 rules and prints how many ended each way.
    struct CloseAll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close-all", abstract: "Close every open case under the 2021 rules (nothing refunded, the rest no longer collected).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                let done = try await stores.fees.closeAll(in: .everything, by: .cli("fees"))
                for closure in FeeClosure.allCases { print("\(closure.rawValue)\t\(done[closure] ?? 0)") }
            }
        }
    }
}
