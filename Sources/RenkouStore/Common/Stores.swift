import RenkouCore

/// The database and what every store shares: clock and policy, the event bus with every module's
/// subscribers, and every module's extension-point contributions. Each module adds its stores as
/// properties in its own folder (`extension Stores { public var persons: PersonStore { ... } }`).
public struct Stores: Sendable {
    public let db: Database
    public let env: RenkouCore.Environment
    public let bcryptCost: UInt8
    public let bus: EventBus
    public let extensions: Extensions

    /// `extraSubscribers` run after the modules' own (tests use it to watch or fail a transaction).
    public init(db: Database, env: RenkouCore.Environment = .live, bcryptCost: UInt8 = 12, extraSubscribers: [Subscription] = []) {
        self.db = db; self.env = env; self.bcryptCost = bcryptCost
        bus = EventBus(storeModules.flatMap(\.subscribers) + extraSubscribers)
        extensions = Extensions(storeModules.flatMap(\.contributions))
    }
}
