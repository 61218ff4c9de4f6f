/// Floating population: stays, certificates, landlords and employers, rosters, departmental files.
public struct MigrantsCoreModule: CoreModule {
    public init() {}
    public let name = "migrants"
    public var grants: [Grant] {
        [Grant(.migrants(.read), Role.personal),
         Grant(.migrants(.write), Role.registering),
         Grant(.migrants(.seeReproductiveHealth), [.provider, .community])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.certificateValidityYears.declare([
            (Day(year: 2009, month: 10, day: 1)!, 3, "《流动人口计划生育工作条例》(国务院令第 555 号, 2009-10-01)"),
         ]),
         PolicyRule.certificateIssuing.declare([
            (Day(year: 1999, month: 1, day: 1)!, true, "《流动人口计划生育工作管理办法》(1998) 与《流动人口计划生育工作条例》(2009): 流动育龄妇女外出前办理婚育证明"),
            (Day(year: 2021, month: 9, day: 26)!, false, "国务院废止《流动人口计划生育工作条例》(2021-09, DOMAIN-RULES §0): 证明只登记外地已发的和查验旧证；仍发放的地方以政策文件开启"),
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

extension PolicyRule where Value == Bool {
    /// 婚育证明发放: whether this office issues (and reissues) certificates on a day. Off since the
    /// 2009 regulation was repealed; registering and checking certificates issued elsewhere goes on.
    public static let certificateIssuing = PolicyRule("migrants.certificate-issuing", Text("本地发放婚育证明", "Issuing certificates here"))
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
