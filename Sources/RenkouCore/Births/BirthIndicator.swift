/// The births' rates, each defined once: registrations decided within their time limit, births
/// within the policy of their day (target from seed 003: ≥ 98 %), and the sex ratio at birth.
public enum BirthIndicator {
    public static let onTime = Indicator(code: "B01-registration-on-time", module: "births", name: Text("生育登记按时办结率", "Birth registrations decided in time"),
        numerator: Text("在办理时限内办结的", "Decided within the time limit"), denominator: Text("期内办结的生育登记", "Registrations decided in the period"),
        target: 1.0, period: .year)
    public static let policyCompliant = Indicator(code: "B02-policy-compliant-births", module: "births", name: Text("政策生育率", "Policy-compliant birth rate"),
        numerator: Text("孩次在出生当日生育政策之内的出生", "Births whose order the policy of their day allowed"),
        denominator: Text("期内出生（孩次已知）", "Births of the period (order known)"), target: 0.98, period: .year)
    public static let benefitAccuracy = Indicator(code: "B04-benefit-accuracy", module: "births", name: Text("扶助名单准确率", "Benefit lists right at approval"),
        numerator: Text("审批后未作更正的", "Needing no correction after approval"), denominator: Text("期内审批的名单中符合条件的行", "Eligible lines of the lists approved for the year"),
        target: 1.0, period: .year)
    public static let onTimePayment = Indicator(code: "B05-payment-on-time", module: "births", name: Text("扶助资金按时兑现率", "Benefits paid on time"),
        numerator: Text("在兑现期限内到账的", "Paid by the deadline"), denominator: Text("期内审批、期限已到或已到账的应发行", "Payable lines of the year's approved lists, due or paid"),
        target: 1.0, period: .year)
    public static let childcareCoverage = Indicator(code: "B06-childcare-subsidy-paid", module: "births", name: Text("育儿补贴发放到位率", "Childcare subsidy paid"),
        numerator: Text("已到账的", "Paid into the account"), denominator: Text("期内名单中符合条件且未剔除的孩子", "Eligible children on the period's lists, not removed"),
        target: 1.0, period: .year)
    public static let sexRatio = Indicator(code: "B03-sex-ratio-at-birth", module: "births", name: Text("出生人口性别比", "Sex ratio at birth"),
        numerator: Text("出生男婴", "Boys born"), denominator: Text("出生女婴", "Girls born"), unit: .per100, target: nil, period: .year)
}
