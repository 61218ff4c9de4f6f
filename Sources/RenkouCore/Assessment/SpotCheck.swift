import Foundation

/// 入户抽查: households of a community drawn at random from a recorded seed (the same seed draws the
/// same households), visited by a team with a sheet of what the registry says, what was found at the
/// door entered field by field; the accuracy (帐实相符率) counts the fields that matched.
public struct SpotCheck: Sendable, Codable, Equatable {
    public var id: UUID
    public var unitCode: String
    public var unitName: String
    public var year: Int
    public var seed: Int
    public var drawnOn: String
    public var households: Int
    public var visited: Int
    /// Fields compared (and people found who were not on the registry's list).
    public var checked: Int
    public var matched: Int
    public var accuracy: Double? { checked == 0 ? nil : Double(matched) / Double(checked) }
    public init(id: UUID, unitCode: String, unitName: String, year: Int, seed: Int, drawnOn: String, households: Int, visited: Int, checked: Int, matched: Int) {
        self.id = id; self.unitCode = unitCode; self.unitName = unitName; self.year = year; self.seed = seed; self.drawnOn = drawnOn; self.households = households
        self.visited = visited; self.checked = checked; self.matched = matched
    }
    /// 50–60 households a community (seed 002); 50 when not asked.
    public static let defaultSize = 50
}

/// A person on a visit sheet, as the registry has her.
public struct SheetMember: Sendable, Codable, Equatable {
    public var personID: UUID
    public var name: String
    public var sex: String
    public var birthDate: String?
    public var maritalStatus: String?
    public init(personID: UUID, name: String, sex: String, birthDate: String?, maritalStatus: String?) {
        self.personID = personID; self.name = name; self.sex = sex; self.birthDate = birthDate; self.maritalStatus = maritalStatus
    }
}

/// A household on a visit sheet.
public struct SheetHousehold: Sendable, Codable, Equatable {
    public var householdID: UUID
    public var number: String
    public var address: String?
    public var position: Int
    public var visitedOn: String?
    public var members: [SheetMember]
    public init(householdID: UUID, number: String, address: String?, position: Int, visitedOn: String?, members: [SheetMember]) {
        self.householdID = householdID; self.number = number; self.address = address; self.position = position; self.visitedOn = visitedOn; self.members = members
    }
}

/// What the team found of one registered member: whether she lives there, and each field as found
/// (nil: not asked).
public struct MemberFinding: Sendable, Codable, Equatable {
    public var person: UUID
    public var present: Bool
    public var name: String?
    public var sex: String?
    public var birthDate: String?
    public var maritalStatus: String?
    public init(person: UUID, present: Bool, name: String? = nil, sex: String? = nil, birthDate: String? = nil, maritalStatus: String? = nil) {
        self.person = person; self.present = present; self.name = name; self.sex = sex; self.birthDate = birthDate; self.maritalStatus = maritalStatus
    }
}

/// Someone found living in the household who is not on the registry's list (a birth not registered …).
public struct UnlistedPerson: Sendable, Codable, Equatable {
    public var name: String
    public var birthDate: String?
    public var note: String?
    public init(name: String, birthDate: String? = nil, note: String? = nil) { self.name = name; self.birthDate = birthDate; self.note = note }
}

/// One household's visit.
public struct HouseholdVisit: Sendable, Codable, Equatable {
    public var household: UUID
    public var day: String?
    public var members: [MemberFinding]
    public var unlisted: [UnlistedPerson]
    public init(household: UUID, day: String? = nil, members: [MemberFinding], unlisted: [UnlistedPerson] = []) {
        self.household = household; self.day = day; self.members = members; self.unlisted = unlisted
    }
    /// `unlisted` may be left out (nobody found who is not on the list).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        household = try c.decode(UUID.self, forKey: .household)
        day = try c.decodeIfPresent(String.self, forKey: .day)
        members = try c.decode([MemberFinding].self, forKey: .members)
        unlisted = try c.decodeIfPresent([UnlistedPerson].self, forKey: .unlisted) ?? []
    }
}

extension FieldTask.Kind {
    /// 抽查核实: a difference found at the door, for the worker to check and correct (nothing changes by itself).
    public static let spotCheck = Self("spot-check")
}

/// The assessment's own figures.
public enum AssessmentIndicator {
    /// 帐实相符率: the fields of the year's spot checks that matched the registry (people not on it count
    /// as a field that did not).
    public static let accuracy = Indicator(code: "A01-spot-check-accuracy", module: "assessment", name: Text("入户抽查帐实相符率", "Spot-check accuracy"),
        numerator: Text("与登记一致的项", "Fields as registered"), denominator: Text("本年抽查核对的项（含未登记人员）", "Fields checked this year (people not registered included)"),
        target: 0.98, period: .year)
}
