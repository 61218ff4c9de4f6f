import Foundation
import RenkouCore
import SQLKit

/// Landlords, employers and property companies (出租户, 用工单位, 物业) and their agreements (计生协议书).
public struct HostStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Largest scan of an agreement that is kept (a phone photo or a short PDF).
    public static let maxScanBytes = ScanFile.maxBytes

    public struct Input: Sendable, Codable {
        public var kind: String?
        public var name: String?
        public var contactName: String?
        public var phone: String?
        public var address: String?
        public var unit: String?
        public var staffCount: Int?
        public init() {}
    }

    static func selectHosts(_ day: Day) -> SQLQueryString {
        """
        SELECT h.*, u.code AS unit_code, u.name AS unit_name,
          (SELECT COUNT(*) FROM roster_entries r WHERE r.host_id = h.id AND r.until IS NULL) AS roster_count,
          (SELECT MAX(a.expires_on) FROM agreements a WHERE a.host_id = h.id AND a.signed_on <= \(bind: day.description) AND a.expires_on >= \(bind: day.description)
             AND (a.terminated_on IS NULL OR a.terminated_on > \(bind: day.description))) AS agreement_until
        FROM hosts h JOIN org_units u ON u.id = h.unit_id
        """
    }

    static func decode(_ r: any SQLRow) throws -> MigrantHost {
        var h = MigrantHost(id: try r.decode(column: "id", as: String.self).uuid, kind: MigrantHost.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .landlord,
                     name: try r.decode(column: "name", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                     unitName: try r.decode(column: "unit_name", as: String.self), createdAt: try r.decode(column: "created_at", as: String.self))
        h.contactName = try r.decode(column: "contact_name", as: String?.self); h.phone = try r.decode(column: "phone", as: String?.self)
        h.address = try r.decode(column: "address", as: String?.self); h.staffCount = try r.decode(column: "staff_count", as: Int?.self)
        h.rosterCount = try r.decode(column: "roster_count", as: Int?.self) ?? 0
        h.agreementUntil = try r.decode(column: "agreement_until", as: String?.self)
        return h
    }

    func checked(_ input: Input) throws -> (MigrantHost.Kind, String) {
        var errors = FieldErrors()
        let kind = input.kind.flatMap { MigrantHost.Kind(rawValue: $0) }
        if kind == nil { errors.add("/kind", "code-unknown", "类型应为出租户、用工单位或物业公司。", "The kind must be landlord, employer or property.") }
        errors.required("/name", input.name)
        errors.required("/unit", input.unit)
        if let n = input.staffCount, n < 0 { errors.add("/staffCount", "negative", "人数不能为负。", "The count cannot be negative.") }
        try errors.throwIfAny()
        return (kind!, input.name!.trimmed)
    }

    @discardableResult
    public func create(_ input: Input, in scope: Scope, by actor: Actor) async throws -> MigrantHost {
        let (kind, name) = try checked(input)
        let engine = db.engine, env = self.env
        let id = try await db.transaction { db -> UUID in
            let unit = try await PersonStore.requireUnit(input.unit!.trimmed, scope: scope, engine: engine, db)
            let id = env.newID(), now = Timestamp.string(env.now())
            try await db.raw("""
                INSERT INTO hosts (id, kind, name, contact_name, phone, address, staff_count, unit_id, path, created_at, updated_at)
                VALUES (\(bind: id.text), \(bind: kind.rawValue), \(bind: name), \(bind: input.contactName?.nilIfBlank), \(bind: input.phone?.nilIfBlank),
                        \(bind: input.address?.nilIfBlank), \(bind: input.staffCount), \(bind: unit.id.text), \(bind: unit.path), \(bind: now), \(bind: now))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "host", entityID: id.text, path: unit.path, after: AuditLog.json(input))
            return id
        }
        return try await host(id, in: scope)
    }

    public func host(_ id: UUID, in scope: Scope) async throws -> MigrantHost {
        let engine = db.engine, day = Day(env.now())
        return try await db.read { db in
            guard let r = try await db.raw("\(Self.selectHosts(day)) WHERE h.id = \(bind: id.text) AND \(engine.startsWith("h.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("出租户或用工单位", "landlord or employer"))
            }
            return try Self.decode(r)
        }
    }

    /// Hosts of the scope, by kind, unit subtree and name; with roster counts and the agreement in force.
    public func list(kind: MigrantHost.Kind?, unitCode: String?, nameContains: String?, withoutAgreement: Bool = false, limit: Int = 50, offset: Int = 0,
                     in scope: Scope) async throws -> Page<MigrantHost> {
        let engine = db.engine, day = Day(env.now())
        return try await db.read { db in
            var path = scope.path
            if let code = unitCode?.nilIfBlank {
                guard let u = try await OrgStore.unit(code: code, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("单位", "unit")) }
                path = u.path
            }
            var conditions: [SQLQueryString] = [engine.startsWith("h.path", path)]
            if let kind { conditions.append("h.kind = \(bind: kind.rawValue)") }
            if let n = nameContains?.nilIfBlank { conditions.append(engine.contains("h.name", n)) }
            if withoutAgreement { conditions.append("NOT \(unsafeRaw: MigrantRateStore.validAgreement("h", day))") }
            let whereClause = conditions.joined(separator: " AND ")
            let total = try await db.raw("SELECT COUNT(*) AS n FROM hosts h WHERE \(whereClause)").first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw("\(Self.selectHosts(day)) WHERE \(whereClause) ORDER BY h.name, h.id LIMIT \(bind: limit) OFFSET \(bind: offset)").all().map(Self.decode)
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }

    // MARK: agreements

    public typealias Scan = ScanFile

    /// Records a signed agreement, with its scan when there is one.
    @discardableResult
    public func addAgreement(host: UUID, signedOn: Day, expiresOn: Day, scan: Scan?, in scope: Scope, by actor: Actor) async throws -> Agreement {
        var errors = FieldErrors()
        if expiresOn < signedOn { errors.add("/expiresOn", "before-start", "到期日早于签订日。", "The expiry is before the signing date.") }
        if Day(env.now()) < signedOn { errors.add("/signedOn", "future-date", "签订日期不能晚于今天。", "The signing date cannot be in the future.") }
        if let scan, scan.data.count > Self.maxScanBytes { errors.add("/scan", "too-large", "扫描件不能超过 4 MB。", "The scan may not exceed 4 MB.") }
        try errors.throwIfAny()
        let h = try await self.host(host, in: scope)
        let env = self.env
        return try await db.transaction { db in
            let path = try await db.raw("SELECT path FROM hosts WHERE id = \(bind: h.id.text)").first()!.decode(column: "path", as: String.self)
            let a = Agreement(id: env.newID(), hostID: h.id, signedOn: signedOn.description, expiresOn: expiresOn.description,
                              createdBy: actor.username, createdAt: Timestamp.string(env.now()))
            var withScan = a; withScan.scanName = scan?.name
            try await db.raw("""
                INSERT INTO agreements (id, host_id, signed_on, expires_on, scan_name, scan_type, scan, path, created_by, created_at)
                VALUES (\(bind: a.id.text), \(bind: h.id.text), \(bind: a.signedOn), \(bind: a.expiresOn), \(bind: scan?.name), \(bind: scan?.type),
                        \(bind: scan?.data.base64EncodedString()), \(bind: path), \(bind: actor.username), \(bind: a.createdAt))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "agreement", entityID: a.id.text, path: path, after: AuditLog.json(withScan))
            return withScan
        }
    }

    public func terminate(agreement id: UUID, on day: Day, reason: String, in scope: Scope, by actor: Actor) async throws {
        var errors = FieldErrors(); errors.required("/reason", reason); try errors.throwIfAny()
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path, terminated_on FROM agreements WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("协议", "agreement"))
            }
            if try r.decode(column: "terminated_on", as: String?.self) != nil { throw RenkouError(.conflict, "terminated", Text("该协议已终止。", "This agreement has been terminated already.")) }
            let path = try r.decode(column: "path", as: String.self)
            try await db.raw("UPDATE agreements SET terminated_on = \(bind: day.description), terminate_reason = \(bind: reason.trimmed) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "agreement", entityID: id.text, path: path,
                                     after: AuditLog.json(["terminatedOn": day.description, "reason": reason]))
        }
    }

    public func agreements(of host: UUID, in scope: Scope) async throws -> [Agreement] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT id, host_id, signed_on, expires_on, terminated_on, terminate_reason, scan_name, created_by, created_at FROM agreements
                WHERE host_id = \(bind: host.text) AND \(engine.startsWith("path", scope.path)) ORDER BY signed_on DESC, created_at DESC
                """).all().map { r in
                var a = Agreement(id: try r.decode(column: "id", as: String.self).uuid, hostID: host, signedOn: try r.decode(column: "signed_on", as: String.self),
                                  expiresOn: try r.decode(column: "expires_on", as: String.self), createdBy: try r.decode(column: "created_by", as: String.self),
                                  createdAt: try r.decode(column: "created_at", as: String.self))
                a.terminatedOn = try r.decode(column: "terminated_on", as: String?.self); a.terminateReason = try r.decode(column: "terminate_reason", as: String?.self)
                a.scanName = try r.decode(column: "scan_name", as: String?.self)
                return a
            }
        }
    }

    /// The scan of an agreement of the scope.
    public func scan(of agreement: UUID, in scope: Scope) async throws -> Scan {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT scan_name, scan_type, scan FROM agreements WHERE id = \(bind: agreement.text) AND \(engine.startsWith("path", scope.path))").first(),
                  let text = try r.decode(column: "scan", as: String?.self), let data = Data(base64Encoded: text) else {
                throw RenkouError.notFound(Text("扫描件", "scan"))
            }
            return Scan(name: try r.decode(column: "scan_name", as: String?.self) ?? "scan", type: try r.decode(column: "scan_type", as: String?.self) ?? "application/octet-stream", data: data)
        }
    }
}
