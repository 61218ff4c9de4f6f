/// The CSV layout of a person list: the import template's Chinese headers, so an export can be
/// corrected in a spreadsheet and imported again. Masking hides names, ID numbers and phones.
public enum PersonCSV {
    public static let headers = ["姓名", "公民身份号码", "性别", "出生日期", "民族", "户口性质", "婚姻状况", "初婚日期",
                                 "现居住地址", "联系电话", "单位代码", "单位", "人口类别", "人员状态"]

    /// The header line, with a byte-order mark so that spreadsheet programs read UTF-8.
    public static var headerLine: String { "\u{FEFF}" + headers.joined(separator: ",") + "\r\n" }

    public static func line(_ p: Person, masked: Bool) -> String {
        fields(p, masked: masked).map(CSV.spreadsheetCell).joined(separator: ",") + "\r\n"
    }

    /// The cells of one person, in the order of `headers`.
    public static func fields(_ p: Person, masked: Bool) -> [String] {
        [
            masked ? Mask.name(p.name) : p.name,
            masked ? Mask.idNumber(p.idNumber) : p.idNumber ?? "",
            Codes.label(Codes.sex, p.sex)?.zh ?? "",
            p.birthDate ?? "",
            Codes.label(Codes.ethnicGroup, p.ethnicGroup)?.zh ?? "",
            Codes.label(Codes.hukouType, p.hukouType)?.zh ?? "",
            Codes.label(Codes.maritalStatus, p.maritalStatus)?.zh ?? "",
            p.firstMarriageDate ?? "",
            [p.address, p.building, p.room].compactMap { $0 }.joined(separator: " "),
            masked ? (p.phone.map(Mask.phone) ?? "") : (p.phone ?? ""),
            p.unitCode, p.unitName,
            Codes.label(Codes.category, p.category)?.zh ?? "",
            Codes.label(Codes.status, p.status)?.zh ?? "",
        ]
    }
}
