import Foundation
import RenkouCore
import SQLKit

/// Writes and reads the append-only audit log. Writes take the caller's transaction so that a change
/// and its audit row are kept or lost together.
public enum AuditLog {
    /// Encodes a value as compact JSON with sorted keys, for the before and after columns.
    public static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// A read or an export of person records by a role that sees none (the leaders' account): every
    /// read of a person passes here, so refusing it here refuses every page, list and file of people.
    public static let noPersonRecords = RenkouError(.forbidden, "no-person-records", Text("领导查看账户只能查看看板、指标和报表，不能查看个人记录。",
                                                                                          "The leaders' account sees dashboards, figures and reports, not person records."))

    /// Appends one row in `db` (a transaction or a writer's session, kept or lost with the change; on a
    /// reader's session, `Database.read` commits it with other reads' rows before it returns). Throws
    /// `forbidden` `no-person-records` for a read or export by a role that sees no person records (nothing is written).
    public static func write(_ db: any SQLDatabase, at date: Date, actor: Actor, action: AuditAction, entity: String,
                             entityID: String, path: String, before: String? = nil, after: String? = nil) async throws {
        if action == .read || action == .export, let role = actor.role, !role.seesPersonRecords { throw noPersonRecords }
        let row = AuditRow(at: Timestamp.string(date), userID: actor.userID?.text, username: actor.username, action: action.rawValue,
                           entity: entity, entityID: entityID, path: path, client: actor.client, requestID: actor.requestID,
                           before: before, after: after)
        if let session = db as? ReadSession { session.sink.append(row) } else { try await AuditRow.insert([row], db) }
    }
}

/// Reads the audit log of a scope.
public struct AuditStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Appends a row outside any other change (logins, reads, exports).
    public func record(_ actor: Actor, _ action: AuditAction, entity: String, entityID: String, path: String, after: String? = nil) async throws {
        let now = env.now()
        if action == .read || action == .export {
            try await db.read { try await AuditLog.write($0, at: now, actor: actor, action: action, entity: entity, entityID: entityID, path: path, after: after) }
        } else {
            // a failed sign-in is read back by the throttle at the next attempt: written like any change, so a
            // replica's reads wait for it
            try await db.transaction { try await AuditLog.write($0, at: now, actor: actor, action: action, entity: entity, entityID: entityID, path: path, after: after) }
        }
    }

    /// Rows of the scope matching the filters, newest first.
    public func search(_ q: AuditQuery, in scope: Scope) async throws -> Page<AuditEntry> {
        let engine = db.engine
        var conditions: [SQLQueryString] = [engine.startsWith("path", scope.path)]
        if let v = q.username, !v.isEmpty { conditions.append("username = \(bind: v)") }
        if let v = q.entity, !v.isEmpty { conditions.append("entity = \(bind: v)") }
        if let v = q.entityID, !v.isEmpty {
            // Ids are stored in lower case; clients may send the upper-case form JSON encoders write.
            conditions.append("entity_id = \(bind: UUID(uuidString: v)?.text ?? v)")
        }
        if let v = q.action, !v.isEmpty { conditions.append("action = \(bind: v)") }
        if let v = q.from { conditions.append("at >= \(bind: v.description)") }
        if let v = q.to { conditions.append("at < \(bind: v.description + "T99")") }
        let whereClause = conditions.joined(separator: " AND ")
        let limit = min(max(q.limit, 1), 500), offset = max(q.offset, 0)
        return try await db.read { db in
            let (total, exact) = try await db.cappedCount("SELECT 1 AS one FROM audit_log WHERE \(whereClause)")
            let rows = try await db.raw("""
                SELECT id, at, user_id, username, action, entity, entity_id, path, client, request_id, before_value, after_value
                FROM audit_log WHERE \(whereClause) ORDER BY id DESC LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all()
            let items = try rows.map { r in
                AuditEntry(id: Int64(try r.decode(column: "id", as: Int.self)), at: try r.decode(column: "at", as: String.self),
                           userID: try r.decode(column: "user_id", as: String?.self), username: try r.decode(column: "username", as: String.self),
                           action: try r.decode(column: "action", as: String.self), entity: try r.decode(column: "entity", as: String.self),
                           entityID: try r.decode(column: "entity_id", as: String.self), path: try r.decode(column: "path", as: String.self),
                           client: try r.decode(column: "client", as: String.self), requestID: try r.decode(column: "request_id", as: String.self),
                           before: try r.decode(column: "before_value", as: String?.self), after: try r.decode(column: "after_value", as: String?.self))
            }
            return Page(items: items, total: total, limit: limit, offset: offset, totalExact: exact)
        }
    }
}
