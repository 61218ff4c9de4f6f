import Foundation

/// 户: a household, family or collective, with its members and their relation to the head.
public struct Household: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    /// 户号.
    public var number: String
    public var unitID: UUID
    public var unitCode: String
    public var unitName: String
    public var path: String
    public var address: String?
    /// family or collective (家庭户 / 集体户).
    public var type: String
    public var createdAt: String
    /// In lists: the current head's name (户主) and how many live in it now.
    public var headName: String?
    public var memberCount: Int?
    public init(id: UUID, number: String, unitID: UUID, unitCode: String, unitName: String, path: String,
                address: String?, type: String, createdAt: String) {
        self.id = id; self.number = number; self.unitID = unitID; self.unitCode = unitCode; self.unitName = unitName
        self.path = path; self.address = address; self.type = type; self.createdAt = createdAt
    }

    public static let types: [Codes.Entry] = [
        Codes.Entry(code: "family", label: Text("家庭户", "Family household")), Codes.Entry(code: "collective", label: Text("集体户", "Collective household")),
    ]

    /// Relation to the head of the household, after GB/T 4761 (家庭关系代码), at its top level.
    public static let relations: [Codes.Entry] = [
        Codes.Entry(code: "02", label: Text("户主", "Head")), Codes.Entry(code: "10", label: Text("配偶", "Spouse")),
        Codes.Entry(code: "20", label: Text("儿子", "Son")), Codes.Entry(code: "30", label: Text("女儿", "Daughter")),
        Codes.Entry(code: "40", label: Text("孙子女", "Grandchild")), Codes.Entry(code: "50", label: Text("父母", "Parent")),
        Codes.Entry(code: "60", label: Text("祖父母", "Grandparent")), Codes.Entry(code: "70", label: Text("兄弟姐妹", "Sibling")),
        Codes.Entry(code: "80", label: Text("其他亲属", "Other relative")), Codes.Entry(code: "99", label: Text("非亲属", "Not related")),
    ]
    public static let headRelation = "02"
}

/// One membership of a person in a household; `leftOn` is set when it ended (history is kept).
public struct HouseholdMember: Sendable, Codable, Equatable {
    public var personID: UUID
    public var name: String
    /// nil for a child before its hukou registration.
    public var idNumber: String?
    public var relation: String
    public var joinedOn: String
    public var leftOn: String?
    public init(personID: UUID, name: String, idNumber: String?, relation: String, joinedOn: String, leftOn: String?) {
        self.personID = personID; self.name = name; self.idNumber = idNumber; self.relation = relation; self.joinedOn = joinedOn; self.leftOn = leftOn
    }
    public var isCurrent: Bool { leftOn == nil }
}

/// A household with every membership, current ones first.
public struct HouseholdDetail: Sendable, Codable, Equatable {
    public var household: Household
    public var members: [HouseholdMember]
    public init(household: Household, members: [HouseholdMember]) { self.household = household; self.members = members }
    public var current: [HouseholdMember] { members.filter(\.isCurrent) }
    public var head: HouseholdMember? { current.first { $0.relation == Household.headRelation } }
}

/// A person's current household, as shown on their page.
public struct Membership: Sendable, Codable, Equatable {
    public var householdID: UUID
    public var number: String
    public var relation: String
    public init(householdID: UUID, number: String, relation: String) { self.householdID = householdID; self.number = number; self.relation = relation }
}
