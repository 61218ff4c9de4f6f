import Foundation
import RenkouCore
import SQLKit

/// Where a subscriber runs: the transaction of the change, with its engine, clock and actor. A
/// subscriber writes through `db` (or a store's static, in-transaction functions), never through a
/// public store method: those open a transaction of their own, which on SQLite waits for this one.
public struct EventContext: Sendable {
    public let db: any SQLDatabase
    public let engine: Engine
    public let env: RenkouCore.Environment
    public let actor: Actor
    /// The bus itself, for a subscriber whose change publishes events of its own.
    public let bus: EventBus
}

/// A module's reaction to one kind of domain event.
public struct Subscription: Sendable {
    public let name: String
    let handle: @Sendable (any DomainEvent, EventContext) async throws -> Void

    /// Runs `body` for every event of the enum `E` (a lower module's events), in the same transaction.
    /// A thrown error rolls back the whole change that published the event.
    public static func on<E: DomainEvent>(_ type: E.Type, _ name: String,
                                          _ body: @escaping @Sendable (E, EventContext) async throws -> Void) -> Subscription {
        Subscription(name: name) { event, context in
            if let event = event as? E { try await body(event, context) }
        }
    }
}

/// Publishes domain events: each is appended to the `domain_events` log and handed to every
/// subscriber, inside the caller's transaction, so the change, its log row and every reaction commit
/// or roll back together.
public struct EventBus: Sendable {
    let subscribers: [Subscription]
    public init(_ subscribers: [Subscription]) { self.subscribers = subscribers }

    /// Logs `event` (at the unit path `path`) and runs the subscribers. Throws what a subscriber throws.
    public func publish(_ event: any DomainEvent, path: String, engine: Engine, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO domain_events (at, type, entity, entity_id, path, payload)
            VALUES (\(bind: Timestamp.string(env.now())), \(bind: event.type), \(bind: event.entity), \(bind: event.entityID.text), \(bind: path), \(bind: event.payload()))
            """).run()
        let context = EventContext(db: db, engine: engine, env: env, actor: actor, bus: self)
        for s in subscribers { try await s.handle(event, context) }
    }
}
