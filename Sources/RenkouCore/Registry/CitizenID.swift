import Foundation

/// 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
/// (odd = male), and an ISO 7064 MOD 11-2 check character.
public struct CitizenIDCheck: Sendable, Codable, Equatable {
    public var input: String
    public var valid: Bool
    /// Which kind of number the 18 characters are (`IDNumberKind`); nil when they have no such shape.
    public var kind: IDNumberKind?
    public var normalized: String?
    public var birthDate: String?
    /// GB/T 2261.1: 1 male, 2 female.
    public var sex: Int?
    public var addressCode: String?
    public var addressName: String?
    public var warnings: [FieldError]
    public var errors: [FieldError]
}

/// The kinds of 18-character number the registry meets. All share the layout and the check character
/// of GB 11643-1999; they differ in what the first six digits mean.
public enum IDNumberKind: String, Sendable, Codable, Equatable {
    /// 公民身份号码: the first six digits are the GB/T 2260 address code of the first hukou registration.
    case citizen
    /// 港澳台居民居住证 (国务院办公厅 国办发〔2018〕81 号, from 1 September 2018): 810000 Hong Kong,
    /// 820000 Macao, 830000 Taiwan; no address code to look up.
    case residencePermit = "residence-permit"
    /// 外国人永久居留身份证 of the 2023 edition (国家移民管理局, from 1 December 2023): `9`, the two-digit
    /// province code of the issuing office, the three-digit nationality code (ISO 3166-1 numeric),
    /// then birth date, sequence and check character.
    case foreignPermanentResident = "foreign-permanent-resident"

    public var label: Text {
        switch self {
        case .citizen: Text("公民身份号码", "citizen ID number")
        case .residencePermit: Text("港澳台居民居住证号码", "Hong Kong, Macao or Taiwan residence permit number")
        case .foreignPermanentResident: Text("外国人永久居留身份证号码", "foreign permanent resident ID number")
        }
    }

    /// The kind of a normalised 18-character number.
    public static func of(_ n: String) -> IDNumberKind {
        if n.hasPrefix("9") { return .foreignPermanentResident }
        if ["810000", "820000", "830000"].contains(n.prefix(6)) { return .residencePermit }
        return .citizen
    }
}

/// What the loaded code table (GB/T 2260) knows of an address code.
public struct AreaCode: Sendable, Equatable {
    public var name: String
    /// The year the code came into use, when known.
    public var since: Int?
    public init(name: String, since: Int?) { self.name = name; self.since = since }
}

