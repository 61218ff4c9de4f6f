import Foundation
import PostgresKit
import NIOPosix
import RenkouCore
import SQLKit

extension AccountStore {
    /// Why a login failed. The page shows the same words for an unknown user and a wrong password.
    public enum LoginFailure: Error, Equatable {
        case invalid, locked(until: String), disabled
        public var error: RenkouError {
            switch self {
            case .invalid: RenkouError(.unauthorized, "login-invalid", Text("用户名或密码错误。", "Wrong username or password."),
                                        fields: [FieldError("/password", "login-invalid", Text("用户名或密码错误。", "Wrong username or password."))])
            case .locked: RenkouError(.tooManyRequests, "login-locked", Text("登录失败次数过多，请 15 分钟后再试。", "Too many failed attempts; try again in 15 minutes."),
                                       fields: [FieldError("/password", "login-locked", Text("登录失败次数过多，请 15 分钟后再试。", "Too many failed attempts; try again in 15 minutes."))])
            case .disabled: RenkouError(.forbidden, "login-disabled", Text("该账号已停用。", "This account is disabled."),
                                         fields: [FieldError("/username", "login-disabled", Text("该账号已停用。", "This account is disabled."))])
            }
        }
    }

    /// Failed sign-ins within `lockout` from `client` and for `username` (an account or not), read
    /// from the audit log (so several server processes share them).
    func recentFailures(username: String, client: String, now: Date) async throws -> (client: Int, username: Int) {
        let since = Timestamp.string(now.addingTimeInterval(-Self.lockout))
        return try await db.read(fresh: true) { db in
            let byClient = client.isEmpty ? 0 : try await db.raw("""
                SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login-failed' AND client = \(bind: client) AND at >= \(bind: since)
                """).first()!.decode(column: "n", as: Int.self)
            let byName = try await db.raw("""
                SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login-failed' AND username = \(bind: username) AND at >= \(bind: since)
                """).first()!.decode(column: "n", as: Int.self)
            return (byClient, byName)
        }
    }

