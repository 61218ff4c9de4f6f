import Foundation

/// A level of the administrative tree, from province down to the grid (网格).
public enum OrgLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case province, city, district, street, community, grid

    /// 0 for province … 5 for grid: a parent always has a lower rank than its child.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: OrgLevel, b: OrgLevel) -> Bool { a.rank < b.rank }

    public var label: Text {
        switch self {
        case .province: Text("省级", "Province")
        case .city: Text("地级", "City")
        case .district: Text("区县", "District")
        case .street: Text("街道/镇", "Street")
        case .community: Text("社区/村", "Community")
        case .grid: Text("网格", "Grid")
        }
    }

    /// Levels that may stand directly above this one.
    public var allowedParents: [OrgLevel] {
        switch self {
        case .province: []
        case .city: [.province]
        case .district: [.city, .province]
        case .street: [.district]
        case .community: [.street]
        case .grid: [.community]
        }
    }

    /// Reads the level names used in `areacodes.csv` (省级/地级/县级) as well as the English names.
    public init?(label: String) {
        switch label.trimmingCharacters(in: .whitespaces) {
        case "省级", "province": self = .province
        case "地级", "city": self = .city
        case "县级", "区县", "district", "county": self = .district
        case "街道", "乡镇", "街道/镇", "street", "town": self = .street
        case "社区", "村", "社区/村", "居委会", "community", "village": self = .community
        case "网格", "grid": self = .grid
        default: return nil
        }
    }
}
