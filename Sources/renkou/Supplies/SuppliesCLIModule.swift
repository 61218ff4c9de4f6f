import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou supplies stock|products|record|reverse`: contraceptive supplies from the command line.
struct SuppliesCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [SuppliesCommand.self] }
}

struct SuppliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "supplies", abstract: "Contraceptive supplies (避孕药具): stock on hand, products, stock events.",
                                                    subcommands: [Stock.self, Products.self, Record.self, Reverse.self])

    struct Stock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stock on hand of a unit and the units below it: one JSON line per location and lot.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        func run() async throws {
            try await withStores(db) { stores in
                var scope = Scope.everything
                if let org { guard let unit = try await stores.orgs.unit(code: org, in: .everything) else { throw ValidationError("no unit \(org)") }; scope = Scope(path: unit.path) }
                for s in try await stores.supplies.stock(in: scope) { print(String(decoding: try JSONEncoder.sorted.encode(s), as: UTF8.self)) }
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
}
