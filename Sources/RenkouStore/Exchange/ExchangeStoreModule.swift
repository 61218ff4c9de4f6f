import Foundation
import RenkouCore

/// The exchange between deployments: identity, peers, the signed inbox and the outbox.
public struct ExchangeStoreModule: StoreModule {
    public init() {}
    public let name = "exchange"
    public var migrations: [Migration] { [Migration030Exchange.migration, Migration031ExchangeOutbox.migration, Migration032ExchangeReplies.migration, Migration033ExchangeRates.migration, Migration034ExchangeHubs.migration] }
    public var contributions: [Contribution] { ExchangeRates.definitions.map { ExtensionPoint.indicators($0) } }
    public var pathTables: [String] { ["exchange_outbox", "exchange_inbox"] }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoExchange.fill(stores, districtCode: context.districtCode, communities: context.communities)
        }
    }
    /// 通报: an inflow stay opened for a person whose hukou is in another region served by a peer (or
    /// the hub) puts a notice in the outbox, in the same transaction as the stay; the stay closed sends
    /// an update under the same business key. A birth recorded for a mother whose hukou is elsewhere
    /// is a notice to her hukou region; the birth revoked as a mistake voids it.
    public var subscribers: [Subscription] {
        [Subscription.on(MigrantEvent.self, "exchange.notify-hukou-region") { event, ctx in
            switch event {
            case .stayOpened(let stay) where stay.kind == .inflow:
                let p = try await PersonStore.require(stay.personID, in: .everything, engine: ctx.engine, ctx.db)
                guard let number = p.idNumber, let area = p.hukouRegion ?? stay.region else { return }
                let message = MessageEnvelope(id: ctx.env.newID(), kind: .notice, subject: MessageSubject(idNumber: number, name: p.name, birthDate: p.birthDate),
                                              businessKey: "stay:\(stay.id.text)", sender: "", receiver: "", sentAt: "",
                                              payload: ["event": "stay-opened", "since": stay.since, "unit": stay.unitName, "reason": stay.reason])
                try await ExchangeStore.enqueue(message, area: area, path: p.path, env: ctx.env, ctx.db)
            case .stayClosed(let stay) where stay.kind == .inflow:
                try await ExchangeStore.follow("stay:\(stay.id.text)", kind: .update, payload: ["event": "stay-closed", "until": stay.until ?? "", "place": stay.endPlace ?? ""], ctx)
            default: break
            }
         },
         Subscription.on(RegistryEvent.self, "exchange.notify-birth") { event, ctx in
            switch event {
            case .recorded(let e) where e.type == .birth:
                guard let mother = e.otherID else { return }
                let m = try await PersonStore.require(mother, in: .everything, engine: ctx.engine, ctx.db)
                let child = try await PersonStore.require(e.personID, in: .everything, engine: ctx.engine, ctx.db)
                guard let number = m.idNumber, let area = m.hukouRegion else { return }
                let message = MessageEnvelope(id: ctx.env.newID(), kind: .notice, subject: MessageSubject(idNumber: number, name: m.name, birthDate: m.birthDate),
                                              businessKey: "birth:\(e.id.text)", sender: "", receiver: "", sentAt: "",
                                              payload: ["event": "birth", "born": e.day, "sex": child.sex, "child": child.name])
                try await ExchangeStore.enqueue(message, area: area, path: m.path, env: ctx.env, ctx.db)
            case .revoked(let eventID, let reason):
                try await ExchangeStore.follow("birth:\(eventID.text)", kind: .void, payload: ["event": "birth", "reason": reason], ctx)
            default: break
            }
         }]
    }
}

/// The exchange's rates (`ExchangeIndicator`), each defined once over the outbox or the inbox.
enum ExchangeRates {
    static func month(_ column: String, _ p: Period) -> String { "SUBSTR(\(column), 1, 10) >= '\(p.start.description)' AND SUBSTR(\(column), 1, 10) <= '\(p.end.description)'" }
    static let sentRecord = "x.person_id AS id, (SELECT name FROM persons p WHERE p.id = x.person_id) AS name, (SELECT id_number FROM persons p WHERE p.id = x.person_id) AS id_number, x.deadline AS detail, 'person' AS link"
    static var definitions: [IndicatorDefinition] {
        [IndicatorDefinition(ExchangeIndicator.requestsAnswered, from: "exchange_inbox x",
                             base: { p, _ in "x.kind = 'request' AND x.state <> 'forwarded' AND " + month("x.received_at", p) }, numerator: { _, _ in "x.replied_at IS NOT NULL" }, key: "x.id",
                             record: "COALESCE(x.person_id, x.id) AS id, (SELECT name FROM persons p WHERE p.id = x.person_id) AS name, (SELECT id_number FROM persons p WHERE p.id = x.person_id) AS id_number, x.state AS detail, 'person' AS link"),
         IndicatorDefinition(ExchangeIndicator.replyRate, from: "exchange_outbox x",
                             base: { p, _ in "x.kind = 'request' AND x.forwarded = 0 AND " + month("x.created_at", p) }, numerator: { _, _ in "x.replied_at IS NOT NULL" }, key: "x.id", record: sentRecord),
         IndicatorDefinition(ExchangeIndicator.onTime, from: "exchange_outbox x",
                             base: { p, _ in "x.kind = 'request' AND x.forwarded = 0 AND x.replied_at IS NOT NULL AND " + month("x.created_at", p) },
                             numerator: { _, _ in "SUBSTR(x.replied_at, 1, 10) <= x.deadline" }, key: "x.id", record: sentRecord),
         IndicatorDefinition(ExchangeIndicator.notFound, from: "exchange_outbox x",
                             base: { p, _ in "x.kind = 'request' AND x.forwarded = 0 AND x.replied_at IS NOT NULL AND " + month("x.created_at", p) },
                             numerator: { _, _ in "x.reply_found = 0" }, key: "x.id", record: sentRecord)]
    }
}
