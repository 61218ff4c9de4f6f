import Foundation
import RenkouCore
import SQLKit

/// Reproductive-health and family-planning services: services with informed choice, methods in use,
/// follow-up visits. Its visits join the one task list; they follow the person who moves and end
/// with a death; its rates join the indicator catalogue.
public struct ServicesStoreModule: StoreModule {
    public init() {}
    public let name = "services"
    public var migrations: [Migration] {
        [Migration015Services.migration, Migration016FollowUpAnchor.migration, Migration017FollowUpListIndex.migration, Migration018PrevalenceIndex.migration,
         Migration019CheckUpsPregnancies.migration, Migration021ConsentScan.migration]
    }
    public var pathTables: [String] { ["services", "method_uses", "follow_ups", "pregnancies", "checkup_rounds", "checkups", "prepregnancy_checks", "prepregnancy_quotas"] }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoServices.fill(stores, seed: context.seed, communities: context.communities)
        }
    }
    public var subscribers: [Subscription] {
        [Subscription.on(RegistryEvent.self, "services.follow-the-person") { event, ctx in
            switch event {
            case .moved(let person, let from, _):
                try await ServiceStore.moved(person, from: from, ctx)
            case .merged(let kept, let merged):
                try await ServiceStore.merged(kept: kept, merged: merged, ctx)
            case .revoked(let eventID, _):
                try await ServiceStore.revoked(eventID, ctx)
            case .recorded(let e) where e.type == .death:
                try await ServiceStore.died(e.personID, on: Day(e.day) ?? Day(ctx.env.now()), ctx)
            case .deleted(let person):
                try await ctx.db.raw("UPDATE prepregnancy_checks SET spouse_id = NULL WHERE spouse_id = \(bind: person.text)").run()
                for table in ["follow_ups", "method_uses", "services", "pregnancies", "checkups", "prepregnancy_checks"] {
                    try await ctx.db.raw("DELETE FROM \(unsafeRaw: table) WHERE person_id = \(bind: person.text)").run()
                }
            case .recorded(let e) where e.type == .birth:
                try await ServiceStore.born(child: e.personID, mother: e.otherID, on: Day(e.day) ?? Day(ctx.env.now()), ctx)
            default: break
            }
        }]
    }
    public var contributions: [Contribution] {
        [ExtensionPoint.taskSources(FollowUpTaskSource()), ExtensionPoint.workSummary(ServiceWorkSummary()),
         ExtensionPoint.dailyJobs(DailyJob("services.roll-missed-visits") { stores, day in try await stores.services.rollMissed(on: day) })]
            + ServiceRates.definitions.map { ExtensionPoint.indicators($0) } + ServiceMeasures.all.map { ExtensionPoint.reportMeasures($0) }
    }
}

extension Stores {
    public var services: ServiceStore { ServiceStore(db: db, env: env) }
}

/// 随访 on the one task list: the open visits of the scope that have opened by the horizon and not
/// expired. The task names the person, not the service: the method is for the service roles only.
struct FollowUpTaskSource: TaskSource {
    func path(of id: UUID, _ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT path FROM follow_ups WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self)
    }
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask] {
        // The first thousand by due day, picked from the index alone (017); then their people and units.
        try await db.raw("""
            SELECT f.id, f.person_id, f.schedule, f.due, f.overdue_on, f.handed_over_from, p.name, p.id_number, u.code AS unit_code, u.name AS unit_name
            FROM (SELECT id FROM follow_ups WHERE \(engine.startsWith("path", scope.path)) AND done_on IS NULL AND closed_reason IS NULL
                  AND opens <= \(bind: horizon.description) AND expires > \(bind: day.description) ORDER BY due LIMIT \(unsafeRaw: String(limit))) k
            JOIN follow_ups f ON f.id = k.id JOIN persons p ON p.id = f.person_id JOIN org_units u ON u.id = f.unit_id
            ORDER BY f.due
            """).all().map { r -> FieldTask in
            var t = FieldTask(id: try r.decode(column: "id", as: String.self).uuid, kind: .followUp, subject: try r.decode(column: "name", as: String.self),
                              unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                              // created "on" its due day: the day it was scheduled would tell the interval, and so the service
                              due: try r.decode(column: "due", as: String.self), source: "services", createdAt: try r.decode(column: "due", as: String.self),
                              isStored: false)
            t.overdueOn = try r.decode(column: "overdue_on", as: String.self)
            t.idNumber = try r.decode(column: "id_number", as: String?.self); t.personID = try r.decode(column: "person_id", as: String.self).uuid
            t.object = FieldTask.Object("follow-up", t.id)
            if FollowUpSchedules.healthOnly(try r.decode(column: "schedule", as: String.self)) { t.requires = .services(.seeReproductiveHealth) }
            t.note = try r.decode(column: "handed_over_from", as: String?.self).map { Text("由\($0)移交", "handed over from \($0)").zh }
            return t
        }
    }
}

