import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou supplies stock|products|record|reverse|report|machines|machine-log`: contraceptive supplies from the command line.
struct SuppliesCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [SuppliesCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Supplies.self] }
}

struct SuppliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "supplies", abstract: "Contraceptive supplies (避孕药具): stock on hand, products, stock events.",
                                                    subcommands: [Stock.self, Products.self, Record.self, Reverse.self, Report.self, Machines.self, MachineLog.self])

    struct Stock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stock on hand of a unit and the units below it: one JSON line per location and lot.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            try await withStores(db) { stores in
                for s in try await stores.supplies.stock(in: try await stores.scope(org: org)) { print(String(decoding: try JSONEncoder.sorted.encode(s), as: UTF8.self)) }
            }
        }
    }

    struct Products: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The product catalogue: one JSON line per product.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in for p in try await stores.supplies.products() { print(String(decoding: try JSONEncoder.sorted.encode(p), as: UTF8.self)) } }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a stock event from a JSON object on standard input (kind, location, product, quantity, …); prints the lines posted.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            let input = try JSONDecoder().decode(StockEventInput.self, from: FileHandle.standardInput.readDataToEndOfFile())
            try await withStores(db) { stores in
                print(String(decoding: try JSONEncoder.sorted.encode(try await stores.supplies.record(input, in: .everything, by: .cli("supplies"))), as: UTF8.self))
            }
        }
    }

    struct Reverse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reverse a stock event (冲销) with the reason.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The event's id.") var id: String
        @Option(help: "Why.") var reason: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not an event id: \(id)") }
            try await withStores(db) { stores in
                print(String(decoding: try JSONEncoder.sorted.encode(try await stores.supplies.reverse(uuid, reason: reason, in: .everything, by: .cli("supplies"))), as: UTF8.self))
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The monthly stock report (药具月报): one JSON line per location and product, with the planning figures.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The month, YYYY-MM (default: this month).") var month: String?
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            try await withStores(db) { stores in
                let period = try SupplyStore.month(month, today: Day(stores.env.now()))
                for l in try await stores.supplies.report(month: period, in: try await stores.scope(org: org)) {
                    print(String(decoding: try JSONEncoder.sorted.encode(l), as: UTF8.self))
                }
            }
        }
    }

    struct Machines: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The machines' monthly reconciliation (发放机对账): one JSON line per machine and product; exits 1 when a month does not add up.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The month, YYYY-MM (default: this month).") var month: String?
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            var flagged = false
            try await withStores(db) { stores in
                let period = try SupplyStore.month(month, today: Day(stores.env.now()))
                for l in try await stores.supplies.reconciliation(month: period, in: try await stores.scope(org: org)) {
                    flagged = flagged || l.difference != 0
                    print(String(decoding: try JSONEncoder.sorted.encode(l), as: UTF8.self))
                }
            }
            if flagged { throw ExitCode(1) }
        }
    }

    struct MachineLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "machine-log", abstract: "Book a machine's log file (CSV or XLSX: time,event,product,quantity,check), all or nothing.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The machine's location id.") var machine: String
        @Argument(help: "The log file.") var file: String
        func run() async throws {
            guard let id = UUID(uuidString: machine) else { throw ValidationError("not a location id: \(machine)") }
            try await withStores(db) { stores in
                let result = try await stores.supplies.uploadLog(machine: id, token: nil, file: URL(fileURLWithPath: file), in: .everything, by: .cli("supplies"))
                print(String(decoding: try JSONEncoder.sorted.encode(result), as: UTF8.self))
            }
        }
    }
}
