import Foundation

/// A person in the registry (全员人口). Every other module refers to a person by id.
public struct Person: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    /// 公民身份号码; nil for a child registered before its hukou registration gave one (added later and
    /// then checked like any other).
    public var idNumber: String?
    /// The residence unit (community or grid) that owns the record.
    public var unitID: UUID
    public var unitCode: String
    public var unitName: String
    /// The owning unit's materialised path: the scope filter is a prefix match on it.
    public var path: String
    public var createdAt: String
    public var updatedAt: String
    /// GB/T 2261.1 code: 1 male, 2 female, 0 unknown, 9 unstated.
    public var sex: String = "0"
    public var birthDate: String?
    /// GB 3304 two-digit code.
    public var ethnicGroup: String?
    public var education: String?
    public var occupation: String?
    /// 户口性质: agricultural, non-agricultural, resident.
    public var hukouType: String?
    /// GB/T 2260 code and address of the hukou (户籍地).
    public var hukouRegion: String?
    public var hukouAddress: String?
    /// 现居住地址.
    public var address: String?
    public var building: String?
    public var room: String?
    public var phone: String?
    /// GB/T 2261.2 code.
    public var maritalStatus: String?
    public var firstMarriageDate: String?
    /// active, moved-away, deceased.
    public var status: String = "active"
    /// registered, inflow, outflow, separated.
    public var category: String = "registered"
    /// Data-quality flags on the record, such as `id-checksum` for a confirmed wrong check character.
    public var flags: [String] = []
    /// Family links, set by life events (birth, marriage, divorce).
    public var motherID: UUID?
    public var fatherID: UUID?
    public var spouseID: UUID?
    /// 孩次: the child's place among its mother's children.
    public var birthOrder: Int?

    public init(id: UUID, name: String, idNumber: String?, unitID: UUID, unitCode: String, unitName: String,
                path: String, createdAt: String, updatedAt: String) {
        self.id = id; self.name = name; self.idNumber = idNumber; self.unitID = unitID; self.unitCode = unitCode
        self.unitName = unitName; self.path = path; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// What a page shows for a missing ID number.
    public static let pendingIDNumber = Text("尚无（待户口登记）", "none yet (hukou registration pending)")

    /// The ID number as a page shows it: the number, or that it is still to come.
    public func idNumberShown(_ lang: Lang) -> String { idNumber ?? Self.pendingIDNumber(lang) }

    /// Age in whole years on a day; nil without a birth date.
    public func age(on day: Day) -> Int? {
        birthDate.flatMap(Day.init)?.age(on: day)
    }

    /// 育龄妇女: a woman whose age is in the policy's reproductive range on the day (15–49). Derived, never typed.
    public func isWomanOfReproductiveAge(on day: Day, policy: Policy) -> Bool {
        guard sex == "2", let age = age(on: day) else { return false }
        return policy(.reproductiveAge, on: day).contains(age)
    }

    /// 已婚育龄妇女: a woman of reproductive age whose marital status is one of the married codes (2x).
    public func isMarriedWomanOfReproductiveAge(on day: Day, policy: Policy) -> Bool {
        isWomanOfReproductiveAge(on: day, policy: policy) && (maritalStatus?.hasPrefix("2") ?? false)
    }
}
