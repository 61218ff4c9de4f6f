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
    let groups: Groups?
    /// What one record of the click-through is, when a figure counts finer rows than it lists (a
    /// community's training places, listed by community): the records' total counts this.
    let recordKey: String?

    /// Reads an indicator's two figures for the records under a path; `shared` keeps a count that
    /// several indicators need (the active records of a unit) for the rest of one request.
    public typealias Counts = @Sendable (_ path: String, Period, Engine, any SQLDatabase, _ shared: SharedCounts) async throws -> (numerator: Int, denominator: Int)

    /// Reads an indicator's two figures for the records under a path, one row per path the records
    /// carry (their own unit's), so that each unit above them sums its share: the grouped form of
    /// `Counts`, for figures that add up. `indexed`: whether the path may be reached through its
    /// index (`Engine.startsWith`: not when the path holds most of the registry).
    public typealias Groups = @Sendable (_ under: String, _ indexed: Bool, Period, Engine, any SQLDatabase, _ shared: SharedCounts) async throws -> [(path: String, numerator: Int, denominator: Int)]

    /// `counts` or `groups` (not both) replace the counting of `base` and `numerator`.
    public init(_ indicator: Indicator, from: String, base: @escaping @Sendable (Period, Policy) -> String, numerator: @escaping @Sendable (Period, Policy) -> String,
                key: String, record: String, counts: Counts? = nil, groups: Groups? = nil, recordKey: String? = nil) {
        self.indicator = indicator; self.from = from; self.base = base; self.numerator = numerator; self.key = key; self.record = record; self.counts = counts
        self.groups = groups; self.recordKey = recordKey
    }

    /// Whether each counted record lies under one path only, so that the figures of the units below a
    /// unit add up to its own: true when the figure is counted here (no `counts`) and its key is the
    /// counted row's own id, alone or with a suffix (`x.id || '/' || q.n`). A key shared by rows under
    /// several paths (`x.id_number`: one person on two hosts' rosters) is not.
    var additive: Bool { groups != nil || (counts == nil && (key == "x.id" || key.hasPrefix("x.id ||"))) }

    /// Whether each row of `from` is one record, so that rows need no `DISTINCT` to be counted: one
    /// table (`persons x`), keyed by its id. A DISTINCT count sorts every counted id; a district's
    /// women of reproductive age, 200,000 of them, twice.
    var rowIsRecord: Bool { key == "x.id" && from.split(separator: " ").count == 2 && from.hasSuffix(" x") }

    /// Whether the counted records are people (`from` is the persons table as `x`, perhaps joined to
    /// more), counted in the unit that held them at the period's end: for a past period, a person who
    /// has moved within the district since is counted where she was then (`IndicatorStore.movedSince`,
    /// from the registry's `PeopleMoved`; without one, where she is now).
    /// (Keyed by `x.id`: one counted row per person, so that her row can be moved.)
    var countsPeople: Bool { counts == nil && groups == nil && key == "x.id" && (from == "persons x" || from.hasPrefix("persons x JOIN ")) }

    /// The two counts of one reading, as SQL.
    func countColumns(_ period: Period, _ policy: Policy) -> String {
        rowIsRecord
            ? "COUNT(*) AS total, COALESCE(SUM(CASE WHEN \(numerator(period, policy)) THEN 1 ELSE 0 END), 0) AS met"
            : "COUNT(DISTINCT \(key)) AS total, COUNT(DISTINCT CASE WHEN \(numerator(period, policy)) THEN \(key) END) AS met"
    }
}

extension ExtensionPoint where Item == IndicatorDefinition {
    /// Where every module registers its indicators: the catalogue assessment and the dashboards read.
    public static var indicators: ExtensionPoint<IndicatorDefinition> { ExtensionPoint("indicators") }
}

/// 期末归属: who has moved within the district since a day, each with the path that held her on it, as
/// the module that records moves gives it (the registry: a move within the district keeps the path it
/// left). Indicators and report lines over people (`IndicatorDefinition.countsPeople`,
/// `ReportMeasure.countsPeople`) count a past period's people where they were at its end with it; with
/// none contributed they count where people are now.
public struct PeopleMoved: Sendable {
    /// SQL giving `person_id, from_path`: each person moved after the day, once, with the path that held her on it.
    public let after: @Sendable (Day) -> String
    /// Whether anyone has moved after the day (nobody has for a reading of the current period: it must cost next to nothing).
    public let anyAfter: @Sendable (Day, any SQLDatabase) async throws -> Bool
    public init(after: @escaping @Sendable (Day) -> String, anyAfter: @escaping @Sendable (Day, any SQLDatabase) async throws -> Bool) {
        self.after = after; self.anyAfter = anyAfter
    }
}

