import Foundation
import RenkouCore
import SQLKit

/// A numbered schema change. Never edited after it lands: add a new one instead.
public struct Migration: Sendable {
    public let id: Int
    public let name: String
    let statements: @Sendable (Engine) -> [String]
    /// Work that plain statements cannot express (a value read first), run after them in the same transaction.
    let after: (@Sendable (Engine, any SQLDatabase) async throws -> Void)?
    public init(id: Int, name: String, statements: @escaping @Sendable (Engine) -> [String],
                after: (@Sendable (Engine, any SQLDatabase) async throws -> Void)? = nil) {
        self.id = id; self.name = name; self.statements = statements; self.after = after
    }
}

extension Migration {
    /// Drops a column's NOT NULL. PostgreSQL alters the column; SQLite, which cannot, edits the table's
    /// stored definition and bumps the schema version, the documented procedure for removing a NOT NULL
    /// constraint without rebuilding the table (sqlite.org/lang_altertable.html, section 7).
    /// `definition` is the column's text as created (`id_number TEXT NOT NULL UNIQUE`) and `relaxed` the
    /// same without NOT NULL.
    static func dropNotNull(id: Int, name: String, table: String, column: String, definition: String, relaxed: String) -> Migration {
        Migration(id: id, name: name, statements: { engine in
            switch engine {
            case .postgres: ["ALTER TABLE \(table) ALTER COLUMN \(column) DROP NOT NULL"]
            case .sqlite: []
            }
        }, after: { engine, db in
            guard engine == .sqlite else { return }
            let version = try await db.raw("PRAGMA schema_version").first()!.decode(column: "schema_version", as: Int.self)
            try await db.raw("PRAGMA writable_schema = ON").run()
            do {
                try await db.raw("UPDATE sqlite_schema SET sql = replace(sql, \(bind: definition), \(bind: relaxed)) WHERE type = 'table' AND name = \(bind: table)").run()
                try await db.raw(SQLQueryString("PRAGMA schema_version = " + String(version + 1))).run()
            } catch {
                // the setting belongs to the pooled connection: never leave it on
                try? await db.raw("PRAGMA writable_schema = OFF").run()
                throw error
            }
            try await db.raw("PRAGMA writable_schema = OFF").run()
            let check = try await db.raw("PRAGMA quick_check").first()?.decode(column: "quick_check", as: String.self)
            guard check == "ok" else { throw RenkouError(.unavailable, "migration", Text("数据库检查未通过：\(check ?? "")", "The database check failed: \(check ?? "")")) }
            let sql = try await db.raw("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = \(bind: table)").first()!.decode(column: "sql", as: String.self)
            guard sql.contains(relaxed) else { throw RenkouError(.unavailable, "migration", Text("未能修改表 \(table) 的定义。", "Could not change the definition of table \(table).")) }
        })
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
        try await write { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").run()
        }
        let done = try await write { db in
            try await db.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: Int.self) }
        }
        var applied: [Int] = []
        for migration in Migrations.all where !done.contains(migration.id) {
            try await transaction { db in
                for statement in migration.statements(engine) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await migration.after?(engine, db)
                try await db.raw("INSERT INTO schema_migrations (id, name, applied_at) VALUES (\(bind: migration.id), \(bind: migration.name), \(bind: Timestamp.string(Date())))").run()
            }
            applied.append(migration.id)
        }
        return applied
    }

    /// Whether the database holds any unit yet (the demo only fills an empty one).
    public func isEmpty() async throws -> Bool {
        try await write { db in
            try await db.raw("SELECT COUNT(*) AS n FROM org_units").first()!.decode(column: "n", as: Int.self) == 0
        }
    }
}
