import Foundation
import RenkouCore
import SQLKit

/// Births and benefits: birth registrations (their time limit on the task list, their rates), and
/// the registry's births judged by the birth policy of their date.
public struct BirthsStoreModule: StoreModule {
    public init() {}
    public let name = "births"
    public var migrations: [Migration] { [Migration022BirthRegistrations.migration, Migration023Benefits.migration, Migration024SpecialFamilies.migration, Migration025BenefitCorrections.migration, Migration027BenefitQuartersPayment.migration, Migration028FeeLedger.migration, Migration029LegacyApprovals.migration] }
    public var pathTables: [String] { ["birth_registrations", "benefit_runs", "benefit_lines", "benefit_objections", "special_families", "family_help", "benefit_corrections",
                                       "fee_cases", "fee_collections", "fee_negotiations"] }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoBirths.fill(stores, seed: context.seed, communities: context.communities)
            try await DemoBenefits.fill(stores, communities: context.communities)
        }
    }
    /// A birth in the registry completes the mother's registration made before it; the couple's
    /// records merged or deleted are followed (the registration keeps their names and ID numbers).
    public var subscribers: [Subscription] {
        [Subscription.on(RegistryEvent.self, "births.follow-the-registry") { event, ctx in
            switch event {
            case .recorded(let e) where e.type == .birth:
                try await BirthRegistrationStore.born(child: e.personID, mother: e.otherID, on: Day(e.day) ?? Day(ctx.env.now()), ctx)
            case .recorded(let e) where e.type == .death || e.type == .moveOut:
                // A death or a move out stops what was not yet paid: the line is held, as by an objection, until a worker checks it.
                try await BenefitStore.holdFromRegistry(person: e.personID, reason: e.type == .death ? "登记为死亡（\(e.day)），待核实" : "登记为迁出（\(e.day)），待核实", ctx)
            case .merged(let kept, let merged):
                if try await ctx.db.raw("SELECT id FROM special_families WHERE person_id = \(bind: kept.text)").first() == nil {
                    try await ctx.db.raw("UPDATE special_families SET person_id = \(bind: kept.text) WHERE person_id = \(bind: merged.text)").run()
                }
                for column in ["mother_id", "father_id", "child_id"] {
                    try await ctx.db.raw("UPDATE birth_registrations SET \(unsafeRaw: column) = \(bind: kept.text) WHERE \(unsafeRaw: column) = \(bind: merged.text)").run()
                }
                try await ctx.db.raw("UPDATE fee_cases SET person_id = \(bind: kept.text) WHERE person_id = \(bind: merged.text)").run()
            case .deleted(let person):
                // A fee case is a legal record: the person it names is merged into the right record, not deleted.
                if try await ctx.db.raw("SELECT id FROM fee_cases WHERE person_id = \(bind: person.text)").first() != nil {
                    throw RenkouError(.conflict, "fee-case", Text("该人员有社会抚养费历史案件，不能删除；如为重复记录请合并。", "This person has a maintenance fee case and cannot be deleted; merge a duplicate instead."))
                }
                try await ctx.db.raw("DELETE FROM family_help WHERE family_id IN (SELECT id FROM special_families WHERE person_id = \(bind: person.text))").run()
                try await ctx.db.raw("DELETE FROM special_families WHERE person_id = \(bind: person.text)").run()
                for column in ["mother_id", "father_id", "child_id"] {
                    try await ctx.db.raw("UPDATE birth_registrations SET \(unsafeRaw: column) = NULL WHERE \(unsafeRaw: column) = \(bind: person.text)").run()
                }
            default: break
            }
        }]
    }
    public var contributions: [Contribution] {
        [ExtensionPoint.taskSources(RegistrationTaskSource()), ExtensionPoint.taskSources(FamilyVisitSource()), ExtensionPoint.workSummary(BirthWorkSummary())]
            + (BirthRates.definitions + [FeeLedgerStore.definition]).map { ExtensionPoint.indicators($0) } + BirthMeasures.all.map { ExtensionPoint.reportMeasures($0) }
    }
}

