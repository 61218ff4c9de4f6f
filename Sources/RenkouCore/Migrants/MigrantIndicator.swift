/// The floating-population rates, each defined once (numerator, denominator, target) so that pages,
/// API and the assessment module compute and explain them the same way. Targets come from the seeds.
public struct MigrantIndicator: Sendable, Codable, Equatable {
    public let code: String
    public let name: Text
    public let numerator: Text
    public let denominator: Text
    /// The target as a fraction (0.95 for 95 %).
    public let target: Double

    public static let registration = MigrantIndicator(code: "M01-registration", name: Text("流动人口信息登记率", "Migrant registration rate"),
        numerator: Text("花名册上已登记的流入人口", "Inflow migrants on rosters who are registered"),
        denominator: Text("花名册上发现的流入人口（含未登记者）", "Inflow migrants found on rosters (registered or not)"), target: 0.95)
    public static let certificateHolding = MigrantIndicator(code: "M02-certificate-holding", name: Text("婚育证明持证率", "Certificate holding rate"),
        numerator: Text("持有效婚育证明的流入育龄妇女", "Inflow women of reproductive age holding a valid certificate"),
        denominator: Text("流入育龄妇女", "Inflow women of reproductive age"), target: 0.70)
    public static let certificateVerification = MigrantIndicator(code: "M03-certificate-verification", name: Text("婚育证明验证率", "Certificate verification rate"),
        numerator: Text("婚育证明已验证的", "Those whose certificate has been verified"),
        denominator: Text("持有效婚育证明的流入育龄妇女", "Inflow women of reproductive age holding a valid certificate"), target: 0.70)
    public static let landlordAgreements = MigrantIndicator(code: "M04-landlord-agreements", name: Text("出租户协议签订率", "Landlord agreement rate"),
        numerator: Text("有有效协议的出租户", "Landlords with a valid agreement"), denominator: Text("出租户", "Landlords"), target: 0.95)
    public static let employerAgreements = MigrantIndicator(code: "M05-employer-agreements", name: Text("用工单位协议签订率", "Employer agreement rate"),
        numerator: Text("有有效协议的用工单位和物业公司", "Employers and property companies with a valid agreement"),
        denominator: Text("用工单位和物业公司", "Employers and property companies"), target: 0.95)

    public static let all: [MigrantIndicator] = [registration, certificateHolding, certificateVerification, landlordAgreements, employerAgreements]
    public static func named(_ code: String) -> MigrantIndicator? { all.first { $0.code == code } }
}

/// An indicator's figures for a unit on a day. The rate is nil when there is nothing to count.
public struct RateFigure: Sendable, Codable, Equatable {
    public let code: String
    public let numerator: Int
    public let denominator: Int
    public let target: Double
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
    public var meetsTarget: Bool? { rate.map { $0 >= target - 1e-9 } }
    public init(code: String, numerator: Int, denominator: Int, target: Double) {
        self.code = code; self.numerator = numerator; self.denominator = denominator; self.target = target
    }
}
