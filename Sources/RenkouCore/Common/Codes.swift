/// Code tables of the person record: GB/T 2261.1 sex, GB/T 2261.2 marital status, GB 3304 ethnic
/// groups, hukou type, record status and population category. Each code has zh-Hans and en labels.
public enum Codes {
    public struct Entry: Sendable, Equatable {
        public let code: String
        public let label: Text
        public init(code: String, label: Text) { self.code = code; self.label = label }
    }

    /// GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unstated.
    public static let sex: [Entry] = [
        Entry(code: "1", label: Text("男", "Male")), Entry(code: "2", label: Text("女", "Female")),
        Entry(code: "0", label: Text("未知", "Unknown")), Entry(code: "9", label: Text("未说明", "Unstated")),
    ]

    /// GB/T 2261.2 marital status. 2x codes are all "married".
    public static let maritalStatus: [Entry] = [
        Entry(code: "10", label: Text("未婚", "Unmarried")), Entry(code: "20", label: Text("已婚", "Married")),
        Entry(code: "21", label: Text("初婚", "First marriage")), Entry(code: "22", label: Text("再婚", "Remarried")),
        Entry(code: "23", label: Text("复婚", "Remarried to former spouse")), Entry(code: "30", label: Text("丧偶", "Widowed")),
        Entry(code: "40", label: Text("离婚", "Divorced")), Entry(code: "90", label: Text("未说明", "Unstated")),
    ]

    /// 户口性质: hukou type.
    public static let hukouType: [Entry] = [
        Entry(code: "agricultural", label: Text("农业", "Agricultural")), Entry(code: "non-agricultural", label: Text("非农业", "Non-agricultural")),
        Entry(code: "resident", label: Text("居民", "Resident")),
    ]

    /// Where the record stands.
    public static let status: [Entry] = [
        Entry(code: "active", label: Text("在册", "Active")), Entry(code: "moved-away", label: Text("已迁出", "Moved away")),
        Entry(code: "deceased", label: Text("已死亡", "Deceased")),
    ]

    /// 人口类别: registered and living here, inflow, outflow, and registered here living elsewhere in the district.
    public static let category: [Entry] = [
        Entry(code: "registered", label: Text("户籍人口", "Registered resident")), Entry(code: "inflow", label: Text("流入人口", "Inflow migrant")),
        Entry(code: "outflow", label: Text("流出人口", "Outflow migrant")), Entry(code: "separated", label: Text("人户分离", "Registered elsewhere in the district")),
    ]

    /// GB 3304 ethnic groups, 01 汉族 … 56 基诺族, then 97 and 98.
    public static let ethnicGroup: [Entry] = {
        let zh = ["汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
                  "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
                  "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
                  "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
                  "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族"]
        let en = ["Han", "Mongol", "Hui", "Tibetan", "Uyghur", "Miao", "Yi", "Zhuang", "Bouyei", "Korean", "Manchu", "Dong", "Yao", "Bai",
                  "Tujia", "Hani", "Kazakh", "Dai", "Li", "Lisu", "Va", "She", "Gaoshan", "Lahu", "Sui", "Dongxiang", "Nakhi",
                  "Jingpo", "Kyrgyz", "Tu", "Daur", "Mulao", "Qiang", "Blang", "Salar", "Maonan", "Gelao", "Xibe", "Achang",
                  "Pumi", "Tajik", "Nu", "Uzbek", "Russian", "Evenki", "De'ang", "Bonan", "Yugur", "Gin", "Tatar",
                  "Derung", "Oroqen", "Hezhen", "Monpa", "Lhoba", "Jino"]
        return zip(zh, en).enumerated().map { Entry(code: String(format: "%02d", $0.offset + 1), label: Text($0.element.0, $0.element.1)) }
            + [Entry(code: "97", label: Text("其他未识别民族", "Other, unrecognised")), Entry(code: "98", label: Text("外国血统中国籍人士", "Chinese citizen of foreign origin"))]
    }()

    public static func label(_ table: [Entry], _ code: String?) -> Text? {
        guard let code else { return nil }
        return table.first { $0.code == code }?.label
    }

    public static func contains(_ table: [Entry], _ code: String) -> Bool { table.contains { $0.code == code } }
}
