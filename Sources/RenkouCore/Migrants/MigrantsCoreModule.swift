/// Floating population: stays, certificates, landlords and employers, rosters, departmental files.
public struct MigrantsCoreModule: CoreModule {
    public init() {}
    public let name = "migrants"
    public var grants: [Grant] {
        [Grant(.migrants(.read), Set(Role.allCases)),
         Grant(.migrants(.write), Role.registering),
         Grant(.migrants(.seeReproductiveHealth), [.provider, .community])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.certificateValidityYears.declare([
            (Day(year: 2009, month: 10, day: 1)!, 3, "《流动人口计划生育工作条例》(国务院令第 555 号, 2009-10-01)"),
        ])]
    }
}

extension Permission {
    /// A permission of the floating-population module.
    public static func migrants(_ action: Action) -> Permission { Permission("migrants", action) }
}

extension PolicyRule where Value == Int {
    /// 婚育证明有效期: years of validity of a certificate, by its issue date.
    public static let certificateValidityYears = PolicyRule("migrants.certificate-validity-years", Text("婚育证明有效年限", "Certificate validity in years"))
}

extension FieldTask.Kind {
    /// 登记: someone on a roster is not in the registry.
    public static let register = Self("register")
    /// 离开核实: someone left a roster; check and record the departure.
    public static let departure = Self("departure")
    /// 婚育证明即将到期 (computed).
    public static let certificateExpiring = Self("certificate-expiring")
    /// 协议即将到期 (computed).
    public static let agreementExpiring = Self("agreement-expiring")
}
