import Foundation

/// What an audit row records. Stored as the raw value.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case create, update, delete, read, export
    case login, loginFailed = "login-failed", logout
    case tokenCreated = "token-created", tokenRevoked = "token-revoked"
    case passwordChanged = "password-changed", disable, enable, `import`, restore, merge
}


/// One row of the audit log. Rows are append-only: nothing in the application edits or deletes them.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: String
    public var userID: String?
    public var username: String
    public var action: String
    public var entity: String
    public var entityID: String
    /// The scope path of what was touched, so each user sees only the audit rows of their part of the tree.
    public var path: String
    public var client: String
    public var requestID: String
    public var before: String?
    public var after: String?
    public init(id: Int64, at: String, userID: String?, username: String, action: String, entity: String, entityID: String,
                path: String, client: String, requestID: String, before: String?, after: String?) {
        self.id = id; self.at = at; self.userID = userID; self.username = username; self.action = action
        self.entity = entity; self.entityID = entityID; self.path = path; self.client = client
        self.requestID = requestID; self.before = before; self.after = after
    }
}

/// Filters of the audit page and `GET /api/v1/audit`.
public struct AuditQuery: Sendable, Equatable {
    public var username: String?
    public var entity: String?
    public var entityID: String?
    public var action: String?
    /// Inclusive `YYYY-MM-DD` bounds (China time is not applied: audit times are UTC).
    public var from: Day?
    public var to: Day?
    public var limit: Int
    public var offset: Int
    public init(username: String? = nil, entity: String? = nil, entityID: String? = nil, action: String? = nil,
                from: Day? = nil, to: Day? = nil, limit: Int = 50, offset: Int = 0) {
        self.username = username; self.entity = entity; self.entityID = entityID; self.action = action
        self.from = from; self.to = to; self.limit = limit; self.offset = offset
    }
}
