import Foundation
import RenkouCore
import SQLKit

/// The administrative tree: units, their history, and head counts.
public struct OrgStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    static let columns = "u.id, u.code, u.name, u.level, u.parent_id, u.path, u.status, u.valid_from, u.valid_to, u.replaced_by"

    static func decode(_ r: any SQLRow) throws -> OrgUnit {
        OrgUnit(id: UUID(uuidString: try r.decode(column: "id", as: String.self))!,
                code: try r.decode(column: "code", as: String.self), name: try r.decode(column: "name", as: String.self),
                level: OrgLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .grid,
                parentID: try r.decode(column: "parent_id", as: String?.self).flatMap(UUID.init(uuidString:)),
                path: try r.decode(column: "path", as: String.self), status: try r.decode(column: "status", as: String.self),
                validFrom: try r.decode(column: "valid_from", as: String?.self), validTo: try r.decode(column: "valid_to", as: String?.self),
                replacedBy: try r.decode(column: "replaced_by", as: String?.self))
    }

    /// A unit by code, if it lies in the scope.
    public func unit(code: String, in scope: Scope) async throws -> OrgUnit? {
        try await db.read { try await Self.unit(code: code, in: scope, engine: self.db.engine, $0) }
    }

    static func unit(code: String, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> OrgUnit? {
        let normalized = code.count == 12 && code.hasSuffix("000") ? String(code.prefix(9)) : code
        return try await db.raw("SELECT \(unsafeRaw: columns) FROM org_units u WHERE u.code = \(bind: normalized) AND \(engine.startsWith("u.path", scope.path))")
            .first().map(decode)
    }

    /// A unit by id, if it lies in the scope.
    public func unit(id: UUID, in scope: Scope) async throws -> OrgUnit? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM org_units u WHERE u.id = \(bind: id.text) AND \(self.db.engine.startsWith("u.path", scope.path))")
                .first().map(Self.decode)
        }
    }

    /// The units at the top of a scope: the scope's own unit, or the roots for the whole tree.
    public func tops(in scope: Scope) async throws -> [OrgUnitSummary] {
        try await summaries(where: Self.topsCondition(scope))
    }

    /// The children of a unit (or the roots), with head counts, inside the scope.
    public func children(of parent: UUID?, in scope: Scope, activeOnly: Bool = false) async throws -> [OrgUnitSummary] {
        try await summaries(where: Self.childrenCondition(of: parent, in: scope, activeOnly: activeOnly, engine: db.engine))
    }

    /// Which units are the tops of `scope` (see `tops(in:)`).
    static func topsCondition(_ scope: Scope) -> SQLQueryString {
        scope.path == "/" ? "u.parent_id IS NULL" : "u.path = \(bind: scope.path)"
    }

    /// Which units are the children of `parent` (the roots when nil) inside `scope`.
    static func childrenCondition(of parent: UUID?, in scope: Scope, activeOnly: Bool, engine: Engine) -> SQLQueryString {
        let parentCondition: SQLQueryString = parent.map { "u.parent_id = \(bind: $0.text)" } ?? "u.parent_id IS NULL"
        let active: SQLQueryString = activeOnly ? " AND u.status = 'active'" : ""
        return "\(parentCondition) AND \(engine.startsWith("u.path", scope.path))\(active)"
    }

    /// The units meeting `condition` (over `org_units u`), by code, without head counts.
    static func units(where condition: SQLQueryString, _ db: any SQLDatabase) async throws -> [OrgUnit] {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM org_units u WHERE \(condition) ORDER BY u.code").all().map(decode)
    }

    /// How many people live under `unit`.
    static func personCount(_ unit: OrgUnit, engine: Engine, _ db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM persons WHERE \(engine.startsWith("path", unit.path))").first()!.decode(column: "n", as: Int.self)
    }

    private func summaries(where condition: SQLQueryString) async throws -> [OrgUnitSummary] {
        let engine = db.engine
        return try await db.read { db in
            var out: [OrgUnitSummary] = []
            for unit in try await Self.units(where: condition, db) {
                let children = try await db.raw("SELECT COUNT(*) AS n FROM org_units WHERE parent_id = \(bind: unit.id.text)").first()!.decode(column: "n", as: Int.self)
                out.append(OrgUnitSummary(unit: unit, childCount: children, personCount: try await Self.personCount(unit, engine: engine, db)))
            }
            return out
        }
    }

    /// The chain of units from the top of the scope down to this unit, for breadcrumbs.
    public func ancestors(of unit: OrgUnit, in scope: Scope) async throws -> [OrgUnit] {
        let codes = unit.path.split(separator: "/").map(String.init).dropLast()
        var out: [OrgUnit] = []
        for code in codes { if let u = try await self.unit(code: code, in: scope) { out.append(u) } }
        return out
    }

    /// Adds a unit under a parent of the scope. The code is checked and normalised for its level.
    @discardableResult
    public func add(code: String, name: String, level: OrgLevel, parentCode: String?, in scope: Scope, by actor: Actor) async throws -> OrgUnit {
        var errors = FieldErrors()
        errors.required("/name", name)
        try errors.throwIfAny()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            var parent: OrgUnit?
            if let parentCode, !parentCode.isEmpty {
                parent = try await Self.unit(code: parentCode, in: scope, engine: engine, db)
                if parent == nil { throw RenkouError.invalid([FieldError("/parent", "unknown-unit", Text("上级单位 \(parentCode) 不存在。", "Parent unit \(parentCode) does not exist."))]) }
            } else if scope.path != "/" {
                throw RenkouError.invalid([FieldError("/parent", "parent-required", Text("请选择上级单位。", "Choose a parent unit."))])
            }
            let normalized = try OrgCode.normalize(code, level: level, parentCode: parent?.code, parentLevel: parent?.level)
            if try await db.raw("SELECT 1 AS one FROM org_units WHERE code = \(bind: normalized)").first() != nil {
                throw RenkouError.invalid([FieldError("/code", "code-taken", Text("代码 \(normalized) 已被使用。", "Code \(normalized) is already in use."))])
            }
            let unit = OrgUnit(id: env.newID(), code: normalized, name: name.trimmingCharacters(in: .whitespaces), level: level,
                               parentID: parent?.id, path: OrgUnit.path(code: normalized, under: parent?.path))
            try await Self.insert(unit, db, now: env.now())
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "org_unit", entityID: unit.id.text, path: unit.path, after: AuditLog.json(unit))
            return unit
        }
    }

    static func insert(_ unit: OrgUnit, _ db: any SQLDatabase, now: Date) async throws {
        let ts = Timestamp.string(now)
        try await db.raw("""
            INSERT INTO org_units (id, code, name, level, parent_id, path, status, valid_from, valid_to, replaced_by, created_at, updated_at)
            VALUES (\(bind: unit.id.text), \(bind: unit.code), \(bind: unit.name), \(bind: unit.level.rawValue), \(bind: unit.parentID?.text),
                    \(bind: unit.path), \(bind: unit.status), \(bind: unit.validFrom), \(bind: unit.validTo), \(bind: unit.replacedBy), \(bind: ts), \(bind: ts))
            """).run()
    }

    /// Renames a unit; the old name stays in its history.
    @discardableResult
    public func rename(_ id: UUID, to name: String, in scope: Scope, by actor: Actor) async throws -> OrgUnit {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        var errors = FieldErrors(); errors.required("/name", trimmed); try errors.throwIfAny()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            guard var unit = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM org_units u WHERE u.id = \(bind: id.text) AND \(engine.startsWith("u.path", scope.path))").first().map(Self.decode)
            else { throw RenkouError.notFound(Text("单位", "unit")) }
            guard unit.name != trimmed else { return unit }
            let before = unit
            let now = env.now()
            try await db.raw("UPDATE org_units SET name = \(bind: trimmed), updated_at = \(bind: Timestamp.string(now)) WHERE id = \(bind: id.text)").run()
            try await Self.history(db, unit: id, at: now, field: "name", old: unit.name, new: trimmed, by: actor.username)
            unit.name = trimmed
            try await AuditLog.write(db, at: now, actor: actor, action: .update, entity: "org_unit", entityID: id.text, path: unit.path, before: AuditLog.json(before), after: AuditLog.json(unit))
            return unit
        }
    }

    /// Moves a unit (and everything under it, people included) to a new parent; the old parent stays in its history.
    @discardableResult
    public func move(_ id: UUID, toParent parentCode: String, in scope: Scope, by actor: Actor) async throws -> OrgUnit {
        let engine = db.engine, env = self.env
        let moved = try await db.transaction { db in
            guard var unit = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM org_units u WHERE u.id = \(bind: id.text) AND \(engine.startsWith("u.path", scope.path))").first().map(Self.decode)
            else { throw RenkouError.notFound(Text("单位", "unit")) }
            guard let parent = try await Self.unit(code: parentCode, in: scope, engine: engine, db) else {
                throw RenkouError.invalid([FieldError("/parent", "unknown-unit", Text("上级单位 \(parentCode) 不存在。", "Parent unit \(parentCode) does not exist."))])
            }
            if parent.path.hasPrefix(unit.path) {
                throw RenkouError.invalid([FieldError("/parent", "parent-cycle", Text("不能把单位移到它自己的下级。", "A unit cannot move under itself."))])
            }
            _ = try OrgCode.normalize(unit.code, level: unit.level, parentCode: parent.code, parentLevel: parent.level)
            let before = unit, oldPath = unit.path
            let newPath = OrgUnit.path(code: unit.code, under: parent.path)
            let now = env.now()
            // Every row of every module that carries a path under the old one moves with the unit.
            for entry in storeModules.flatMap(\.pathTables) {
                let parts = entry.split(separator: "."), table = String(parts[0]), column = parts.count > 1 ? String(parts[1]) : "path"
                try await db.raw("""
                    UPDATE \(unsafeRaw: table) SET \(unsafeRaw: column) = CAST(\(bind: newPath) AS TEXT) || SUBSTR(\(unsafeRaw: column), CAST(\(bind: oldPath.count + 1) AS INTEGER))
                    WHERE \(engine.startsWith(column, oldPath))
                    """).run()
            }
            try await db.raw("UPDATE org_units SET parent_id = \(bind: parent.id.text), updated_at = \(bind: Timestamp.string(now)) WHERE id = \(bind: id.text)").run()
            let oldParent = oldPath.split(separator: "/").dropLast().last.map(String.init) ?? ""
            try await Self.history(db, unit: id, at: now, field: "parent", old: oldParent, new: parent.code, by: actor.username)
            unit.parentID = parent.id; unit.path = newPath
            try await AuditLog.write(db, at: now, actor: actor, action: .update, entity: "org_unit", entityID: id.text, path: newPath, before: AuditLog.json(before), after: AuditLog.json(unit))
            return unit
        }
        for tidy in storeModules.compactMap(\.afterTreeMove) { try? await tidy(db) }
        return moved
    }

    static func history(_ db: any SQLDatabase, unit: UUID, at: Date, field: String, old: String, new: String, by: String) async throws {
        try await db.raw("""
            INSERT INTO org_unit_history (unit_id, at, field, old_value, new_value, by_user)
            VALUES (\(bind: unit.text), \(bind: Timestamp.string(at)), \(bind: field), \(bind: old), \(bind: new), \(bind: by))
            """).run()
    }

    /// Renames and re-parentings of a unit, oldest first.
    public func history(of id: UUID) async throws -> [OrgUnitChange] {
        try await db.read { db in
            try await db.raw("SELECT at, field, old_value, new_value, by_user FROM org_unit_history WHERE unit_id = \(bind: id.text) ORDER BY id").all().map { r in
                OrgUnitChange(at: try r.decode(column: "at", as: String.self), field: try r.decode(column: "field", as: String.self),
                              oldValue: try r.decode(column: "old_value", as: String.self), newValue: try r.decode(column: "new_value", as: String.self),
                              by: try r.decode(column: "by_user", as: String.self))
            }
        }
    }

    /// Every unit of the scope at the given levels, for pickers.
    public func list(levels: [OrgLevel], in scope: Scope) async throws -> [OrgUnit] {
        let levelList = (levels.map { "\(bind: $0.rawValue)" as SQLQueryString }).joined(separator: ", ")
        return try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM org_units u WHERE u.level IN (\(levelList)) AND u.status = 'active' AND \(self.db.engine.startsWith("u.path", scope.path)) ORDER BY u.code")
                .all().map(Self.decode)
        }
    }
}

