/// Births and benefits (生育登记、奖励扶助): birth registration with its legal time limit, judged by the
/// birth policy of its date; later, the benefit programmes. Policy rules are dated: today's law is the
/// default, older records are judged by the rules of their date.
public struct BirthsCoreModule: CoreModule {
    public init() {}
    public let name = "births"
    public var grants: [Grant] {
        [Grant(.births(.read), Role.personal),
         // Community and street offices handle registrations; a grid worker may submit one as a proxy.
         Grant(.births(.write), Role.registering),
         // 审批: the district approves a benefit run it cannot edit.
         Grant(.births(.approve), [.admin, .district])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.registrationLimit.declare([
            (Day(year: 2016, month: 1, day: 1)!, 7, "生育登记办理时限：多数地方为受理后 7 个工作日（广东 2020：法定及承诺 7 个工作日；湖南 2016：10 个工作日；DOMAIN-RULES §4.3，无全国统一时限）；各地以政策文件调整"),
         ]),
         PolicyRule.birthPolicy.declare([
            (Day(year: 1949, month: 10, day: 1)!, BirthPolicy(childrenAllowed: 99, approvalForMore: false, document: .serviceCertificate),
             "1980 年公开信之前无全国性的子女数限制（1970 年代提倡“晚、稀、少”），各地规定不一；此前出生不判政策外"),
            (Day(year: 1980, month: 9, day: 25)!, BirthPolicy(childrenAllowed: 1, approvalForMore: true, document: .serviceCertificate),
             "《中共中央关于控制我国人口增长问题致全体共产党员、共青团员的公开信》(1980-09-25)；再生育须审批（各省条例），一孩领取生育服务证"),
            (Day(year: 2016, month: 1, day: 1)!, BirthPolicy(childrenAllowed: 2, approvalForMore: true, document: .registration),
             "《人口与计划生育法》2015 年修正（2016-01-01 施行，全面两孩）；国卫办指导发〔2016〕20号 生育登记；三孩及以上仍须再生育审批 (DOMAIN-RULES §4.1)"),
            (Day(year: 2021, month: 5, day: 31)!, BirthPolicy(childrenAllowed: 3, approvalForMore: true, document: .registration),
             "三孩生育政策（中央政治局会议 2021-05-31；DOMAIN-RULES §0）"),
            (Day(year: 2021, month: 8, day: 20)!, BirthPolicy(childrenAllowed: 3, approvalForMore: false, document: .registration),
             "《人口与计划生育法》2021 年修正（2021-08-20 施行）：一对夫妻可以生育三个子女，取消社会抚养费；国卫办人口发〔2021〕21号 生育登记不作审批 (DOMAIN-RULES §4.1)"),
         ]),
         PolicyRule.benefitAmounts.declare([
            (Day(year: 2012, month: 1, day: 1)!, BenefitAmounts(childcarePerMonth: 0, rewardPerYear: 960, specialDeathPerMonth: 135, specialDisabledPerMonth: 110, complicationPerMonth: [0, 0, 0]),
             "奖扶 960 元/年（2012，DOMAIN-RULES §5.1）；特扶独生子女死亡 135 元/月、伤残 110 元/月（2012，§5.2）"),
            (Day(year: 2014, month: 1, day: 1)!, BenefitAmounts(childcarePerMonth: 0, rewardPerYear: 960, specialDeathPerMonth: 340, specialDisabledPerMonth: 270, complicationPerMonth: [400, 300, 200]),
             "特扶 2014-01-01 城镇 死亡 340、伤残 270 元/月（§5.2；城乡 2016 年前后统一，本系统按城镇标准）；并发症扶助 400/300/200（2022 年调整前标准）"),
            (Day(year: 2016, month: 1, day: 1)!, BenefitAmounts(childcarePerMonth: 0, rewardPerYear: 960, specialDeathPerMonth: 450, specialDisabledPerMonth: 350, complicationPerMonth: [400, 300, 200]),
             "特扶独生子女死亡 450、伤残 350 元/月（2022 年通知所称原标准，生效日期未查到，按 2016 年计，§5.2）"),
            (Day(year: 2022, month: 7, day: 1)!, BenefitAmounts(childcarePerMonth: 0, rewardPerYear: 960, specialDeathPerMonth: 590, specialDisabledPerMonth: 460, complicationPerMonth: [520, 390, 260]),
             "财政部、国家卫健委 2022 年通知：特扶死亡 590、伤残 460 元/月，并发症一、二、三级 520/390/260 元/月（2022-07-01，§5.2）"),
            (Day(year: 2025, month: 1, day: 1)!, BenefitAmounts(childcarePerMonth: 300, rewardPerYear: 960, specialDeathPerMonth: 590, specialDisabledPerMonth: 460, complicationPerMonth: [520, 390, 260]),
             "中办、国办《育儿补贴制度实施方案》（2025-07-28 公布，2025-01-01 起）：每孩每年 3600 元，按月 300 元（§5.4）"),
         ]),
         PolicyRule.benefitEligibility.declare([
            (Day(year: 2004, month: 1, day: 1)!, BenefitEligibility(rewardMinAge: 60, bornFrom: "1933-01-01", rewardYoungestFrom: "1980-01-01", rewardYoungestTo: "2015-12-31",
                                                                    specialMotherMinAge: 49),
             "奖扶：年满 60 周岁、1933-01-01 以后出生、农业户口、现有一孩或两女、最小子女 1980–2015 年出生（湖北、平阳，DOMAIN-RULES §5.1）；特扶：女方年满 49 周岁（§5.2）"),
         ]),
         PolicyRule.onlyChildReward.declare([
            (Day(year: 2015, month: 1, day: 1)!, OnlyChildReward(form: .yearly, amount: 960, fromAge: 60, childBornFrom: "1980-09-25", childBornTo: "2015-12-31", urbanOnly: true),
             "城镇独生子女父母年满 60 周岁每月不低于 80 元、按年发放（河南 2015-01-01 起，cnfl.com.cn 2015-06-10，DOMAIN-RULES §5.3）；各地形式与标准不一（按月随养老金、一次性 3,600 元等），以本地政策文件调整"),
         ]),
         PolicyRule.postingDays.declare([
            (Day(year: 2004, month: 1, day: 1)!, 7, "公示 7 天（相关地方办法，奖扶/特扶未查到统一天数，DOMAIN-RULES §5.5）；各地以政策文件调整"),
         ]),
         PolicyRule.paymentDays.declare([
            (Day(year: 2004, month: 1, day: 1)!, 30,
             "审批后 30 个工作日内到账：参照《育儿补贴制度管理规范（试行）》(2025-09) 初审确认 30 个工作日、每季度至少集中发放一次；奖扶/特扶无全国统一兑现时限（DOMAIN-RULES §5.4–5.5），各地以政策文件调整"),
         ]),
         PolicyRule.familyVisitDays.declare([
            (Day(year: 2016, month: 1, day: 1)!, 30, "计划生育特殊家庭“双岗联系人”制度：联系人定期走访（各地多为每月一次；种子文件 003 生育关怀）；各地以政策文件调整"),
         ]),
         PolicyRule.maintenanceFee.declare([
            (Day(year: 2002, month: 9, day: 1)!, MaintenanceFeeRule(collectable: true),
             "《人口与计划生育法》(2001) 第四十一条；国务院《社会抚养费征收管理办法》(2002-09-01 施行) (DOMAIN-RULES §6)"),
            (Day(year: 2021, month: 8, day: 20)!, MaintenanceFeeRule(collectable: false),
             "《人口与计划生育法》2021 年修正（2021-08-20 施行）删去原第四十一、四十二条，取消社会抚养费；已征收的不予退还，未征收的不再征收（国家卫健委答记者问，DOMAIN-RULES §6）"),
         ]),
         PolicyRule.feeLedger.declare([
            (Day(year: 2002, month: 9, day: 1)!, false, "默认关闭：需要保留历史社会抚养费案件的部署在政策文件中开启（births.fee-ledger = true）"),
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

extension PolicyRule where Value == Int {
    /// 特殊家庭走访周期: days between visits to a special family.
    public static let familyVisitDays = PolicyRule("births.family-visit-days", Text("特殊家庭走访周期（天）", "Days between visits to a special family"))
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
