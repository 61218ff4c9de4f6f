import Foundation
import RenkouCore

/// The demo's benefits, for each street: this year's childcare subsidy posted on the public board
/// with one objection holding its line; last year's rural reward assistance approved, paid and
/// reconciled with a return file holding a returned and an unmatched row; this year's special
/// assistance under review. The posting of last year is dated back, as if it had run then.
enum DemoBenefits {
    static func fill(_ stores: Stores, communities: [String]) async throws {
        let actor = Actor.cli("demo-benefits"), year = Day(stores.env.now()).year
        for street in Set(communities.map { String($0.prefix(9)) }).sorted() {
            let childcare = try await stores.benefits.draw(.childcareSubsidy, year: year, unitCode: street, in: .everything, by: actor)
            _ = try await stores.benefits.post(childcare.id, in: .everything, by: actor)
            if let line = try await stores.benefits.lines(childcare.id, in: .everything, by: actor).first(where: \.payable) {
                try await stores.benefits.publicObjection(run: childcare.id, number: line.number, text: "该户已迁往外区，孩子户口不在本地")
            }
            let reward = try await stores.benefits.draw(.rewardAssistance, year: year - 1, unitCode: street, in: .everything, by: actor)
            _ = try await stores.benefits.post(reward.id, in: .everything, by: actor)
            let posted = Day(year: year - 1, month: 3, day: 1)!
            try await stores.db.transaction { db in
                try await db.raw("UPDATE benefit_runs SET posted_on = \(bind: posted.description), posting_until = \(bind: posted.adding(days: 7).description) WHERE id = \(bind: reward.id.text)").run()
            }
            _ = try await stores.benefits.approve(reward.id, in: .everything, by: Actor.cli("demo-district"))
            // A small demo street may have no one eligible: nothing to pay then.
            guard reward.eligible > 0 else { continue }
            let file = try await stores.benefits.paymentFile(reward.id, in: .everything, by: actor)
            var back = "行号,公民身份号码,金额,结果,原因\n"
            for (i, row) in file.csv.split(separator: "\n").dropFirst().dropLast().enumerated() {
                let f = CSV.fields(row)
                back += "\(f[0]),\(f[2]),\(f[3]),\(i == 0 ? "退回,账户已销户" : "成功,")\n"
            }
            back += "999,110101190001011234,960,成功,\n"   // a row the bank sent that matches nothing
            _ = try await stores.benefits.reconcile(reward.id, returnFile: back, in: .everything, by: actor)
        }
        for street in Set(communities.map { String($0.prefix(9)) }).sorted() {
            _ = try await stores.benefits.draw(.specialAssistance, year: year, unitCode: street, in: .everything, by: actor)
        }
        // Where the deployment keeps the legacy fee ledger: two old cases of the first community, one
        // partly paid and talked over with the hukou region, one never collected, both still to close.
        if stores.fees.isEnabled, let community = communities.first {
            var q = PersonQuery(); q.unit = community; q.status = "active"; q.ageMin = 35; q.ageMax = 50; q.limit = 10
            let men = try await stores.persons.search(q, in: .everything, by: actor).items.filter { $0.sex == "1" }.prefix(2)
            for (i, man) in men.enumerated() {
                let c = try await stores.fees.open(FeeCaseInput(person: man.id.text, childBirthDate: i == 0 ? "2014-05-02" : "2017-09-18",
                                                                decisionNumber: "征字〔\(i == 0 ? 2014 : 2018)〕\(17 + i)号", decidedOn: i == 0 ? "2014-11-20" : "2018-03-05",
                                                                amount: i == 0 ? 36_000 : 24_000, instalments: i == 0 ? 3 : 1, hukouRegion: i == 0 ? "420117" : nil),
                                                   in: .everything, by: actor)
                if i == 0 {
                    _ = try await stores.fees.collect(c.id, day: "2015-01-10", amount: 12_000, receipt: "0012345", in: .everything, by: actor)
                    _ = try await stores.fees.negotiate(c.id, day: "2016-04-01", region: nil, text: "函请户籍地协助征收第二期，对方回复当事人已离开户籍地", in: .everything, by: actor)
                }
            }
        }
        // A special family in the first community, with the demo's community worker and an association
        // volunteer as its contacts, visited six weeks ago: its next visit is due.
        if let community = communities.first, try await stores.db.read({ try await $0.raw("SELECT id FROM users WHERE username = 'community'").first() }) != nil {
            var q = PersonQuery(); q.unit = community; q.status = "active"; q.ageMin = 55; q.ageMax = 70; q.limit = 5
            if let elder = try await stores.persons.search(q, in: .everything, by: actor).items.first(where: { $0.sex == "2" }) {
                let f = try await stores.families.add(person: elder.id, situation: FamilySituation.childDied.rawValue, communityContact: "community", associationContact: "计生协会志愿者 陈阿姨",
                                                      associationPhone: "13800000000", in: .everything, by: actor)
                try await stores.families.recordHelp(f.id, kind: HelpKind.festivalVisit.rawValue, day: Day(stores.env.now()).adding(days: -42).description, note: "中秋慰问", in: .everything, by: actor)
            }
        }
    }
}