/// The services' rates as indicator definitions (`ServiceIndicator`).
enum ServiceRates {
    static let startKinds = "('iud-insertion', 'implant-insertion', 'sterilisation', 'method-start')"
    /// The person of a counted row, looked up for the records only (the counts read the row alone).
    static func personOf(_ detail: String) -> String {
        "x.person_id AS id, (SELECT name FROM persons p WHERE p.id = x.person_id) AS name, (SELECT id_number FROM persons p WHERE p.id = x.person_id) AS id_number, \(detail) AS detail, 'person' AS link"
    }

    static var definitions: [IndicatorDefinition] {
        [
            // 知情选择率: the starts of the period with their counselling recorded.
            IndicatorDefinition(ServiceIndicator.informedChoice, from: "services x",
                                base: { p, _ in "x.day >= '\(p.start.description)' AND x.day <= '\(p.end.description)' AND (x.kind IN \(startKinds) OR (x.kind = 'abortion' AND x.chosen IS NOT NULL))" },
                                numerator: { _, _ in "x.counselled_on IS NOT NULL" }, key: "x.id", record: personOf("x.day")),
            // 随访率: the visits of the twelve months up to the day that have fallen due (`fallenDue`), made in their window.
            IndicatorDefinition(ServiceIndicator.followUp, from: "follow_ups x",
                                base: { p, _ in fallenDue(p) },
                                numerator: { _, _ in "x.done_on IS NOT NULL AND x.done_on >= x.opens AND x.done_on < x.expires" }, key: "x.id",
                                record: personOf("x.due")),
            // 避孕率: married women of reproductive age using a method on the day.
            IndicatorDefinition(ServiceIndicator.prevalence, from: "persons x",
                                base: { p, policy in
                                    let d = p.end, ages = policy(.reproductiveAge, on: d)
                                    return "x.sex = '2' AND x.birth_date <= '\(d.lastBirthDay(forAge: ages.min).description)' AND x.birth_date > '\(d.lastBirthDay(forAge: ages.max + 1).description)' AND x.status = 'active' AND x.marital_status LIKE '2%'"
                                },
                                numerator: { p, _ in
                                    let d = p.end.description
                                    // her method or her husband's (a vasectomy is recorded on him)
                                    return "EXISTS (SELECT 1 FROM method_uses m WHERE (m.person_id = x.id OR m.person_id = x.spouse_id) AND m.method <> 'none' AND m.started_on <= '\(d)' AND (m.stopped_on IS NULL OR m.stopped_on > '\(d)'))"
                                }, key: "x.id", record: "x.id AS id, x.name AS name, x.id_number AS id_number, '' AS detail, 'person' AS link"),
            // 双查覆盖率: the women due in the rounds that end in the period, every due check done.
            IndicatorDefinition(ServiceIndicator.checkUpCoverage, from: "checkups x",
                                base: { p, _ in "x.round_ends_on >= '\(p.start.description)' AND x.round_ends_on <= '\(p.end.description)' AND x.exempt = 0" },
                                numerator: { _, _ in "x.complete = 1" }, key: "x.id", record: personOf("x.round_ends_on")),
            // 孕前优生任务完成率: the couples checked in the year against the quota that holds for the subtree.
            IndicatorDefinition(ServiceIndicator.prePregnancyCoverage, from: "prepregnancy_checks x",
                                base: { p, _ in "x.checked_on >= '\(p.start.description)' AND x.checked_on <= '\(p.end.description)'" },
                                numerator: { _, _ in "1 = 1" }, key: "x.id", record: personOf("x.checked_on"),
                                counts: { path, p, engine, db, _ in
                                    let n = try await db.raw("SELECT COUNT(*) AS n FROM prepregnancy_checks WHERE \(engine.startsWith("path", path)) AND checked_on >= \(bind: p.start.description) AND checked_on <= \(bind: p.end.description)")
                                        .first()!.decode(column: "n", as: Int.self)
                                    return (n, try await PrePregnancyStore.quota(under: path, year: p.end.year, engine: engine, db))
                                }),
            followUpRate(ServiceIndicator.earlyPregnancyFollowUp, schedule: FollowUpSchedules.prePregnancyEarly, found: PrePregnancyFinding.early.filter { $0 != .lost }),
            followUpRate(ServiceIndicator.pregnancyOutcomeFollowUp, schedule: FollowUpSchedules.prePregnancyOutcome, found: PrePregnancyFinding.outcome.filter { $0 != .lost }),
        ]
    }