extension OrgStore {
    /// The code table's entry for a 6-digit address code (name and first year of use), or nil when the
    /// table does not have it.
    public func areaCode(_ code: String) async throws -> AreaCode? {
        try await db.read { db in
            guard let r = try await db.raw("SELECT name, valid_from FROM org_units WHERE code = \(bind: code) AND level IN ('province', 'city', 'district')").first() else { return nil }
            return try Self.areaCode(r)
        }
    }

    /// The whole code table by code (about 7,000 entries), for an import that checks every row's
    /// number; nil when no table was loaded.
    public func codeTable() async throws -> [String: AreaCode]? {
        guard try await hasCodeTable() else { return nil }
        return try await db.read { db in
            var table: [String: AreaCode] = [:]
            for r in try await db.raw("SELECT code, name, valid_from FROM org_units WHERE level IN ('province', 'city', 'district')").all() {
                table[try r.decode(column: "code", as: String.self)] = try Self.areaCode(r)
            }
            return table
        }
    }

    static func areaCode(_ r: any SQLRow) throws -> AreaCode {
        AreaCode(name: try r.decode(column: "name", as: String.self), since: try r.decode(column: "valid_from", as: String?.self).flatMap { Int($0.prefix(4)) })
    }

    /// A GB/T 2260 region code as people say it: `310114` → 上海市嘉定区 (province, city, district from
    /// the code table; a city entry named 市辖区 or 县 is left out). Nil when the table does not know it.
    public func regionName(_ code: String) async throws -> String? {
        guard code.count == 6, code.allSatisfy(\.isASCIIDigit) else { return nil }
        let codes = [String(code.prefix(2)) + "0000", String(code.prefix(4)) + "00", code]
        let names = try await db.read { db in
            try await db.raw("""
                SELECT code, name FROM org_units WHERE code IN (\(bind: codes[0]), \(bind: codes[1]), \(bind: codes[2])) AND level IN ('province', 'city', 'district')
                """).all().map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
        }
        let byCode = Dictionary(names, uniquingKeysWith: { a, _ in a })
        guard byCode[code] != nil else { return nil }
        var parts: [String] = []
        for c in codes where !parts.contains(byCode[c] ?? "") {
            if let n = byCode[c], !["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"].contains(n) { parts.append(n) }
        }
        return parts.joined()
    }

