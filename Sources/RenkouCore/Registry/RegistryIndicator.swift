/// The registry's data-quality rates (主要项目完整率, 逻辑关系准确率), counted over active records on a day.
/// Target: the seed's accuracy of the registry, 98 % (seed 002, 入户抽查).
public enum RegistryIndicator {
    public static let completeness = Indicator(
        code: "R01-completeness", module: "registry", name: Text("主要项目完整率", "Key-field completeness"),
        numerator: Text("主要项目齐全的在册人员", "Active records with every key field filled"),
        denominator: Text("在册人员", "Active records"), target: 0.98)
    public static let consistency = Indicator(
        code: "R02-consistency", module: "registry", name: Text("逻辑关系准确率", "Consistency"),
        numerator: Text("通过全部逻辑检查的在册人员", "Active records passing every consistency rule"),
        denominator: Text("在册人员", "Active records"), target: 0.98)
    public static let all = [completeness, consistency]
}
