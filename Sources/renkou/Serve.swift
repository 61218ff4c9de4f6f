import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import RenkouStore
import RenkouWeb

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (pages, JSON API, /healthz, /metrics).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080).") var port: Int?
    @Flag(help: "Fill an empty database with the demo district and print its logins once.") var demo = false

    func run() async throws {
        var config = db.config()
        if let host { config.host = host }
        if let port { config.port = port }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "renkou")
        let stores = try await db.stores(config, logger: logger)
        if demo { try await DemoCommand.fillAndPrint(stores) }
        logger.info("renkou listening", metadata: ["address": "http://\(config.host):\(config.port)", "database": "\(stores.db.engine.rawValue)"])
        do {
            let app = try await buildApplication(config: config, stores: stores, logger: logger, prometheus: registry)
            try await app.runService()
        } catch {
            logger.error("server stopped", metadata: ["error": "\(String(reflecting: error))"])
            await stores.db.close()
            throw ExitCode(1)
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Fill an empty database with the demo district.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "People per community.") var persons: Int = 12
    @Option(help: "Random seed: the same seed gives the same people.") var seed: UInt64 = 2026

    func run() async throws {
        try await withStores(db) { stores in
            try await Self.fillAndPrint(stores, seed: seed, perCommunity: persons)
        }
    }

    static func fillAndPrint(_ stores: Stores, seed: UInt64 = 2026, perCommunity: Int = 12) async throws {
        let logins = try await Demo.fill(stores, seed: seed, personsPerCommunity: perCommunity)
        // Written straight to the file descriptor: a buffered stdout would hold the logins back while the server runs.
        var text = ""
        if logins.isEmpty {
            text = "数据库已有数据，未写入演示数据。 The database has data already; the demo was not loaded.\n"
        } else {
            text = "演示数据已写入（嘉定区，2 个街道，6 个社区）。Demo district loaded. Logins, shown only this once:\n"
            for login in logins {
                text += "  \(login.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \(login.password)   \(login.role.rawValue) @ \(login.unit)\n"
            }
        }
        FileHandle.standardOutput.write(Data(text.utf8))
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
