import Foundation
import RenkouCore
import SQLKit

/// 婚育证明即将到期: the current version of a certificate, still marked valid, ending within the horizon
/// (or already ended while still the latest).
struct CertificateExpirySource: TaskSource {
    func path(of id: UUID, _ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT path FROM certificates WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self)
    }
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask] {
        try await db.raw("""
            SELECT c.id, c.name, c.id_number, c.person_id, c.valid_until, c.number, u.code AS unit_code, u.name AS unit_name, c.created_at
            FROM certificates c JOIN org_units u ON u.id = c.unit_id
            WHERE c.state = 'valid' AND c.valid_until <= \(bind: horizon.description) AND \(engine.startsWith("c.path", scope.path))
            AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.person_id = c.person_id AND n.state = 'valid' AND n.valid_until > \(bind: horizon.description))
            ORDER BY c.valid_until LIMIT \(unsafeRaw: String(limit))
            """).all().map { r -> FieldTask in
            var t = FieldTask(id: try r.decode(column: "id", as: String.self).uuid, kind: .certificateExpiring, subject: try r.decode(column: "name", as: String.self),
                              unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                              due: try r.decode(column: "valid_until", as: String.self), source: "certificate", createdAt: try r.decode(column: "created_at", as: String.self),
                              isStored: false)
            t.idNumber = try r.decode(column: "id_number", as: String?.self); t.personID = try r.decode(column: "person_id", as: String.self).uuid
            t.object = FieldTask.Object("certificate", t.id); t.note = try r.decode(column: "number", as: String.self)
            return t
        }
    }
}

/// 协议即将到期: a landlord or employer whose latest agreement ends within the horizon and has no later one.
struct AgreementExpirySource: TaskSource {
    func path(of id: UUID, _ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT h.path FROM agreements a JOIN hosts h ON h.id = a.host_id WHERE a.id = \(bind: id.text)").first()?.decode(column: "path", as: String.self)
    }
    func reminders(on day: Day, horizon: Day, scope: Scope, engine: Engine, limit: Int, _ db: any SQLDatabase) async throws -> [FieldTask] {
        try await db.raw("""
            SELECT a.id, a.host_id, a.expires_on, a.created_at, h.name, u.code AS unit_code, u.name AS unit_name
            FROM agreements a JOIN hosts h ON h.id = a.host_id JOIN org_units u ON u.id = h.unit_id
            WHERE a.terminated_on IS NULL AND a.expires_on <= \(bind: horizon.description) AND \(engine.startsWith("h.path", scope.path))
            AND NOT EXISTS (SELECT 1 FROM agreements b WHERE b.host_id = a.host_id AND b.terminated_on IS NULL AND b.expires_on > a.expires_on)
            ORDER BY a.expires_on LIMIT \(unsafeRaw: String(limit))
            """).all().map { r -> FieldTask in
            var t = FieldTask(id: try r.decode(column: "id", as: String.self).uuid, kind: .agreementExpiring, subject: try r.decode(column: "name", as: String.self),
                              unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                              due: try r.decode(column: "expires_on", as: String.self), source: "agreement", createdAt: try r.decode(column: "created_at", as: String.self),
                              isStored: false)
            t.object = FieldTask.Object("host", try r.decode(column: "host_id", as: String.self).uuid)
            return t
        }
    }
}

/// The migrants' lines of the work summary (月滚动跟踪排查, seed 004): inflow registered and departures,
/// agreements signed, and what is left: landlords and employers without a current agreement, and
/// certificates expired while still the latest.
struct MigrantWorkSummary: WorkSummarySource {
    func lines(from: Day, to: Day, scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> [WorkLine] {
        let a = from.description, b = to.description
        let section = Text("流动人口", "Migrants")
        return [
            WorkLine(section, Text("流入登记", "Inflow registered"),
                     try await db.count("SELECT COUNT(*) AS n FROM stays WHERE \(engine.startsWith("path", scope.path)) AND kind = 'inflow' AND since >= \(bind: a) AND since <= \(bind: b)")),
            WorkLine(section, Text("离开注销", "Departures"),
                     try await db.count("SELECT COUNT(*) AS n FROM stays WHERE \(engine.startsWith("path", scope.path)) AND until >= \(bind: a) AND until <= \(bind: b)")),
            WorkLine(section, Text("签订管理协议", "Agreements signed"),
                     try await db.count("SELECT COUNT(*) AS n FROM agreements WHERE \(engine.startsWith("path", scope.path)) AND signed_on >= \(bind: a) AND signed_on <= \(bind: b)")),
            WorkLine(section, Text("出租户、单位未签或协议过期", "Landlords and employers without a current agreement"), try await db.count("""
                SELECT COUNT(*) AS n FROM hosts h WHERE \(engine.startsWith("h.path", scope.path))
                AND NOT EXISTS (SELECT 1 FROM agreements g WHERE g.host_id = h.id AND g.terminated_on IS NULL AND g.signed_on <= \(bind: b) AND g.expires_on >= \(bind: b))
                """), outstanding: true),
        ]
    }
}