    /// Checks a password. Every attempt is audited; after `maxFailures` failures in a row the
    /// account is locked for `lockout`, even against the right password; a username that names no
    /// account is refused the same way after as many (so the answer does not tell which exist); a
    /// client address with `maxClientFailures` failures within `lockout`, whatever the usernames, is
    /// refused until they age out.
    public func authenticate(username: String, password: String, client: String, requestID: String = "") async throws -> Account {
        let now = env.now()
        let recent = try await recentFailures(username: username, client: client, now: now)
        if recent.client >= Self.maxClientFailures {
            try await AuditStore(db: db, env: env).record(Actor(userID: nil, username: username, client: client, requestID: requestID), .loginFailed, entity: "user",
                                                          entityID: username, path: "/", after: "{\"reason\":\"client-throttled\"}")
            throw LoginFailure.locked(until: Timestamp.string(now.addingTimeInterval(Self.lockout)))
        }
        let row = try await db.read(fresh: true) { db in
            try await db.raw("SELECT a.password_hash, a.failed_logins, a.locked_until, u.path FROM users a JOIN org_units u ON u.id = a.unit_id WHERE a.username = \(bind: username)").first()
        }
        let actor = Actor(userID: nil, username: username, client: client, requestID: requestID)
        let audit = AuditStore(db: db, env: env)
        guard let row, let account = try await account(username: username, in: .everything) else {
            // Same cost as a real check, so that timing does not reveal which usernames exist.
            _ = try await hashForStore(password)
            try await audit.record(actor, .loginFailed, entity: "user", entityID: username, path: "/")
            // the same lock as an account's after as many failures: guessing names gains nothing
            if recent.username + 1 >= Self.maxFailures { throw LoginFailure.locked(until: Timestamp.string(now.addingTimeInterval(Self.lockout))) }
            throw LoginFailure.invalid
        }
        let path = try row.decode(column: "path", as: String.self)
        let actorWithID = Actor(userID: account.id, username: username, client: client, requestID: requestID)
        if let until = try row.decode(column: "locked_until", as: String?.self), let date = Timestamp.date(until), date > now {
            try await audit.record(actorWithID, .loginFailed, entity: "user", entityID: account.id.text, path: path, after: "{\"reason\":\"locked\"}")
            throw LoginFailure.locked(until: until)
        }
        if account.disabled {
            try await audit.record(actorWithID, .loginFailed, entity: "user", entityID: account.id.text, path: path, after: "{\"reason\":\"disabled\"}")
            throw LoginFailure.disabled
        }
        let hash = try row.decode(column: "password_hash", as: String.self)
        let ok = try await NIOThreadPool.singleton.runIfActive { Secrets.verifyPassword(password, hash: hash) }
        let env = self.env
        if !ok {
            let failures = try row.decode(column: "failed_logins", as: Int.self) + 1
            let lockUntil = failures >= Self.maxFailures ? Timestamp.string(now.addingTimeInterval(Self.lockout)) : nil
            try await db.transaction { db in
                try await db.raw("UPDATE users SET failed_logins = \(bind: lockUntil == nil ? failures : 0), locked_until = \(bind: lockUntil) WHERE id = \(bind: account.id.text)").run()
                try await AuditLog.write(db, at: env.now(), actor: actorWithID, action: .loginFailed, entity: "user", entityID: account.id.text, path: path)
            }
            throw lockUntil.map { LoginFailure.locked(until: $0) } ?? LoginFailure.invalid
        }
        try await db.transaction { db in
            try await db.raw("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = \(bind: account.id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actorWithID, action: .login, entity: "user", entityID: account.id.text, path: path)
        }
        return account
    }

    /// Starts a session and returns its secret id (only its hash is stored).
    public func startSession(for account: Account) async throws -> String {
        let secret = Secrets.random()
        let now = env.now()
        try await db.write { db in
            try await db.raw("""
                INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                VALUES (\(bind: Secrets.sha256(secret)), \(bind: account.id.text), \(bind: Timestamp.string(now)), \(bind: Timestamp.string(now.addingTimeInterval(Self.sessionLifetime))))
                """).run()
        }
        return secret
    }

    /// The account behind a live session, if it is still enabled.
    public func sessionAccount(_ secret: String) async throws -> Account? {
        let now = Timestamp.string(env.now())
        return try await db.read(fresh: true) { db in
            try await db.first(SessionCheck(hash: Secrets.sha256(secret), now: now)).map(Self.decode)
        }
    }

    /// The sign-in check of an API token, on every request that carries one: the account, its unit, the
    /// token's id and last use, by the token's hash (`FrequentStatement`: prepared once per connection).
    struct TokenCheck: FrequentStatement {
        static let sql = """
            SELECT \(AccountStore.columns), t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users a ON a.id = t.user_id
            JOIN org_units u ON u.id = a.unit_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.disabled = 0
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
        let hash: String
        var values: [String] { [hash] }
    }

    /// The sign-in check of a browser session, on every page: the account and its unit, by the session's hash,
    /// while it has not expired (`now`: an ISO 8601 timestamp).
    struct SessionCheck: FrequentStatement {
        static let sql = """
            SELECT \(AccountStore.columns) FROM sessions s JOIN users a ON a.id = s.user_id JOIN org_units u ON u.id = a.unit_id
            WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text]
        let hash: String, now: String
        var values: [String] { [hash, now] }
    }

    public func endSession(_ secret: String) async throws {
        try await db.write { try await $0.raw("DELETE FROM sessions WHERE token_hash = \(bind: Secrets.sha256(secret))").run() }
    }

