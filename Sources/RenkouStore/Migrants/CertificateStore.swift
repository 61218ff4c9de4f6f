import Foundation
import RenkouCore
import SQLKit

/// 流动人口婚育证明: issued on the hukou side, registered and verified on the residence side, versioned
/// on every change, and verifiable by anyone through an unguessable token that shows masked facts only.
public struct CertificateStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let bus: EventBus
    public init(db: Database, env: RenkouCore.Environment, bus: EventBus) { self.db = db; self.env = env; self.bus = bus }

    /// Largest photo kept on a certificate.
    public static let maxPhotoBytes = 512 * 1024

    static let columns = "c.id, c.number, c.version, c.side, c.person_id, c.name, c.id_number, c.birth_date, c.marital_status, c.spouse_name, c.children, "
        + "c.contraception, c.office, c.issued_on, c.valid_until, c.state, c.revoke_reason, c.replaced_by, c.token, c.lookups, c.created_by, c.created_at, "
        + "c.path AS cert_path, CASE WHEN c.photo IS NULL THEN 0 ELSE 1 END AS has_photo, u.code AS unit_code, u.name AS unit_name, "
        + "(SELECT MAX(k.checked_on) FROM certificate_checks k WHERE k.certificate_id = c.id) AS last_checked"
    static let from = "FROM certificates c JOIN org_units u ON u.id = c.unit_id"

    static func decode(_ r: any SQLRow) throws -> Certificate {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        var c = Certificate(id: try r.decode(column: "id", as: String.self).uuid, number: try r.decode(column: "number", as: String.self),
                            version: try r.decode(column: "version", as: Int.self), side: Certificate.Side(rawValue: try r.decode(column: "side", as: String.self)) ?? .issued,
                            personID: try r.decode(column: "person_id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                            idNumber: try r.decode(column: "id_number", as: String.self), children: try r.decode(column: "children", as: Int.self),
                            office: try r.decode(column: "office", as: String.self), issuedOn: try r.decode(column: "issued_on", as: String.self),
                            validUntil: try r.decode(column: "valid_until", as: String.self),
                            storedState: Certificate.State(rawValue: try r.decode(column: "state", as: String.self)) ?? .valid,
                            token: try r.decode(column: "token", as: String.self), unitCode: try r.decode(column: "unit_code", as: String.self),
                            unitName: try r.decode(column: "unit_name", as: String.self), createdBy: try r.decode(column: "created_by", as: String.self),
                            createdAt: try r.decode(column: "created_at", as: String.self))
        c.birthDate = try text("birth_date"); c.maritalStatus = try text("marital_status"); c.spouseName = try text("spouse_name")
        c.contraception = try text("contraception"); c.revokeReason = try text("revoke_reason")
        c.replacedBy = try text("replaced_by").flatMap(UUID.init(uuidString:)); c.lookups = try r.decode(column: "lookups", as: Int.self)
        c.hasPhoto = try r.decode(column: "has_photo", as: Int.self) != 0
        c.lastCheckedOn = try text("last_checked")
        return c
    }

    /// 22 random letters and digits (about 131 bits): the public address cannot be guessed or
    /// enumerated, and the token reads cleanly on the command line and in print.
    static func newToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<22).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    /// Issues (hukou side, `issued`) or registers (residence side, `registered`) a certificate for a
    /// woman of reproductive age of the scope. Her name, ID number, marital status, spouse and children
    /// are taken from the registry on the issue date.
    @discardableResult
    public func create(_ side: Certificate.Side, _ input: CertificateInput, photo: Data? = nil, in scope: Scope, by actor: Actor) async throws -> Certificate {
        let today = Day(env.now())
        var errors = FieldErrors()
        let personID = input.person.flatMap { UUID(uuidString: $0.trimmed) }
        if personID == nil { errors.add("/person", "required", "请指定人员。", "Choose the person.") }
        let issuedText = input.issuedOn?.trimmed ?? ""
        let issued = issuedText.isEmpty ? today : Day(issuedText)
        if issued == nil { errors.add("/issuedOn", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
        else if today < issued! { errors.add("/issuedOn", "future-date", "发证日期不能晚于今天。", "The issue date cannot be in the future.") }
        var givenUntil: Day?
        if let v = input.validUntil?.trimmed, !v.isEmpty {
            givenUntil = Day(v)
            if givenUntil == nil { errors.add("/validUntil", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
            else if let i = issued, givenUntil! < i { errors.add("/validUntil", "before-start", "有效期早于发证日期。", "The validity ends before the issue date.") }
        }
        if side == .registered {
            errors.required("/number", input.number)
            errors.required("/office", input.office)
        }
        if let c = input.contraception?.trimmed, !c.isEmpty, !Codes.contains(Certificate.contraceptionStatus, c) {
            errors.add("/contraception", "code-unknown", "避孕节育情况代码无效。", "Unknown contraception status.")
        }
        if let n = input.children, n < 0 { errors.add("/children", "negative", "子女数不能为负。", "The number of children cannot be negative.") }
        if let photo, photo.count > Self.maxPhotoBytes { errors.add("/photo", "too-large", "照片不能超过 512 KB。", "The photo may not exceed 512 KB.") }
        try errors.throwIfAny()
        if side == .issued, !env.policy(.certificateIssuing, on: issued!) {
            throw RenkouError.invalid([FieldError("/issuedOn", "not-in-force", Text("\(issued!) 起本地不再发放婚育证明（《流动人口计划生育工作条例》已于 2021 年 9 月废止）；可登记外地已发的证明。",
                "From \(issued!) this office issues no certificates (the regulation was repealed in September 2021); certificates issued elsewhere can still be registered."))])
        }
        let engine = db.engine, env = self.env, bus = self.bus, until = givenUntil
        let id = try await db.transaction { db -> UUID in
            let person = try await PersonStore.require(personID!, in: scope, engine: engine, db)
            guard person.isWomanOfReproductiveAge(on: issued!, policy: env.policy) else {
                throw RenkouError.invalid([FieldError("/person", "not-wra", Text("婚育证明发给育龄妇女（15–49 岁）。", "The certificate is for women of reproductive age (15–49)."))])
            }
            // Issued here, it goes with a woman who leaves her hukou place or lives away from it
            // (《流动人口计划生育工作条例》(2009) 第六条, the rule the certificate came from; the regulation
            // was repealed in 2021-09, see DOMAIN-RULES §0).
            if side == .issued, !(input.leaving ?? false), !["outflow", "separated"].contains(person.category),
               try await db.raw("SELECT id FROM stays WHERE person_id = \(bind: person.id.text) AND until IS NULL AND kind = 'outflow'").first() == nil {
                throw RenkouError.invalid([FieldError("/leaving", "not-away", Text("婚育证明发给离开或即将离开户籍地的育龄妇女；她登记为在户籍地居住。如她即将外出，请选择“即将外出”。",
                    "The certificate goes with a woman who leaves or lives away from her hukou place; she is recorded as living at home. If she is about to leave, choose “about to leave”."))])
            }
            if try await db.raw("SELECT id FROM certificates WHERE person_id = \(bind: person.id.text) AND side = \(bind: side.rawValue) AND state = 'valid' AND valid_until >= \(bind: today.description)").first() != nil {
                throw RenkouError(.conflict, "certificate-valid", Text("她已有有效的婚育证明；情况变化请换发。", "She holds a valid certificate already; reissue it when her situation changes."),
                                  fields: [FieldError("/person", "certificate-valid", Text("已有有效的婚育证明。", "A valid certificate exists."))])
            }
            let unit = try await PersonStore.requireUnit(person.unitCode, scope: scope, engine: engine, db)
            var number = input.number?.trimmed ?? ""
            if number.isEmpty {
                let prefix = "\(unit.code)-\(issued!.year)-"
                let n = try await db.raw("SELECT COUNT(DISTINCT number) AS n FROM certificates WHERE side = 'issued' AND number LIKE \(bind: prefix + "%")").first()!.decode(column: "n", as: Int.self)
                number = prefix + String(repeating: "0", count: max(0, 5 - String(n + 1).count)) + String(n + 1)
            } else if try await db.raw("SELECT id FROM certificates WHERE side = \(bind: side.rawValue) AND number = \(bind: number)").first() != nil {
                throw RenkouError(.conflict, "number-taken", Text("该编号已登记。", "This number is registered already."),
                                  fields: [FieldError("/number", "number-taken", Text("该编号已登记。", "This number is registered already."))])
            }
            let c = try await Self.insert(person: person, unit: unit, side: side, number: number, version: 1, office: input.office?.trimmed.nilIfBlank ?? unit.name,
                                          issued: issued!, until: until ?? env.policy.certificateValidUntil(issuedOn: issued!), children: input.children, contraception: input.contraception?.trimmed.nilIfBlank,
                                          photo: photo, env: env, actor: actor, db)
            try await bus.publish(MigrantEvent.certificateAdded(id: c, side: side), path: unit.path, engine: engine, env: env, actor: actor, db)
            return c
        }
        return try await certificate(id, in: scope, by: actor)
    }

    static func insert(person: Person, unit: OrgUnit, side: Certificate.Side, number: String, version: Int, office: String, issued: Day, until: Day,
                       children: Int?, contraception: String?, photo: Data?, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws -> UUID {
        guard person.idNumber != nil else {
            throw RenkouError.invalid([FieldError("/person", "id-number-pending", Text("该人员尚无身份号码（待户口登记），不能发证。", "This person has no ID number yet (hukou registration pending); no certificate can be issued."))])
        }
        var childCount = children ?? 0
        if children == nil { childCount = try await db.raw("SELECT COUNT(*) AS n FROM persons WHERE mother_id = \(bind: person.id.text)").first()!.decode(column: "n", as: Int.self) }
        var spouse: String?
        if let s = person.spouseID { spouse = try await db.raw("SELECT name FROM persons WHERE id = \(bind: s.text)").first()?.decode(column: "name", as: String.self) }
        let id = env.newID(), now = Timestamp.string(env.now())
        try await db.raw("""
            INSERT INTO certificates (id, number, version, side, person_id, name, id_number, birth_date, marital_status, spouse_name, children, contraception,
                                      office, issued_on, valid_until, state, token, photo, unit_id, path, created_by, created_at)
            VALUES (\(bind: id.text), \(bind: number), \(bind: version), \(bind: side.rawValue), \(bind: person.id.text), \(bind: person.name), \(bind: person.idNumber),
                    \(bind: person.birthDate), \(bind: person.maritalStatus), \(bind: spouse), \(bind: childCount), \(bind: contraception), \(bind: office),
                    \(bind: issued.description), \(bind: until.description), 'valid', \(bind: newToken()), \(bind: photo.map { $0.base64EncodedString() }),
                    \(bind: unit.id.text), \(bind: unit.path), \(bind: actor.username), \(bind: now))
            """).run()
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "certificate", entityID: id.text, path: unit.path,
                                 after: AuditLog.json(["number": number, "version": String(version), "side": side.rawValue, "person": person.id.text]))
        return id
    }

    /// Reads a certificate of the scope; the read is audited (it names a person).
    public func certificate(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> Certificate {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("婚育证明", "certificate"))
            }
            let c = try Self.decode(r)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "certificate", entityID: id.text, path: try r.decode(column: "cert_path", as: String.self))
            return c
        }
    }

    /// Certificates of the scope: of one person, or filtered by state on a day. The list names people,
    /// so the read is audited like a person list.
    public func list(person: UUID? = nil, state: Certificate.State? = nil, number: String? = nil, limit: Int = 50, offset: Int = 0,
                     in scope: Scope, by actor: Actor) async throws -> Page<Certificate> {
        let engine = db.engine, day = Day(env.now()).description, env = self.env
        return try await db.read { db in
            var conditions: [SQLQueryString] = [engine.startsWith("c.path", scope.path)]
            if let person { conditions.append("c.person_id = \(bind: person.text)") }
            if let n = number?.nilIfBlank { conditions.append(engine.contains("c.number", n)) }
            switch state {
            case .valid: conditions.append("c.state = 'valid' AND c.valid_until >= \(bind: day)")
            case .expired: conditions.append("c.state = 'valid' AND c.valid_until < \(bind: day)")
            case .replaced, .revoked: conditions.append("c.state = \(bind: state!.rawValue)")
            case nil: break
            }
            let w = conditions.joined(separator: " AND ")
            let total = try await db.raw("SELECT COUNT(*) AS n FROM certificates c WHERE \(w)").first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE \(w) ORDER BY c.issued_on DESC, c.number, c.version DESC LIMIT \(bind: limit) OFFSET \(bind: offset)").all().map(Self.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "certificates", entityID: person?.text ?? "list", path: scope.path,
                                     after: AuditLog.json(["state": state?.rawValue ?? "", "number": number ?? "", "shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }

    /// A change of marital, childbearing or contraception status: a new version with the same number,
    /// the person's current facts and a new validity; the old one is `replaced`.
    @discardableResult
    public func reissue(_ id: UUID, contraception: String?, children: Int?, reason: String, in scope: Scope, by actor: Actor) async throws -> Certificate {
        var errors = FieldErrors(); errors.required("/reason", reason)
        if let n = children, n < 0 { errors.add("/children", "negative", "子女数不能为负。", "The number of children cannot be negative.") }
        if let c = contraception?.trimmed, !c.isEmpty, !Codes.contains(Certificate.contraceptionStatus, c) {
            errors.add("/contraception", "code-unknown", "避孕节育情况代码无效。", "Unknown contraception status.")
        }
        try errors.throwIfAny()
        let old = try await certificate(id, in: scope, by: actor)
        guard old.storedState == .valid else { throw RenkouError(.conflict, "not-current", Text("只能换发当前有效的证明。", "Only the current certificate can be reissued.")) }
        let engine = db.engine, env = self.env, bus = self.bus, today = Day(env.now())
        if old.side == .issued, !env.policy(.certificateIssuing, on: today) {
            throw RenkouError(.conflict, "not-in-force", Text("本地已不再发放或换发婚育证明（条例已于 2021 年 9 月废止）。", "This office no longer issues or reissues certificates (the regulation was repealed in September 2021)."))
        }
        let newID = try await db.transaction { db -> UUID in
            guard let person = try await PersonStore.find(old.personID, in: scope, engine: engine, db) else { throw RenkouError.notFound(Text("人员", "person")) }
            let unit = try await PersonStore.requireUnit(person.unitCode, scope: scope, engine: engine, db)
            let photo = try await db.raw("SELECT photo FROM certificates WHERE id = \(bind: id.text)").first()?.decode(column: "photo", as: String?.self).flatMap { Data(base64Encoded: $0) }
            let next = try await Self.insert(person: person, unit: unit, side: old.side, number: old.number, version: old.version + 1, office: old.office, issued: today,
                                             until: old.side == .issued ? env.policy.certificateValidUntil(issuedOn: today) : Day(old.validUntil)!, children: children,
                                             contraception: contraception?.trimmed.nilIfBlank ?? old.contraception, photo: photo, env: env, actor: actor, db)
            try await db.raw("UPDATE certificates SET state = 'replaced', replaced_by = \(bind: next.text) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "certificate", entityID: id.text, path: unit.path,
                                     after: AuditLog.json(["state": "replaced", "replacedBy": next.text, "reason": reason]))
            try await bus.publish(MigrantEvent.certificateReissued(id: next, reason: reason), path: unit.path, engine: engine, env: env, actor: actor, db)
            return next
        }
        return try await certificate(newID, in: scope, by: actor)
    }

    /// Revokes a certificate with a reason; the public page then says so.
    public func revoke(_ id: UUID, reason: String, in scope: Scope, by actor: Actor) async throws {
        var errors = FieldErrors(); errors.required("/reason", reason); try errors.throwIfAny()
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT state, path FROM certificates WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("婚育证明", "certificate"))
            }
            guard try r.decode(column: "state", as: String.self) == "valid" else { throw RenkouError(.conflict, "not-current", Text("该证明已换发或已吊销。", "This certificate has been replaced or revoked already.")) }
            let path = try r.decode(column: "path", as: String.self)
            try await db.raw("UPDATE certificates SET state = 'revoked', revoke_reason = \(bind: reason.trimmed) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "certificate", entityID: id.text, path: path, after: AuditLog.json(["state": "revoked", "reason": reason]))
            try await bus.publish(MigrantEvent.certificateRevoked(id: id, reason: reason), path: path, engine: engine, env: env, actor: actor, db)
        }
    }

    public struct Check: Sendable, Codable, Equatable { public let checkedOn: String; public let result: String; public let note: String?; public let checkedBy: String }
    /// 验证 results.
    public static let checkResults: [Codes.Entry] = [
        Codes.Entry(code: "genuine", label: Text("证件真实有效", "Genuine and valid")), Codes.Entry(code: "mismatch", label: Text("信息不符", "Details do not match")),
        Codes.Entry(code: "doubtful", label: Text("存疑，需协查", "Doubtful, ask the issuing office")),
    ]

    /// 验证: the residence side checks a certificate, with the date and who checked.
    public func verify(_ id: UUID, on day: Day, result: String, note: String?, in scope: Scope, by actor: Actor) async throws {
        var errors = FieldErrors()
        if !Codes.contains(Self.checkResults, result) { errors.add("/result", "code-unknown", "请选择验证结果。", "Choose the result.") }
        if Day(env.now()) < day { errors.add("/checkedOn", "future-date", "日期不能晚于今天。", "The date cannot be in the future.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path FROM certificates WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("婚育证明", "certificate"))
            }
            let path = try r.decode(column: "path", as: String.self), checkID = env.newID()
            try await db.raw("""
                INSERT INTO certificate_checks (id, certificate_id, checked_on, result, note, checked_by, path)
                VALUES (\(bind: checkID.text), \(bind: id.text), \(bind: day.description), \(bind: result), \(bind: note?.nilIfBlank), \(bind: actor.username), \(bind: path))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "certificate_check", entityID: checkID.text, path: path,
                                     after: AuditLog.json(["certificate": id.text, "result": result, "on": day.description]))
        }
    }

    public func checks(of id: UUID, in scope: Scope) async throws -> [Check] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT * FROM certificate_checks WHERE certificate_id = \(bind: id.text) AND \(engine.startsWith("path", scope.path)) ORDER BY checked_on DESC").all().map {
                Check(checkedOn: try $0.decode(column: "checked_on", as: String.self), result: try $0.decode(column: "result", as: String.self),
                      note: try $0.decode(column: "note", as: String?.self), checkedBy: try $0.decode(column: "checked_by", as: String.self))
            }
        }
    }

    public func photo(of id: UUID, in scope: Scope) async throws -> Data {
        let engine = db.engine
        return try await db.read { db in
            guard let text = try await db.raw("SELECT photo FROM certificates WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first()?.decode(column: "photo", as: String?.self),
                  let data = Data(base64Encoded: text) else { throw RenkouError.notFound(Text("照片", "photo")) }
            return data
        }
    }

    /// The public verification: by token, no scope, masked facts only. Every lookup is counted, on the
    /// certificate and per day (found or not).
    public func publicLookup(token: String) async throws -> PublicCertificateView? {
        let today = Day(env.now())
        let valid = token.count <= 64 && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return try await db.transaction { db in
            var view: PublicCertificateView?
            if valid, let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE c.token = \(bind: token)").first() {
                let c = try Self.decode(r)
                try await db.raw("UPDATE certificates SET lookups = lookups + 1 WHERE id = \(bind: c.id.text)").run()
                view = PublicCertificateView(c, on: today)
            }
            let found = view == nil ? 0 : 1
            try await db.raw("""
                INSERT INTO public_lookups (day, found, n) VALUES (\(bind: today.description), \(bind: found), 1)
                ON CONFLICT (day, found) DO UPDATE SET n = public_lookups.n + 1
                """).run()
            return view
        }
    }

    /// Public lookups per day: found and not found.
    public func lookupCounts(days: Int = 30) async throws -> [(day: String, found: Int, notFound: Int)] {
        let since = Day(env.now()).adding(days: -days).description
        let rows = try await db.read { db in try await db.raw("SELECT day, found, n FROM public_lookups WHERE day >= \(bind: since) ORDER BY day").all() }
        var byDay: [String: (Int, Int)] = [:]
        for r in rows {
            let d = try r.decode(column: "day", as: String.self), f = try r.decode(column: "found", as: Int.self), n = try r.decode(column: "n", as: Int.self)
            var v = byDay[d] ?? (0, 0); if f == 1 { v.0 += n } else { v.1 += n }; byDay[d] = v
        }
        return byDay.keys.sorted().map { ($0, byDay[$0]!.0, byDay[$0]!.1) }
    }
}
