import Foundation

/// 出租户, 用工单位, 物业: the landlords, employers and property companies that house or employ
/// migrants, sign agreements (计生协议书) with the community and keep rosters of tenants and staff.
public struct MigrantHost: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case landlord, employer, property
        public var label: Text {
            switch self {
            case .landlord: Text("出租户", "Landlord")
            case .employer: Text("用工单位", "Employer")
            case .property: Text("物业公司", "Property company")
            }
        }
    }
    public var id: UUID
    public var kind: Kind
    public var name: String
    public var contactName: String?
    public var phone: String?
    public var address: String?
    public var unitCode: String
    public var unitName: String
    /// Employers: the staff count declared; the roster count is used when larger.
    public var staffCount: Int?
    public var rosterCount: Int
    /// The expiry of the agreement in force today, if any.
    public var agreementUntil: String?
    public var createdAt: String

    public init(id: UUID, kind: Kind, name: String, unitCode: String, unitName: String, createdAt: String) {
        self.id = id; self.kind = kind; self.name = name; self.unitCode = unitCode; self.unitName = unitName
        self.rosterCount = 0; self.createdAt = createdAt
    }

    /// Seed 004: an employer with 100 or more staff should have its own family-planning association.
    public static let associationThreshold = 100
    public var needsStaffAssociation: Bool {
        kind == .employer && max(staffCount ?? 0, rosterCount) >= Self.associationThreshold
    }
}

/// 计生协议书 with a landlord, employer or property company.
public struct Agreement: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case pending, valid, expired, terminated
        public var label: Text {
            switch self {
            case .pending: Text("未生效", "Not yet in force")
            case .valid: Text("有效", "Valid")
            case .expired: Text("已到期", "Expired")
            case .terminated: Text("已终止", "Terminated")
            }
        }
    }
    public var id: UUID
    public var hostID: UUID
    public var signedOn: String
    public var expiresOn: String
    public var terminatedOn: String?
    public var terminateReason: String?
    public var scanName: String?
    public var createdBy: String
    public var createdAt: String

    public init(id: UUID, hostID: UUID, signedOn: String, expiresOn: String, createdBy: String, createdAt: String) {
        self.id = id; self.hostID = hostID; self.signedOn = signedOn; self.expiresOn = expiresOn; self.createdBy = createdBy; self.createdAt = createdAt
    }

    public func state(on day: Day) -> State {
        if let t = terminatedOn.flatMap(Day.init), !(day < t) { return .terminated }
        if let s = Day(signedOn), day < s { return .pending }
        if let e = Day(expiresOn), e < day { return .expired }
        return .valid
    }
}

/// One person on a host's roster (花名册): matched to the registry by ID number when possible.
public struct RosterEntry: Sendable, Codable, Equatable {
    public var id: UUID
    public var hostID: UUID
    public var personID: UUID?
    public var name: String
    public var idNumber: String
    public var room: String?
    public var since: String
    public var until: String?
    public init(id: UUID, hostID: UUID, personID: UUID?, name: String, idNumber: String, room: String?, since: String, until: String?) {
        self.id = id; self.hostID = hostID; self.personID = personID; self.name = name; self.idNumber = idNumber
        self.room = room; self.since = since; self.until = until
    }
}
