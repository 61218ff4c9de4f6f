/// Reproductive-health and family-planning services (生殖健康/计划生育服务): methods and informed
/// choice, procedures, follow-ups. Methods, procedures and findings are reproductive-health details:
/// only the service roles (`services.see-rh`) read them; the others see that a visit is due.
public struct ServicesCoreModule: CoreModule {
    public init() {}
    public let name = "services"
    public var grants: [Grant] {
        [Grant(.services(.read), Role.personal),
         // Providers record services; the workers of the units record the follow-up visits they make.
         Grant(.services(.write), Role.registering.union([.provider])),
         Grant(.services(.seeReproductiveHealth), [.provider, .community]),
         // The district and the streets split the yearly pre-pregnancy quota among their units.
         Grant(.services(.plan), [.admin, .district, .street])]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.followUpSchedules.declare([
            (Day(year: 2006, month: 1, day: 1)!, FollowUpSchedules.shipped,
             "《基层育龄妇女信息系统服务信息引导工作规范（试行）》(国家人口计生委, 2005-12-02, 2006-01-01 起): 上取环、皮埋术后 30–60 天无随访即列入; 取皮埋 90–180 天; 门诊随访常规: 上环 1、3、6、12 个月后每年, 结扎 3–7 天及 3、6 个月, 人流 1、3、6 个月 (DOMAIN-RULES §1); 针剂 84/91 天 (OpenSRP FP 规则)"),
         ]),
         PolicyRule.checkUpRules.declare([
            (Day(year: 2006, month: 1, day: 1)!, CheckUpRules.shipped,
             "《基层育龄妇女信息系统服务信息引导工作规范（试行）》(2005): 孕情监测对象除待孕、已孕、产后 30 天内、终止非意愿妊娠 30 天内、绝育满 1 年等; 每年轮次由地方确定 (2–4 次, DOMAIN-RULES §1.6)"),
         ]),
         PolicyRule.methodsExplainedMinimum.declare([
            (Day(year: 2001, month: 12, day: 29)!, 3, "知情选择协议：了解至少 3 种方法及 1 种紧急避孕方法 (DOMAIN-RULES §3.1, 地方规范)"),
         ])]
    }
}

extension Permission {
    /// A permission of the services module.
    public static func services(_ action: Action) -> Permission { Permission("services", action) }
}

extension PolicyRule where Value == FollowUpSchedules {
    /// 随访时间表: the follow-up visits each service or method asks for, with their windows.
    public static let followUpSchedules = PolicyRule("services.follow-up-schedules", Text("随访时间表", "Follow-up schedules"))
}

extension PolicyRule where Value == Int {
    /// 知情选择: how many methods (besides emergency contraception) a counselling explains at least.
    public static let methodsExplainedMinimum = PolicyRule("services.methods-explained-minimum", Text("知情选择至少介绍的方法数", "Methods a counselling explains at least"))
}

extension FieldTask.Kind {
    /// 随访: a follow-up visit after a service or for a method user (the task names no method).
    public static let followUp = Self("follow-up")
}
