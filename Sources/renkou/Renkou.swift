import ArgumentParser
import Foundation
import Logging
import RenkouCore
import RenkouStore
import RenkouWeb

@main
struct Renkou: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renkou",
        abstract: "Renkou 人口: population and family services information system.",
        subcommands: [Serve.self, Migrate.self, ImportCommand.self, Bench.self] + cliModules.flatMap(\.commands))
}

/// Options every database command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "sqlite:PATH or postgres://user:pass@host:port/db (default: RENKOU_DATABASE_URL or sqlite:renkou.sqlite)")
    var databaseURL: String?

    func config() -> AppConfig {
        var config = AppConfig.fromEnvironment()
        if let databaseURL { config.databaseURL = databaseURL }
        return config
    }

    /// Opens the database, brings its schema up to date and builds the stores.
    func stores(_ config: AppConfig? = nil, logger: Logger = Logger(label: "renkou")) async throws -> Stores {
        let config = config ?? self.config()
        let policy: Policy
        do { policy = try config.policy() } catch { throw fail(error) }
        let db = try await Database.open(url: config.databaseURL, readURL: config.readDatabaseURL, logger: logger)
        try await db.migrate()
        return Stores(db: db, env: RenkouCore.Environment(policy: policy), bcryptCost: config.bcryptCost)
    }
}

/// Prints a RenkouError in both languages to standard error and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    if let e = error as? RenkouError {
        var lines = ["错误 error: \(e.message.zh) / \(e.message.en)"]
        for f in e.fields { lines.append("  \(f.pointer): \(f.message.zh) / \(f.message.en)") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    } else {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    }
    return ExitCode(1)
}

/// Runs a command body against the database, closing it afterwards, reporting errors plainly.
func withStores(_ options: DatabaseOptions, _ body: (Stores) async throws -> Void) async throws {
    let stores = try await options.stores()
    do { try await body(stores) } catch { await stores.db.close(); throw fail(error) }
    await stores.db.close()
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations not yet applied.")
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        let database = try await Database.open(url: db.config().databaseURL)
        let applied = try await database.migrate()
        await database.close()
        print(applied.isEmpty ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}