    /// Whether a GB/T 2260 code table has been imported: only that import gives units a first year of use.
    /// A unit of the scope with this code (when nil or blank: the scope's top unit, or of several tops
    /// the one with the most people, so that the whole tree's default is the district served, not the
    /// first province of the code table) and the active units directly below it: what every rates page
    /// shows. Throws `not-found` for a unit outside the scope.
    /// Reads no head counts (a count of a district of 1,000,000 is a pass over its index, and every
    /// rates page and dashboard chart asks for its unit): the tops are told apart by whether anyone
    /// lives under them, and counted only when several have people.
    public func unitAndChildren(_ code: String?, in scope: Scope) async throws -> (unit: OrgUnit, children: [OrgUnit]) {
        let engine = db.engine
        return try await db.read { db in
            let top: OrgUnit?
            if let code = code?.nilIfBlank {
                top = try await Self.unit(code: code, in: scope, engine: engine, db)
            } else {
                let tops = try await Self.units(where: Self.topsCondition(scope), db)
                var peopled: [OrgUnit] = []
                for u in tops where try await db.raw("SELECT 1 AS x FROM persons WHERE \(engine.startsWith("path", u.path)) LIMIT 1").first() != nil { peopled.append(u) }
                if peopled.count > 1 {
                    var most: (OrgUnit, Int)?
                    for u in peopled {
                        let n = try await Self.personCount(u, engine: engine, db)
                        if n > most?.1 ?? -1 { most = (u, n) }
                    }
                    top = most?.0
                } else {
                    top = peopled.first ?? tops.first
                }
            }
            guard let top else { throw RenkouError.notFound(Text("单位", "unit")) }
            return (top, try await Self.units(where: Self.childrenCondition(of: top.id, in: scope, activeOnly: true, engine: engine), db))
        }
    }

