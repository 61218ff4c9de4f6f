/// The population registry: persons, households, life events, data quality, imports.
public struct RegistryCoreModule: CoreModule {
    public init() {}
    public let name = "registry"
    public var grants: [Grant] {
        [Grant(.registry(.read), Role.personal),
         Grant(.registry(.write), Role.registering),
         // The workers of the unit that holds a record correct it; deleting and merging stay with administrators.
         Grant(.registry(.correct), Role.registering),
         Grant(.registry(.export), Role.personal),
         // Lists with ID numbers in clear go to those who pass them to other departments, with a stated reason.
         Grant(.registry(.exportUnmasked), [.admin, .district, .street]),
         Grant(.registry(.administer), [.admin])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.reproductiveAge.declare([
            (Day(year: 1980, month: 1, day: 1)!, AgeRange(min: 15, max: 49), "国家统计口径：育龄妇女为 15–49 周岁的妇女"),
         ]),
         PolicyRule.legalMarriageAge.declare([
            (Day(year: 1950, month: 5, day: 1)!, MarriageAge(male: 20, female: 18), "《中华人民共和国婚姻法》(1950) 第四条"),
            (Day(year: 1981, month: 1, day: 1)!, MarriageAge(male: 22, female: 20), "《中华人民共和国婚姻法》(1980) 第六条；《民法典》第一千零四十七条 (2021-01-01)"),
         ])]
    }
}

extension Permission {
    /// A permission of the registry module.
    public static func registry(_ action: Action) -> Permission { Permission("registry", action) }
}

/// An inclusive range of ages in whole years.
public struct AgeRange: Codable, Sendable, Equatable {
    public var min: Int
    public var max: Int
    public init(min: Int, max: Int) { self.min = min; self.max = max }
    public func contains(_ age: Int) -> Bool { (min...max).contains(age) }
}

/// 法定婚龄: the minimum ages for marriage.
public struct MarriageAge: Codable, Sendable, Equatable {
    public var male: Int
    public var female: Int
    public init(male: Int, female: Int) { self.male = male; self.female = female }
}

extension PolicyRule where Value == AgeRange {
    /// 育龄妇女: the ages of a woman of reproductive age.
    public static let reproductiveAge = PolicyRule("registry.reproductive-age", Text("育龄妇女年龄", "Reproductive age of women"))
}

extension PolicyRule where Value == MarriageAge {
    /// 法定婚龄, by the date of the marriage.
    public static let legalMarriageAge = PolicyRule("registry.legal-marriage-age", Text("法定婚龄", "Legal marriage age"))
}
