import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "Print the open tasks of a unit (overdue first), one JSON object per line.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The unit code (default: everything).") var org: String?
    @Option(help: "Instead of the tasks, the work summary from this day (周汇报 / 月滚动跟踪排查), YYYY-MM-DD.") var summaryFrom: String?
    @Option(help: "Last day of the summary (default: six days after its first).") var summaryTo: String?

    func run() async throws {
        try await withStores(db) { stores in
            var scope = Scope.everything
            if let org {
                guard let unit = try await stores.orgs.unit(code: org, in: .everything) else { throw RenkouError.notFound(Text("单位", "unit")) }
                scope = Scope(path: unit.path)
            }
            let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let summaryFrom {
                let from = try Day.parse(summaryFrom, field: "summary-from", default: Day(stores.env.now()))
                let to = try Day.parse(summaryTo, field: "summary-to", default: from.adding(days: 6))
                for line in try await stores.tasks.summary(from: from, to: to, in: scope) {
                    print("\(line.section.zh)\t\(line.label.zh)\t\(line.count)\(line.outstanding && line.count > 0 ? "\t遗留" : "")")
                }
                return
            }
            for t in try await stores.tasks.list(on: Day(stores.env.now()), in: scope, by: .cli("tasks")) {
                print(String(decoding: try encoder.encode(t), as: UTF8.self))
            }
        }
    }
}

/// `renkou import roster FILE --host ID`: replaces a landlord's or employer's roster from a file.
