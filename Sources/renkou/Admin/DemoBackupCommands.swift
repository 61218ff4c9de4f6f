import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Fill the demo district with a synthetic population (same seed, same people).",
                                                    subcommands: [Fill.self, Logins.self], defaultSubcommand: Fill.self)

    /// `renkou demo logins`: new passwords for the demo's accounts, printed.
    struct Logins: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give the demo's accounts new passwords and print them (the first ones are printed only once).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                let logins = try await Demo.renewLogins(stores)
                guard !logins.isEmpty else { throw ValidationError("没有演示账号。 There are no demo accounts.") }
                FileHandle.standardOutput.write(Data(DemoCommand.Fill.describe(logins, heading: "演示账号的新密码。 New passwords for the demo accounts:").utf8))
            }
        }
    }
}

extension DemoCommand {
struct Fill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fill", abstract: "Fill the demo district with a synthetic population (same seed, same people).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "How many people to generate.") var persons: Int = 2000
    @Option(help: "Random seed: the same seed gives the same people.") var seed: UInt64 = 2026

    func run() async throws {
        try await withStores(db) { stores in
            try await Self.fillAndPrint(stores, seed: seed, persons: persons, showProgress: true)
        }
    }

    static func fillAndPrint(_ stores: Stores, seed: UInt64 = 2026, persons: Int = 2000, showProgress: Bool = false) async throws {
        let start = Date()
        let target = persons
        let result = try await Demo.fill(stores, seed: seed, persons: persons) { done in
            guard showProgress else { return }
            let width = 30, filled = min(width, done * width / max(target, 1))
            FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(target)".utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        // ID numbers of the demo are checked against the shipped GB/T 2260 table from the start.
        try await stores.orgs.loadShippedCodeTable(by: .cli("demo"))
        // Written straight to the file descriptor: a buffered stdout would hold the logins back while the server runs.
        var text = ""
        if !result.logins.isEmpty {
            text += describe(result.logins, heading: "演示数据已写入（嘉定区，2 个街道，6 个社区）。Demo district loaded. Logins (a new set: renkou demo logins):")
        }
        if result.persons > 0 {
            text += String(format: "{\"persons\":%d,\"seed\":%llu,\"seconds\":%.1f}\n", result.persons, seed, Date().timeIntervalSince(start))
        } else if result.logins.isEmpty {
            text += "数据库已有数据，未写入演示数据。 The database has data already; the demo was not loaded.\n"
            text += "忘了演示账号的密码？运行 renkou demo logins 重新生成。 Forgot the demo passwords? Run `renkou demo logins` for new ones.\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func describe(_ logins: [Demo.Login], heading: String) -> String {
        heading + "\n" + logins.map { "  \($0.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.password)   \($0.role.rawValue) @ \($0.unit)\n" }.joined()
    }
}
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Write a consistent copy of the SQLite database (PostgreSQL: use pg_dump).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The file to write.") var to: String
    func run() async throws {
        try await withStores(db) { stores in
            try await Backup.sqlite(stores.db, to: to)
            print("backup written to \(to)")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Replace the SQLite database with a backup (stop the server first).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The backup file to restore.") var from: String
    func run() async throws {
        do { try await Backup.restoreSQLite(url: db.config().databaseURL, from: from) } catch { throw fail(error) }
        print("restored \(db.config().databaseURL) from \(from)")
    }
}
