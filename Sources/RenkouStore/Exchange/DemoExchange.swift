import Crypto
import Foundation
import RenkouCore

/// The exchange in the demo district: the deployment is node 310114 and knows a province hub (420000,
/// not running in the demo, so what is sent to it waits in the outbox with its retries). The hub's
/// region has reported some of the district's own women (notices of a stay there, one urgent
/// pregnancy request): signed with the hub's key and taken through the real inbox, they are visits
/// on the communities' task lists with a reply page. The district has asked about two of its inflow
/// women; the requests wait with their deadlines.
enum DemoExchange {
    static func fill(_ stores: Stores, districtCode: String, communities: [String]) async throws {
        let actor = Actor.cli("demo-exchange"), exchange = stores.exchange, env = stores.env
        let me = try await exchange.identity(code: districtCode, url: "http://127.0.0.1:8080", by: actor)
        let hubKey = Curve25519.Signing.PrivateKey()
        try await exchange.addPeer(code: "420000", url: "http://127.0.0.1:9", key: hubKey.publicKey.rawRepresentation.base64EncodedString(), areas: [], isDefault: true, by: actor)
        let today = Day(env.now())
        for (ci, community) in communities.prefix(2).enumerated() {
            var q = PersonQuery(); q.unit = community; q.category = "registered"; q.womenOfReproductiveAge = true; q.status = "active"; q.ageMin = 22; q.ageMax = 40; q.limit = 3
            for (i, w) in try await stores.persons.search(q, in: .everything, by: actor).items.enumerated() {
                guard let number = w.idNumber else { continue }
                let urgent = i == 2
                var m = MessageEnvelope(id: env.newID(), kind: urgent ? .request : .notice, subject: MessageSubject(idNumber: number, name: w.name, birthDate: w.birthDate),
                                        businessKey: "", sender: "420000", receiver: me.code, sentAt: Timestamp.string(env.now()),
                                        deadlineClass: urgent ? .urgent : .none, deadline: urgent ? today.adding(days: 15 - ci * 4).description : nil,
                                        payload: urgent ? ["question": "pregnancy"] : ["event": "stay-opened", "since": today.adding(days: -20 - 7 * i).description, "unit": "湖北省武汉市新洲区", "reason": "work"])
                m.businessKey = urgent ? "request:\(m.id.text)" : "stay:demo-\(w.id.text)"
                let body = try JSONEncoder.sorted.encode(m)
                _ = try await exchange.receive(body: body, sender: "420000", signature: try hubKey.signature(for: body).base64EncodedString(), client: "demo")
            }
            var inflow = PersonQuery(); inflow.unit = community; inflow.category = "inflow"; inflow.womenOfReproductiveAge = true; inflow.status = "active"; inflow.limit = 1
            for w in try await stores.persons.search(inflow, in: .everything, by: actor).items where w.idNumber != nil && w.hukouRegion != nil {
                _ = try? await exchange.request(person: w.id, question: ci == 0 ? "pregnancy" : "contraception", urgent: ci == 0, in: .everything, by: actor)
            }
        }
    }
}
