import Foundation
import RenkouCore
import SQLKit

/// 报表项: a number a module gives the report forms for the records under a unit in a period — a
/// flow (births in the month) or a stock (the population at the period's end). A form's line names
/// a measure by its key (`registry.births`); the report module fills every line through this point,
/// so a module's figures reach the forms without the reports knowing its tables.
public struct ReportMeasure: Sendable {
    /// `module.name`, as a form's line names it.
    public let key: String
    /// Read at the period's end (the month's and the year-to-date figures are the same).
    public let stock: Bool
    /// The rows (aliased `x`, with a `path` column: the records' unit).
    let from: String
    /// What is counted: `COUNT(*)`, `COUNT(DISTINCT x.person_id)`, `SUM(-x.delta)`.
    let value: String
    /// The rows of the period.
    let condition: @Sendable (Period, Policy) -> String

    public init(_ key: String, stock: Bool = false, from: String, value: String = "COUNT(*)", where condition: @escaping @Sendable (Period, Policy) -> String) {
        self.key = key; self.stock = stock; self.from = from; self.value = value; self.condition = condition
    }

    /// Rows whose `column` (a `YYYY-MM-DD` text) falls in the period.
    public static func within(_ column: String, _ p: Period) -> String {
        "\(column) >= '\(p.start.description)' AND \(column) <= '\(p.end.description)'"
    }

    /// Whether it counts people, one row each (`persons x`, `COUNT(*)`): they are counted in the unit
    /// that held them at the period's end, as the indicators count them (`IndicatorStore.movedSince`),
    /// when the registry's `PeopleMoved` is given.
    var countsPeople: Bool { from == "persons x" && value == "COUNT(*)" }

    /// The measure's number for the records under `path` in `period`. People who have moved within the
    /// district since the period's end count where they were then (`moved`: who moved, the registry's;
    /// nil: where they are now): those who left `path` since are added back, those who came since taken out.
    func value(path: String, period: Period, policy: Policy, moved people: PeopleMoved?, engine: Engine, _ db: any SQLDatabase) async throws -> Int {
        let r = try await db.raw("""
            SELECT COALESCE(\(unsafeRaw: value), 0) AS n FROM \(unsafeRaw: from) WHERE \(engine.startsWith("x.path", path)) AND \(unsafeRaw: condition(period, policy))
            """).first()
        let n = try r?.decode(column: "n", as: Int?.self) ?? 0
        guard countsPeople, let people, try await people.anyAfter(period.end, db) else { return n }
        let moved = try await db.raw("""
            SELECT COALESCE(SUM(CASE WHEN \(engine.startsWith("a.from_path", path)) THEN 1 ELSE 0 END), 0) AS came_back,
                   COALESCE(SUM(CASE WHEN \(engine.startsWith("x.path", path)) THEN 1 ELSE 0 END), 0) AS went
            FROM persons x JOIN (\(unsafeRaw: people.after(period.end))) a ON a.person_id = x.id WHERE \(unsafeRaw: condition(period, policy))
            """).first()
        return n + (try moved?.decode(column: "came_back", as: Int.self) ?? 0) - (try moved?.decode(column: "went", as: Int.self) ?? 0)
    }
}

extension ExtensionPoint where Item == ReportMeasure {
    /// Where every module registers what the report forms may count.
    public static var reportMeasures: ExtensionPoint<ReportMeasure> { ExtensionPoint("reports.measures") }
}

/// Every module's report measures, computed live.
public struct ReportMeasures: Sendable {
    public let all: [ReportMeasure]
    /// Who moved since a period's end (nil: people count where they are now).
    let moved: PeopleMoved?
    public init(_ all: [ReportMeasure], moved: PeopleMoved? = nil) { self.all = all; self.moved = moved }

    /// The figures of `lines` for the records under `path`: each line's measure over `month` and over
    /// `cumulative` (a stock reads the month's end in both); nil for a line no module measures.
    public func figures(_ lines: [ReportLine], path: String, month: Period, cumulative: Period, policy: Policy, engine: Engine, _ db: any SQLDatabase) async throws -> [ReportFigure] {
        let byKey = Dictionary(all.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [ReportFigure] = []
        for line in lines {
            guard let m = byKey[line.measure] else { out.append(ReportFigure(line: line.code, month: nil, cumulative: nil)); continue }
            let n = try await m.value(path: path, period: month, policy: policy, moved: moved, engine: engine, db)
            let c = m.stock ? n : try await m.value(path: path, period: cumulative, policy: policy, moved: moved, engine: engine, db)
            out.append(ReportFigure(line: line.code, month: n, cumulative: c))
        }
        return out
    }
}

extension Stores {
    /// Every module's report measures.
    public var reportMeasures: ReportMeasures { ReportMeasures(extensions.all(.reportMeasures), moved: extensions.all(.peopleMoved).first) }
}
