import Foundation

/// 协会职务: what a member does in the association.
public enum AssociationRole: String, Sendable, Codable, CaseIterable {
    case member
    /// 小组长 / 楼组长.
    case groupLeader = "group-leader"
    /// 中心户长: looks after a handful of neighbouring households.
    case centerHousehold = "center-household"
    /// 五老: 老党员、老干部、老模范、老长辈、老职工.
    case fiveElders = "five-elders"
    /// 志愿者.
    case volunteer
    public var label: Text {
        switch self {
        case .member: Text("会员", "Member")
        case .groupLeader: Text("小组长（楼组长）", "Group leader")
        case .centerHousehold: Text("中心户长", "Household head")
        case .fiveElders: Text("五老", "Five Elders")
        case .volunteer: Text("志愿者", "Volunteer")
        }
    }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// 计生协会: an association at a level of the tree, or in an enterprise (an employer of 100+ staff).
public struct AssociationUnit: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var unitCode: String
    public var unitName: String
    /// The employer (registry host) it is set up in, for an enterprise association.
    public var employer: String?
    public var foundedOn: String
    public var members: Int
    public init(id: UUID, name: String, unitCode: String, unitName: String, employer: String?, foundedOn: String, members: Int) {
        self.id = id; self.name = name; self.unitCode = unitCode; self.unitName = unitName; self.employer = employer; self.foundedOn = foundedOn; self.members = members
    }
}

/// A member, from the registry; a 中心户长 with the households (户号) she looks after; the volunteer
/// hours of the year.
public struct AssociationMember: Sendable, Codable, Equatable {
    public var id: UUID
    public var associationID: UUID
    public var personID: UUID
    public var name: String
    public var idNumber: String
    public var role: AssociationRole
    public var group: String?
    public var joinedOn: String
    public var households: [String]
    public var hoursThisYear: Double
    public init(id: UUID, associationID: UUID, personID: UUID, name: String, idNumber: String, role: AssociationRole, group: String?, joinedOn: String, households: [String],
                hoursThisYear: Double) {
        self.id = id; self.associationID = associationID; self.personID = personID; self.name = name; self.idNumber = idNumber; self.role = role; self.group = group
        self.joinedOn = joinedOn; self.households = households; self.hoursThisYear = hoursThisYear
    }
}

/// 信息反馈: what a volunteer saw.
public enum InformationKind: String, Sendable, Codable, CaseIterable {
    case newArrival = "new-arrival", pregnancy, birth, departure, needHelp = "need-help"
    public var label: Text {
        switch self {
        case .newArrival: Text("新流入人员", "New arrival")
        case .pregnancy: Text("怀孕", "Pregnancy")
        case .birth: Text("出生", "Birth")
        case .departure: Text("外出或迁出", "Departure")
        case .needHelp: Text("需要帮助", "Needs help")
        }
    }
    /// Reproductive-health news: its task is for those who provide the services only.
    public var isHealth: Bool { self == .pregnancy }
    public static var entries: [Codes.Entry] { allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) } }
}

/// What a volunteer reports (a worker types it, or the volunteer's own account).
public struct VolunteerReportInput: Sendable, Codable, Equatable {
    /// The member reporting (`association_members` id).
    public var reporter: String?
    public var kind: String?
    /// The grid or community whose worker checks it (default: the reporter's association's unit).
    public var unit: String?
    public var address: String?
    /// The person it is about, when she is in the registry (ID number).
    public var person: String?
    public var note: String?
    public init(reporter: String? = nil, kind: String? = nil, unit: String? = nil, address: String? = nil, person: String? = nil, note: String? = nil) {
        self.reporter = reporter; self.kind = kind; self.unit = unit; self.address = address; self.person = person; self.note = note
    }
}

/// A report with where its check stands: `open` until the worker closes the task, then the task's
/// outcome (`done`: confirmed and acted on, `not-found`, `no-change`).
public struct VolunteerReport: Sendable, Codable, Equatable {
    public var id: UUID
    public var reporter: String
    public var kind: InformationKind
    public var unitCode: String
    public var unitName: String
    public var address: String
    public var note: String?
    public var reportedOn: String
    public var taskID: UUID
    public var state: String
    public init(id: UUID, reporter: String, kind: InformationKind, unitCode: String, unitName: String, address: String, note: String?, reportedOn: String, taskID: UUID, state: String) {
        self.id = id; self.reporter = reporter; self.kind = kind; self.unitCode = unitCode; self.unitName = unitName; self.address = address; self.note = note
        self.reportedOn = reportedOn; self.taskID = taskID; self.state = state
    }
}
