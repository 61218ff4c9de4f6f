import Foundation

/// Rules for unit codes: GB/T 2260 (6 digits) for county and above, statistical codes below
/// (street = its county's 6 digits + 3, community = its street's 9 + 3), free codes for grids.
public enum OrgCode {
    /// Normalises a code for a level and checks it against its parent's code.
    /// The padded 12-digit form of a street (310114001000) becomes 310114001.
    public static func normalize(_ raw: String, level: OrgLevel, parentCode: String?, parentLevel: OrgLevel?) throws -> String {
        var code = raw.trimmingCharacters(in: .whitespaces)
        var errors = FieldErrors()
        let digits = !code.isEmpty && code.allSatisfy(\.isASCIIDigit)
        switch level {
        case .province, .city, .district:
            if !(digits && code.count == 6) {
                errors.add("/code", "code-format", "区县及以上单位的代码应为 6 位数字（GB/T 2260）。", "Units of county level and above take a 6-digit GB/T 2260 code.")
            } else if level == .province && !code.hasSuffix("0000") {
                errors.add("/code", "code-format", "省级代码应以 0000 结尾。", "A province code ends in 0000.")
            } else if level == .city && (!code.hasSuffix("00") || code.hasSuffix("0000")) {
                errors.add("/code", "code-format", "地级代码应以 00 结尾。", "A city code ends in 00.")
            } else if level == .district && code.hasSuffix("00") {
                errors.add("/code", "code-format", "区县代码的最后两位不能为 00。", "A district code does not end in 00.")
            }
        case .street:
            if digits && code.count == 12 && code.hasSuffix("000") { code = String(code.prefix(9)) }
            if !(digits && code.count == 9) || code.hasSuffix("000") {
                errors.add("/code", "code-format", "街道代码应为 9 位数字（区县代码 + 3 位）。", "A street code has 9 digits: its district's 6 and 3 more.")
            }
        case .community:
            if !(digits && code.count == 12) || code.hasSuffix("000") {
                errors.add("/code", "code-format", "社区代码应为 12 位数字（街道代码 + 3 位）。", "A community code has 12 digits: its street's 9 and 3 more.")
            }
        case .grid:
            let allowed = code.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" || $0 == "_" }
            if code.isEmpty || code.count > 24 || !allowed {
                errors.add("/code", "code-format", "网格代码应为 1–24 位字母、数字、- 或 _。", "A grid code has 1 to 24 letters, digits, - or _.")
            }
        }
        try errors.throwIfAny()
        if let parentCode, let parentLevel {
            if !level.allowedParents.contains(parentLevel) {
                errors.add("/parent", "parent-level", "\(level.label.zh)不能设在\(parentLevel.label.zh)之下。", "A \(level.label.en.lowercased()) cannot sit under a \(parentLevel.label.en.lowercased()).")
            } else if !codeFits(code, level: level, under: parentCode, parentLevel: parentLevel) {
                errors.add("/code", "code-parent", "代码 \(code) 与上级代码 \(parentCode) 不相符。", "Code \(code) does not belong under \(parentCode).")
            }
        } else if level != .province && level != .city && level != .district {
            errors.add("/parent", "parent-required", "\(level.label.zh)必须有上级单位。", "A \(level.label.en.lowercased()) needs a parent unit.")
        }
        try errors.throwIfAny()
        return code
    }

    /// Whether a code carries the prefix its parent implies.
    static func codeFits(_ code: String, level: OrgLevel, under parent: String, parentLevel: OrgLevel) -> Bool {
        switch level {
        case .province: return false
        case .city: return code.prefix(2) == parent.prefix(2)
        case .district: return code.prefix(parentLevel == .province ? 2 : 4) == parent.prefix(parentLevel == .province ? 2 : 4)
        case .street, .community: return code.hasPrefix(parent)
        case .grid: return true
        }
    }

    /// The parent code implied by a 6-digit GB/T 2260 code: XXYYZZ → XXYY00 → XX0000.
    public static func impliedParents(of code: String) -> [String] {
        guard code.count == 6, code.allSatisfy(\.isASCIIDigit) else { return [] }
        if code.hasSuffix("0000") { return [] }
        if code.hasSuffix("00") { return [String(code.prefix(2)) + "0000"] }
        return [String(code.prefix(4)) + "00", String(code.prefix(2)) + "0000"]
    }
}

extension Character {
    public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    public var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
