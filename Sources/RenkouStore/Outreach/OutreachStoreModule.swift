import Foundation
import RenkouCore

/// Outreach: publicity, trainings and the population school, boards, surveys, the association and its volunteers.
public struct OutreachStoreModule: StoreModule {
    public init() {}
    public let name = "outreach"
    public var migrations: [Migration] { [Migration045Outreach.migration] }
    public var subscribers: [Subscription] { [OutreachPeople.subscription] }
    public var pathTables: [String] { ["outreach_activities", "outreach_boards", "surveys", "survey_responses", "associations", "association_members", "volunteer_reports"] }
    public var contributions: [Contribution] {
        OutreachRates.definitions.map { ExtensionPoint.indicators($0) } + OutreachMeasures.all.map { ExtensionPoint.reportMeasures($0) }
            + [ExtensionPoint.dailyJobs(DailyJob("outreach.reminders") { stores, day in try await stores.outreach.remind(on: day) })]
    }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped, !context.communities.isEmpty else { return }
            try await DemoOutreach.fill(stores, communities: context.communities)
        }
    }
}

/// The outreach rates as indicator definitions (`OutreachIndicator`). Figures that count more than
/// one thing per row (the trainings a community owes, the answers of a respondent) are counted as
/// rows of the row × a numbers table, so one `COUNT(DISTINCT …)` gives them; the click-through lists
/// the rows themselves (communities, answer sheets), counted by `recordKey`.
enum OutreachRates {
    /// `(SELECT 1 AS n UNION ALL … SELECT count)`: the numbers 1…count as a table on both engines.
    static func numbers(_ count: Int) -> String {
        "(" + (1...count).map { "SELECT \($0) AS n" }.joined(separator: " UNION ALL ") + ")"
    }

    /// Trainings (population-school sessions included) for a community: held by it, in one of its
    /// grids, or by a unit above it (a street's training counts for each of its communities).
    static func trainingsHeld(_ p: Period, audience: String) -> String {
        """
        (SELECT COUNT(*) FROM outreach_activities a WHERE a.kind IN ('training', 'school') AND COALESCE(a.audience, 'resident') = \(audience)
         AND a.day >= '\(p.start.description)' AND a.day <= '\(p.counted.description)' AND (x.path LIKE a.path || '%' OR a.path LIKE x.path || '%'))
        """
    }

    /// An answer sheet (the records of O02 and O04): its community and day and how it scored, never
    /// who answered (who got a question wrong, or rated the cadres badly, is nobody's business).
    static let answerSheet = """
        x.id AS id, (SELECT u.name FROM org_units u WHERE u.id = x.unit_id) || ' · 答卷' AS name, NULL AS id_number,
        x.answered_on || ' · ' || x.positive || '/' || x.answered AS detail, 'survey-response' AS link
        """

    static var definitions: [IndicatorDefinition] {
        let slots = numbers(100), answerSlots = numbers(50)
        return [
            // 培训完成率: community × audience × the target's places, filled by the trainings held
            IndicatorDefinition(OutreachIndicator.trainings, from: "org_units x CROSS JOIN \(slots) s CROSS JOIN (SELECT 'propagandist' AS audience UNION ALL SELECT 'resident' AS audience) t",
                                base: { p, policy in
                                    let targets = policy(.outreachTargets, on: p.end)
                                    return "x.level = 'community' AND x.status = 'active' AND s.n <= CASE t.audience WHEN 'propagandist' THEN \(targets.propagandistTrainings) ELSE \(targets.residentTrainings) END"
                                },
                                numerator: { p, _ in "\(trainingsHeld(p, audience: "t.audience")) >= s.n" },
                                key: "x.id || '/' || t.audience || '/' || s.n",
                                record: "x.id AS id, x.name AS name, NULL AS id_number, NULL AS detail, 'outreach-unit' AS link", recordKey: "x.id"),
            // 知识知晓率: each answer of the year's knowledge surveys, right or not
            IndicatorDefinition(OutreachIndicator.knowledge, from: "survey_responses x CROSS JOIN \(answerSlots) q",
                                base: { p, _ in "x.kind = 'knowledge' AND q.n <= x.answered AND x.answered_on >= '\(p.start.description)' AND x.answered_on <= '\(p.counted.description)'" },
                                numerator: { _, _ in "q.n <= x.positive" }, key: "x.id || '/' || q.n", record: answerSheet, recordKey: "x.id"),
            // 宣传栏按季更新率: the boards up by the quarter's start, renewed in it (or the quarter is over)
            IndicatorDefinition(OutreachIndicator.boardRenewals, from: "outreach_boards x",
                                base: { p, _ in
                                    let renewed = "EXISTS (SELECT 1 FROM outreach_board_renewals r WHERE r.board_id = x.id AND r.day >= '\(p.start.description)' AND r.day <= '\(p.counted.description)')"
                                    return "x.created_on < '\(p.start.description)' AND (x.retired_on IS NULL OR x.retired_on >= '\(p.start.description)') AND (\(renewed) OR '\(p.counted.description)' >= '\(p.end.description)')"
                                },
                                numerator: { p, _ in "EXISTS (SELECT 1 FROM outreach_board_renewals r WHERE r.board_id = x.id AND r.day >= '\(p.start.description)' AND r.day <= '\(p.counted.description)')" },
                                key: "x.id",
                                record: "x.id AS id, x.name AS name, NULL AS id_number, (SELECT MAX(r.day) FROM outreach_board_renewals r WHERE r.board_id = x.id) AS detail, 'outreach-board' AS link"),
            // 群众满意率: each answer of the year's satisfaction surveys and 双评
            IndicatorDefinition(OutreachIndicator.satisfaction, from: "survey_responses x CROSS JOIN \(answerSlots) q",
                                base: { p, _ in "x.kind IN ('satisfaction', 'dual-evaluation') AND q.n <= x.answered AND x.answered_on >= '\(p.start.description)' AND x.answered_on <= '\(p.counted.description)'" },
                                numerator: { _, _ in "q.n <= x.positive" }, key: "x.id || '/' || q.n", record: answerSheet, recordKey: "x.id"),
            // 节点宣传开展率: community × the key dates passed, marked by an activity of it (or above it, or in its grids)
            IndicatorDefinition(OutreachIndicator.keyDates, from: "org_units x CROSS JOIN \(numbers(20)) k",
                                base: { p, policy in
                                    let passed = policy(.keyDates, on: p.end).enumerated().filter { $0.element.on(p.start.year) <= p.counted }.map { "\($0.offset + 1)" }
                                    return "x.level = 'community' AND x.status = 'active' AND k.n IN (\(passed.isEmpty ? "0" : passed.joined(separator: ",")))"
                                },
                                numerator: { p, policy in
                                    let dates = policy(.keyDates, on: p.end)
                                    guard !dates.isEmpty else { return "1 = 0" }
                                    let cases = dates.enumerated().map { "WHEN \($0.offset + 1) THEN '\($0.element.code.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: " ")
                                    return """
                                        EXISTS (SELECT 1 FROM outreach_activities a WHERE a.key_date = CASE k.n \(cases) END AND a.day >= '\(p.start.description)' AND a.day <= '\(p.counted.description)'
                                                AND (x.path LIKE a.path || '%' OR a.path LIKE x.path || '%'))
                                        """
                                },
                                key: "x.id || '/' || k.n", record: "x.id AS id, x.name AS name, NULL AS id_number, NULL AS detail, 'outreach-unit' AS link", recordKey: "x.id"),
        ]
    }
}
