import Foundation
import RenkouCore
import SQLKit

/// A numbered schema change. Never edited after it lands: add a new one instead.
public struct Migration: Sendable {
    public let id: Int
    public let name: String
    let statements: @Sendable (Engine) -> [String]
    public init(id: Int, name: String, statements: @escaping @Sendable (Engine) -> [String]) {
        self.id = id; self.name = name; self.statements = statements
    }
}

/// Every module's migrations, in number order. Numbers are global: two modules never share one.
enum Migrations {
    static let all: [Migration] = {
        let list = storeModules.flatMap(\.migrations).sorted { $0.id < $1.id }
        precondition(Set(list.map(\.id)).count == list.count, "two migrations share a number")
        return list
    }()
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