public enum CitizenID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkChars: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character of the first 17 digits.
    public static func checkCharacter(_ first17: String) -> Character? {
        let digits = first17.compactMap(\.wholeNumberValue)
        guard digits.count == 17, first17.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkChars[sum % 11]
    }

    /// Trims, upper-cases `x`, turns full-width digits into ASCII, drops white space of every kind and
    /// invisible format characters (a zero-width space pasted inside a number), and upgrades 15-digit
    /// numbers to 18.
    public static func normalize(_ raw: String) -> String {
        var s = ""
        for scalar in raw.unicodeScalars {
            // ASCII first, without the Unicode property tables (an import asks this of every row).
            if scalar.isASCII {
                switch scalar.value {
                case 0x78: s.append("X")
                case 0x09...0x0D, 0x20: continue
                default: s.unicodeScalars.append(scalar)
                }
            } else if (0xFF10...0xFF19).contains(scalar.value) { s.unicodeScalars.append(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) }
            else if scalar == "ｘ" || scalar == "Ｘ" || scalar == "x" { s.append("X") }
            else if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format { continue }
            else { s.unicodeScalars.append(scalar) }
        }
        if s.count == 15, s.allSatisfy(\.isASCIIDigit) {
            let first17 = String(s.prefix(6)) + "19" + String(s.dropFirst(6))
            if let c = checkCharacter(first17) { return first17 + String(c) }
        }
        return s
    }

    /// The birth date (YYYY-MM-DD) and sex (1 male, 2 female) written in a normalised 18-character number,
    /// read without checking it again; nil when the number does not have that shape.
    public static func birthDateAndSex(_ n: String) -> (birthDate: String, sex: Int)? {
        let u = Array(n.utf8)
        guard u.count == 18, u[0..<17].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let digits = String(decoding: u[6..<14], as: UTF8.self)
        return (digits.prefix(4) + "-" + digits.dropFirst(4).prefix(2) + "-" + digits.suffix(2), Int(u[16] - 0x30) % 2 == 1 ? 1 : 2)
    }

    /// Checks a number. `today` bounds the birth date. `codeTable` looks an address code up in the
    /// loaded GB/T 2260 table; without a table no address warning is given. Address problems only
    /// warn: real ID numbers keep codes abandoned long ago.
    public static func check(_ raw: String, today: Day, codeTable: ((String) -> AreaCode?)? = nil) -> CitizenIDCheck {
        let n = normalize(raw)
        var result = CitizenIDCheck(input: raw, valid: false, kind: nil, normalized: nil, birthDate: nil, sex: nil,
                                    addressCode: nil, addressName: nil, warnings: [], errors: [])
        func err(_ code: String, _ zh: String, _ en: String) { result.errors.append(FieldError("/idNumber", code, Text(zh, en))) }
        let body = n.prefix(17)
        guard n.count == 18, body.allSatisfy(\.isASCIIDigit), let last = n.last, last.isASCIIDigit || last == "X" else {
            err("id-format", "身份号码应为 18 位（前 17 位为数字，末位为数字或 X），或 15 位数字。", "An ID number has 18 characters (17 digits, then a digit or X) or 15 digits.")
            return result
        }
        result.normalized = n
        let kind = IDNumberKind.of(n)
        result.kind = kind
        let address = String(n.prefix(6))
        result.addressCode = address
        let y = Int(n.dropFirst(6).prefix(4))!, m = Int(n.dropFirst(10).prefix(2))!, d = Int(n.dropFirst(12).prefix(2))!
        if let birth = Day(year: y, month: m, day: d), y >= 1880 {
            if today < birth {
                err("id-birth-future", "身份号码中的出生日期 \(birth) 晚于今天。", "The birth date \(birth) in the ID number is in the future.")
            } else {
                result.birthDate = birth.description
            }
        } else {
            err("id-birth-invalid", "身份号码中的出生日期 \(n.dropFirst(6).prefix(8)) 不存在。", "The birth date \(n.dropFirst(6).prefix(8)) in the ID number does not exist.")
        }
        let seq = Int(n.dropFirst(14).prefix(3))!
        result.sex = seq % 2 == 1 ? 1 : 2
        // A spreadsheet keeps 15 significant digits: the last three of a long number become 000 (a
        // 15-digit number, upgraded here, was never that long in a spreadsheet).
        let fifteen = raw.unicodeScalars.filter { ("0"..."9").contains($0) }.count == 15 && raw.count < 18
        let truncated = n.hasSuffix("000") && !fifteen
        if let expected = checkCharacter(String(body)), expected != last {
            if truncated {
                err("id-truncated", "身份号码校验位应为 \(expected)，实为 \(last)；号码以 000 结尾，多半是表格软件把它存成数字后截掉了末 3 位：请将该列设为文本格式，从原始资料重新填写。",
                    "The check character should be \(expected), not \(last); the number ends in 000, most likely because a spreadsheet stored it as a number and cut its last 3 digits: format the column as text and copy the numbers again from the source.")
            } else {
                err("id-checksum", "身份号码校验位应为 \(expected)，实为 \(last)。", "The check character should be \(expected), not \(last).")
            }
        } else if truncated {
            result.warnings.append(FieldError("/idNumber", "id-maybe-truncated", Text("号码以 000 结尾：若来自表格软件，末 3 位可能已被截掉（校验位碰巧相符），请与证件核对。",
                                                                                    "The number ends in 000: if it came from a spreadsheet its last 3 digits may have been cut (the check character matches by chance); compare it with the card.")))
        }
        switch kind {
        case .residencePermit:
            result.addressName = ["810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾地区"][address]
        case .foreignPermanentResident:
            if let codeTable, let province = codeTable(String(n.dropFirst().prefix(2)) + "0000") { result.addressName = province.name }
        case .citizen:
            if let codeTable { checkAddress(address, year: y, codeTable, &result) }
        }
        result.valid = result.errors.isEmpty
        return result
    }

    /// 1984: the first citizen numbers were given when identity cards were first issued (居民身份证试行
    /// 条例, State Council, 6 April 1984), to everyone alive then under the address code of that year.
    static let firstNumbersIssued = 1984

    /// An address code unknown to the table, or one that came into use after the person was born and
    /// after numbers were first given (a code of 1983 is right for someone born in 1950: the table's
    /// first edition is of 1981, and numbers came in 1984), deserves a warning.
    static func checkAddress(_ address: String, year y: Int, _ codeTable: (String) -> AreaCode?, _ result: inout CitizenIDCheck) {
        if let entry = codeTable(address) {
            result.addressName = entry.name
            if let since = entry.since, since > max(y, firstNumbersIssued) {
                result.warnings.append(FieldError("/idNumber", "id-address-later", Text("地址码 \(address) 于 \(since) 年启用，晚于出生年份。", "Address code \(address) came into use in \(since), after the birth year.")))
            }
        } else {
            result.warnings.append(FieldError("/idNumber", "id-address-unknown", Text("地址码 \(address) 不在已载入的行政区划代码表中。", "Address code \(address) is not in the loaded code table.")))
        }
    }
}