/// 生育登记待办: registrations waiting for a worker (submitted online) or for the decision (accepted),
/// due on the time limit's last day (an online one on the day it came in: it waits to be accepted).
struct RegistrationTaskSource: TaskSource {
    func path(of id: UUID, _ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT path FROM birth_registrations WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self)
    }
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask] {
        try await db.raw("""
            SELECT b.id, b.number, b.mother_name, b.mother_id_number, b.mother_id, b.state, COALESCE(b.due_on, b.submitted_on) AS due, b.entered_at, u.code AS unit_code, u.name AS unit_name
            FROM birth_registrations b JOIN org_units u ON u.id = b.unit_id
            WHERE \(engine.startsWith("b.path", scope.path)) AND b.state IN ('submitted', 'accepted')
            ORDER BY COALESCE(b.due_on, b.submitted_on) LIMIT \(unsafeRaw: String(limit))
            """).all().map { r -> FieldTask in
            var t = FieldTask(id: try r.decode(column: "id", as: String.self).uuid, kind: .birthRegistration, subject: try r.decode(column: "mother_name", as: String.self),
                              unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                              due: try r.decode(column: "due", as: String.self), source: "births", createdAt: try r.decode(column: "entered_at", as: String.self), isStored: false)
            t.idNumber = try r.decode(column: "mother_id_number", as: String.self); t.personID = try r.decode(column: "mother_id", as: String?.self).flatMap(UUID.init(uuidString:))
            t.object = FieldTask.Object("registration", t.id)
            t.note = try r.decode(column: "number", as: String.self) + (try r.decode(column: "state", as: String.self) == "submitted" ? " · 网上申请待受理" : "")
            return t
        }
    }
}

/// The registrations of the work summary: received and decided in the period, open past their limit at its end.
struct BirthWorkSummary: WorkSummarySource {
    func lines(from: Day, to: Day, scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> [WorkLine] {
        let a = from.description, b = to.description, inScope = engine.startsWith("path", scope.path)
        let section = Text("生育登记", "Birth registration")
        return [
            WorkLine(section, Text("收到申请", "Applications received"), try await db.count("SELECT COUNT(*) AS n FROM birth_registrations WHERE \(inScope) AND submitted_on >= \(bind: a) AND submitted_on <= \(bind: b)")),
            WorkLine(section, Text("办结", "Decided"), try await db.count("SELECT COUNT(*) AS n FROM birth_registrations WHERE \(inScope) AND decided_on >= \(bind: a) AND decided_on <= \(bind: b)")),
            WorkLine(section, Text("期末超时未办结", "Past the time limit at the end"), try await db.count("""
                SELECT COUNT(*) AS n FROM birth_registrations WHERE \(inScope) AND due_on < \(bind: b) AND submitted_on <= \(bind: b) AND (decided_on IS NULL OR decided_on > \(bind: b))
                """), outstanding: true),
        ]
    }
}

/// The births' rates (`BirthIndicator`).
enum BirthRates {
    static func mother(_ detail: String) -> String { "x.id AS id, x.mother_name AS name, x.mother_id_number AS id_number, \(detail) AS detail, 'registration' AS link" }

    /// The children a couple could have on a child's birth day, as SQL over `column` from the policy's
    /// dated entries (a year's births may fall either side of a change, as in 2021).
    static func allowed(_ policy: Policy, column: String) -> String {
        let entries = policy.history(PolicyRule.birthPolicy.key).compactMap { e in (e.value as? BirthPolicy).map { (e.from, $0.childrenAllowed) } }
        guard let first = entries.first else { return "3" }
        let whens = entries.dropFirst().reversed().map { "WHEN \(column) >= '\($0.0.description)' THEN \($0.1)" }.joined(separator: " ")
        return whens.isEmpty ? String(first.1) : "CASE \(whens) ELSE \(first.1) END"
    }

