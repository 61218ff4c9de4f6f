import Foundation
import RenkouCore
import RenkouFiles
import SQLKit

extension OrgStore {
    /// One unit as a file describes it.
    struct ImportedUnit {
        var row: Int
        var code: String
        var name: String
        var level: OrgLevel
        var parentCode: String?
        var status = "active"
        var validFrom: String?
        var validTo: String?
        var replacedBy: String?
        /// Earlier names of the same code (other rows of areacodes.csv), kept as history.
        var former: [String] = []
    }

    /// Imports a unit file: the GB/T 2260 layout of `areacodes.csv` (with historical codes, status and
    /// replacement) or a plain `code,name,level,parent` CSV, with or without its header row, in any
    /// encoding or as XLSX (read row by row by `TableFile`, like every import). Parents must come
    /// before or exist already. Importing the same file twice changes nothing the second time.
    public func importFile(at path: String, in scope: Scope, by actor: Actor) async throws -> ImportReport {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw RenkouError.invalid([FieldError("/file", "file-unreadable", Text("无法读取文件 \(path)。", "Cannot read \(path)."))])
        }
        var report = ImportReport()
        var isAreaCodes: Bool?
        var units: [String: ImportedUnit] = [:]
        var order: [String] = []
        var rows = 0
        try await TableFile.read(URL(fileURLWithPath: path)) { cells, row in
            let f = cells.map { $0.trimmingCharacters(in: .whitespaces) }
            if isAreaCodes == nil {
                // The first row: the area-code table's header, a plain header, or already a unit.
                isAreaCodes = f.first == "代码"
                if isAreaCodes! || f.first?.lowercased() == "code" { return }
            }
            if f.allSatisfy(\.isEmpty) { return }
            rows += 1
            guard let unit = isAreaCodes! ? parseAreaCode(f, row: row, report: &report) : parsePlain(f, row: row, report: &report) else { return }
            if var existing = units[unit.code] {
                // The same code in another period: the row in use (or the newer one) defines the unit.
                report.count(.unchanged)
                let newer = unit.status == "active" || (existing.status != "active" && (unit.validFrom ?? "") > (existing.validFrom ?? ""))
                let older = newer ? existing : unit
                var winner = newer ? unit : existing
                winner.former = existing.former + unit.former + ["\(older.name) (\(older.validFrom ?? "?")–\(older.validTo ?? ""))"]
                existing = winner
                units[unit.code] = existing
            } else {
                units[unit.code] = unit
                order.append(unit.code)
            }
        }
        let toWrite = order.compactMap { units[$0] }
        let env = self.env
        let counted = (report: report, rows: rows)
        let result = try await db.transaction { db in
            var report = counted.report
            // Every unit, by code, loaded once: the rows are checked against it and it grows as they are written.
            var known: [String: OrgUnit] = [:]
            for unit in try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM org_units u").all().map(Self.decode) { known[unit.code] = unit }
            for unit in toWrite { try await Self.write(unit, known: &known, env: env, scope: scope, actor: actor, db, report: &report) }
            // Every row read ended once (merged into another row's unit, written, unchanged or refused), or nothing is kept.
            try ImportPipeline.check(report.tally, against: ImportPipeline.Reading(kind: .csv, encoding: nil, rows: counted.rows))
            return report
        }
        // a code table multiplies the units (one to 6,452 at first start): the planner must know (the units
        // are committed: a failure here is the hourly job's to repair, not the load's)
        _ = try? await db.optimizeStatistics()
        return result
    }

    private func parseAreaCode(_ f: [String], row: Int, report: inout ImportReport) -> ImportedUnit? {
        guard f.count >= 6 else {
            report.reject(row: row, column: "代码", value: f.joined(separator: ","), Text("列数不足（应为 9 列）。", "Too few columns (9 expected)."))
            return nil
        }
        guard let level = OrgLevel(label: f[4]) else {
            report.reject(row: row, column: "级别", value: f[4], Text("无法识别的级别。", "Unknown level."))
            return nil
        }
        let status = ["在用": "active", "变更": "changed", "弃用": "abandoned"][f[5]] ?? "active"
        return ImportedUnit(row: row, code: f[0], name: f[3], level: level, parentCode: nil, status: status,
                            validFrom: f.count > 6 && !f[6].isEmpty ? f[6] : nil, validTo: f.count > 7 && !f[7].isEmpty ? f[7] : nil,
                            replacedBy: f.count > 8 && !f[8].isEmpty && f[8] != f[0] ? f[8] : nil)
    }

    private func parsePlain(_ f: [String], row: Int, report: inout ImportReport) -> ImportedUnit? {
        guard f.count >= 3 else {
            report.reject(row: row, column: "code", value: f.joined(separator: ","), Text("列数不足（应为 code,name,level,parent）。", "Too few columns (code,name,level,parent expected)."))
            return nil
        }
        guard let level = OrgLevel(label: f[2]) else {
            report.reject(row: row, column: "level", value: f[2], Text("无法识别的级别。", "Unknown level."))
            return nil
        }
        return ImportedUnit(row: row, code: f[0], name: f[1], level: level, parentCode: f.count > 3 && !f[3].isEmpty ? f[3] : nil)
    }

    private static func write(_ u: ImportedUnit, known: inout [String: OrgUnit], env: RenkouCore.Environment, scope: Scope, actor: Actor,
                              _ db: any SQLDatabase, report: inout ImportReport) async throws {
        func reject(_ column: String, _ value: String, _ reason: Text) { report.reject(row: u.row, column: column, value: value, reason) }
        var parent: OrgUnit?
        let parentCandidates = u.parentCode.map { [$0] } ?? OrgCode.impliedParents(of: u.code)
        for candidate in parentCandidates {
            let code = candidate.count == 12 && candidate.hasSuffix("000") ? String(candidate.prefix(9)) : candidate
            if let p = known[code], scope.contains(p.path) { parent = p; break }
        }
        if parent == nil && !parentCandidates.isEmpty && (u.parentCode != nil || u.level > .district) {
            return reject(u.parentCode == nil ? "代码" : "parent", u.parentCode ?? u.code, Text("找不到上级单位。", "The parent unit was not found."))
        }
        if parent == nil && scope.path != "/" {
            return reject("parent", u.parentCode ?? "", Text("上级单位不在您的管辖范围内。", "The parent unit is outside your area."))
        }
        let code: String
        do { code = try OrgCode.normalize(u.code, level: u.level, parentCode: parent?.code, parentLevel: parent?.level) }
        catch let error as RenkouError { return reject("code", u.code, error.fields.first?.message ?? error.message) }
        if u.name.isEmpty { return reject("name", "", Text("名称不能为空。", "The name is empty.")) }
        let now = env.now()
        if let existing = known[code] {
            let same = existing.name == u.name && existing.level == u.level && existing.status == u.status && existing.validFrom == u.validFrom
                && existing.validTo == u.validTo && existing.replacedBy == u.replacedBy && existing.parentID == parent?.id
            if same { report.count(.unchanged); return }
            guard scope.contains(existing.path), existing.parentID == parent?.id else {
                return reject("code", code, Text("该代码已存在于其他上级单位之下。", "This code exists already under another parent."))
            }
            try await db.raw("""
                UPDATE org_units SET name = \(bind: u.name), status = \(bind: u.status), valid_from = \(bind: u.validFrom),
                valid_to = \(bind: u.validTo), replaced_by = \(bind: u.replacedBy), updated_at = \(bind: Timestamp.string(now)) WHERE id = \(bind: existing.id.text)
                """).run()
            if existing.name != u.name { try await history(db, unit: existing.id, at: now, field: "name", old: existing.name, new: u.name, by: actor.username) }
            var updated = existing
            updated.name = u.name; updated.status = u.status; updated.validFrom = u.validFrom; updated.validTo = u.validTo; updated.replacedBy = u.replacedBy
            known[code] = updated
            try await AuditLog.write(db, at: now, actor: actor, action: .update, entity: "org_unit", entityID: existing.id.text, path: existing.path, before: AuditLog.json(existing))
            report.count(.updated)
            return
        }
        let unit = OrgUnit(id: env.newID(), code: code, name: u.name, level: u.level, parentID: parent?.id,
                           path: OrgUnit.path(code: code, under: parent?.path), status: u.status,
                           validFrom: u.validFrom, validTo: u.validTo, replacedBy: u.replacedBy)
        try await insert(unit, db, now: now)
        known[code] = unit
        for former in u.former {
            try await history(db, unit: unit.id, at: now, field: "former-name", old: former, new: u.name, by: actor.username)
        }
        try await AuditLog.write(db, at: now, actor: actor, action: .import, entity: "org_unit", entityID: unit.id.text, path: unit.path, after: AuditLog.json(unit))
        report.count(.imported)
    }
}
