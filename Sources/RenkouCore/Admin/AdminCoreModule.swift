/// The administrative tree, accounts and the audit log.
public struct AdminCoreModule: CoreModule {
    public init() {}
    public let name = "admin"
    public var grants: [Grant] {
        [Grant(.admin(.read), Set(Role.allCases)),
         Grant(.admin(.administer), [.admin]),
         Grant(.admin(.audit), [.admin, .district])]
    }
}

extension Permission {
    /// A permission of the admin module (units, accounts, audit log).
    public static func admin(_ action: Action) -> Permission { Permission("admin", action) }
}

extension Role {
    /// The roles that register people and events in their scope (every working role but the provider and the viewer).
    public static let registering: Set<Role> = [.admin, .district, .street, .community, .grid]
}
