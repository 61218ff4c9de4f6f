import Foundation
import RenkouCore
import SQLKit

/// How the store computes one indicator (kept with the administrative tree, lowest of the modules,
/// because every indicator is counted per unit of the tree and every module registers its own): one SQL definition gives both the figure per unit and the
/// records behind it. `from` names the counted records with the alias `x` carrying the unit `path`;
/// `base` selects those counted in a period (the denominator), `numerator` those that meet it; `key`
/// identifies one counted record (people on two rosters count once); `record` gives the click-through
/// columns `id, name, id_number, detail, link` (`link` is `person` or the module's own page kind).
/// Both conditions get the period and the policy in force. `counts`, when given, reads the two figures from verdicts kept at write time instead.
public struct IndicatorDefinition: Sendable {
    public let indicator: Indicator
    let from: String
    let base: @Sendable (Period, Policy) -> String
    let numerator: @Sendable (Period, Policy) -> String
    let key: String
    let record: String
    let counts: Counts?
    /// What one record of the click-through is, when a figure counts finer rows than it lists (a
    /// community's training places, listed by community): the records' total counts this.
    let recordKey: String?

    /// Reads an indicator's two figures for the records under a path; `shared` keeps a count that
    /// several indicators need (the active records of a unit) for the rest of one request.
    public typealias Counts = @Sendable (_ path: String, Period, Engine, any SQLDatabase, _ shared: SharedCounts) async throws -> (numerator: Int, denominator: Int)

    public init(_ indicator: Indicator, from: String, base: @escaping @Sendable (Period, Policy) -> String, numerator: @escaping @Sendable (Period, Policy) -> String,
                key: String, record: String, counts: Counts? = nil, recordKey: String? = nil) {
        self.indicator = indicator; self.from = from; self.base = base; self.numerator = numerator; self.key = key; self.record = record; self.counts = counts
        self.recordKey = recordKey
    }
}

extension ExtensionPoint where Item == IndicatorDefinition {
    /// Where every module registers its indicators: the catalogue assessment and the dashboards read.
    public static var indicators: ExtensionPoint<IndicatorDefinition> { ExtensionPoint("indicators") }
}

/// Where a unit's own targets come from (the assessment module's allocation): for the unit at
/// `path` in `year`, each indicator's target (its own, or the nearest unit's above it), as a fraction
/// like `Indicator.target`. Indicators without one keep the catalogue's default.
public struct TargetSource: Sendable {
    public let lookup: @Sendable (_ path: String, _ year: Int, _ db: any SQLDatabase) async throws -> [String: Double]
    public init(_ lookup: @escaping @Sendable (_ path: String, _ year: Int, _ db: any SQLDatabase) async throws -> [String: Double]) { self.lookup = lookup }
}

extension ExtensionPoint where Item == TargetSource {
    /// Where the assessment module gives each unit its allocated targets.
    public static var targetSources: ExtensionPoint<TargetSource> { ExtensionPoint("indicators.targets") }
}

/// Counts computed once per request and shared by the indicators that need them.
public final class SharedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Int] = [:]
    /// The count named `key`, computed by `compute` the first time it is asked.
    public func value(_ key: String, _ compute: () async throws -> Int) async throws -> Int {
        if let v = lock.withLock({ values[key] }) { return v }
        let v = try await compute()
        lock.withLock { values[key] = v }
        return v
    }
}

/// A unit's figures for a set of indicators.
public struct UnitRates: Sendable, Codable {
    public let code: String
    public let name: String
    public let figures: [RateFigure]
}

/// One record behind an indicator.
public struct IndicatorRecord: Sendable, Codable, Equatable {
    public let id: UUID
    public let name: String
    public let idNumber: String
    public let detail: String?
    /// `person`, or the module's page kind (`host`): where the record's page is.
    public let link: String
}

