import Foundation
import RenkouCore
import SQLKit

/// A numbered schema change. Never edited after it lands: add a new one instead.
struct Migration: Sendable {
    let id: Int
    let name: String
    let statements: @Sendable (Engine) -> [String]
}

/// Every migration, in order. One entry per change.
enum Migrations {
    static let all: [Migration] = [
        Migration001AdminTree.migration,
        Migration002Accounts.migration,
        Migration003Audit.migration,
        Migration004Persons.migration,
        Migration005PersonDetails.migration,
        Migration006Households.migration,
        Migration007LifeEvents.migration,
        Migration008ImportProvenance.migration,
        Migration009PersonMerges.migration,
        Migration010Migrants.migration,
        Migration011Proposals.migration,
        Migration012NameGrams.migration,
    ]
}

extension Database {
    /// Applies the migrations not yet applied, each in its own transaction. Returns the ids applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let engine = self.engine
        try await read { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").run()
        }
        let done = try await read { db in
            try await db.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: Int.self) }
        }
        var applied: [Int] = []
        for migration in Migrations.all where !done.contains(migration.id) {
            try await transaction { db in
                for statement in migration.statements(engine) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("INSERT INTO schema_migrations (id, name, applied_at) VALUES (\(bind: migration.id), \(bind: migration.name), \(bind: Timestamp.string(Date())))").run()
            }
            applied.append(migration.id)
        }
        return applied
    }

    /// Whether the database holds any unit yet (the demo only fills an empty one).
    public func isEmpty() async throws -> Bool {
        try await read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM org_units").first()!.decode(column: "n", as: Int.self) == 0
        }
    }
}
