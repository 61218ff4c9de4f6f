import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou reports …`: who reported a month, a unit's report, submit and review.
struct ReportsCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ReportsCommand.self] }
}

struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reports", abstract: "Monthly reports (统计月报): who reported, a unit's report, submit, accept or send back.",
                                                    subcommands: [Status.self, Show.self, Submit.self, Review.self])

    static func month(_ text: String?, _ stores: Stores) -> String { text ?? ReportStore.lastMonth(on: Day(stores.env.now())) }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every reporting unit's state for a month, one JSON line each, then the rates per level; exits 1 when a report past its due day is missing (or sent back and not sent again).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The month, 2026-10 (default: last month).") var month: String?
        @Option(help: "The unit's code (default: the district, the top unit with the most people).") var org: String?
        func run() async throws {
            var missing = false
            try await withStores(db) { stores in
                let (units, rates) = try await stores.reports.status(month: ReportsCommand.month(month, stores), unit: org, in: .everything)
                for u in units { try printJSON(u) }
                for r in rates { try printJSON(r) }
                let today = Day(stores.env.now()).description
                missing = units.contains { $0.standing == nil && $0.dueOn < today }
            }
            if missing { throw ExitCode(1) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A unit's report for a month: its lines live now and as last submitted (tab-separated), or the whole sheet as JSON.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The month, 2026-10 (default: last month).") var month: String?
        @Flag(help: "The sheet as JSON (versions included).") var json = false
        func run() async throws {
            try await withStores(db) { stores in
                let sheet = try await stores.reports.sheet(unit: unit, month: ReportsCommand.month(month, stores), in: .everything)
                if json { try printJSON(sheet); return }
                let sent = Dictionary((sheet.latest?.figures ?? []).map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
                let live = Dictionary(sheet.live.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
                print("\(sheet.form.name.zh)\t\(sheet.unitName)\t\(sheet.month)\t\(sheet.latest.map { "v\($0.version) \($0.state.rawValue)" } ?? "not submitted")")
                for line in sheet.form.lines {
                    let a = live[line.code], b = sent[line.code]
                    func n(_ v: Int?, _ none: String) -> String { v.map { String($0) } ?? none }
                    let cells: [String] = [line.label.zh.trimmingCharacters(in: .whitespaces), n(a?.month, "—"), n(a?.cumulative, "—"), n(b?.month, ""), n(b?.cumulative, "")]
                    print(cells.joined(separator: "\t"))
                }
                if let why = sheet.blocked { print(why.zh) }
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a unit's report for a month with the figures as they stand.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The month, 2026-10 (default: last month).") var month: String?
        @Option(help: "A note for the reviewer.") var note: String?
        func run() async throws {
            try await withStores(db) { stores in
                try printJSON(try await stores.reports.submit(unit: unit, month: ReportsCommand.month(month, stores), note: note, in: .everything, by: .cli()))
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a submitted report, or send it back with a note.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The report version's id.") var id: String
        @Flag(help: "Send it back instead of accepting it.") var sendBack = false
        @Option(help: "What to correct (needed to send it back).") var note: String?
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a report id: \(id)") }
            try await withStores(db) { stores in
                try printJSON(try await stores.reports.review(uuid, accept: !sendBack, note: note, in: .everything, by: .cli()))
            }
        }
    }
}
