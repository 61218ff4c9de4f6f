import Foundation
import RenkouCore
import SQLKit

/// 生育登记: registrations from the counter, a worker (proxy) or the public form, each with a
/// tracking number, a time limit in working days (the policy's, from the day the application is
/// complete), the couple's children counted by the rules of the day, and a voucher with a public check.
public struct BirthRegistrationStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// 登记编号: `SY-<year>-` and 8 letters and digits.
    static func newNumber(year: Int) -> String { Secrets.trackingCode("SY", year: year, letters: 8) }

    /// Submits a registration to a unit (a community or a street office). From the counter or a
    /// worker (`channel` counter or proxy) it is complete at once: accepted, the time limit running.
    /// Online (`public`) it waits as submitted until a worker accepts it; `scope` is then everything.
    /// Throws `invalid` (the input's errors, `/unit` `unknown-unit`).
    public func submit(_ input: BirthRegistrationInput, channel: RegistrationChannel, in scope: Scope, by actor: Actor) async throws -> BirthRegistration {
        let today = Day(env.now())
        let v = try input.checked(today: today, online: channel == .online)
        let code = input.unit?.trimmed ?? ""
        // A grid worker registers for the couple at the community or street office above the grid.
        let found = code.isEmpty ? nil : try await OrgStore(db: db, env: env).unit(code: code, in: .everything)
        guard let unit = found, unit.path.hasPrefix(scope.path) || scope.path.hasPrefix(unit.path), [.community, .street].contains(unit.level) else {
            throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("请选择办理的社区或街道。", "Choose the community or street office."))])
        }
        let env = self.env, engine = db.engine, id = env.newID(), number = Self.newNumber(year: today.year)
        try await db.transaction { db in
            let mother = try await Self.person(idNumber: v.mother.idNumber, name: v.mother.name, db), father = try await Self.person(idNumber: v.father.idNumber, name: v.father.name, db)
            let day = v.born ?? v.expected ?? today
            let before = try await Self.childrenBefore(mother: mother, father: father, born: v.born, env: env, db)
            let policy = env.policy(.birthPolicy, on: day)
            // An older birth's approval counts only where its date's policy asked for one for this order,
            // and only from the days approvals were given.
            if let approval = v.approval {
                var errors = FieldErrors()
                if !policy.approvalForMore || before + 1 <= policy.childrenAllowed {
                    errors.add("/approvalNumber", "approval-not-needed", "该孩次按出生当日的政策无需再生育审批。", "The policy of the child's date needed no approval for this order.")
                }
                if let born = v.born, born < approval.on {
                    errors.add("/approvedOn", "approval-after-birth", "审批日期不能晚于孩子出生。", "The approval cannot be dated after the birth.")
                }
                if !env.policy(.birthPolicy, on: approval.on).approvalForMore {
                    errors.add("/approvedOn", "approval-abolished", "\(approval.on) 已不办理再生育审批（2021-08-20 取消）。", "No approvals were given on \(approval.on) (abolished 2021-08-20).")
                }
                try errors.throwIfAny()
            }
            // With the pledge the application is complete when it comes in, online too: the limit runs from that day.
            let complete: Day? = v.received
            let due = complete.map { env.policy.calendar.adding(workingDays: env.policy(.registrationLimit, on: $0), to: $0) }
            try await db.raw("""
                INSERT INTO birth_registrations (id, number, state, channel, basis, mother_name, mother_id_number, mother_id, father_name, father_id_number, father_id,
                    phone, expected_on, child_name, child_sex, child_born_on, children_before, compliant, document, pledge, submitted_on, complete_on, due_on, note,
                    unit_id, path, entered_by, entered_at)
                VALUES (\(bind: id.text), \(bind: number), \(bind: (channel == .online ? RegistrationState.submitted : .accepted).rawValue), \(bind: channel.rawValue),
                    \(bind: v.basis.rawValue), \(bind: v.mother.name), \(bind: v.mother.idNumber), \(bind: mother?.text), \(bind: v.father.name), \(bind: v.father.idNumber),
                    \(bind: father?.text), \(bind: input.phone?.trimmed.nilIfBlank), \(bind: v.expected?.description), \(bind: v.childName), \(bind: v.childSex),
                    \(bind: v.born?.description), \(bind: before), \(bind: policy.isCompliant(order: before + 1, approved: v.approval != nil) ? 1 : 0), \(bind: v.document),
                    \(bind: input.pledge == true ? 1 : 0), \(bind: v.received.description), \(bind: complete?.description), \(bind: due?.description),
                    \(bind: input.note?.trimmed.nilIfBlank), \(bind: unit.id.text), \(bind: unit.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            // A birth entered after the day is linked to the child the registry already has.
            if let born = v.born, let mother {
                try await db.raw("""
                    UPDATE birth_registrations SET child_id = (SELECT MIN(c.id) FROM persons c WHERE c.mother_id = \(bind: mother.text) AND c.birth_date = \(bind: born.description))
                    WHERE id = \(bind: id.text)
                    """).run()
            }
            if let approval = v.approval {
                try await db.raw("UPDATE birth_registrations SET approval_number = \(bind: approval.number), approved_on = \(bind: approval.on.description) WHERE id = \(bind: id.text)").run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "birth_registration", entityID: id.text, path: unit.path,
                                     after: AuditLog.json(["number": number, "channel": channel.rawValue]))
        }
        return try await db.read { try await Self.find(id, in: .everything, engine: engine, $0) }
    }

    /// A person of the registry by ID number and name together (the couple may live anywhere; an online
    /// application that gives a resident's number with another name is not linked to her).
    static func person(idNumber: String, name: String, _ db: any SQLDatabase) async throws -> UUID? {
        try await db.raw("SELECT id FROM persons WHERE id_number = \(bind: idNumber) AND name = \(bind: name)").first()?.decode(column: "id", as: String.self).uuid
    }

    /// The couple's children born before (or, before the birth, all of them), counted by the rules of the day.
    static func childrenBefore(mother: UUID?, father: UUID?, born: Day?, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> Int {
        guard mother != nil || father != nil else { return 0 }
        let rules = env.policy(.childCount, on: born ?? Day(env.now()))
        let m = mother?.text ?? "", f = father?.text ?? ""
        var sql: SQLQueryString
        if mother != nil, father != nil {
            sql = rules.countFromEarlierMarriages ? "SELECT COUNT(*) AS n FROM persons c WHERE (c.mother_id = \(bind: m) OR c.father_id = \(bind: f))"
                : "SELECT COUNT(*) AS n FROM persons c WHERE c.mother_id = \(bind: m) AND (c.father_id = \(bind: f) OR c.father_id IS NULL)"
        } else if mother != nil { sql = "SELECT COUNT(*) AS n FROM persons c WHERE c.mother_id = \(bind: m)" } else { sql = "SELECT COUNT(*) AS n FROM persons c WHERE c.father_id = \(bind: f)" }
        if !rules.countDeceased { sql = sql + " AND c.status <> 'deceased'" }
        if let born { sql = sql + " AND c.birth_date < \(bind: born.description)" }
        return try await db.raw(sql).first()!.decode(column: "n", as: Int.self)
    }

    // MARK: Decisions

    /// What a worker does with a registration.
    public enum Decision: String, Sendable, Codable, CaseIterable {
        /// The materials are complete (an online application): the time limit runs from today.
        case accept
        /// Back to the couple for information (with a note); `accept` again when it comes.
        case needsInformation = "needs-information"
        /// 登记: the voucher goes out.
        case register
        /// 不予登记, with the reason.
        case refuse
    }

    /// Moves a registration of the scope on. Throws `not-found`, `conflict` (`state`: not allowed from
    /// its state), `invalid` (`/note` `required` for needs-information and refuse).
    public func decide(_ id: UUID, _ decision: Decision, note: String?, in scope: Scope, by actor: Actor) async throws -> BirthRegistration {
        let today = Day(env.now()), env = self.env, engine = db.engine
        let note = note?.trimmed.nilIfBlank
        if [.needsInformation, .refuse].contains(decision), note == nil {
            throw RenkouError.invalid([FieldError("/note", "required", Text("请写明需要补充的材料或不予登记的理由。", "Say what is missing, or why it is refused."))])
        }
        try await db.transaction { db in
            let r = try await Self.find(id, in: scope, engine: engine, db)
            let allowed: [Decision: [RegistrationState]] = [.accept: [.submitted, .needsInformation], .needsInformation: [.submitted, .accepted],
                                                            .register: [.submitted, .accepted], .refuse: [.submitted, .accepted, .needsInformation]]
            guard allowed[decision]!.contains(r.state) else {
                throw RenkouError(.conflict, "state", Text("该登记当前为“\(r.state.label.zh)”，不能这样处理。", "The registration is \(r.state.label.en.lowercased()); it cannot be handled so."))
            }
            switch decision {
            case .accept:
                // Information supplied (补正): the limit starts again from today; a plain acceptance keeps it.
                let due = r.state == .needsInformation || r.dueOn == nil
                    ? env.policy.calendar.adding(workingDays: env.policy(.registrationLimit, on: today), to: today).description : r.dueOn!
                try await db.raw("""
                    UPDATE birth_registrations SET state = 'accepted', complete_on = COALESCE(complete_on, \(bind: today.description)), due_on = \(bind: due)
                    WHERE id = \(bind: id.text) AND state IN ('submitted', 'needs-information')
                    """).run()
            case .needsInformation:
                try await db.raw("UPDATE birth_registrations SET state = 'needs-information', decision_note = \(bind: note) WHERE id = \(bind: id.text) AND state IN ('submitted', 'accepted')").run()
            case .register:
                // An online application registered at once is complete today.
                let due = r.dueOn ?? env.policy.calendar.adding(workingDays: env.policy(.registrationLimit, on: today), to: today).description
                try await db.raw("""
                    UPDATE birth_registrations SET state = 'registered', decided_on = \(bind: today.description), decision_note = \(bind: note),
                        complete_on = COALESCE(complete_on, \(bind: today.description)), due_on = \(bind: due), voucher_token = \(bind: CertificateStore.newToken())
                    WHERE id = \(bind: id.text) AND state IN ('submitted', 'accepted')
                    """).run()
            case .refuse:
                try await db.raw("""
                    UPDATE birth_registrations SET state = 'refused', decided_on = \(bind: today.description), decision_note = \(bind: note),
                        due_on = COALESCE(due_on, \(bind: today.description)) WHERE id = \(bind: id.text) AND state IN ('submitted', 'accepted', 'needs-information')
                    """).run()
            }
            // Two decisions at once: the second finds the state changed under it.
            let target: [Decision: RegistrationState] = [.accept: .accepted, .needsInformation: .needsInformation, .register: .registered, .refuse: .refused]
            let now = try await db.raw("SELECT state FROM birth_registrations WHERE id = \(bind: id.text)").first()!.decode(column: "state", as: String.self)
            guard now == target[decision]!.rawValue else { throw RenkouError(.conflict, "state", Text("该登记刚被他人办理。", "Someone else has just handled this registration.")) }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "birth_registration", entityID: id.text,
                                     path: try await db.raw("SELECT path FROM birth_registrations WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["decision": decision.rawValue, "note": note ?? ""]))
        }
        return try await registration(id, in: scope, by: actor)
    }

    // MARK: Reading

    static let columns = "b.*, u.code AS unit_code, u.name AS unit_name FROM birth_registrations b JOIN org_units u ON u.id = b.unit_id"

    static func decode(_ r: any SQLRow) throws -> BirthRegistration {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        var b = BirthRegistration(
            id: try r.decode(column: "id", as: String.self).uuid, number: try r.decode(column: "number", as: String.self),
            state: RegistrationState(rawValue: try r.decode(column: "state", as: String.self)) ?? .submitted,
            channel: RegistrationChannel(rawValue: try r.decode(column: "channel", as: String.self)) ?? .counter,
            basis: RegistrationBasis(rawValue: try r.decode(column: "basis", as: String.self)) ?? .motherHukou,
            unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
            motherName: try r.decode(column: "mother_name", as: String.self), motherIDNumber: try r.decode(column: "mother_id_number", as: String.self),
            motherID: try text("mother_id").flatMap(UUID.init(uuidString:)), fatherName: try r.decode(column: "father_name", as: String.self),
            fatherIDNumber: try r.decode(column: "father_id_number", as: String.self), fatherID: try text("father_id").flatMap(UUID.init(uuidString:)),
            phone: try text("phone"), expectedOn: try text("expected_on"), childName: try text("child_name"), childSex: try text("child_sex"),
            childBornOn: try text("child_born_on"), childID: try text("child_id").flatMap(UUID.init(uuidString:)),
            childrenBefore: try r.decode(column: "children_before", as: Int.self), compliant: try r.decode(column: "compliant", as: Int.self) == 1,
            document: try r.decode(column: "document", as: String.self), pledge: try r.decode(column: "pledge", as: Int.self) == 1,
            submittedOn: try r.decode(column: "submitted_on", as: String.self), dueOn: try text("due_on"), decidedOn: try text("decided_on"),
            decisionNote: try text("decision_note"), voucherToken: try text("voucher_token"), note: try text("note"),
            enteredBy: try r.decode(column: "entered_by", as: String.self), enteredAt: try r.decode(column: "entered_at", as: String.self))
        b.approvalNumber = try text("approval_number"); b.approvedOn = try text("approved_on")
        return b
    }

    static func find(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> BirthRegistration {
        guard let r = try await db.raw("SELECT \(unsafeRaw: columns) WHERE b.id = \(bind: id.text) AND \(engine.startsWith("b.path", scope.path))").first() else {
            throw RenkouError.notFound(Text("生育登记", "birth registration"))
        }
        return try decode(r)
    }

    /// One registration of the scope; it names the couple, so the read is audited. Throws `not-found`.
    public func registration(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> BirthRegistration {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let r = try await Self.find(id, in: scope, engine: engine, db)
            let path = try await db.raw("SELECT path FROM birth_registrations WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "birth_registration", entityID: id.text, path: path)
            return r
        }
    }

    /// The registrations of a unit of the scope, open ones first by their last day, then the newest.
    /// Audited like a person list. Throws `invalid` (`/unit` `unknown-unit`).
    public func list(unitCode: String?, state: RegistrationState?, limit: Int = 100, offset: Int = 0, in scope: Scope, by actor: Actor) async throws -> Page<BirthRegistration> {
        var path = scope.path
        if let unitCode, !unitCode.isEmpty {
            guard let unit = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope) else {
                throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("单位 \(unitCode) 不存在或不在您的管辖范围内。", "Unit \(unitCode) does not exist or is outside your area."))])
            }
            path = unit.path
        }
        let engine = db.engine, env = self.env, limit = min(max(limit, 1), 500), offset = max(offset, 0), p = path
        let stateFilter: SQLQueryString = state.map { "AND b.state = \(bind: $0.rawValue)" } ?? ""
        return try await db.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM birth_registrations b WHERE \(engine.startsWith("b.path", p)) \(stateFilter)").first()!.decode(column: "n", as: Int.self)
            let items = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) WHERE \(engine.startsWith("b.path", p)) \(stateFilter)
                ORDER BY CASE WHEN b.state IN ('submitted', 'accepted') THEN 0 ELSE 1 END, COALESCE(b.due_on, b.submitted_on), b.submitted_on DESC, b.id
                LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """).all().map(Self.decode)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "birth_registrations", entityID: state?.rawValue ?? "all", path: p,
                                     after: AuditLog.json(["shown": String(items.count)]))
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }

    /// The registrations naming a person of the scope as mother, father or child (by record or ID number), newest first.
    public func of(person: Person, in scope: Scope, by actor: Actor) async throws -> [BirthRegistration] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            _ = try await PersonStore.require(person.id, in: scope, engine: engine, db)
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) WHERE \(engine.startsWith("b.path", scope.path)) AND (b.mother_id = \(bind: person.id.text) OR b.father_id = \(bind: person.id.text)
                OR b.child_id = \(bind: person.id.text) OR b.mother_id_number = \(bind: person.idNumber) OR b.father_id_number = \(bind: person.idNumber)) ORDER BY b.submitted_on DESC
                """).all().map(Self.decode)
            if !rows.isEmpty {
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "birth_registrations", entityID: person.id.text, path: scope.path)
            }
            return rows
        }
    }

    // MARK: The public

    /// What the public sees of a registration: masked names and ID numbers, the state, the office and the days.
    public struct PublicView: Sendable, Codable, Equatable {
        public let number: String
        public let state: RegistrationState
        public let motherName: String
        public let motherIDNumber: String
        public let fatherName: String
        public let fatherIDNumber: String
        public let office: String
        public let submittedOn: String
        public let dueOn: String?
        public let decidedOn: String?
        /// What is missing (needs information) or why it was refused: the couple must know.
        public let note: String?
    }

    static func publicView(_ r: BirthRegistration) -> PublicView {
        PublicView(number: r.number, state: r.state, motherName: Mask.name(r.motherName), motherIDNumber: Mask.idNumber(r.motherIDNumber),
                   fatherName: Mask.name(r.fatherName), fatherIDNumber: Mask.idNumber(r.fatherIDNumber), office: r.unitName, submittedOn: r.submittedOn,
                   dueOn: r.dueOn, decidedOn: r.decidedOn, note: [.needsInformation, .refused].contains(r.state) ? r.decisionNote : nil)
    }

    /// An online application: as `submit` from the public, answered with the masked view.
    public func apply(_ input: BirthRegistrationInput) async throws -> PublicView {
        Self.publicView(try await submit(input, channel: .online, in: .everything, by: Actor(userID: nil, username: "public", client: "public")))
    }

    /// The status by tracking number and the last four characters of either spouse's ID number;
    /// nil when they do not match (the same answer for an unknown number and a wrong ID, so nothing
    /// can be learnt by trying).
    public func publicStatus(number: String, idLast4: String) async throws -> PublicView? {
        let number = number.trimmed.uppercased(), last4 = idLast4.trimmed.uppercased()
        guard number.count <= 20, last4.count == 4 else { return nil }
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE b.number = \(bind: number)").first() else { return nil }
            let reg = try Self.decode(r)
            guard reg.motherIDNumber.hasSuffix(last4) || reg.fatherIDNumber.hasSuffix(last4) else { return nil }
            return Self.publicView(reg)
        }
    }

    /// The voucher's public check by its token (printed as a QR code): masked, registered ones only.
    public func publicVoucher(token: String) async throws -> PublicView? {
        guard token.count <= 64, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) WHERE b.voucher_token = \(bind: token) AND b.state = 'registered'").first().map { Self.publicView(try Self.decode($0)) }
        }
    }

    /// The communities and street offices a couple may choose online (all of the deployment).
    public func offices() async throws -> [OrgUnit] {
        try await OrgStore(db: db, env: env).list(levels: [.street, .community], in: .everything)
    }

    // MARK: Following the registry

    /// A birth recorded in the registry: the mother's registration made before it (expected within
    /// ten weeks of the day, no child yet) gets the child, judged again by the policy of the real day.
    static func born(child: UUID, mother: UUID?, on day: Day, _ ctx: EventContext) async throws {
        guard let mother else { return }
        let p = try await PersonStore.require(child, in: .everything, engine: ctx.engine, ctx.db)
        try await ctx.db.raw("""
            UPDATE birth_registrations SET child_id = \(bind: child.text), child_name = \(bind: p.name), child_sex = \(bind: p.sex), child_born_on = \(bind: day.description),
                compliant = CASE WHEN children_before + 1 <= \(bind: ctx.env.policy(.birthPolicy, on: day).childrenAllowed) THEN 1 ELSE 0 END
            WHERE mother_id = \(bind: mother.text) AND child_id IS NULL AND child_born_on IS NULL AND expected_on >= \(bind: day.adding(days: -70).description)
              AND expected_on <= \(bind: day.adding(days: 70).description) AND state <> 'refused'
            """).run()
    }
}

extension Stores {
    public var births: BirthRegistrationStore { BirthRegistrationStore(db: db, env: env) }
}
