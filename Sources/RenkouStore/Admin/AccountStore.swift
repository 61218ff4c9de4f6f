import Foundation
import NIOPosix
import RenkouCore
import SQLKit

/// Accounts, their sessions and API tokens, and the login throttle.
public struct AccountStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    /// bcrypt cost: 12 in production; tests lower it to keep the suite quick.
    let bcryptCost: UInt8
    /// Failed logins in a row before an account is locked, and for how long.
    public static let maxFailures = 5
    public static let lockout: TimeInterval = 15 * 60
    /// Failed sign-ins from one client address (whatever the usernames) within `lockout` after which
    /// that address is refused until the oldest of them is older than `lockout`.
    public static let maxClientFailures = 20
    public static let sessionLifetime: TimeInterval = 12 * 3600

    public init(db: Database, env: RenkouCore.Environment, bcryptCost: UInt8 = 12) {
        self.db = db; self.env = env; self.bcryptCost = bcryptCost
    }

    static let columns = """
        a.id, a.username, a.display_name, a.role, a.unit_id, a.disabled, a.created_at, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path
        """

    static func decode(_ r: any SQLRow) throws -> Account {
        Account(id: UUID(uuidString: try r.decode(column: "id", as: String.self))!, username: try r.decode(column: "username", as: String.self),
                displayName: try r.decode(column: "display_name", as: String.self),
                role: Role(rawValue: try r.decode(column: "role", as: String.self)) ?? .viewer,
                unitID: UUID(uuidString: try r.decode(column: "unit_id", as: String.self))!, unitCode: try r.decode(column: "unit_code", as: String.self),
                unitName: try r.decode(column: "unit_name", as: String.self), unitPath: try r.decode(column: "unit_path", as: String.self),
                disabled: try r.decode(column: "disabled", as: Int.self) != 0, createdAt: try r.decode(column: "created_at", as: String.self))
    }

    /// Creates an account bound to a unit of the scope.
    @discardableResult
    public func create(username: String, displayName: String?, role: Role, unitCode: String, password: String,
                       in scope: Scope, by actor: Actor) async throws -> Account {
        var errors = FieldErrors()
        Account.checkUsername(username, into: &errors)
        Account.checkPassword(password, into: &errors)
        try errors.throwIfAny()
        let passwordHash = try await hashForStore(password)
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            guard let unit = try await OrgStore.unit(code: unitCode, in: scope, engine: engine, db) else {
                throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(unitCode) 不存在。", "Unit \(unitCode) does not exist."))])
            }
            guard role.allowedLevels.contains(unit.level) else {
                throw RenkouError.invalid([FieldError("/role", "role-level", Text("\(role.label.zh)账号不能绑定到\(unit.level.label.zh)。", "A \(role.label.en) account cannot be bound to a \(unit.level.label.en.lowercased())."))])
            }
            if try await db.raw("SELECT 1 AS one FROM users WHERE username = \(bind: username)").first() != nil {
                throw RenkouError.invalid([FieldError("/username", "username-taken", Text("用户名 \(username) 已被使用。", "The username \(username) is taken."))])
            }
            let id = env.newID(), now = Timestamp.string(env.now())
            let name = (displayName ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? username : displayName!
            try await db.raw("""
                INSERT INTO users (id, username, display_name, role, unit_id, password_hash, created_at)
                VALUES (\(bind: id.text), \(bind: username), \(bind: name), \(bind: role.rawValue), \(bind: unit.id.text), \(bind: passwordHash), \(bind: now))
                """).run()
            let account = Account(id: id, username: username, displayName: name, role: role, unitID: unit.id, unitCode: unit.code,
                                  unitName: unit.name, unitPath: unit.path, disabled: false, createdAt: now)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "user", entityID: id.text, path: unit.path, after: AuditLog.json(account))
            return account
        }
    }

    /// Accounts bound to units of the scope.
    public func list(in scope: Scope) async throws -> [Account] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users a JOIN org_units u ON u.id = a.unit_id WHERE \(self.db.engine.startsWith("u.path", scope.path)) ORDER BY u.path, a.username")
                .all().map(Self.decode)
        }
    }

    public func account(id: UUID, in scope: Scope) async throws -> Account? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users a JOIN org_units u ON u.id = a.unit_id WHERE a.id = \(bind: id.text) AND \(self.db.engine.startsWith("u.path", scope.path))")
                .first().map(Self.decode)
        }
    }

    public func account(username: String, in scope: Scope) async throws -> Account? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM users a JOIN org_units u ON u.id = a.unit_id WHERE a.username = \(bind: username) AND \(self.db.engine.startsWith("u.path", scope.path))")
                .first().map(Self.decode)
        }
    }

    /// Disables or enables an account of the scope; disabling also ends its sessions and tokens' use.
    public func setDisabled(_ id: UUID, _ disabled: Bool, in scope: Scope, by actor: Actor) async throws {
        guard let account = try await account(id: id, in: scope) else { throw RenkouError.notFound(Text("账号", "account")) }
        if account.id == actor.userID && disabled {
            throw RenkouError(.conflict, "self-disable", Text("不能停用自己的账号。", "You cannot disable your own account."))
        }
        let env = self.env
        try await db.transaction { db in
            try await db.raw("UPDATE users SET disabled = \(bind: disabled ? 1 : 0), failed_logins = 0, locked_until = NULL WHERE id = \(bind: id.text)").run()
            if disabled { try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id.text)").run() }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: disabled ? .disable : .enable, entity: "user", entityID: id.text, path: account.unitPath)
        }
    }

    /// Changes a role, display name or unit of an account of the scope.
    @discardableResult
    public func update(_ id: UUID, displayName: String?, role: Role?, unitCode: String?, in scope: Scope, by actor: Actor) async throws -> Account {
        guard let before = try await account(id: id, in: scope) else { throw RenkouError.notFound(Text("账号", "account")) }
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            var after = before
            if let name = displayName?.trimmingCharacters(in: .whitespaces), !name.isEmpty { after.displayName = name }
            if let role { after.role = role }
            if let unitCode, unitCode != before.unitCode {
                guard let unit = try await OrgStore.unit(code: unitCode, in: scope, engine: engine, db) else {
                    throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(unitCode) 不存在。", "Unit \(unitCode) does not exist."))])
                }
                after.unitID = unit.id; after.unitCode = unit.code; after.unitName = unit.name; after.unitPath = unit.path
            }
            guard let unitLevel = try await db.raw("SELECT level FROM org_units WHERE id = \(bind: after.unitID.text)").first()?.decode(column: "level", as: String.self),
                  let level = OrgLevel(rawValue: unitLevel), after.role.allowedLevels.contains(level) else {
                throw RenkouError.invalid([FieldError("/role", "role-level", Text("该角色不能绑定到此级别的单位。", "This role cannot be bound to a unit of that level."))])
            }
            try await db.raw("UPDATE users SET display_name = \(bind: after.displayName), role = \(bind: after.role.rawValue), unit_id = \(bind: after.unitID.text) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "user", entityID: id.text, path: after.unitPath, before: AuditLog.json(before), after: AuditLog.json(after))
            return after
        }
    }
}
