/// The services' rates, each defined once (targets from seed 003: informed choice and follow-up ≥ 90 %;
/// pre-pregnancy follow-ups from DOMAIN-RULES §2.5: early pregnancy ≥ 80 %, outcome ≥ 55 %).
public enum ServiceIndicator {
    public static let informedChoice = Indicator(code: "S01-informed-choice", module: "services", name: Text("知情选择率", "Informed-choice rate"),
        numerator: Text("记录了知情选择的避孕方法开始", "Method starts with the informed choice recorded"),
        denominator: Text("避孕方法开始（上环、皮埋、绝育、开始用药具、人流后避孕）", "Method starts (insertions, sterilisations, starts, post-abortion methods)"),
        target: 0.90, period: .year, detailPermission: .services(.seeReproductiveHealth))
    public static let followUp = Indicator(code: "S02-follow-up", module: "services", name: Text("随访率", "Follow-up rate"),
        numerator: Text("在时限内完成的随访", "Visits made within their window"),
        denominator: Text("近 12 个月内已到期的随访", "Visits fallen due in the twelve months up to the day"), target: 0.90, period: .day, detailPermission: .services(.seeReproductiveHealth))
    public static let prevalence = Indicator(code: "S03-contraceptive-prevalence", module: "services", name: Text("避孕率", "Contraceptive prevalence"),
        numerator: Text("使用避孕方法的已婚育龄妇女", "Married women of reproductive age using a method"),
        denominator: Text("已婚育龄妇女", "Married women of reproductive age"), target: nil,
        detailPermission: .services(.seeReproductiveHealth))
    public static let checkUpCoverage = Indicator(code: "S04-check-up-coverage", module: "services", name: Text("双查覆盖率", "Check-up coverage"),
        numerator: Text("本轮应查项目均已查的妇女", "Women with every due check done"),
        denominator: Text("期内结束的双查轮次应查妇女（免检除外）", "Women due in the rounds ending in the period (exempt ones aside)"), target: 0.90, period: .year,
        detailPermission: .services(.seeReproductiveHealth))
    public static let prePregnancyCoverage = Indicator(code: "S05-pre-pregnancy-coverage", module: "services", name: Text("孕前优生检查任务完成率", "Pre-pregnancy checks against the quota"),
        numerator: Text("年内检查的夫妇", "Couples checked in the year"), denominator: Text("年度任务数（对）", "The year's quota (couples)"), target: 1.0, period: .year,
        detailPermission: .services(.seeReproductiveHealth))
    public static let earlyPregnancyFollowUp = Indicator(code: "S06-early-pregnancy-follow-up", module: "services", name: Text("早孕随访率", "Early-pregnancy follow-up rate"),
        numerator: Text("随访到结果（已孕或未孕）的", "Followed up with a finding (pregnant or not)"),
        denominator: Text("近 12 个月内已到期的孕前优生早孕随访", "Early-pregnancy follow-ups fallen due in the twelve months up to the day"), target: 0.80, period: .day,
        detailPermission: .services(.seeReproductiveHealth))
    public static let pregnancyOutcomeFollowUp = Indicator(code: "S07-pregnancy-outcome-follow-up", module: "services", name: Text("妊娠结局随访率", "Pregnancy-outcome follow-up rate"),
        numerator: Text("随访到结局（已分娩或未分娩）的", "Followed up with an outcome (delivered or not)"),
        denominator: Text("近 12 个月内已到期的妊娠结局随访", "Outcome follow-ups fallen due in the twelve months up to the day"), target: 0.55, period: .day,
        detailPermission: .services(.seeReproductiveHealth))
}
