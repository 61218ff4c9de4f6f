import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "Print the open tasks of a unit (overdue first), one JSON object per line.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The unit code (default: everything).") var org: String?

    func run() async throws {
        try await withStores(db) { stores in
            var scope = Scope.everything
            if let org {
                guard let unit = try await stores.orgs.unit(code: org, in: .everything) else { throw RenkouError.notFound(Text("单位", "unit")) }
                scope = Scope(path: unit.path)
            }
            let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for t in try await stores.tasks.list(on: Day(stores.env.now()), in: scope, by: .cli("tasks")) {
                print(String(decoding: try encoder.encode(t), as: UTF8.self))
            }
        }
    }
}

/// `renkou import roster FILE --host ID`: replaces a landlord's or employer's roster from a file.
