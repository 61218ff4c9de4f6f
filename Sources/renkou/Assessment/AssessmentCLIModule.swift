import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou assessment …`: targets and their allocation, warnings, vetoes.
struct AssessmentCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [AssessmentCommand.self] }
    var benchCommands: [any ParsableCommand.Type] { [Bench.Indicators.self] }
}

struct AssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assessment", abstract: "Targets and assessment (目标管理): targets, allocation, warnings, vetoes.",
                                                    subcommands: [Targets.self, SetTarget.self, Allocate.self, Warn.self, Warnings.self, Veto.self, Vetoes.self, SpotCheckDraw.self, SpotChecks.self, Scores.self, TwoWay.self])

    struct TwoWay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "two-way", abstract: "双向考核: each counterpart region's score from the exchange (as hukou and as inflow region), then our answers to each; one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The year (default: this year).") var year: Int?
        func run() async throws {
            try await withStores(db) { stores in
                let (scores, ours) = try await stores.twoWay.scores(year: year ?? Day(stores.env.now()).year, in: .everything)
                for s in scores { try printJSON(s) }
                for o in ours { try printJSON(o) }
            }
        }
    }

    struct Targets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The targets set for a unit and the units below it in a year, one JSON line each (rates as fractions).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        @Option(help: "The year (default: this year).") var year: Int?
        func run() async throws {
            try await withStores(db) { stores in
                for t in try await stores.targets.targets(year: year ?? Day(stores.env.now()).year, unitCode: org, in: .everything) { try printJSON(t) }
            }
        }
    }

    struct SetTarget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a unit's target for an indicator (98 for 98 %).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The indicator's code.") var code: String
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "The target in the indicator's terms.") var value: Double
        func run() async throws {
            try await withStores(db) { stores in
                try printJSON(try await stores.targets.set(code, unit: unit, year: year ?? Day(stores.env.now()).year, value: value, in: .everything, by: .cli()))
            }
        }
    }

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Split a unit's target among the units below it (same, hand or proportional); refused when it does not meet the unit's.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The indicator's code.") var code: String
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "same, hand or proportional.") var method: String
        @Option(help: "wra, population or households.") var base: String?
        @Option(help: "hand: a unit's value, CODE=VALUE (repeat).") var value: [String] = []
        func run() async throws {
            var values: [String: Double] = [:]
            for v in value {
                let parts = v.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let n = Double(parts[1]) else { throw ValidationError("not CODE=VALUE: \(v)") }
                values[parts[0]] = n
            }
            try await withStores(db) { stores in
                for t in try await stores.targets.allocate(code, unit: unit, year: year ?? Day(stores.env.now()).year, method: method, base: base, values: values, in: .everything, by: .cli()) {
                    try printJSON(t)
                }
            }
        }
    }

    struct Warn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read every figure against the warning rules now (the daily job does this too); prints how many were raised.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The day (default today).") var on: String?
        func run() async throws {
            try await withStores(db) { stores in print(try await stores.warnings.evaluate(on: try Day.parse(on, field: "on", default: Day(stores.env.now())))) }
        }
    }

    struct Warnings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The warnings, open first, one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code (default: the whole tree).") var org: String?
        @Flag(help: "Only the open ones.") var open = false
        func run() async throws {
            try await withStores(db) { stores in for w in try await stores.warnings.list(openOnly: open, in: try await stores.scope(org: org)) { try printJSON(w) } }
        }
    }

    struct Veto: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a one-vote veto against a unit for a year, with its evidence.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "The item (concealed-birth, data-falsification, serious-complaint, two-non).") var item: String
        @Option(help: "The evidence.") var evidence: String
        func run() async throws {
            try await withStores(db) { stores in
                try printJSON(try await stores.warnings.veto(unit: unit, year: year ?? Day(stores.env.now()).year, item: item, evidence: evidence, in: .everything, by: .cli()))
            }
        }
    }

    struct Vetoes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The vetoes of a year, one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The year (default: this year).") var year: Int?
        func run() async throws {
            try await withStores(db) { stores in for v in try await stores.warnings.vetoes(year: year ?? Day(stores.env.now()).year, in: .everything) { try printJSON(v) } }
        }
    }

    struct SpotCheckDraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "spot-check", abstract: "Draw a community's households for the spot check from a seed; prints the check and its households in order.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The community's code.") var unit: String
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "How many households (default 50).") var size = SpotCheck.defaultSize
        @Option(help: "The seed (the same seed draws the same households; default: a new one).") var seed: Int?
        func run() async throws {
            try await withStores(db) { stores in
                let c = try await stores.spotChecks.draw(unit: unit, year: year ?? Day(stores.env.now()).year, size: size, seed: seed, in: .everything, by: .cli())
                try printJSON(c)
                for h in try await stores.spotChecks.sheet(c.id, in: .everything, by: .cli()) { print("\(h.position)\t\(h.number)\t\(h.address ?? "")") }
            }
        }
    }

    struct SpotChecks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "spot-checks", abstract: "The year's spot checks with their accuracy, one JSON line each.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The year (default: this year).") var year: Int?
        func run() async throws {
            try await withStores(db) { stores in for c in try await stores.spotChecks.list(year: year ?? Day(stores.env.now()).year, in: .everything) { try printJSON(c) } }
        }
    }

    struct Scores: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The 100-point sheets of the communities for a year (or one unit's), highest first, one JSON line each with the trail of every item.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The year (default: this year).") var year: Int?
        @Option(help: "One unit's sheet (default: every community).") var unit: String?
        func run() async throws {
            try await withStores(db) { stores in
                let y = year ?? Day(stores.env.now()).year
                if let unit { try printJSON(try await stores.scores.score(unitCode: unit, year: y, in: .everything)); return }
                for s in try await stores.scores.scores(year: y, in: .everything) { try printJSON(s) }
            }
        }
    }
}

extension Bench {
    /// Times every registered indicator for every unit of the tree, over a month and over a year
    /// (store calls: the tree read once, three runs, median; unit by unit, one run, as the baseline), then the figures and `/healthz` over real HTTP in the same run.
    struct Indicators: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "indicators",
            abstract: "Compute every registered indicator for every unit of a district (it, its streets, communities and grids) for one month and one year, as the dashboards do (the tree read once, three runs, median, in seconds) and unit by unit (the baseline, one run), then GET /api/v1/indicators/figures?period=month|year, the dashboard and the reports page, and /healthz over real HTTP; prints the times and the ratios.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The day read (default today).") var on: String?
        @Option(help: "HTTP requests per endpoint.") var requests: Int = 10
        @Option(help: "The account whose scope the HTTP calls use (default: admin, as the demo creates it).") var user: String = "admin"
        @Option(help: "The unit whose tree is read (default: the top unit with the most people, the demo's district).") var org: String?

        /// The dashboard's reads of the top unit, each alone and one after the other (median of five, in
        /// ms): what the page waits for is the slowest of those it reads side by side.
        static func dashboardParts(_ stores: Stores, top: OrgUnit, day: Day) async throws {
            let scope = Scope(path: top.path), year = day.year
            let lastMonth = day.month == 1 ? "\(year - 1)-12" : String(format: "%d-%02d", year, day.month - 1)
            let code = stores.indicators.all.first { $0.code == "O02-knowledge" }?.code ?? stores.indicators.all[0].code
            let parts: [(String, () async throws -> Void)] = [
                ("pyramid", { _ = try await stores.persons.ageStructure(unitCode: top.code, on: day, in: scope) }),
                ("trend (12 months)", {
                    for month in 1...day.month {
                        let end = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
                        _ = try await stores.indicators.tree([code], units: [top], on: Swift.min(end, day), period: .month)
                    }
                }),
                ("year and ranking", { _ = try await stores.indicators.summary([code], unitCode: top.code, on: day, period: .year, in: scope) }),
                ("score card", { _ = try await stores.scores.scores(year: year, levels: [.street], in: scope) }),
                ("reports card", { _ = try await stores.reports.status(month: lastMonth, unit: top.code, in: scope) }),
                ("warnings and vetoes", { _ = try await stores.warnings.counts(year: year, in: scope); _ = try await stores.warnings.vetoed(year: year, in: scope) }),
            ]
            var line: [String] = []
            for (name, read) in parts {
                var runs: [Double] = []
                for _ in 0..<5 {
                    let start = ContinuousClock.now
                    try await read()
                    let d = ContinuousClock.now - start
                    runs.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                }
                line.append("\(name) \(String(format: "%.1f", runs.sorted()[2]))")
            }
            print("the dashboard's reads, each alone, median of 5, ms: " + line.joined(separator: ", "))
        }

        func run() async throws {
            try await withStores(db) { stores in
                let day = try Day.parse(on, field: "on", default: Day(stores.env.now()))
                let top = try await stores.orgs.unitAndChildren(org, in: .everything).unit
                let units = try await stores.orgs.list(levels: [.district, .street, .community, .grid], in: Scope(path: top.path))
                let codes = stores.indicators.all.map(\.code)
                let persons = try await stores.persons.count(in: .everything)
                print("engine \(stores.db.engine.rawValue), \(persons) persons, \(top.name) with \(units.count) units, \(codes.count) indicators, read on \(day)")
                for kind in [Period.Kind.month, .year] {
                    // the baseline: each unit read on its own (every record once per level above it)
                    let start = Date()
                    for u in units { _ = try await stores.indicators.unitFigures(codes, unitCode: u.code, on: day, period: kind, in: .everything) }
                    let baseline = Date().timeIntervalSince(start)
                    var runs: [Double] = []
                    for _ in 0..<3 {
                        let start = Date()
                        _ = try await stores.indicators.tree(codes, units: units, on: day, period: kind)
                        runs.append(Date().timeIntervalSince(start))
                    }
                    let median = runs.sorted()[1]
                    print("every indicator × every unit, \(kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) median \(String(format: "%.3f", median)) s (runs \(runs.map { String(format: "%.3f", $0) }.joined(separator: ", ")); \(String(format: "%.1f", median * 1000 / Double(max(1, units.count)))) ms a unit); unit by unit (one run) \(String(format: "%.3f", baseline)) s, ratio \(String(format: "%.2f", baseline / max(median, 1e-9)))")
                }
                // where the time goes: each indicator's tree alone, over a month, the slowest first
                var each: [(String, Double)] = []
                for code in codes {
                    let start = Date()
                    _ = try await stores.indicators.tree([code], units: units, on: day, period: .month)
                    each.append((code, Date().timeIntervalSince(start)))
                }
                print("slowest over a month: " + each.sorted { $0.1 > $1.1 }.prefix(6).map { "\($0.0) \(String(format: "%.3f", $0.1)) s" }.joined(separator: ", "))
                let (token, secret) = try await stores.accounts.createToken(username: user, label: "bench indicators", in: .everything, by: .cli("bench"))
                // the figures API, and a leader's pages: the dashboard (trend, ranking, pyramid, last month's reports, scores) and who reported
                let paths = ["/healthz", "/api/v1/indicators/figures?period=month", "/api/v1/indicators/figures?period=year", "/dashboard", "/reports"]
                let results = try await HTTPBench.time(db, paths: paths, secret: secret, requests: requests)
                try await stores.accounts.revokeToken(token.id, in: .everything, by: .cli("bench"))
                print("over HTTP (the top unit and the units below it), \(requests) requests each after a warm-up, times in ms")
                HTTPBench.report(paths, results, width: 42)
                try await Self.dashboardParts(stores, top: top, day: day)
            }
        }
    }
}
