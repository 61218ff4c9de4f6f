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
    @Flag(name: .customLong("no-daily-jobs"), help: "Leave the daily jobs to another process or to `renkou jobs run` from cron (several processes on one database).")
    var noDailyJobs = false

    func run() async throws {
        var config = db.config()
        if let host { config.host = host }
        if let port { config.port = port }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "renkou")
        let stores = try await db.stores(config, logger: logger)
        if demo { try await DemoCommand.Fill.fillAndPrint(stores) }
        // A first start loads the shipped code table (a no-op once a table is there).
        try await stores.orgs.loadShippedCodeTable(by: .cli("first-start"))
        logger.info("renkou listening", metadata: ["address": "http://\(config.host):\(config.port)", "database": "\(stores.db.engine.rawValue)"])
        // Calendar work (a visit that expired unmade schedules the next one): at start, then every hour.
        let jobs = Task {
            while !Task.isCancelled && !noDailyJobs {
                do {
                    for job in try await stores.runDailyJobs() where job.changed > 0 {
                        logger.info("daily job", metadata: ["job": "\(job.name)", "changed": "\(job.changed)"])
                    }
                } catch { logger.error("daily jobs failed", metadata: ["error": "\(String(reflecting: error))"]) }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        defer { jobs.cancel() }
        // The exchange's sender: every two seconds, the outbox's due messages to their peers.
        let sender = Task {
            while !Task.isCancelled {
                var busy = false
                do {
                    let d = try await stores.exchange.deliverDue()
                    if d.delivered + d.refused + d.failed > 0 {
                        logger.info("exchange", metadata: ["delivered": "\(d.delivered)", "retrying": "\(d.retrying)", "refused": "\(d.refused)", "failed": "\(d.failed)"])
                    }
                    // a pass that delivered something may have left more due: the next pass goes at once
                    busy = d.delivered > 0
                } catch { logger.error("exchange sender failed", metadata: ["error": "\(String(reflecting: error))"]) }
                if !busy { try? await Task.sleep(for: .seconds(2)) }
            }
        }
        defer { sender.cancel() }
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
