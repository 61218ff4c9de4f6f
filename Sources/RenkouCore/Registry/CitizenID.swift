import Foundation

/// 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
/// (odd = male), and an ISO 7064 MOD 11-2 check character.
public struct CitizenIDCheck: Sendable, Codable, Equatable {
    public var input: String
    public var valid: Bool
    public var normalized: String?
    public var birthDate: String?
    /// GB/T 2261.1: 1 male, 2 female.
    public var sex: Int?
    public var addressCode: String?
    public var addressName: String?
    public var warnings: [FieldError]
    public var errors: [FieldError]
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

    /// Trims, upper-cases `x`, turns full-width digits into ASCII and upgrades 15-digit numbers to 18.
    public static func normalize(_ raw: String) -> String {
        var s = ""
        for scalar in raw.unicodeScalars {
            if (0xFF10...0xFF19).contains(scalar.value) { s.unicodeScalars.append(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) }
            else if scalar == "ｘ" || scalar == "Ｘ" || scalar == "x" { s.append("X") }
            else if scalar == " " || scalar == "\u{3000}" { continue }
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
        var result = CitizenIDCheck(input: raw, valid: false, normalized: nil, birthDate: nil, sex: nil,
                                    addressCode: nil, addressName: nil, warnings: [], errors: [])
        func err(_ code: String, _ zh: String, _ en: String) { result.errors.append(FieldError("/idNumber", code, Text(zh, en))) }
        let body = n.prefix(17)
        guard n.count == 18, body.allSatisfy(\.isASCIIDigit), let last = n.last, last.isASCIIDigit || last == "X" else {
            err("id-format", "身份号码应为 18 位（前 17 位为数字，末位为数字或 X），或 15 位数字。", "An ID number has 18 characters (17 digits, then a digit or X) or 15 digits.")
            return result
        }
        result.normalized = n
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
        if let expected = checkCharacter(String(body)), expected != last {
            err("id-checksum", "身份号码校验位应为 \(expected)，实为 \(last)。", "The check character should be \(expected), not \(last).")
        }
        if let codeTable {
            if let entry = codeTable(address) {
                result.addressName = entry.name
                if let since = entry.since, since > y {
                    result.warnings.append(FieldError("/idNumber", "id-address-later", Text("地址码 \(address) 于 \(since) 年启用，晚于出生年份。", "Address code \(address) came into use in \(since), after the birth year.")))
                }
            } else {
                result.warnings.append(FieldError("/idNumber", "id-address-unknown", Text("地址码 \(address) 不在已载入的行政区划代码表中。", "Address code \(address) is not in the loaded code table.")))
            }
        }
        result.valid = result.errors.isEmpty
        return result
    }
}
