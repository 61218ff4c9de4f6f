import Foundation
import RenkouCore

/// The demo's services: in each community, married women of reproductive age with methods started by
/// the street's provider after counselling (IUDs, implants, injectables, pills, a sterilisation), dated
/// so that their follow-ups stand in every state on the demo's day (not yet due, due, overdue, missed,
/// done), and some visits already made; the youngest children and their mothers with their health visits.
/// Then pregnancies, pre-pregnancy couples against the street's quota, and a check-up round. A fixed
/// number per community, whatever the population's size.
enum DemoServices {
    static func fill(_ stores: Stores, seed: UInt64, communities: [String]) async throws {
        let actor = Actor.cli("demo-provider")
        let today = Day(stores.env.now())
        var rng = DemoPopulation.SplitMix(seed: seed ^ 0x5345_5256)
        let explained = [ContraceptiveMethod.iud, .implant, .injectable, .oralPill, .condom, .emergencyPill].map(\.rawValue)
        for community in communities {
            var q = PersonQuery(); q.unit = community; q.womenOfReproductiveAge = true; q.status = "active"; q.ageMin = 24; q.ageMax = 44; q.limit = 200
            let women = try await stores.persons.search(q, in: .everything, by: actor).items.filter { $0.maritalStatus?.hasPrefix("2") == true }
            // (kind, days ago, method, visits certainly made)
            let plan: [(ServiceKind, Int, ContraceptiveMethod?, Int)] = [
                (.iudInsertion, 20, nil, 0), (.iudInsertion, 38, nil, 0), (.iudInsertion, 70, nil, 0), (.iudInsertion, 100, nil, 0),
                (.iudInsertion, 200, nil, 2), (.iudInsertion, 420, nil, 4), (.implantInsertion, 45, nil, 0), (.implantInsertion, 500, nil, 1),
                (.methodStart, 80, .injectable, 0), (.methodStart, 95, .injectable, 0), (.methodStart, 27, .oralPill, 0), (.methodStart, 40, .condom, 0),
                (.sterilisation, 5, nil, 0), (.methodStart, 300, .condom, 0),
            ]
            // The youngest children of the community (and their mothers) get their health visits from
            // the first one still worth making: the demo's population is written without birth events.
            var young = PersonQuery(); young.unit = community; young.ageMax = 1; young.status = "active"; young.limit = 3
            for child in try await stores.persons.search(young, in: .everything, by: actor).items {
                try await stores.services.scheduleBirthCare(child: child.id, in: .everything, by: actor)
            }
            for (i, woman) in women.prefix(plan.count + rng.int(0...4)).enumerated() {
                let (kind, ago, method, visits) = plan[i % plan.count]
                let day = today.adding(days: -(ago + rng.int(0...3)))
                var input = ServiceInput()
                input.person = woman.id.text; input.kind = kind.rawValue; input.date = day.description; input.method = method?.rawValue
                input.facility = "街道计生服务站"; input.outcome = "成功"
                input.informedChoice = InformedChoice(counselledOn: day.adding(days: -rng.int(0...7)).description, counsellor: "服务站医生",
                                                      methodsExplained: explained + (kind == .sterilisation ? [ContraceptiveMethod.femaleSterilisation.rawValue] : []),
                                                      chosen: method?.rawValue, mec: rng.int(0...9) == 0 ? 2 : 1, spouseTookPart: rng.int(0...1) == 0)
                try await stores.services.record(input, in: .everything, by: actor)
                // The visits already made, each on its due day or a few days after; most are made, one in
                // eight is left to lapse (it stands overdue or missed), and the plan's recent ones are open.
                for _ in 0..<max(visits, 6) {
                    let open = try await stores.services.followUps(personID: woman.id, on: today, in: .everything).first
                    guard let open, let due = Day(open.due) else { break }
                    let made = due.adding(days: rng.int(0...5))
                    guard made <= today, visits > 0 || (ago > 150 && rng.int(0...7) != 0) else { break }
                    try await stores.services.recordVisit(open.id, on: made, findings: rng.int(0...9) == 0 ? FollowUpFinding.sideEffect.rawValue : FollowUpFinding.normal.rawValue,
                                                          nextAction: nil, in: .everything, by: actor)
                }
            }
            try await fillChecks(stores, community: community, women: Array(women.dropFirst(plan.count + 4)), today: today, rng: &rng, actor: actor)
        }
        // The year's pre-pregnancy quota: the street's (seed 003 names 420 couples), split among its communities.
        for street in Set(communities.map { String($0.prefix(9)) }).sorted() {
            let mine = communities.filter { $0.hasPrefix(street) }
            try await stores.prePregnancy.setQuota(unitCode: street, year: today.year, couples: 420, in: .everything, by: actor)
            for c in mine { try await stores.prePregnancy.setQuota(unitCode: c, year: today.year, couples: 420 / max(mine.count, 1), in: .everything, by: actor) }
        }
    }

    /// A community's pregnancies, pre-pregnancy couples and this season's check-up round: a woman known
    /// pregnant, three couples checked (the oldest found pregnant at the early follow-up), and a round
    /// opened three weeks ago with two in three of its women checked.
    static func fillChecks(_ stores: Stores, community: String, women: [Person], today: Day, rng: inout DemoPopulation.SplitMix, actor: Actor) async throws {
        var rest = women[...]
        if let w = rest.popFirst() {
            try await stores.pregnancies.open(PregnancyInput(person: w.id.text, source: PregnancySource.report.rawValue, detectedOn: today.adding(days: -40).description,
                                                             lastMenstrualPeriod: today.adding(days: -90).description), in: .everything, by: actor)
        }
        for ago in [30, 130, 200] {
            guard let w = rest.popFirst() else { break }
            var check = PrePregnancyInput(); check.person = w.id.text; check.spouse = w.spouseID?.text; check.spouseName = w.spouseID == nil ? "（配偶）" : nil
            check.date = today.adding(days: -ago).description
            check.items = Dictionary(uniqueKeysWithValues: PrePregnancyItem.allCases.map { ($0.rawValue, ItemResult.normal.rawValue) })
            if ago == 130 { check.items?[PrePregnancyItem.rubella.rawValue] = ItemResult.abnormal.rawValue; check.risk = RiskGroup.high.rawValue; check.counselling = "风疹抗体阴性，建议接种疫苗三个月后再怀孕" }
            _ = try await stores.prePregnancy.record(check, in: .everything, by: actor)
            if ago == 200, let early = try await stores.services.followUps(personID: w.id, on: today, in: .everything).first(where: { $0.schedule == FollowUpSchedules.prePregnancyEarly }) {
                try await stores.services.recordVisit(early.id, on: today.adding(days: -rng.int(5...20)), findings: PrePregnancyFinding.pregnant.rawValue, nextAction: nil, in: .everything, by: actor)
            }
        }
        let round = try await stores.checkUps.openRound(CheckUpRoundInput(unit: community, name: "\(today.year) 年双查", startsOn: today.adding(days: -20).description,
                                                                          endsOn: today.adding(days: 10).description), in: .everything, by: actor)
        for (i, line) in try await stores.checkUps.dueList(round.id, in: .everything, by: actor).enumerated() where i % 3 != 2 {
            var results: [String: String] = [:]
            for k in line.due { results[k.rawValue] = k == .pregnancy ? CheckUpResult.negative.rawValue : CheckUpResult.normal.rawValue }
            _ = try await stores.checkUps.record(line.id, CheckUpResultInput(date: today.adding(days: -rng.int(0...19)).description, results: results), in: .everything, by: actor)
        }
    }
}
