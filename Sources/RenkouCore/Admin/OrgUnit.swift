import Foundation

/// A unit of the administrative tree: district bureau, street office, community committee, grid.
public struct OrgUnit: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var code: String
    public var name: String
    public var level: OrgLevel
    public var parentID: UUID?
    /// Materialised path of codes from the root, e.g. `/310000/310114/310114001/`; a scope is a prefix of it.
    public var path: String
    /// GB/T 2260 status for imported codes: `active`, `changed` or `abandoned`.
    public var status: String
    public var validFrom: String?
    public var validTo: String?
    /// The code that replaced an abandoned one.
    public var replacedBy: String?

    public init(id: UUID, code: String, name: String, level: OrgLevel, parentID: UUID?, path: String,
                status: String = "active", validFrom: String? = nil, validTo: String? = nil, replacedBy: String? = nil) {
        self.id = id; self.code = code; self.name = name; self.level = level; self.parentID = parentID
        self.path = path; self.status = status; self.validFrom = validFrom; self.validTo = validTo; self.replacedBy = replacedBy
    }

    /// The path of a child with this code under a parent path (or at the root).
    public static func path(code: String, under parentPath: String?) -> String {
        (parentPath ?? "/") + code + "/"
    }

    public var isActive: Bool { status == "active" }
}

/// A unit with the numbers shown on the tree page.
public struct OrgUnitSummary: Sendable, Codable, Equatable {
    public var unit: OrgUnit
    public var childCount: Int
    public var personCount: Int
    public init(unit: OrgUnit, childCount: Int, personCount: Int) {
        self.unit = unit; self.childCount = childCount; self.personCount = personCount
    }
}

/// A rename or re-parenting kept in the unit's history.
public struct OrgUnitChange: Sendable, Codable, Equatable {
    public var at: String
    public var field: String
    public var oldValue: String
    public var newValue: String
    public var by: String
    public init(at: String, field: String, oldValue: String, newValue: String, by: String) {
        self.at = at; self.field = field; self.oldValue = oldValue; self.newValue = newValue; self.by = by
    }
}
