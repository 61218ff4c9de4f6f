import Foundation
import RenkouCore
import SQLKit

/// 目标: each unit's yearly target per indicator, set by hand or allocated to the units below (the
/// parent's rate for each, rates typed and checked against the parent's, or a count split in
/// proportion to a base), and the responsibility agreements that contain them. Every figure of the
/// catalogue reads a unit's own target (or the nearest one above it) through `TargetSource`.
public struct TargetStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    /// The indicator catalogue.
    let catalogue: [Indicator]
    public init(db: Database, env: RenkouCore.Environment, catalogue: [Indicator]) { self.db = db; self.env = env; self.catalogue = catalogue }

    /// A typed value in the indicator's own terms (98 for 98 %, 105 per 100, 14 trainings) as stored (0.98).
    static func stored(_ typed: Double, _ indicator: Indicator) -> Double { indicator.unit == .count ? typed : typed / 100 }
    /// A stored value as people write it.
    static func shown(_ value: Double, _ indicator: Indicator) -> String { indicator.shown(value) }

    func indicator(_ code: String) throws -> Indicator {
        guard let i = catalogue.first(where: { $0.code == code }) else {
            throw RenkouError.invalid([FieldError("/code", "unknown-indicator", Text("没有这个指标。", "No such indicator."))])
        }
        return i
    }

    static func checkYear(_ year: Int, _ errors: inout FieldErrors) {
        if !(2000...2100).contains(year) { errors.add("/year", "out-of-range", "年度应在 2000 到 2100 之间。", "A year between 2000 and 2100.") }
    }

    static func checkValue(_ typed: Double, _ indicator: Indicator, pointer: String, _ errors: inout FieldErrors) {
        let max = indicator.unit == .percent ? 100.0 : 1_000_000.0
        if !typed.isFinite || typed < 0 || typed > max {
            errors.add(pointer, "out-of-range", "目标应在 0 到 \(Int(max)) 之间。", "A target between 0 and \(Int(max)).")
        }
    }

    static func write(_ code: String, unit: OrgUnit, year: Int, value: Double, method: String, base: String?, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM targets WHERE code = \(bind: code) AND unit_id = \(bind: unit.id.text) AND year = \(bind: year)").run()
        try await db.raw("""
            INSERT INTO targets (code, unit_id, path, year, value, method, base, set_by, set_at)
            VALUES (\(bind: code), \(bind: unit.id.text), \(bind: unit.path), \(bind: year), \(bind: value), \(bind: method), \(bind: base), \(bind: actor.username),
                    \(bind: Timestamp.string(env.now())))
            """).run()
    }

    /// Sets a unit's target for an indicator and year by hand, `value` in the indicator's terms (98
    /// for 98 %), where no unit above it has one (below, targets come through the allocation, which
    /// checks them against the parent's). Throws `invalid` (`/code` `unknown-indicator` or `no-target`
    /// (a ratio with a band), `/unit` `unknown-unit` or `allocated-from-above`, `/year` and `/value`
    /// `out-of-range`).
    @discardableResult
    public func set(_ code: String, unit: String, year: Int, value: Double, in scope: Scope, by actor: Actor) async throws -> UnitTarget {
        let indicator = try self.indicator(code)
        var errors = FieldErrors()
        Self.checkYear(year, &errors); Self.checkValue(value, indicator, pointer: "/value", &errors)
        // a ratio such as the sex ratio at birth has a normal band, not a one-sided target
        if indicator.unit == .per100 { errors.add("/code", "no-target", "该指标是比值，不设单向目标。", "This figure is a ratio with a normal band, not a target.") }
        let engine = db.engine, env = self.env, checked = errors
        let saved = try await db.transaction { db -> String in
            var errors = checked
            let u = try await OrgStore.unit(code: unit, in: scope, engine: engine, db)
            if u == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            // below a unit that has a target, targets come through its allocation (with its checks)
            if let u, let above = try await db.raw("""
                SELECT t.value, o.name FROM targets t JOIN org_units o ON o.id = t.unit_id WHERE t.code = \(bind: code) AND t.year = \(bind: year) AND t.unit_id <> \(bind: u.id.text)
                AND SUBSTR(\(bind: u.path), 1, LENGTH(t.path)) = t.path ORDER BY LENGTH(t.path) DESC
                """).first() {
                let name = try above.decode(column: "name", as: String.self)
                errors.add("/unit", "allocated-from-above", "\(name)已下达该指标的目标，请由其分解（分解时检查是否达到上级目标）。",
                           "\(name) above has a target for it: it comes through that unit's allocation, which checks it.")
            }
            try errors.throwIfAny()
            let before = try await db.raw("SELECT value FROM targets WHERE code = \(bind: code) AND unit_id = \(bind: u!.id.text) AND year = \(bind: year)").first()?.decode(column: "value", as: Double.self)
            try await Self.write(code, unit: u!, year: year, value: Self.stored(value, indicator), method: "hand", base: nil, env: env, actor: actor, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "target", entityID: "\(code)/\(year)", path: u!.path,
                                     before: before.flatMap { AuditLog.json(["value": String($0)]) }, after: AuditLog.json(["value": String(Self.stored(value, indicator))]))
            return u!.code
        }
        return try await targets(year: year, unitCode: saved, in: scope).first { $0.code == code && $0.unitCode == saved }!
    }

    /// The base of each unit (active women of reproductive age (policy) on 1 January of the year, active
    /// people, households with someone living in them).
    static func base(_ base: AllocationBase, of unit: OrgUnit, year: Int, policy: Policy, engine: Engine, _ db: any SQLDatabase) async throws -> Int {
        let sql: SQLQueryString
        switch base {
        case .wra:
            let born = Day(year: year, month: 1, day: 1)!, ages = policy(.reproductiveAge, on: born)
            sql = """
                SELECT COUNT(*) AS n FROM persons WHERE \(engine.startsWith("path", unit.path)) AND status = 'active' AND sex = '2'
                AND birth_date > \(bind: born.lastBirthDay(forAge: ages.max + 1).description) AND birth_date <= \(bind: born.lastBirthDay(forAge: ages.min).description)
                """
        case .population: sql = "SELECT COUNT(*) AS n FROM persons WHERE \(engine.startsWith("path", unit.path)) AND status = 'active'"
        case .households: sql = "SELECT COUNT(*) AS n FROM households h WHERE \(engine.startsWith("h.path", unit.path)) AND EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.left_on IS NULL)"
        }
        return try await db.raw(sql).first()!.decode(column: "n", as: Int.self)
    }

    /// Splits a unit's target (its own, or the one it inherits) among the units directly below it, all
    /// or nothing: `same` gives each the parent's rate; `hand` takes each child's value (`values`: unit
    /// code → value in the indicator's terms) and refuses an allocation that does not meet the parent's
    /// — a count's values must add up to at least the parent's, a rate's mean weighted by `base` must
    /// reach it; `proportional` splits a count by `base` (largest remainders, so it adds up exactly).
    /// Throws `invalid`: `/code` `unknown-indicator`, `/unit` `unknown-unit` or `no-children`, `/target`
    /// `none` (the parent has no target), `/method` `code-unknown` or `not-for-rates` (proportional),
    /// `/values/<code>` `required` or `out-of-range`, `/values` `does-not-add-up` (with the sum or mean),
    /// `/base` `empty` (proportional, every base 0). A parent without a target of its own or above it
    /// hands down the catalogue's default.
    public func allocate(_ code: String, unit: String, year: Int, method: String, base: String? = nil, values: [String: Double] = [:], in scope: Scope, by actor: Actor) async throws -> [UnitTarget] {
        let indicator = try self.indicator(code)
        var errors = FieldErrors()
        Self.checkYear(year, &errors)
        let m = AllocationMethod(rawValue: method)
        if m == nil { errors.add("/method", "code-unknown", "分解方式应为 same、hand 或 proportional。", "The method is same, hand or proportional.") }
        if m == .proportional, indicator.unit != .count { errors.add("/method", "not-for-rates", "比率类指标不能按基数比例分解，请用统一下达或逐个填写。", "A rate is not split in proportion; give each unit the same or type each.") }
        let chosenBase = AllocationBase(rawValue: base ?? "") ?? (indicator.unit == .count ? .wra : .population)
        let engine = db.engine, env = self.env, checked = errors
        let lookup = Self.lookup
        let parentCode = try await db.transaction { db -> String in
            var errors = checked
            guard let parent = try await OrgStore.unit(code: unit, in: scope, engine: engine, db) else {
                throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("该单位不存在或不在您的管辖范围内。", "No such unit in your area."))])
            }
            let children = try await db.raw("SELECT * FROM org_units WHERE parent_id = \(bind: parent.id.text) AND status = 'active' ORDER BY code").all().map(OrgStore.decode)
            if children.isEmpty { errors.add("/unit", "no-children", "该单位下没有单位可分解。", "There is no unit below it.") }
            let parentTarget = try await lookup(parent.path, year, db)[code] ?? indicator.target
            if parentTarget == nil { errors.add("/target", "none", "上级尚无该指标的目标，请先设定。", "The unit has no target for it yet; set one first.") }
            try errors.throwIfAny()
            let target = parentTarget!
            var bases: [Int] = []
            for c in children { bases.append(try await Self.base(chosenBase, of: c, year: year, policy: env.policy, engine: engine, db)) }
            var allocated: [Double] = []
            switch m! {
            case .same:
                allocated = children.map { _ in target }
            case .proportional:
                let total = bases.reduce(0, +)
                guard total > 0 else { throw RenkouError.invalid([FieldError("/base", "empty", Text("下级单位的基数都为 0。", "The units below have no base to split by."))]) }
                // largest remainders: the parts add up to the parent's target exactly
                let whole = Int(target.rounded())
                let exact = bases.map { Double(whole) * Double($0) / Double(total) }
                var parts = exact.map { Int($0.rounded(.down)) }
                let order = exact.enumerated().sorted { ($0.element - $0.element.rounded(.down)) > ($1.element - $1.element.rounded(.down)) }.map(\.offset)
                for i in order.prefix(whole - parts.reduce(0, +)) { parts[i] += 1 }
                allocated = parts.map(Double.init)
            case .hand:
                for c in children {
                    guard let typed = values[c.code] else { errors.add("/values/\(c.code)", "required", "请填写 \(c.name) 的目标。", "Give \(c.name)'s target."); continue }
                    Self.checkValue(typed, indicator, pointer: "/values/\(c.code)", &errors)
                    allocated.append(Self.stored(typed, indicator))
                }
                try errors.throwIfAny()
                if indicator.unit == .count {
                    let sum = allocated.reduce(0, +)
                    if sum + 1e-9 < target {
                        throw RenkouError.invalid([FieldError("/values", "does-not-add-up", Text("下级目标合计 \(Self.shown(sum, indicator))，低于上级目标 \(Self.shown(target, indicator))。",
                                                                                                 "The units' targets add up to \(Self.shown(sum, indicator)), under the parent's \(Self.shown(target, indicator))."))])
                    }
                } else {
                    // the units' targets weighted by their base (people) must reach the parent's
                    let weight = bases.reduce(0, +)
                    let mean = weight == 0 ? allocated.reduce(0, +) / Double(max(1, allocated.count)) : zip(allocated, bases).map { $0 * Double($1) }.reduce(0, +) / Double(weight)
                    let meets = indicator.direction == .higher ? mean + 1e-9 >= target : mean - 1e-9 <= target
                    if !meets {
                        throw RenkouError.invalid([FieldError("/values", "does-not-add-up", Text("下级目标按\(chosenBase.label.zh)加权为 \(Self.shown(mean, indicator))，达不到上级目标 \(Self.shown(target, indicator))。",
                                                                                                 "The units' targets weighted by \(chosenBase.label.en.lowercased()) come to \(Self.shown(mean, indicator)), short of the parent's \(Self.shown(target, indicator))."))])
                    }
                }
            }
            for (c, v) in zip(children, allocated) {
                try await Self.write(code, unit: c, year: year, value: v, method: m!.rawValue, base: m == .hand && indicator.unit != .count ? chosenBase.rawValue : (m == .proportional ? chosenBase.rawValue : nil),
                                     env: env, actor: actor, db)
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "target", entityID: "\(code)/\(year)/allocation", path: parent.path,
                                     after: AuditLog.json(["method": m!.rawValue, "values": zip(children, allocated).map { "\($0.code)=\($1)" }.joined(separator: ",")]))
            return parent.code
        }
        return try await targets(year: year, unitCode: parentCode, in: scope).filter { $0.code == code && $0.unitCode != parentCode }
    }

    /// The targets set for a unit of the scope (its top when nil) and the units below it in a year.
    public func targets(year: Int, unitCode: String? = nil, in scope: Scope) async throws -> [UnitTarget] {
        let engine = db.engine
        return try await db.read { db in
            var path = scope.path
            if let c = unitCode?.nilIfBlank {
                guard let u = try await OrgStore.unit(code: c, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("单位", "unit")) }
                path = u.path
            }
            return try await db.raw("""
                SELECT t.*, u.code AS unit_code, u.name AS unit_name FROM targets t JOIN org_units u ON u.id = t.unit_id
                WHERE t.year = \(bind: year) AND \(engine.startsWith("t.path", path)) ORDER BY t.path, t.code
                """).all().map { r in
                UnitTarget(code: try r.decode(column: "code", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                           unitName: try r.decode(column: "unit_name", as: String.self), year: year, value: try r.decode(column: "value", as: Double.self),
                           method: try r.decode(column: "method", as: String.self), base: try r.decode(column: "base", as: String?.self), setBy: try r.decode(column: "set_by", as: String.self))
            }
        }
    }

    /// A unit's targets in a year: for each indicator its own, or the nearest unit's above it.
    static let lookup: @Sendable (String, Int, any SQLDatabase) async throws -> [String: Double] = { path, year, db in
        var out: [String: Double] = [:]
        for r in try await db.raw("""
            SELECT code, value FROM targets WHERE year = \(bind: year) AND SUBSTR(\(bind: path), 1, LENGTH(path)) = path ORDER BY LENGTH(path) DESC
            """).all() {
            let code = try r.decode(column: "code", as: String.self)
            if out[code] == nil { out[code] = try r.decode(column: "value", as: Double.self) }
        }
        return out
    }

    /// A unit's targets in a year, each its own or the nearest unit's above it (stored terms).
    public func effective(unitCode: String, year: Int, in scope: Scope) async throws -> [String: Double] {
        let engine = db.engine
        return try await db.read { db in
            guard let u = try await OrgStore.unit(code: unitCode, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("单位", "unit")) }
            return try await Self.lookup(u.path, year, db)
        }
    }

    // MARK: agreements

    /// 签订责任书: a unit's agreement for a year (one; signing again replaces it), with the scan of the
    /// signed paper. Throws `invalid` (`/unit` `unknown-unit`, `/year` `out-of-range`, `/terms` and
    /// `/signatories` `required`, `/signedOn` `date-format`, `/scan` `scan-type` or `too-large`).
    @discardableResult
    public func sign(unit: String, year: Int, terms: String, signatories: String, signedOn: String?, scan: ScanFile? = nil, in scope: Scope, by actor: Actor) async throws -> ResponsibilityAgreement {
        var errors = FieldErrors(), day = Day(env.now())
        Self.checkYear(year, &errors)
        if terms.trimmed.isEmpty { errors.add("/terms", "required", "请填写责任条款。", "Write the terms.") }
        if signatories.trimmed.isEmpty { errors.add("/signatories", "required", "请填写签订双方。", "Name who signed.") }
        if let d = errors.day("/signedOn", signedOn) { day = d }
        if let scan, scan.data.count > ScanFile.maxBytes { errors.add("/scan", "too-large", "扫描件不能超过 4 MB。", "The scan may not exceed 4 MB.") }
        let engine = db.engine, env = self.env, checked = errors, signed = day
        let saved = try await db.transaction { db -> String in
            var errors = checked
            let u = try await OrgStore.unit(code: unit, in: scope, engine: engine, db)
            if u == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            try errors.throwIfAny()
            // signing again replaces the agreement; the audit row keeps what it replaced
            let before = try await db.raw("SELECT terms, signatories, signed_on FROM responsibility_agreements WHERE unit_id = \(bind: u!.id.text) AND year = \(bind: year)").first()
            let replaced = try before.flatMap { r in AuditLog.json(["terms": try r.decode(column: "terms", as: String.self), "signatories": try r.decode(column: "signatories", as: String.self),
                                                                    "signedOn": try r.decode(column: "signed_on", as: String.self)]) }
            try await db.raw("DELETE FROM responsibility_agreements WHERE unit_id = \(bind: u!.id.text) AND year = \(bind: year)").run()
            let id = env.newID()
            try await db.raw("""
                INSERT INTO responsibility_agreements (id, unit_id, path, year, terms, signatories, signed_on, scan_name, scan_type, scan, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: u!.id.text), \(bind: u!.path), \(bind: year), \(bind: terms.trimmed), \(bind: signatories.trimmed), \(bind: signed.description),
                        \(bind: scan?.name), \(bind: scan?.type), \(bind: scan?.data.base64EncodedString()), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: replaced == nil ? .create : .update, entity: "responsibility_agreement", entityID: id.text, path: u!.path,
                                     before: replaced, after: AuditLog.json(["year": String(year), "terms": terms.trimmed, "signatories": signatories.trimmed]))
            return u!.code
        }
        return try await agreements(year: year, in: scope).first { $0.unitCode == saved }!
    }

    /// The agreements of the scope for a year, each with the unit's targets (own or inherited).
    public func agreements(year: Int, in scope: Scope) async throws -> [ResponsibilityAgreement] {
        let engine = db.engine
        let rows = try await db.read { db in
            try await db.raw("""
                SELECT a.id, a.year, a.terms, a.signatories, a.signed_on, a.scan IS NOT NULL AS has_scan, a.path, u.code, u.name
                FROM responsibility_agreements a JOIN org_units u ON u.id = a.unit_id WHERE a.year = \(bind: year) AND \(engine.startsWith("a.path", scope.path)) ORDER BY a.path
                """).all().map { r in
                (id: try r.decode(column: "id", as: String.self).uuid, code: try r.decode(column: "code", as: String.self), name: try r.decode(column: "name", as: String.self),
                 terms: try r.decode(column: "terms", as: String.self), signatories: try r.decode(column: "signatories", as: String.self),
                 signedOn: try r.decode(column: "signed_on", as: String.self), hasScan: try r.decode(column: "has_scan", as: Bool.self), path: try r.decode(column: "path", as: String.self))
            }
        }
        var out: [ResponsibilityAgreement] = []
        for a in rows {
            let targets = try await db.read { db in try await Self.lookup(a.path, year, db) }
            out.append(ResponsibilityAgreement(id: a.id, unitCode: a.code, unitName: a.name, year: year, terms: a.terms, signatories: a.signatories, signedOn: a.signedOn, hasScan: a.hasScan,
                                               targets: catalogue.compactMap { i in targets[i.code].map { UnitTarget(code: i.code, unitCode: a.code, unitName: a.name, year: year, value: $0, method: "", base: nil, setBy: "") } }))
        }
        return out
    }

    /// The signed scan of an agreement of the scope. Throws `not-found`.
    public func scan(of id: UUID, in scope: Scope) async throws -> ScanFile {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT scan_name, scan_type, scan FROM responsibility_agreements WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first(),
                  let text = try r.decode(column: "scan", as: String?.self), let data = Data(base64Encoded: text) else { throw RenkouError.notFound(Text("扫描件", "scan")) }
            return ScanFile(name: try r.decode(column: "scan_name", as: String?.self) ?? "agreement", type: try r.decode(column: "scan_type", as: String?.self) ?? "application/pdf", data: data)
        }
    }
}

extension Stores {
    public var targets: TargetStore { TargetStore(db: db, env: env, catalogue: indicators.all) }
}
