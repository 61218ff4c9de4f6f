import Foundation
import RenkouCore

/// Floating-population demo data for each demo community: landlords and an employer, agreements
/// (most in force, one about to expire, one missing), rosters drawn from the community's inflow
/// migrants plus a few unregistered tenants (registration tasks), and certificates for part of the
/// inflow women of reproductive age, half of them verified. Bounded per community, whatever the size
/// of the population. The same seed gives the same choices.
enum DemoMigrants {
    static let hostNames = ["陈家出租屋", "周氏公寓", "吴记出租房", "华新电子厂"]
    static let tenants = ["马晓燕", "杨春梅", "何建军", "罗小红", "郭志强", "林秀英"]

    static func fill(_ stores: Stores, seed: UInt64, communities: [String]) async throws {
        let actor = Actor.cli("demo")
        let today = Day(stores.env.now())
        var rng = DemoPopulation.SplitMix(seed: seed ^ 0x4D49_4752)
        for (ci, community) in communities.enumerated() {
            var q = PersonQuery(); q.unit = community; q.category = "inflow"; q.status = "active"; q.limit = 200
            let migrants = try await stores.persons.search(q, in: .everything, by: actor).items
            var hosts: [MigrantHost] = []
            // The first landlord is in the community's first grid, so the grid worker has tasks of their own.
            let grid = try await stores.orgs.unit(code: "\(community)-01", in: .everything)?.code
            for (hi, name) in hostNames.enumerated() {
                var h = HostStore.Input()
                h.kind = hi == 3 ? "employer" : "landlord"; h.name = name; h.unit = hi == 0 ? grid ?? community : community; h.address = "演示路 \(ci + 1)\(hi + 1) 号"
                h.contactName = ["陈", "周", "吴", "华"][hi] + "先生"; h.phone = "1390000\(String(format: "%04d", ci * 10 + hi))"
                h.staffCount = hi == 3 ? 120 : nil
                let host = try await stores.hosts.create(h, in: .everything, by: actor)
                hosts.append(host)
                // Agreements: three of four in force, the second landlord's expiring within three weeks; the third landlord has none.
                if hi != 2 {
                    let expires = hi == 1 ? today.adding(days: 10 + ci) : today.adding(years: 1 + ci % 2)
                    try await stores.hosts.addAgreement(host: host.id, signedOn: today.adding(years: -1), expiresOn: expires, scan: nil, in: .everything, by: actor)
                }
            }
            // Each inflow migrant lives with one of the landlords or works at the employer.
            for (mi, m) in migrants.prefix(60).enumerated() {
                let host = hosts[mi % hosts.count]
                var stay = StayInput(); stay.person = m.id.text; stay.kind = "inflow"; stay.since = today.adding(days: -rng.int(30...900)).description
                stay.region = m.hukouRegion?.count == 6 ? m.hukouRegion : nil; stay.reason = rng.int(0...9) < 8 ? "work" : "family"; stay.host = host.id.text
                try await stores.stays.open(stay, in: .everything, by: actor)
                // Certificates for about 60 % of the women of reproductive age, half of them verified.
                if m.isWomanOfReproductiveAge(on: today, policy: stores.env.policy), rng.int(0...9) < 6 {
                    var c = CertificateInput(); c.person = m.id.text; c.number = "\(m.hukouRegion ?? "000000")-\(2024 + mi % 2)-\(String(format: "%05d", ci * 100 + mi))"
                    // Issued on a day she was of reproductive age already (a girl who turned 15 lately got hers on her birthday).
                    var issued = today.adding(days: -rng.int(30...700))
                    if !m.isWomanOfReproductiveAge(on: issued, policy: stores.env.policy), let birth = m.birthDate.flatMap(Day.init) {
                        issued = max(issued, birth.adding(years: stores.env.policy(.reproductiveAge, on: today).min))
                    }
                    c.office = "户籍地卫生健康局"; c.issuedOn = issued.description
                    if rng.int(0...9) == 0 { c.validUntil = today.adding(days: rng.int(3...25)).description }
                    let cert = try await stores.certificates.create(.registered, c, in: .everything, by: actor)
                    if rng.int(0...1) == 0 { try await stores.certificates.verify(cert.id, on: today.adding(days: -rng.int(0...20)), result: "genuine", note: nil, in: .everything, by: actor) }
                }
            }
            // Two tenants the registry does not know yet: registration tasks for the community.
            for t in 0..<2 {
                let name = tenants[(ci * 2 + t) % tenants.count]
                let first17 = "510104199\(ci % 10)0\(t + 1)1\(ci % 10)\(String(format: "%03d", 200 + ci * 2 + t))"
                let id = first17 + String(CitizenID.checkCharacter(first17)!)
                _ = try await stores.rosters.add(host: hosts[t].id, name: name, idNumber: id, room: "\(t + 3)0\(ci + 1)", since: today.adding(days: -3), in: .everything, by: actor)
            }
        }
    }
}
