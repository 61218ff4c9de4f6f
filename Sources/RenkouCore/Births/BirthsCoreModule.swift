/// Births and benefits (生育登记、奖励扶助): birth registration with its legal time limit, judged by the
/// birth policy of its date; later, the benefit programmes. Policy rules are dated: today's law is the
/// default, older records are judged by the rules of their date.
public struct BirthsCoreModule: CoreModule {
    public init() {}
    public let name = "births"
    public var grants: [Grant] {
        [Grant(.births(.read), Set(Role.allCases)),
         // Community and street offices handle registrations; a grid worker may submit one as a proxy.
         Grant(.births(.write), Role.registering)]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.registrationLimit.declare([
            (Day(year: 2016, month: 1, day: 1)!, 7, "生育登记办理时限：多数地方为受理后 7 个工作日（广东 2020：法定及承诺 7 个工作日；湖南 2016：10 个工作日；DOMAIN-RULES §4.3，无全国统一时限）；各地以政策文件调整"),
         ]),
         PolicyRule.birthPolicy.declare([
            (Day(year: 1980, month: 9, day: 25)!, BirthPolicy(childrenAllowed: 1, approvalForMore: true, document: .serviceCertificate),
             "《中共中央关于控制我国人口增长问题致全体共产党员、共青团员的公开信》(1980-09-25)；再生育须审批（各省条例），一孩领取生育服务证"),
            (Day(year: 2016, month: 1, day: 1)!, BirthPolicy(childrenAllowed: 2, approvalForMore: true, document: .registration),
             "《人口与计划生育法》2015 年修正（2016-01-01 施行，全面两孩）；国卫办指导发〔2016〕20号 生育登记；三孩及以上仍须再生育审批 (DOMAIN-RULES §4.1)"),
            (Day(year: 2021, month: 5, day: 31)!, BirthPolicy(childrenAllowed: 3, approvalForMore: true, document: .registration),
             "三孩生育政策（中央政治局会议 2021-05-31；DOMAIN-RULES §0）"),
            (Day(year: 2021, month: 8, day: 20)!, BirthPolicy(childrenAllowed: 3, approvalForMore: false, document: .registration),
             "《人口与计划生育法》2021 年修正（2021-08-20 施行）：一对夫妻可以生育三个子女，取消社会抚养费；国卫办人口发〔2021〕21号 生育登记不作审批 (DOMAIN-RULES §4.1)"),
         ]),
         PolicyRule.childCount.declare([
            (Day(year: 2016, month: 1, day: 1)!, ChildCountRules(countDeceased: false, countAdopted: false, countFromEarlierMarriages: false),
             "子女数计算：再婚前子女、收养子女、死亡子女不计入（湖南 湘卫人口家庭发〔2022〕1号 等，DOMAIN-RULES §4.2）；各地以政策文件调整"),
         ])]
    }
}

extension Permission {
    /// A permission of the births and benefits module.
    public static func births(_ action: Action) -> Permission { Permission("births", action) }
}

extension PolicyRule where Value == Int {
    /// 生育登记办理时限: working days from a complete application to the decision.
    public static let registrationLimit = PolicyRule("births.registration-limit", Text("生育登记办理时限（工作日）", "Birth registration time limit (working days)"))
}

extension PolicyRule where Value == BirthPolicy {
    /// 生育政策: how many children a couple may have on a day, and whether more needed an approval.
    public static let birthPolicy = PolicyRule("births.birth-policy", Text("生育政策", "Birth policy"))
}

extension PolicyRule where Value == ChildCountRules {
    /// 子女数计算规则: which children count towards a couple's number.
    public static let childCount = PolicyRule("births.child-count", Text("子女数计算规则", "Which children count"))
}

extension FieldTask.Kind {
    /// 生育登记: a birth registration waiting for its decision.
    public static let birthRegistration = Self("birth-registration")
}
