import Foundation

/// A user account as the application sees it (never with its password hash).
public struct Account: Sendable, Codable, Equatable, Identifiable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var unitID: UUID
    public var unitCode: String
    public var unitName: String
    public var unitPath: String
    public var disabled: Bool
    public var createdAt: String

    public init(id: UUID, username: String, displayName: String, role: Role, unitID: UUID, unitCode: String,
                unitName: String, unitPath: String, disabled: Bool, createdAt: String) {
        self.id = id; self.username = username; self.displayName = displayName; self.role = role
        self.unitID = unitID; self.unitCode = unitCode; self.unitName = unitName; self.unitPath = unitPath
        self.disabled = disabled; self.createdAt = createdAt
    }

    /// The caller's scope: their unit's subtree.
    public var scope: Scope { Scope(path: unitPath) }

    /// Usernames: 3–32 letters, digits, `.`, `_` or `-`.
    public static func checkUsername(_ name: String, into errors: inout FieldErrors) {
        let ok = (3...32).contains(name.count) && name.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || "._-".contains($0) }
        if !ok { errors.add("/username", "username-format", "用户名应为 3–32 位字母、数字、点、下划线或连字符。", "A username has 3 to 32 letters, digits, dots, underscores or hyphens.") }
    }

    /// Passwords: at least 8 characters.
    public static func checkPassword(_ password: String, pointer: String = "/password", into errors: inout FieldErrors) {
        if password.count < 8 { errors.add(pointer, "password-short", "密码至少 8 位。", "A password has at least 8 characters.") }
    }
}

/// An API token as listed (the secret itself is shown once, at creation).
public struct APIToken: Sendable, Codable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var username: String
    public var label: String
    public var prefix: String
    public var createdAt: String
    public var lastUsedAt: String?
    public var revokedAt: String?
    public init(id: UUID, userID: UUID, username: String, label: String, prefix: String, createdAt: String, lastUsedAt: String?, revokedAt: String?) {
        self.id = id; self.userID = userID; self.username = username; self.label = label; self.prefix = prefix
        self.createdAt = createdAt; self.lastUsedAt = lastUsedAt; self.revokedAt = revokedAt
    }
}
