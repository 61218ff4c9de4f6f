import Foundation

/// The registry's domain events: life events as they are recorded or revoked, and a record that
/// moves to another unit or is merged into another.
public enum RegistryEvent: DomainEvent {
    /// A person was registered by hand (the form or the API; not a birth, not a bulk import).
    case registered(person: UUID, idNumber: String?)
    /// A life event was recorded (birth, death, marriage, divorce, moves, hukou transfer).
    case recorded(LifeEvent)
    /// A life event entered by mistake was revoked.
    case revoked(eventID: UUID, reason: String)
    /// A person's record now belongs to another unit (a move, a stay, a correction).
    case moved(person: UUID, fromPath: String, toPath: String)
    /// The record `merged` was merged into `kept`.
    case merged(kept: UUID, merged: UUID)
    /// A record entered by mistake is being deleted (published before the row goes): other modules
    /// remove what they hold of it, or refuse (throw) when it must stay.
    case deleted(person: UUID)

    public var type: String {
        switch self {
        case .registered: "person-registered"
        case .recorded(let e): e.type.rawValue
        case .revoked: "life-event-revoked"
        case .moved: "person-moved"
        case .merged: "person-merged"
        case .deleted: "person-deleted"
        }
    }
    public var entity: String {
        switch self {
        case .revoked: "life_event"
        default: "person"
        }
    }
    public var entityID: UUID {
        switch self {
        case .registered(let person, _): person
        case .recorded(let e): e.personID
        case .revoked(let id, _): id
        case .moved(let person, _, _): person
        case .merged(let kept, _): kept
        case .deleted(let person): person
        }
    }
    public func payload() -> String {
        switch self {
        case .registered(_, let idNumber): Self.json(["idNumber": idNumber])
        case .recorded(let e): Self.json(e)
        case .revoked(_, let reason): Self.json(["reason": reason])
        case .moved(_, let from, let to): Self.json(["from": from, "to": to])
        case .merged(let kept, let merged): Self.json(["kept": kept.text, "merged": merged.text])
        case .deleted: "{}"
        }
    }
}
