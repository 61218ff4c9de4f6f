import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RenkouCore
import RenkouStore
import RenkouWeb
import SQLKit

extension Bench {
    /// Times the one task list (`GET /api/v1/tasks?unit=`) for a community and for a whole street over
    /// real HTTP, beside `/healthz`, after giving the street's women follow-up visits until it has
    /// `--method-users` of them (visits due within the last four months and the next two, so that the
    /// list holds due, overdue and not-yet-due ones, as a real street's would).
    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tasks",
            abstract: "Time GET /api/v1/tasks for a community and for a street (method users' follow-ups seeded to --method-users) against /healthz; prints p50, p99 and the ratio.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Requests per endpoint.") var requests: Int = 20
        @Option(help: "The street whose women get follow-ups.") var street: String = "310114001"
        @Option(help: "The community measured (one of the street's).") var community: String = "310114001001"
        @Option(help: "Women of the street with an open follow-up, at least.") var methodUsers: Int = 100_000

        func run() async throws {
            try await withStores(db) { stores in
                guard let unit = try await stores.orgs.unit(code: street, in: .everything) else { throw ValidationError("no unit \(street)") }
                let seeded = try await Self.seed(stores, path: unit.path, count: methodUsers)
                let (token, secret) = try await stores.accounts.createToken(username: "admin", label: "bench tasks", in: .everything, by: .cli("bench"))
                let persons = try await stores.persons.count(in: Scope(path: unit.path))
                let visits = try await stores.db.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM follow_ups WHERE done_on IS NULL AND closed_reason IS NULL").first()!.decode(column: "n", as: Int.self)
                }
                // the first page (200, the API's default) for both, and the longest page (1,000) for the street
                let paths = ["/healthz", "/api/v1/tasks?unit=\(community)", "/api/v1/tasks?unit=\(street)", "/api/v1/tasks?unit=\(street)&limit=1000"]
                let results = try await HTTPBench.time(db, paths: paths, secret: secret, requests: requests)
                try await stores.accounts.revokeToken(token.id, in: .everything, by: .cli("bench"))
                print("engine \(stores.db.engine.rawValue), street \(street): \(persons) persons, \(seeded) visits seeded now, \(visits) open visits in all; \(requests) requests each (after one warm-up), times in ms")
                HTTPBench.report(paths, results, width: 45)
            }
        }

        /// Gives women of the street without a visit an open IUD follow-up (its id the woman's with a
        /// leading `b`, so still a UUID), until `count` women have one;
        /// the due days spread over the 120 days before today and the 60 after. One statement per engine.
        static func seed(_ stores: Stores, path: String, count: Int) async throws -> Int {
            let today = Day(stores.env.now())
            let engine = stores.db.engine
            return try await stores.db.transaction { db in
                let have = try await db.raw("SELECT COUNT(DISTINCT person_id) AS n FROM follow_ups WHERE path LIKE \(bind: path + "%")").first()!.decode(column: "n", as: Int.self)
                let missing = count - have
                guard missing > 0 else { return 0 }
                // offset in days from today: -120 … +59, spread by the person's id
                let offset: String, day: (String) -> String
                switch engine {
                case .sqlite:
                    offset = "((abs(random()) % 180) - 120)"
                    day = { "date('\(today.description)', (\(offset) + \($0)) || ' days')" }
                case .postgres:
                    offset = "(floor(random() * 180)::int - 120)"
                    day = { "to_char(DATE '\(today.description)' + (\(offset) + \($0)), 'YYYY-MM-DD')" }
                }
                let now = Timestamp.string(stores.env.now())
                try await db.raw("""
                    INSERT INTO follow_ups (id, person_id, service_id, schedule, step, opens, due, overdue_on, expires, unit_id, path, created_at, anchor)
                    SELECT 'b' || SUBSTR(x.id, 2), x.id, NULL, 'iud-insertion', 4, x.d, x.d, x.d, x.d, x.unit_id, x.path, \(bind: now), x.d
                    FROM (SELECT p.id, p.unit_id, p.path, \(unsafeRaw: day("0")) AS d FROM persons p
                          WHERE p.sex = '2' AND p.status = 'active' AND p.path LIKE \(bind: path + "%")
                          AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = p.id) LIMIT \(unsafeRaw: String(missing))) x
                    """).run()
                // The window around each due day, as the yearly IUD visit has it (opens 30 days before, overdue 60 after, missed after 120).
                try await db.raw(engine == .sqlite
                    ? "UPDATE follow_ups SET opens = date(due, '-30 days'), overdue_on = date(due, '+60 days'), expires = date(due, '+120 days') WHERE id LIKE 'b%' AND service_id IS NULL AND step = 4 AND opens = due"
                    : "UPDATE follow_ups SET opens = to_char(due::date - 30, 'YYYY-MM-DD'), overdue_on = to_char(due::date + 60, 'YYYY-MM-DD'), expires = to_char(due::date + 120, 'YYYY-MM-DD') WHERE id LIKE 'b%' AND service_id IS NULL AND step = 4 AND opens = due").run()
                return missing
            }
        }
    }
}
