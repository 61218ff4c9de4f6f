/// The floating-population rates, each defined once (numerator, denominator, target) so that pages,
/// API and the assessment module compute and explain them the same way. Targets come from the seeds
/// (registration 95 %, certificates 70 %, agreements 95 %); each is counted on a day.
public enum MigrantIndicator {

    public static let registration = Indicator(code: "M01-registration", module: "migrants", name: Text("流动人口信息登记率", "Migrant registration rate"),
        numerator: Text("花名册上已登记的流入人口", "Inflow migrants on rosters who are registered"),
        denominator: Text("花名册上发现的流入人口（含未登记者）", "Inflow migrants found on rosters (registered or not)"), target: 0.95)
    public static let certificateHolding = Indicator(code: "M02-certificate-holding", module: "migrants", name: Text("婚育证明持证率", "Certificate holding rate"),
        numerator: Text("持有效婚育证明的流入育龄妇女", "Inflow women of reproductive age holding a valid certificate"),
        denominator: Text("流入育龄妇女", "Inflow women of reproductive age"), target: 0.70)
    public static let certificateVerification = Indicator(code: "M03-certificate-verification", module: "migrants", name: Text("婚育证明验证率", "Certificate verification rate"),
        numerator: Text("婚育证明已验证的", "Those whose certificate has been verified"),
        denominator: Text("持有效婚育证明的流入育龄妇女", "Inflow women of reproductive age holding a valid certificate"), target: 0.70)
    public static let landlordAgreements = Indicator(code: "M04-landlord-agreements", module: "migrants", name: Text("出租户协议签订率", "Landlord agreement rate"),
        numerator: Text("有有效协议的出租户", "Landlords with a valid agreement"), denominator: Text("出租户", "Landlords"), target: 0.95)
    public static let employerAgreements = Indicator(code: "M05-employer-agreements", module: "migrants", name: Text("用工单位协议签订率", "Employer agreement rate"),
        numerator: Text("有有效协议的用工单位和物业公司", "Employers and property companies with a valid agreement"),
        denominator: Text("用工单位和物业公司", "Employers and property companies"), target: 0.95)

    public static let all: [Indicator] = [registration, certificateHolding, certificateVerification, landlordAgreements, employerAgreements]
    public static func named(_ code: String) -> Indicator? { all.first { $0.code == code } }
}