/// Every registered indicator, computed live for a unit's subtree in a period, with the records behind each gap.
public struct IndicatorStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let definitions: [IndicatorDefinition]
    let targets: [TargetSource]
    public init(db: Database, env: RenkouCore.Environment, definitions: [IndicatorDefinition], targets: [TargetSource] = []) {
        self.db = db; self.env = env; self.definitions = definitions; self.targets = targets
    }

    /// The period an indicator is counted over for a reading on `day`: its own kind, or `kind` when
    /// asked (a month, a quarter, a year, the statistical year). A stock (a day's figure) stays a
    /// reading on `day`: pick a past period's last day as `day` to read it then.
    public static func period(of indicator: Indicator, on day: Day, kind: Period.Kind?) -> Period {
        guard let kind, indicator.period != .day else { return Period.containing(day, indicator.period) }
        return Period.containing(day, kind)
    }

    /// The catalogue, in module order.
    public var all: [Indicator] { definitions.map(\.indicator) }

    func definition(_ code: String) throws -> IndicatorDefinition {
        guard let d = definitions.first(where: { $0.indicator.code == code }) else { throw RenkouError.notFound(Text("指标 \(code)", "indicator \(code)")) }
        return d
    }

    /// The figures of `codes` for one unit of the scope (its top when nil), in the periods containing `day`.
    public func unitFigures(_ codes: [String], unitCode: String?, on day: Day, period kind: Period.Kind? = nil, in scope: Scope) async throws -> UnitRates {
        let (top, _) = try await OrgStore(db: db, env: env).unitAndChildren(unitCode, in: scope)
        return UnitRates(code: top.code, name: top.name, figures: try await figures(codes, path: top.path, on: day, period: kind))
    }

    /// The figures of `codes` for a unit of the scope (its top when nil) and each unit directly below
    /// it, each in the period of its kind that contains `day`.
    public func summary(_ codes: [String], unitCode: String?, on day: Day, period kind: Period.Kind? = nil, in scope: Scope) async throws -> (unit: UnitRates, children: [UnitRates]) {
        let (top, children) = try await OrgStore(db: db, env: env).unitAndChildren(unitCode, in: scope)
        var rows: [UnitRates] = []
        for unit in [top] + children {
            rows.append(UnitRates(code: unit.code, name: unit.name, figures: try await figures(codes, path: unit.path, on: day, period: kind)))
        }
        return (rows[0], Array(rows.dropFirst()))
    }

    /// The figures of `codes` for the records under a path (a unit's path, taken from the caller's scope:
    /// callers go through `summary`).
    func figures(_ codes: [String], path: String, on day: Day, period kind: Period.Kind? = nil) async throws -> [RateFigure] {
        let chosen = try codes.map(definition)
        let engine = db.engine, policy = env.policy, shared = SharedCounts(), targets = self.targets
        return try await db.read { db in
            var out: [RateFigure] = []
            var allocated: [Int: [String: Double]] = [:]
            for d in chosen {
                let period = Self.period(of: d.indicator, on: day, kind: kind)
                // the unit's own target for the period's year, where one was allocated
                let year = period.end.year
                if allocated[year] == nil {
                    var found: [String: Double] = [:]
                    for t in targets { found.merge(try await t.lookup(path, year, db)) { a, _ in a } }
                    allocated[year] = found
                }
                let n: (numerator: Int, denominator: Int)
                if let counts = d.counts {
                    n = try await counts(path, period, engine, db, shared)
                } else {
                    let r = try await db.raw("""
                        SELECT COUNT(DISTINCT \(unsafeRaw: d.key)) AS total, COUNT(DISTINCT CASE WHEN \(unsafeRaw: d.numerator(period, policy)) THEN \(unsafeRaw: d.key) END) AS met
                        FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: d.base(period, policy))
                        """).first()!
                    n = (try r.decode(column: "met", as: Int?.self) ?? 0, try r.decode(column: "total", as: Int?.self) ?? 0)
                }
                out.append(RateFigure(code: d.indicator.code, numerator: n.numerator, denominator: n.denominator,
                                      target: allocated[year]?[d.indicator.code] ?? d.indicator.target, direction: d.indicator.direction))
            }
            return out
        }
    }

    /// The click-through: the records of a unit counted by an indicator that do not meet it (or all of
    /// them). The list names people, so it is audited like a person list.
    public func records(_ code: String, unitCode: String?, on day: Day, period kind: Period.Kind? = nil, gapsOnly: Bool = true, limit: Int = 100, offset: Int = 0,
                        in scope: Scope, by actor: Actor) async throws -> Page<IndicatorRecord> {
        let d = try definition(code)
        let engine = db.engine, env = self.env
        let period = Self.period(of: d.indicator, on: day, kind: kind)
        let limit = min(max(limit, 1), 1000), offset = max(offset, 0)
        return try await db.read { db in
            var path = scope.path
            if let c = unitCode?.nilIfBlank {
                guard let u = try await OrgStore.unit(code: c, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("单位", "unit")) }
                path = u.path
            }
            let condition = "\(d.base(period, env.policy))\(gapsOnly ? " AND NOT (\(d.numerator(period, env.policy)))" : "")"
            let (total, exact) = try await db.cappedCount("SELECT DISTINCT \(unsafeRaw: d.recordKey ?? d.key) FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: condition)")
            let items = try await db.raw("""
                SELECT DISTINCT \(unsafeRaw: d.record) FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: condition)
                ORDER BY name, id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all().map { r in
                IndicatorRecord(id: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                idNumber: try r.decode(column: "id_number", as: String?.self) ?? "", detail: try r.decode(column: "detail", as: String?.self),
                                link: try r.decode(column: "link", as: String.self))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "rate-records", entityID: code, path: path,
                                     after: AuditLog.json(["unit": unitCode ?? "", "day": day.description, "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset, totalExact: exact)
        }
    }
}

extension Stores {
    /// Every module's indicators.
    public var indicators: IndicatorStore { IndicatorStore(db: db, env: env, definitions: extensions.all(.indicators), targets: extensions.all(.targetSources)) }
}