    static var definitions: [IndicatorDefinition] {
        let births = "x.id AS id, x.name AS name, x.id_number AS id_number, x.birth_date AS detail, 'person' AS link"
        return [
            // 按时办结率: registrations decided in the period by the last day of their limit.
            IndicatorDefinition(BirthIndicator.onTime, from: "birth_registrations x",
                                base: { p, _ in "x.decided_on >= '\(p.start.description)' AND x.decided_on <= '\(p.end.description)'" },
                                numerator: { _, _ in "x.decided_on <= x.due_on" }, key: "x.id", record: mother("x.number")),
            // 政策生育率: the registry's births of the period whose order the birth policy of their day allowed
            // (or that a registration found within policy, an approval of its time included).
            IndicatorDefinition(BirthIndicator.policyCompliant, from: "persons x",
                                base: { p, _ in "x.birth_date >= '\(p.start.description)' AND x.birth_date <= '\(p.end.description)' AND x.birth_order IS NOT NULL" },
                                numerator: { _, policy in
                                    "(x.birth_order <= \(allowed(policy, column: "x.birth_date")) OR EXISTS (SELECT 1 FROM birth_registrations b WHERE b.child_id = x.id AND b.compliant = 1))"
                                }, key: "x.id", record: births),
            // 名单准确率: the lines of the approved lists of the year that needed no correction after approval.
            IndicatorDefinition(BirthIndicator.benefitAccuracy, from: "benefit_lines x",
                                base: { p, _ in
                                    "x.eligible = 1 AND (x.removed_reason IS NULL OR EXISTS (SELECT 1 FROM benefit_corrections c WHERE c.line_id = x.id)) AND EXISTS (SELECT 1 FROM benefit_runs r WHERE r.id = x.run_id AND r.year = \(p.end.year) AND r.approved_on IS NOT NULL)"
                                },
                                numerator: { _, _ in "NOT EXISTS (SELECT 1 FROM benefit_corrections c WHERE c.line_id = x.id)" }, key: "x.id",
                                record: "x.person_id AS id, x.name AS name, x.id_number AS id_number, x.facts AS detail, 'person' AS link"),
            // 按时兑现率: payable lines of the year's approved lists whose deadline has come (or that were
            // paid already), and of them those paid by the deadline fixed at approval.
            IndicatorDefinition(BirthIndicator.onTimePayment, from: "benefit_lines x",
                                base: { p, _ in
                                    """
                                    x.eligible = 1 AND x.removed_reason IS NULL AND x.held = 0 AND EXISTS (SELECT 1 FROM benefit_runs r WHERE r.id = x.run_id AND r.year = \(p.end.year) AND r.pay_by IS NOT NULL
                                      AND (r.pay_by < '\(p.end.description)' OR x.payment = 'paid'))
                                    """
                                },
                                numerator: { _, _ in "x.payment = 'paid' AND x.paid_on <= (SELECT r.pay_by FROM benefit_runs r WHERE r.id = x.run_id)" }, key: "x.id",
                                record: "x.person_id AS id, x.name AS name, x.id_number AS id_number, COALESCE(x.paid_on, x.payment) AS detail, 'person' AS link"),
            // 育儿补贴发放到位率: the eligible children of the year's childcare lists whose money arrived.
            IndicatorDefinition(BirthIndicator.childcareCoverage, from: "benefit_lines x",
                                base: { p, _ in
                                    "x.eligible = 1 AND x.removed_reason IS NULL AND x.reissue_of IS NULL AND EXISTS (SELECT 1 FROM benefit_runs r WHERE r.id = x.run_id AND r.programme = 'childcare-subsidy' AND r.year = \(p.end.year) AND r.state <> 'draft')"
                                },
                                numerator: { _, _ in "(x.payment = 'paid' OR EXISTS (SELECT 1 FROM benefit_lines y WHERE y.reissue_of = x.id AND y.payment = 'paid'))" }, key: "x.id",
                                record: "x.person_id AS id, x.name AS name, x.id_number AS id_number, x.payment AS detail, 'person' AS link"),
            // 出生人口性别比: boys born per 100 girls.
            IndicatorDefinition(BirthIndicator.sexRatio, from: "persons x",
                                base: { p, _ in "x.birth_date >= '\(p.start.description)' AND x.birth_date <= '\(p.end.description)'" },
                                numerator: { _, _ in "x.sex = '1'" }, key: "x.id", record: births,
                                groups: { under, indexed, p, engine, db, _ in
                                    // boys and girls per path
                                    var n: [String: (numerator: Int, denominator: Int)] = [:]
                                    for r in try await db.raw("""
                                        SELECT path, sex, COUNT(*) AS n FROM persons WHERE \(engine.startsWith("path", under, indexed: indexed)) AND birth_date >= \(bind: p.start.description)
                                        AND birth_date <= \(bind: p.end.description) AND sex IN ('1', '2') GROUP BY path, sex
                                        """).all() {
                                        let count = try r.decode(column: "n", as: Int.self), path = try r.decode(column: "path", as: String.self)
                                        if try r.decode(column: "sex", as: String.self) == "1" { n[path, default: (0, 0)].numerator += count } else { n[path, default: (0, 0)].denominator += count }
                                    }
                                    return n.map { (path: $0.key, numerator: $0.value.numerator, denominator: $0.value.denominator) }
                                }),
        ]
    }
}
