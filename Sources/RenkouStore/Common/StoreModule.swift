import Foundation
import RenkouCore
import SQLKit

/// What a module contributes to the persistence layer. Listed once in `storeModules`
/// (`Sources/RenkouStore/Modules.swift`); `Stores`, the migrations and the demo loop over the list.
public protocol StoreModule: Sendable {
    /// The module's name, the same in every layer.
    var name: String { get }
    /// Its schema changes. Numbers are global and append-only across modules.
    var migrations: [Migration] { get }
    /// Its part of the demo district, run in module order after the tree and the accounts.
    var demo: DemoStep? { get }
    /// Its reactions to other modules' domain events, run in the same transaction as the event.
    var subscribers: [Subscription] { get }
    /// What it adds to lower modules' extension points (task sources, ...).
    var contributions: [Contribution] { get }
    /// Its tables whose rows carry the owning unit's `path`: they follow a unit that moves in the tree.
    /// Logs (audit, domain events, public lookups) keep the path they were written with. A path kept
    /// in another column is named `table.column` (`life_events.from_path`: where a move came from).
    var pathTables: [String] { get }
    /// What it tidies after a unit has moved in the tree with its rows (`OrgStore.move`), outside the
    /// move's transaction: the registry sums the population counts the move appended, one delta per
    /// person moved. A failure leaves the move done and every figure right (the hourly jobs sum them later).
    var afterTreeMove: (@Sendable (Database) async throws -> Void)? { get }
}

extension StoreModule {
    public var migrations: [Migration] { [] }
    public var demo: DemoStep? { nil }
    public var subscribers: [Subscription] { [] }
    public var contributions: [Contribution] { [] }
    public var pathTables: [String] { [] }
    public var afterTreeMove: (@Sendable (Database) async throws -> Void)? { nil }
}

/// A place where a lower module lets higher ones plug in (the task list's sources, ...), declared by
/// the lower module as a typed constant: `ExtensionPoint<any TaskSource>("tasks.sources")`.
public struct ExtensionPoint<Item: Sendable>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
    /// An item for this point, as a module lists it in `contributions`.
    public func callAsFunction(_ item: Item) -> Contribution { Contribution(point: name, item: item) }
}

/// One item a module adds to an extension point.
public struct Contribution: Sendable {
    let point: String
    let item: any Sendable
}

/// Every contribution of every module, looked up by extension point.
public struct Extensions: Sendable {
    let items: [String: [any Sendable]]
    public init(_ contributions: [Contribution]) {
        items = Dictionary(grouping: contributions, by: \.point).mapValues { $0.map(\.item) }
    }
    /// The items of a point, in module order.
    public func all<Item>(_ point: ExtensionPoint<Item>) -> [Item] { (items[point.name] ?? []).map { $0 as! Item } }
}

/// One module's part of the demo district.
public struct DemoStep: Sendable {
    public let run: @Sendable (Stores, DemoContext) async throws -> Void
    public init(_ run: @escaping @Sendable (Stores, DemoContext) async throws -> Void) { self.run = run }
}

/// What the demo steps share: the seed, the wished population, the units, and what earlier steps did.
public final class DemoContext: @unchecked Sendable {
    public let seed: UInt64
    public let persons: Int
    public let districtCode: String
    public let communities: [String]
    public let progress: @Sendable (Int) -> Void
    private let lock = NSLock()
    private var _written = 0
    private var _stopped = false
    init(seed: UInt64, persons: Int, districtCode: String, communities: [String], progress: @escaping @Sendable (Int) -> Void) {
        self.seed = seed; self.persons = persons; self.districtCode = districtCode; self.communities = communities; self.progress = progress
    }
    /// People the population step wrote.
    public var personsWritten: Int {
        get { lock.withLock { _written } }
        set { lock.withLock { _written = newValue } }
    }
    /// Set by a step that found the database already filled: the later steps do nothing.
    public var stopped: Bool {
        get { lock.withLock { _stopped } }
        set { lock.withLock { _stopped = newValue } }
    }
}