    /// The GB/T 2260 code table shipped with Renkou (`Admin/Resources/areacodes.csv`, CC0).
    public static var shippedCodeTable: URL {
        Bundle.module.url(forResource: "areacodes", withExtension: "csv", subdirectory: "Resources")
            ?? Bundle.module.bundleURL.appendingPathComponent("Resources/areacodes.csv")
    }

    /// Loads the shipped code table when none is loaded yet (the demo and a first start): ID numbers
    /// are then checked against real address codes from the beginning. Returns the import's report, or
    /// nil when a table was there already.
    @discardableResult
    public func loadShippedCodeTable(by actor: Actor) async throws -> ImportReport? {
        guard try await !hasCodeTable() else { return nil }
        return try await importFile(at: Self.shippedCodeTable.path, in: .everything, by: actor)
    }

    public func hasCodeTable() async throws -> Bool {
        try await db.read { db in
            try await db.raw("SELECT 1 AS one FROM org_units WHERE valid_from IS NOT NULL LIMIT 1").first() != nil
        }
    }

    /// Checks a citizen ID number against the loaded code table.
    public func checkIDNumber(_ raw: String, today: Day) async throws -> CitizenIDCheck {
        let normalized = CitizenID.normalize(raw)
        guard normalized.count >= 6, try await hasCodeTable() else { return CitizenID.check(raw, today: today) }
        // The address code, and for a foreign permanent resident's number the province of the issuing office.
        var found: [String: AreaCode] = [:]
        for code in [String(normalized.prefix(6)), String(normalized.dropFirst().prefix(2)) + "0000"] { found[code] = try await areaCode(code) }
        return CitizenID.check(raw, today: today) { [found] in found[$0] }
    }
}
