import Foundation
import RenkouCore

/// The exchange between deployments: identity, peers, the signed inbox and the outbox.
public struct ExchangeStoreModule: StoreModule {
    public init() {}
    public let name = "exchange"
    public var migrations: [Migration] { [Migration030Exchange.migration, Migration031ExchangeOutbox.migration, Migration032ExchangeReplies.migration] }
    public var pathTables: [String] { ["exchange_outbox"] }
    /// 通报: an inflow stay opened for a person whose hukou is in another region served by a peer (or
    /// the hub) puts a notice in the outbox, in the same transaction as the stay.
    public var subscribers: [Subscription] {
        [Subscription.on(MigrantEvent.self, "exchange.notify-hukou-region") { event, ctx in
            guard case .stayOpened(let stay) = event, stay.kind == .inflow else { return }
            let p = try await PersonStore.require(stay.personID, in: .everything, engine: ctx.engine, ctx.db)
            guard let number = p.idNumber, let area = p.hukouRegion ?? stay.region else { return }
            let message = MessageEnvelope(id: ctx.env.newID(), kind: .notice, subject: MessageSubject(idNumber: number, name: p.name, birthDate: p.birthDate),
                                          businessKey: "stay:\(stay.id.text)", sender: "", receiver: "", sentAt: "",
                                          payload: ["event": "stay-opened", "since": stay.since, "unit": stay.unitName, "reason": stay.reason])
            try await ExchangeStore.enqueue(message, area: area, path: p.path, env: ctx.env, ctx.db)
        }]
    }
}
