/// What an account may do. Every account is bound to one unit; its scope is that unit's subtree.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin, district, street, community, grid, provider, storekeeper, viewer

    public var label: Text {
        switch self {
        case .admin: Text("系统管理员", "Administrator")
        case .district: Text("区人口计生局", "District bureau")
        case .street: Text("街道计生办", "Street office")
        case .community: Text("社区计生专干", "Community worker")
        case .grid: Text("网格员", "Grid worker")
        case .provider: Text("服务站医生", "Service provider")
        case .storekeeper: Text("药具管理员", "Storekeeper")
        case .viewer: Text("领导（只读）", "Leader (read only)")
        }
    }

    /// Whether the role sees person records: a person's page, lists of people, names and ID numbers,
    /// the records behind a figure. The leaders' read-only account (领导) sees figures, dashboards and
    /// reports only (issue 17: "the viewer role sees dashboards and reports but no person records").
    public var seesPersonRecords: Bool { self != .viewer }

    /// Every role that sees person records: those who may read a module whose pages list people.
    public static let personal = Set(allCases.filter(\.seesPersonRecords))

    /// The unit levels an account of this role may be bound to.
    public var allowedLevels: [OrgLevel] {
        switch self {
        case .admin, .viewer, .provider: OrgLevel.allCases
        case .district: [.province, .city, .district]
        case .street: [.street]
        case .community: [.community]
        case .grid: [.grid]
        // the district's store, a street's station, a community's point
        case .storekeeper: [.province, .city, .district, .street, .community]
        }
    }
}

/// The part of the administrative tree a caller may touch: a prefix of materialised unit paths.
/// Every store call takes one; it is never a global.
public struct Scope: Sendable, Equatable, Codable {
    /// A path such as `/310000/310114/310114001/`; `/` is the whole tree.
    public var path: String
    public init(path: String) { self.path = path.hasSuffix("/") ? path : path + "/" }

    /// The whole tree: for the command line, migrations and the demo, never for a web user.
    public static let everything = Scope(path: "/")

    public func contains(_ rowPath: String) -> Bool { rowPath.hasPrefix(path) }
}
