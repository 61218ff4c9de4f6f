import Foundation
import RenkouCore

/// Assessment: targets allocated down the tree, responsibility agreements, early warnings and vetoes.
public struct AssessmentStoreModule: StoreModule {
    public init() {}
    public let name = "assessment"
    public var migrations: [Migration] { [Migration046Assessment.migration, Migration047SpotChecks.migration, Migration048HandScores.migration] }
    public var pathTables: [String] { ["targets", "responsibility_agreements", "warnings", "vetoes"] }
    public var contributions: [Contribution] {
        AssessmentRates.definitions.map { ExtensionPoint.indicators($0) } + [ExtensionPoint.targetSources(TargetSource(TargetStore.lookup)),
         ExtensionPoint.dailyJobs(DailyJob("assessment.warnings") { stores, day in try await stores.warnings.evaluate(on: day) })]
    }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoAssessment.fill(stores, district: context.districtCode)
        }
    }
}

/// The demo's year of targets: the district sets every target the catalogue has a default for (at
/// the default) and hands the same to both streets; the first street asks one community for 5 points
/// more on the knowledge rate; both streets sign their agreements; the first community's spot check is
/// drawn and eight households visited (a birth date found wrong, a child not registered: tasks for its
/// worker); the day's warnings are raised; one community is vetoed for a concealed birth.
enum DemoAssessment {
    static func fill(_ stores: Stores, district: String) async throws {
        let actor = Actor.cli("district"), year = Day(stores.env.now()).year, t = stores.targets
        let streets = try await stores.orgs.unitAndChildren(district, in: .everything).children
        guard !streets.isEmpty else { return }
        let withTargets = stores.indicators.all.filter { $0.target != nil && $0.unit != .count }
        for i in withTargets {
            let typed = ((i.target ?? 0) * 100).rounded()
            try await t.set(i.code, unit: district, year: year, value: typed, in: .everything, by: actor)
            _ = try await t.allocate(i.code, unit: district, year: year, method: "same", in: .everything, by: actor)
        }
        // the first street's communities: one asked for more, one for less; weighted by population they meet the street's
        if let knowledge = withTargets.first(where: { $0.code == "O02-knowledge" }) {
            let communities = try await stores.orgs.unitAndChildren(streets[0].code, in: .everything).children
            let parent = ((knowledge.target ?? 0.9) * 100).rounded()
            var values: [String: Double] = [:]
            for (i, c) in communities.enumerated() { values[c.code] = i == 0 ? parent + 5 : parent }
            _ = try await t.allocate(knowledge.code, unit: streets[0].code, year: year, method: "hand", base: "population", values: values, in: .everything, by: actor)
        }
        for s in streets {
            try await t.sign(unit: s.code, year: year, terms: "\(year) 年度人口和计划生育目标管理责任书：完成下列指标；按月报送统计报表（次月 5 日前）；出现一票否决事项的，年度考核不得评为先进。",
                             signatories: "嘉定区人口计生局 — \(s.name)", signedOn: "\(year)-01-15", in: .everything, by: actor)
        }
        // the first community's spot check: drawn from a recorded seed, eight households visited, one birth date found wrong and a child not registered
        if let street = streets.first, let community = try await stores.orgs.unitAndChildren(street.code, in: .everything).children.first {
            let check = try await stores.spotChecks.draw(unit: community.code, year: year, size: SpotCheck.defaultSize, seed: 20_260_601, in: .everything, by: actor)
            for (i, h) in try await stores.spotChecks.sheet(check.id, in: .everything, by: actor).prefix(8).enumerated() {
                let members = h.members.enumerated().map { j, m in
                    MemberFinding(person: m.personID, present: true, name: m.name, sex: m.sex,
                                  birthDate: i == 2 && j == 0 ? (m.birthDate.flatMap(Day.init)?.adding(days: 1).description ?? m.birthDate) : m.birthDate, maritalStatus: m.maritalStatus)
                }
                try await stores.spotChecks.record(check.id, HouseholdVisit(household: h.householdID, members: members,
                                                                            unlisted: i == 5 ? [UnlistedPerson(name: "小宝", birthDate: "\(year)-02-14", note: "出生未登记")] : []),
                                                   in: .everything, by: actor)
            }
        }
        // the statistics item scored by hand for the first street's communities, reviewed by another account
        if let street = streets.first {
            for c in try await stores.orgs.unitAndChildren(street.code, in: .everything).children {
                let h = try await stores.scores.scoreByHand(unit: c.code, year: year, item: "reports", points: 2, evidence: "1–\(Day(stores.env.now()).month - 1) 月报表均在次月 5 日前报送",
                                                            in: .everything, by: Actor.cli("street"))
                try await stores.scores.review(h.id, in: .everything, by: actor)
            }
        }
        try await stores.warnings.evaluate(on: Day(stores.env.now()))
        if streets.count > 1, let community = try await stores.orgs.unitAndChildren(streets[1].code, in: .everything).children.last {
            try await stores.warnings.veto(unit: community.code, year: year, item: "concealed-birth",
                                           evidence: "入户抽查（\(year)-06）发现该社区 12 号楼一户 \(year) 年 3 月出生的二孩未登记，信息员知情未报。", in: .everything, by: actor)
        }
    }
}
