import Foundation
import RenkouCore

/// The demo's birth registrations: in each community, couples of the registry in every state — one
/// applied online today and waiting, one accepted and running, one past its time limit, one sent back
/// for information, one registered with its voucher, one refused — and one after the birth (补登).
enum DemoBirths {
    static func fill(_ stores: Stores, seed: UInt64, communities: [String]) async throws {
        let actor = Actor.cli("demo-births"), today = Day(stores.env.now())
        var rng = DemoPopulation.SplitMix(seed: seed ^ 0x4249_5254)
        for community in communities {
            var q = PersonQuery(); q.unit = community; q.womenOfReproductiveAge = true; q.status = "active"; q.ageMin = 22; q.ageMax = 38; q.limit = 100
            let women = try await stores.persons.search(q, in: .everything, by: actor).items.filter { $0.spouseID != nil && $0.maritalStatus?.hasPrefix("2") == true }
            var couples: [(Person, Person)] = []
            for w in women.suffix(7) {
                if let h = w.spouseID, let husband = try? await stores.persons.read(h, in: .everything, by: actor) { couples.append((w, husband)) }
            }
            for (i, (w, h)) in couples.enumerated() {
                var input = BirthRegistrationInput()
                input.unit = community; input.basis = RegistrationBasis.motherHukou.rawValue
                input.motherName = w.name; input.motherIDNumber = w.idNumber; input.fatherName = h.name; input.fatherIDNumber = h.idNumber
                input.phone = "139" + String(format: "%08d", rng.int(0...99_999_999)); input.document = "id-card"; input.pledge = true
                if i == 6 {
                    input.childName = String(h.name.prefix(1)) + "小宝"; input.childSex = "2"; input.childBornOn = today.adding(days: -40).description
                } else {
                    input.expectedOn = today.adding(days: 60 + rng.int(0...150)).description
                }
                switch i {
                case 0: _ = try await stores.births.apply(input)
                case 2: input.receivedOn = today.adding(days: -20).description; _ = try await stores.births.submit(input, channel: .counter, in: .everything, by: actor)
                default:
                    input.receivedOn = today.adding(days: -rng.int(0...3)).description
                    let r = try await stores.births.submit(input, channel: i == 4 ? .proxy : .counter, in: .everything, by: actor)
                    switch i {
                    case 3: _ = try await stores.births.decide(r.id, .needsInformation, note: "请补充男方户口簿首页", in: .everything, by: actor)
                    case 4, 6: _ = try await stores.births.decide(r.id, .register, note: nil, in: .everything, by: actor)
                    case 5: _ = try await stores.births.decide(r.id, .refuse, note: "已在男方户籍地登记，不重复登记", in: .everything, by: actor)
                    default: break
                    }
                }
            }
        }
    }
}
