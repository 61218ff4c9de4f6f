import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou migrants rates|certificate`: the floating-population rates of a unit, and a certificate's public check.
struct MigrantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrants", abstract: "Floating-population rates and certificate checks.",
                                                    subcommands: [Rates.self, Verify.self])

    struct Rates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the rates of a unit and the units below it, one JSON object per line.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit code (default: the top of the tree).") var org: String?
        @Option(help: "The day (YYYY-MM-DD, default today).") var on: String?

        func run() async throws {
            try await withStores(db) { stores in
                let day = try Day.parse(on, field: "on", default: Day(stores.env.now()))
                try RatesOutput.print(try await stores.migrantRates.summary(unitCode: org, on: day, in: .everything), day: day)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Look a certificate up by the token of its QR code, as the public page does (masked; counted).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The token (the last part of /public/verify/…).") var token: String

        func run() async throws {
            var found = true
            try await withStores(db) { stores in
                guard let view = try await stores.certificates.publicLookup(token: token) else { found = false; return }
                let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(view), as: UTF8.self))
            }
            if !found { throw fail(RenkouError.notFound(Text("婚育证明", "certificate"))) }
        }
    }
}

/// `renkou tasks`: the task list of a unit, overdue first, one JSON object per line.
struct RosterImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roster",
        abstract: "Replace a landlord's or employer's roster (姓名, 公民身份号码, 房号, 入住日期) from CSV or XLSX. Ends with one JSON line.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV or XLSX file.") var file: String
    @Option(help: "The landlord's or employer's id.") var host: String
    @Flag(help: "No progress bar on standard error.") var quiet = false

    func run() async throws {
        guard let id = UUID(uuidString: host) else { throw ValidationError("--host takes the id shown on the landlord's page.") }
        let bar = ProgressBar(enabled: !quiet)
        try await withStores(db) { stores in
            let r = try await stores.rosters.importRoster(file: URL(fileURLWithPath: file), host: id, in: .everything, by: .cli("import"), progress: { bar.show($0) })
            bar.done()
            for p in r.problems.prefix(20) {
                FileHandle.standardError.write(Data("\(p.isError ? "错误 error" : "警告 warning") row \(p.row) \(p.column)=\(p.value): \(p.reason.zh) / \(p.reason.en)\n".utf8))
            }
            print("{\"read\":\(r.read),\"kept\":\(r.kept),\"added\":\(r.added),\"unregistered\":\(r.unregistered),\"rejected\":\(r.rejected),\"departures\":\(r.departures)}")
        }
    }
}

/// `renkou import department FILE --kind police|hospital|civil-affairs --org CODE`: reconciles a departmental file.
struct DepartmentImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "department",
        abstract: "Reconcile a police, hospital or civil-affairs file with the registry; ends with {\"read\",\"matched\",\"proposed\",\"tasks\",\"rejected\"}.",
        discussion: "Nothing in the registry changes: differences become proposals to accept on /migrants/files, unknown people home-visit tasks.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV or XLSX file.") var file: String
    @Option(help: "police, hospital or civil-affairs.") var kind: String
    @Option(help: "The unit the file is checked against.") var org: String
    @Flag(help: "No progress bar on standard error.") var quiet = false

    func run() async throws {
        guard let k = DepartmentFileKind(rawValue: kind) else { throw ValidationError("--kind is police, hospital or civil-affairs.") }
        let bar = ProgressBar(enabled: !quiet)
        try await withStores(db) { stores in
            let r = try await stores.departmentFiles.reconcile(file: URL(fileURLWithPath: file), kind: k, unitCode: org, in: .everything, by: .cli("import"),
                                                               progress: { bar.show($0) })
            bar.done()
            for p in r.problems.prefix(20) {
                FileHandle.standardError.write(Data("错误 error row \(p.row) \(p.column)=\(p.value): \(p.reason.zh) / \(p.reason.en)\n".utf8))
            }
            print("{\"read\":\(r.read),\"matched\":\(r.matched),\"proposed\":\(r.proposed),\"tasks\":\(r.tasks),\"rejected\":\(r.rejected)}")
        }
    }
}
