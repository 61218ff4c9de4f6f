import Foundation
import RenkouCore
import SQLKit

/// Consistent copies of an SQLite database. PostgreSQL is backed up with pg_dump (see the README).
public enum Backup {
    /// Writes a consistent snapshot of the open database to `file` (the server may keep running).
    public static func sqlite(_ db: Database, to file: String) async throws {
        guard db.engine == .sqlite else { throw RenkouStoreError.notSQLite }
        if FileManager.default.fileExists(atPath: file) {
            throw RenkouError(.conflict, "backup-exists", Text("备份文件 \(file) 已存在。", "The backup file \(file) exists already."))
        }
        try await db.write { try await $0.raw("VACUUM INTO \(bind: file)").run() }
    }

    /// Replaces the database file at `url` with a backup. Run it with the server stopped.
    public static func restoreSQLite(url: String, from file: String) async throws {
        guard url.hasPrefix("sqlite:") else { throw RenkouStoreError.notSQLite }
        let target = String(url.dropFirst("sqlite:".count))
        let fm = FileManager.default
        guard fm.fileExists(atPath: file) else {
            throw RenkouError(.notFound, "backup-missing", Text("找不到备份文件 \(file)。", "The backup file \(file) does not exist."))
        }
        // Check that it is a Renkou database before touching anything.
        let probe = try await Database.open(url: "sqlite:" + file)
        let ok = (try? await probe.read { try await $0.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?.decode(column: "n", as: Int.self) }) ?? nil
        await probe.close()
        guard ok != nil else {
            throw RenkouError(.invalid, "backup-invalid", Text("\(file) 不是 Renkou 数据库备份。", "\(file) is not a Renkou database backup."))
        }
        let staging = target + ".restoring"
        try? fm.removeItem(atPath: staging)
        try fm.copyItem(atPath: file, toPath: staging)
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: target + suffix) }
        // rename(2) swaps the file in one step: the database is either the old one or the backup.
        guard rename(staging, target) == 0 else {
            throw RenkouError(.unavailable, "restore-failed", Text("无法替换数据库文件 \(target)。", "Could not replace the database file \(target)."))
        }
    }
}
