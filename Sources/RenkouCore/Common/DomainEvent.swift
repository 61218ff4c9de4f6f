import Foundation

/// 领域事件: a change that matters to other modules (a birth, a move, a stay opened ...).
///
/// Each module declares its events as an enum in its own folder (`RegistryEvent`, `MigrantEvent`);
/// the store writes each one to the `domain_events` log and hands it to every subscriber in the same
/// transaction as the change (see `EventBus` in the store layer). Subscribers of higher modules match
/// the enum of the lower module they listen to; a lower module never names a higher one.
public protocol DomainEvent: Sendable {
    /// The stable name written to the log (`birth`, `stay-opened`, `person-moved`).
    var type: String { get }
    /// What the event is about (`person`, `certificate`, `life_event`) and its id.
    var entity: String { get }
    var entityID: UUID { get }
    /// The JSON payload written to the log.
    func payload() -> String
}

extension DomainEvent {
    /// A Codable value as compact JSON with sorted keys, for payloads.
    public static func json<T: Encodable>(_ value: T) -> String {
        (try? JSONEncoder.sorted.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
