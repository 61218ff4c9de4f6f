import Foundation

/// A person in the registry. The registry module extends this minimal record; every other module
/// refers to a person by id.
public struct Person: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var idNumber: String
    public var unitID: UUID
    public var unitCode: String
    public var unitName: String
    /// The owning unit's materialised path: the scope filter is a prefix match on it.
    public var path: String
    public var createdAt: String
    public var updatedAt: String

    public init(id: UUID, name: String, idNumber: String, unitID: UUID, unitCode: String, unitName: String,
                path: String, createdAt: String, updatedAt: String) {
        self.id = id; self.name = name; self.idNumber = idNumber; self.unitID = unitID; self.unitCode = unitCode
        self.unitName = unitName; self.path = path; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// What a user submits to create or correct a person. Absent fields are left as they are on a correction.
public struct PersonInput: Sendable, Codable, Equatable {
    public var name: String?
    public var idNumber: String?
    public var unit: String?
    public init(name: String? = nil, idNumber: String? = nil, unit: String? = nil) {
        self.name = name; self.idNumber = idNumber; self.unit = unit
    }

    /// Checks the values a user typed; `creating` makes every field required.
    public func validated(creating: Bool, today: Day) throws -> PersonInput {
        var errors = FieldErrors()
        var out = self
        if creating || name != nil {
            errors.required("/name", name)
            let trimmed = (name ?? "").trimmingCharacters(in: .whitespaces)
            if trimmed.count > 50 { errors.add("/name", "name-long", "姓名不能超过 50 个字。", "A name has at most 50 characters.") }
            out.name = trimmed
        }
        if creating || idNumber != nil {
            errors.required("/idNumber", idNumber)
            if let raw = idNumber, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                let check = CitizenID.check(raw, today: today)
                for e in check.errors { errors.add(e.pointer, e.code, e.message.zh, e.message.en) }
                out.idNumber = check.normalized ?? raw
            }
        }
        if creating || unit != nil {
            errors.required("/unit", unit)
            out.unit = unit?.trimmingCharacters(in: .whitespaces)
        }
        try errors.throwIfAny()
        return out
    }
}

/// Masking for public pages: names as 张*明, ID numbers as 3101**********1234.
public enum Mask {
    public static func name(_ name: String) -> String {
        let chars = Array(name)
        switch chars.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }
    public static func idNumber(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count > 8 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(4)) + String(repeating: "*", count: chars.count - 8) + String(chars.suffix(4))
    }
}