    /// The visits a follow-up rate counts on the period's last day: made in the twelve months up to it
    /// (early ones too), or not made and overdue on it, due in those months. Closed ones (a death, a
    /// method stopped) are not counted.
    static func fallenDue(_ p: Period) -> String {
        let end = p.end.description, from = p.end.adding(days: -365).description
        return "x.closed_reason IS NULL AND ((x.done_on IS NOT NULL AND x.done_on > '\(from)' AND x.done_on <= '\(end)') OR (x.done_on IS NULL AND x.due > '\(from)' AND x.overdue_on <= '\(end)'))"
    }

    /// A pre-pregnancy follow-up rate: the visits of one schedule fallen due in the twelve months up to
    /// the day (done, or past their overdue day), with a finding other than lost.
    static func followUpRate(_ indicator: Indicator, schedule: String, found: [PrePregnancyFinding]) -> IndicatorDefinition {
        IndicatorDefinition(indicator, from: "follow_ups x",
                            base: { p, _ in "x.schedule = '\(schedule)' AND \(fallenDue(p))" },
                            numerator: { _, _ in "x.findings IN (\(found.map { "'\($0.rawValue)'" }.joined(separator: ", ")))" }, key: "x.id", record: personOf("x.due"))
    }
}

/// The services' lines of the work summary, in counts only (they name no one and no method): visits
/// made and missed, services and pregnancies recorded, and what is left: visits overdue at the end and
/// women not yet checked in the rounds open then (双查、四术遗留对象, seed 004).
struct ServiceWorkSummary: WorkSummarySource {
    func lines(from: Day, to: Day, scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> [WorkLine] {
        let a = from.description, b = to.description
        let section = Text("计划生育服务", "Family-planning services"), inScope = engine.startsWith("path", scope.path)
        return [
            WorkLine(section, Text("完成随访", "Visits made"), try await db.count("SELECT COUNT(*) AS n FROM follow_ups WHERE \(inScope) AND done_on >= \(bind: a) AND done_on <= \(bind: b)")),
            WorkLine(section, Text("失访", "Visits missed"), try await db.count("""
                SELECT COUNT(*) AS n FROM follow_ups WHERE \(inScope) AND done_on IS NULL AND closed_reason IS NULL AND expires > \(bind: a) AND expires <= \(bind: b)
                """)),
            WorkLine(section, Text("服务记录（四术等）", "Services recorded"), try await db.count("SELECT COUNT(*) AS n FROM services WHERE \(inScope) AND day >= \(bind: a) AND day <= \(bind: b)")),
            WorkLine(section, Text("孕前优生检查", "Pre-pregnancy checks"), try await db.count("SELECT COUNT(*) AS n FROM prepregnancy_checks WHERE \(inScope) AND checked_on >= \(bind: a) AND checked_on <= \(bind: b)")),
            WorkLine(section, Text("期末逾期未随访", "Visits overdue at the end"), try await db.count("""
                SELECT COUNT(*) AS n FROM follow_ups WHERE \(inScope) AND (done_on IS NULL OR done_on > \(bind: b)) AND closed_reason IS NULL AND overdue_on <= \(bind: b) AND expires > \(bind: b)
                """), outstanding: true),
            WorkLine(section, Text("双查未查对象", "Women not yet checked in the rounds open at the end"), try await db.count("""
                SELECT COUNT(*) AS n FROM checkups c JOIN checkup_rounds r ON r.id = c.round_id
                WHERE \(engine.startsWith("c.path", scope.path)) AND c.exempt = 0 AND (c.complete = 0 OR c.checked_on > \(bind: b)) AND r.starts_on <= \(bind: b) AND r.ends_on >= \(bind: b)
                """), outstanding: true),
        ]
    }
}
