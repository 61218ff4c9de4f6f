import Foundation

/// The floating-population module's domain events (the exchange will turn them into notices).
public enum MigrantEvent: DomainEvent {
    case stayOpened(Stay)
    case stayClosed(Stay)
    /// A certificate issued here (hukou side) or registered from elsewhere (residence side).
    case certificateAdded(id: UUID, side: Certificate.Side)
    case certificateReissued(id: UUID, reason: String)
    case certificateRevoked(id: UUID, reason: String)

    public var type: String {
        switch self {
        case .stayOpened: "stay-opened"
        case .stayClosed: "stay-closed"
        case .certificateAdded(_, let side): side == .issued ? "certificate-issued" : "certificate-registered"
        case .certificateReissued: "certificate-reissued"
        case .certificateRevoked: "certificate-revoked"
        }
    }
    public var entity: String {
        switch self {
        case .stayOpened, .stayClosed: "person"
        default: "certificate"
        }
    }
    public var entityID: UUID {
        switch self {
        case .stayOpened(let s), .stayClosed(let s): s.personID
        case .certificateAdded(let id, _), .certificateReissued(let id, _), .certificateRevoked(let id, _): id
        }
    }
    public func payload() -> String {
        switch self {
        case .stayOpened(let s), .stayClosed(let s): Self.json(s)
        case .certificateAdded: "{}"
        case .certificateReissued(_, let reason), .certificateRevoked(_, let reason): Self.json(["reason": reason])
        }
    }
}