extension ExtensionPoint where Item == PeopleMoved {
    /// Where the registry says who moved since a day (the first contribution is used).
    public static var peopleMoved: ExtensionPoint<PeopleMoved> { ExtensionPoint("indicators.people-moved") }
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

/// Counts computed once per reading and shared by the indicators that need them (a count, or counts by path).
public final class SharedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: any Sendable] = [:]
    /// The value named `key`, computed by `compute` the first time it is asked (a later ask for
    /// another type under the same key computes again).
    public func value<T: Sendable>(_ key: String, _ compute: () async throws -> T) async throws -> T {
        if let v = lock.withLock({ values[key] }) as? T { return v }
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
    /// `person`, or the module's page kind (`host`): where the record's page is. Empty when the caller
    /// may not open it: a person counted where she was at a past period's end who has moved out of the
    /// caller's part of the tree since (her name and ID number masked, no detail).
    public let link: String
}

/// Every registered indicator, computed live for a unit's subtree in a period, with the records behind each gap.
public struct IndicatorStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let definitions: [IndicatorDefinition]
    let targets: [TargetSource]
    /// Who moved since a period's end (nil: people count where they are now).
    let moved: PeopleMoved?
    public init(db: Database, env: RenkouCore.Environment, definitions: [IndicatorDefinition], targets: [TargetSource] = [], moved: PeopleMoved? = nil) {
        self.db = db; self.env = env; self.definitions = definitions; self.targets = targets; self.moved = moved
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
        return UnitRates(code: top.code, name: top.name, figures: try await figures(codes, units: [top], on: day, period: kind)[0])
    }

    /// The figures of `codes` for a unit of the scope (its top when nil) and each unit directly below
    /// it, each in the period of its kind that contains `day`.
    public func summary(_ codes: [String], unitCode: String?, on day: Day, period kind: Period.Kind? = nil, in scope: Scope) async throws -> (unit: UnitRates, children: [UnitRates]) {
        let (top, children) = try await OrgStore(db: db, env: env).unitAndChildren(unitCode, in: scope)
        let rows = try await tree(codes, units: [top] + children, on: day, period: kind)
        return (rows[0], Array(rows.dropFirst()))
    }

    /// The figures of `codes` for each of `units` (the caller's, from its scope), in the same order:
    /// the tree is read once, grouped by unit, and each unit's figure is the sum of the groups under
    /// it (see `figures(_:units:on:period:grouped:)`).
    public func tree(_ codes: [String], units: [OrgUnit], on day: Day, period kind: Period.Kind? = nil) async throws -> [UnitRates] {
        let figures = try await figures(codes, units: units, on: day, period: kind)
        return zip(units, figures).map { UnitRates(code: $0.code, name: $0.name, figures: $1) }
    }

    /// The figures of `codes` for the records under each of `units` (units of the caller's scope), in
    /// the same order. With several units, or one of a district or above, an additive indicator
    /// (`IndicatorDefinition.additive`) is read in one pass over the units' common ancestor, grouped by
    /// the counted record's own path, and each unit sums the groups under it, so a district and every
    /// unit below it cost one reading of the district instead of one per level; the others, and all
    /// of them when `grouped` is false (a test's baseline), are counted unit by unit.
    func figures(_ codes: [String], units: [OrgUnit], on day: Day, period kind: Period.Kind? = nil, grouped: Bool = true) async throws -> [[RateFigure]] {
        guard !units.isEmpty else { return [] }
        let chosen = try codes.map(definition)
        let engine = db.engine, policy = env.policy, targets = self.targets, paths = units.map(\.path)
        let shared = paths.map { _ in SharedCounts() }, treeShared = SharedCounts(), top = Self.commonAncestor(paths)
        // A district or above holds most of the registry: SQLite reads it without the path index.
        let wide = !Engine.pathNarrows(at: Self.ancestorLevel(of: units, ancestor: top))
        return try await db.read { db in
            var out = Array(repeating: [RateFigure](), count: paths.count)
            var allocated: [String: [String: Double]] = [:]  // by "year path"
            var movedAfter: [String: Bool] = [:]  // whether anyone moved after a period's end, by its end
            for d in chosen {
                let period = Self.period(of: d.indicator, on: day, kind: kind)
                let year = period.end.year
                var counts: [(numerator: Int, denominator: Int)] = []
                // people who moved since the period's end go back where they were then
                var moved: [(path: String, numerator: Int, denominator: Int)] = []
                if d.countsPeople, let people = self.moved {
                    let end = period.end.description
                    if movedAfter[end] == nil { movedAfter[end] = try await people.anyAfter(period.end, db) }
                    if movedAfter[end] == true { moved = try await Self.movedSince(d, period, policy, moves: people.after(period.end), db) }
                }
                if grouped, d.additive, paths.count > 1 || wide {
                    var groups: [(path: String, numerator: Int, denominator: Int)] = []
                    if let read = d.groups {
                        groups = try await read(top, !wide, period, engine, db, treeShared)
                    } else {
                        for r in try await db.raw("""
                            SELECT x.path AS path, \(unsafeRaw: d.countColumns(period, policy))
                            FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", top, indexed: !wide)) AND \(unsafeRaw: d.base(period, policy)) GROUP BY x.path
                            """).all() {
                            guard let path = try r.decode(column: "path", as: String?.self) else { continue }
                            groups.append((path, try r.decode(column: "met", as: Int?.self) ?? 0, try r.decode(column: "total", as: Int?.self) ?? 0))
                        }
                    }
                    counts = Self.rollUp(groups + moved, into: paths)
                } else {
                    for (i, path) in paths.enumerated() {
                        if let count = d.counts {
                            counts.append(try await count(path, period, engine, db, shared[i]))
                        } else if let read = d.groups {
                            counts.append(try await read(path, true, period, engine, db, shared[i]).reduce((numerator: 0, denominator: 0)) { ($0.numerator + $1.numerator, $0.denominator + $1.denominator) })
                        } else {
                            let r = try await db.raw("""
                                SELECT \(unsafeRaw: d.countColumns(period, policy))
                                FROM \(unsafeRaw: d.from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: d.base(period, policy))
                                """).first()!
                            counts.append((try r.decode(column: "met", as: Int?.self) ?? 0, try r.decode(column: "total", as: Int?.self) ?? 0))
                        }
                    }
                    if !moved.isEmpty {
                        for (i, c) in Self.rollUp(moved, into: paths).enumerated() {
                            counts[i] = (counts[i].numerator + c.numerator, counts[i].denominator + c.denominator)
                        }
                    }
                }
                for (i, path) in paths.enumerated() {
                    // the unit's own target for the period's year, where one was allocated
                    let slot = "\(year) \(path)"
                    if allocated[slot] == nil {
                        var found: [String: Double] = [:]
                        for t in targets { found.merge(try await t.lookup(path, year, db)) { a, _ in a } }
                        allocated[slot] = found
                    }
                    out[i].append(RateFigure(code: d.indicator.code, numerator: counts[i].numerator, denominator: counts[i].denominator,
                                             target: allocated[slot]?[d.indicator.code] ?? d.indicator.target, direction: d.indicator.direction))
                }
            }
            return out
        }
    }

    /// What the moves since a period's end change in figures counted by the path people carry now:
    /// each counted person who has moved since leaves her present path's group and joins the group of
    /// the path that held her at the period's end. Groups as `rollUp` takes them (negative where people
    /// left); for a `countsPeople` definition.
    static func movedSince(_ d: IndicatorDefinition, _ period: Period, _ policy: Policy, moves: String, _ db: any SQLDatabase) async throws -> [(path: String, numerator: Int, denominator: Int)] {
        var groups: [(path: String, numerator: Int, denominator: Int)] = []
        for r in try await db.raw("""
            SELECT x.path AS path, a.from_path AS from_path, \(unsafeRaw: d.countColumns(period, policy))
            FROM \(unsafeRaw: d.from) JOIN (\(unsafeRaw: moves)) a ON a.person_id = x.id
            WHERE \(unsafeRaw: d.base(period, policy)) GROUP BY x.path, a.from_path
            """).all() {
            let met = try r.decode(column: "met", as: Int?.self) ?? 0, total = try r.decode(column: "total", as: Int?.self) ?? 0
            groups.append((try r.decode(column: "path", as: String.self), -met, -total))
            groups.append((try r.decode(column: "from_path", as: String.self), met, total))
        }
        return groups
    }

    /// Each of `paths`' sums of the groups under it: every group adds to each of its own ancestors
    /// (its path cut after each `/`) that is among `paths`, so the cost is groups × depth.
    static func rollUp(_ groups: [(path: String, numerator: Int, denominator: Int)], into paths: [String]) -> [(numerator: Int, denominator: Int)] {
        var positions: [Substring: [Int]] = [:]
        for (i, p) in paths.enumerated() { positions[Substring(p), default: []].append(i) }
        var sums = Array(repeating: (numerator: 0, denominator: 0), count: paths.count)
        for g in groups {
            for cut in g.path.indices where g.path[cut] == "/" {
                for i in positions[g.path[...cut]] ?? [] { sums[i].numerator += g.numerator; sums[i].denominator += g.denominator }
            }
        }
        return sums
    }

    /// The level of `ancestor`, the units' common ancestor: the shallowest unit's when it is one of
    /// them, else (at most) the level above it.
    static func ancestorLevel(of units: [OrgUnit], ancestor: String) -> OrgLevel {
        guard let shallowest = units.min(by: { $0.level < $1.level })?.level else { return .grid }
        return units.contains { $0.path == ancestor } ? shallowest : OrgLevel.allCases[max(0, shallowest.rank - 1)]
    }

    /// The longest path every one of `paths` lies under (`/` at worst): paths are `/a/b/` strings.
    static func commonAncestor(_ paths: [String]) -> String {
        guard let first = paths.first else { return "/" }
        var parts = first.split(separator: "/")
        for p in paths.dropFirst() {
            let other = p.split(separator: "/")
            var n = 0
            while n < parts.count, n < other.count, parts[n] == other[n] { n += 1 }
            parts = Array(parts.prefix(n))
        }
        return parts.isEmpty ? "/" : "/" + parts.joined(separator: "/") + "/"
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
            // A past period's people are those the unit held at its end: some may have moved since,
            // within the district (the figure counts them where they were: see `movedSince`).
            var within = engine.startsWith("x.path", path)
            var someMoved = false
            if d.countsPeople, let people = self.moved, try await people.anyAfter(period.end, db) {
                someMoved = true
                let moves = people.after(period.end)
                within = """
                    ((\(within) AND x.id NOT IN (SELECT a.person_id FROM (\(unsafeRaw: moves)) a))
                     OR x.id IN (SELECT a.person_id FROM (\(unsafeRaw: moves)) a WHERE \(engine.startsWith("a.from_path", path))))
                    """
            }
            let (total, exact) = try await db.cappedCount("SELECT DISTINCT \(unsafeRaw: d.recordKey ?? d.key) FROM \(unsafeRaw: d.from) WHERE \(within) AND \(unsafeRaw: condition)")
            // One who has moved out of the caller's part of the tree since is counted but not named.
            let inScope: SQLQueryString = someMoved ? "CASE WHEN \(engine.startsWith("x.path", scope.path)) THEN 1 ELSE 0 END" : "1"
            let items = try await db.raw("""
                SELECT DISTINCT \(unsafeRaw: d.record), \(inScope) AS in_scope FROM \(unsafeRaw: d.from) WHERE \(within) AND \(unsafeRaw: condition)
                ORDER BY name, id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all().map { r in
                let shown = try r.decode(column: "in_scope", as: Int.self) == 1
                let name = try r.decode(column: "name", as: String.self), idNumber = try r.decode(column: "id_number", as: String?.self) ?? ""
                return IndicatorRecord(id: try r.decode(column: "id", as: String.self).uuid, name: shown ? name : Mask.name(name),
                                       idNumber: shown ? idNumber : Mask.idNumber(idNumber), detail: shown ? try r.decode(column: "detail", as: String?.self) : nil,
                                       link: shown ? try r.decode(column: "link", as: String.self) : "")
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "rate-records", entityID: code, path: path,
                                     after: AuditLog.json(["unit": unitCode ?? "", "day": day.description, "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset, totalExact: exact)
        }
    }
}

extension Stores {
    /// Every module's indicators.
    public var indicators: IndicatorStore {
        IndicatorStore(db: db, env: env, definitions: extensions.all(.indicators), targets: extensions.all(.targetSources), moved: extensions.all(.peopleMoved).first)
    }
}
