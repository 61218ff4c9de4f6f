/// The services' rates, each defined once (targets from seed 003: informed choice and follow-up ≥ 90 %).
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
}