    /// Creates an API token for an account of the scope. Returns the secret: shown once, never stored.
    public func createToken(username: String, label: String, in scope: Scope, by actor: Actor) async throws -> (APIToken, String) {
        guard let account = try await account(username: username, in: scope) else {
            throw RenkouError.invalid([FieldError("/user", "unknown-user", Text("用户 \(username) 不存在。", "User \(username) does not exist."))])
        }
        let secret = "rk_" + Secrets.random()
        let token = APIToken(id: env.newID(), userID: account.id, username: account.username, label: label.isEmpty ? "api" : label,
                             prefix: String(secret.prefix(10)), createdAt: Timestamp.string(env.now()), lastUsedAt: nil, revokedAt: nil)
        let env = self.env
        try await db.transaction { db in
            try await db.raw("""
                INSERT INTO api_tokens (id, user_id, label, token_hash, prefix, created_at)
                VALUES (\(bind: token.id.text), \(bind: account.id.text), \(bind: token.label), \(bind: Secrets.sha256(secret)), \(bind: token.prefix), \(bind: token.createdAt))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .tokenCreated, entity: "api_token", entityID: token.id.text, path: account.unitPath,
                                     after: AuditLog.json(token))
        }
        return (token, secret)
    }

    /// Tokens of the accounts in the scope, newest first.
    public func tokens(in scope: Scope) async throws -> [APIToken] {
        try await db.read { db in
            try await db.raw("""
                SELECT t.id, t.user_id, a.username, t.label, t.prefix, t.created_at, t.last_used_at, t.revoked_at
                FROM api_tokens t JOIN users a ON a.id = t.user_id JOIN org_units u ON u.id = a.unit_id
                WHERE \(self.db.engine.startsWith("u.path", scope.path)) ORDER BY t.created_at DESC
                """).all().map { r in
                APIToken(id: UUID(uuidString: try r.decode(column: "id", as: String.self))!, userID: UUID(uuidString: try r.decode(column: "user_id", as: String.self))!,
                         username: try r.decode(column: "username", as: String.self), label: try r.decode(column: "label", as: String.self),
                         prefix: try r.decode(column: "prefix", as: String.self), createdAt: try r.decode(column: "created_at", as: String.self),
                         lastUsedAt: try r.decode(column: "last_used_at", as: String?.self), revokedAt: try r.decode(column: "revoked_at", as: String?.self))
            }
        }
    }

    /// Revokes a token of the scope; it stops working at once.
    public func revokeToken(_ id: UUID, in scope: Scope, by actor: Actor) async throws {
        guard let token = try await tokens(in: scope).first(where: { $0.id == id }) else { throw RenkouError.notFound(Text("令牌", "token")) }
        guard token.revokedAt == nil else { return }
        let env = self.env
        let path = try await account(id: token.userID, in: scope)?.unitPath ?? scope.path
        try await db.transaction { db in
            try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .tokenRevoked, entity: "api_token", entityID: id.text, path: path)
        }
    }

    /// The account behind a bearer token that is neither revoked nor disabled.
    public func tokenAccount(_ secret: String) async throws -> Account? {
        let now = env.now()
        // Looked up on a reader; last use is kept to the minute, so a busy client does not write on every request.
        guard let (account, tokenID, last) = try await db.read(fresh: true, { db -> (Account, String, Date?)? in
            guard let row = try await db.first(TokenCheck(hash: Secrets.sha256(secret))) else { return nil }
            return (try Self.decode(row), try row.decode(column: "token_id", as: String.self), try row.decode(column: "last_used_at", as: String?.self).flatMap(Timestamp.date))
        }) else { return nil }
        if last == nil || now.timeIntervalSince(last!) > 60 {
            try await db.write(awaitedByReads: false) { try await $0.raw("UPDATE api_tokens SET last_used_at = \(bind: Timestamp.string(now)) WHERE id = \(bind: tokenID)").run() }
        }
        return account
    }

    /// Changes one's own password after checking the current one.
    public func changePassword(_ account: Account, current: String, new: String, by actor: Actor) async throws {
        var errors = FieldErrors()
        Account.checkPassword(new, pointer: "/newPassword", into: &errors)
        try errors.throwIfAny()
        let hash = try await db.read { try await $0.raw("SELECT password_hash FROM users WHERE id = \(bind: account.id.text)").first()?.decode(column: "password_hash", as: String.self) }
        guard let hash, try await NIOThreadPool.singleton.runIfActive({ Secrets.verifyPassword(current, hash: hash) }) else {
            throw RenkouError.invalid([FieldError("/currentPassword", "password-wrong", Text("当前密码不正确。", "The current password is wrong."))])
        }
        let newHash = try await self.hashForStore(new)
        let env = self.env
        try await db.transaction { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: newHash), password_changed_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: account.id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .passwordChanged, entity: "user", entityID: account.id.text, path: account.unitPath)
        }
    }

    /// Sets a new password for an account of the scope without the old one (an administrator's reset,
    /// or `renkou demo logins`); audited. Throws `not-found` for an unknown username, `invalid` for a weak password.
    public func resetPassword(username: String, to new: String, in scope: Scope, by actor: Actor) async throws {
        var errors = FieldErrors()
        Account.checkPassword(new, pointer: "/password", into: &errors)
        try errors.throwIfAny()
        guard let account = try await account(username: username, in: scope) else { throw RenkouError.notFound(Text("账号", "account")) }
        let newHash = try await self.hashForStore(new)
        let env = self.env
        try await db.transaction { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: newHash), password_changed_at = \(bind: Timestamp.string(env.now())) WHERE id = \(bind: account.id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .passwordChanged, entity: "user", entityID: account.id.text, path: account.unitPath)
        }
    }

    func hashForStore(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Secrets.hashPassword(password, cost: cost) }
    }
}
