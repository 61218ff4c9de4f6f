import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou policy`: the dated rules in force (shipped, or as overridden by `RENKOU_POLICY_FILE`).
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the dated rules: one JSON line per entry (key, from, value, source), or only those in force on a day. Checks RENKOU_POLICY_FILE.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Only the entries in force on this day (YYYY-MM-DD).") var on: String?

    func run() async throws {
        let policy: Policy
        do { policy = try db.config().policy() } catch { throw fail(error) }
        let day: Day?
        do { day = try on.map { try Day.parse($0, field: "on", default: Day(Date())) } } catch { throw fail(error) }
        for (key, title) in policy.rules {
            var entries = policy.history(key)
            if let day { entries = [entries.last { $0.from <= day } ?? entries[0]] }
            for e in entries {
                let line: [String: String] = ["key": key, "title": title.zh, "from": e.from.description, "source": e.source]
                let json = String(decoding: try JSONEncoder.sorted.encode(line), as: UTF8.self)
                print(json.dropLast() + ",\"value\":\(policy.json(e))}")
            }
        }
    }
}

