import RenkouCore

/// The exchange between deployments: identity, peers, the signed inbox.
public struct ExchangeStoreModule: StoreModule {
    public init() {}
    public let name = "exchange"
    public var migrations: [Migration] { [Migration030Exchange.migration] }
}
