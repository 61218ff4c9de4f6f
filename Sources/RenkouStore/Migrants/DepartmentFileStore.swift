import Foundation
import RenkouCore
import RenkouFiles
import SQLKit

/// Reconciles police, hospital and civil-affairs files with the registry (see `DepartmentFileKind`
/// for the layouts). Nothing in the registry changes here: a difference becomes a proposal that a
/// worker accepts (then the stay or life event is recorded as if typed) or rejects, and a person
/// the registry does not have becomes a home-visit task for the unit.
public struct DepartmentFileStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    let bus: EventBus
    public init(db: Database, env: RenkouCore.Environment, bus: EventBus) { self.db = db; self.env = env; self.bus = bus }

    /// A home visit for a mismatch is due within two weeks.
    public static let visitDays = 14

    struct Found { let id: UUID; let name: String; let path: String }

    static func person(_ idNumber: String, scope: Scope, _ db: any SQLDatabase) async throws -> Found? {
        guard let r = try await db.raw("SELECT id, name, path FROM persons WHERE id_number = \(bind: idNumber)").first() else { return nil }
        let path = try r.decode(column: "path", as: String.self)
        guard scope.contains(path) else { return nil }
        return Found(id: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self), path: path)
    }

    /// Reads a file of one kind for a unit of the scope, in one transaction.
    public func reconcile(file: URL, kind: DepartmentFileKind, unitCode: String, in scope: Scope, by actor: Actor,
                          progress: @escaping @Sendable (Double) -> Void = { _ in }) async throws -> ReconciliationResult {
        let engine = db.engine, env = self.env, today = Day(env.now())
        return try await db.transaction { db in
            let unit = try await PersonStore.requireUnit(unitCode, scope: scope, engine: engine, db)
            let unitScope = Scope(path: unit.path)
            var tally = ImportTally<ReconciliationOutcome>(), rejections: [ImportProblem] = [], headers: [String] = []
            let (_, reading) = try await ImportPipeline.read(file, progress: progress, header: { cells, _ in
                headers = cells.map(CellText.normalize)
                return try kind.layout(cells)
            }) { keys, cells, number in
                var v: [String: String] = [:]
                for (i, cell) in cells.enumerated() where i < keys.count { if let k = keys[i] { v[k] = CellText.normalize(cell) } }
                func header(_ key: String) -> String { keys.firstIndex(of: key).map { headers[$0] } ?? key }
                var problems: [ImportProblem] = []
                func reject(_ key: String, _ zh: String, _ en: String) { problems.append(ImportProblem(row: number, column: header(key), value: v[key] ?? "", reason: Text(zh, en))) }
                func idNumber(_ key: String, required: Bool = true) -> String? {
                    let raw = v[key] ?? ""
                    if raw.isEmpty { if required { reject(key, "身份号码为空。", "The ID number is empty.") }; return nil }
                    let c = CitizenID.check(raw, today: today)
                    guard let n = c.normalized, c.errors.allSatisfy({ $0.code == "id-checksum" }) else {
                        problems.append(ImportProblem(row: number, column: header(key), value: raw, reason: c.errors.first?.message ?? Text("身份号码无效。", "Invalid ID number."))); return nil
                    }
                    return n
                }
                let day = (v["day"]).flatMap(CellDate.parse)
                if day == nil || today < day! { reject("day", "日期无法识别或晚于今天。", "The date cannot be read or is in the future.") }
                var outcome: Outcome?
                switch kind {
                case .police:
                    let action = v["action"] ?? ""
                    let cancel = ["注销", "cancel", "cancellation", "离开"].contains(action.lowercased())
                    if !cancel && !["登记", "register", "registration", "新增"].contains(action.lowercased()) { reject("action", "类型应为“登记”或“注销”。", "The type must be 登记 (register) or 注销 (cancel).") }
                    let id = idNumber("idNumber")
                    if problems.isEmpty, let id, let day {
                        outcome = try await Self.police(cancel: cancel, name: v["name"] ?? "", idNumber: id, address: v["address"], hukouAddress: v["hukouAddress"], day: day, scope: unitScope, db)
                    }
                case .hospital:
                    let mother = idNumber("motherID"), baby = idNumber("babyID", required: false)
                    if problems.isEmpty, let mother, let day {
                        outcome = try await Self.hospital(motherName: v["motherName"] ?? "", motherID: mother, babyName: v["babyName"], babyID: baby, babySex: v["babySex"], day: day, scope: unitScope, db)
                    }
                case .civilAffairs:
                    let action = v["action"] ?? ""
                    let divorce = ["离婚", "divorce"].contains(action.lowercased())
                    if !divorce && !["结婚", "marriage", "复婚"].contains(action.lowercased()) { reject("action", "类型应为“结婚”或“离婚”。", "The type must be 结婚 (marriage) or 离婚 (divorce).") }
                    let man = idNumber("manID"), woman = idNumber("womanID")
                    if problems.isEmpty, let man, let woman, let day {
                        outcome = try await Self.civil(divorce: divorce, man: (v["manName"] ?? "", man), woman: (v["womanName"] ?? "", woman), day: day, scope: unitScope, db)
                    }
                }
                guard let outcome else { tally.count(.rejected); rejections += problems; return }
                switch outcome {
                case .matched: tally.count(.matched)
                case .proposal(let kind2, let person, let summary, let payload):
                    try await Self.propose(kind2, person: person, summary: summary, payload: payload, source: kind, env: env, actor: actor, db)
                    tally.count(.proposed)
                case .visit(let subject, let id, let note):
                    try await TaskStore.add(TaskStore.New(kind: .homeVisit, subject: subject, idNumber: id, note: note, unitID: unit.id, path: unit.path,
                                                          due: today.adding(days: Self.visitDays), source: kind.rawValue), env: env, actor: actor, db)
                    tally.count(.tasks)
                }
            }
            try ImportPipeline.check(tally, against: reading)
            var result = ReconciliationResult(kind: kind, tally)
            result.problems = rejections
            var summary = result; summary.problems = []
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .import, entity: "department-file", entityID: kind.rawValue, path: unit.path, after: AuditLog.json(summary))
            return result
        }
    }

    enum Outcome { case matched, proposal(Proposal.Kind, Found, String, String), visit(String, String, String) }

    static func openStay(_ person: UUID, _ db: any SQLDatabase) async throws -> (id: String, kind: String)? {
        try await db.raw("SELECT id, kind FROM stays WHERE person_id = \(bind: person.text) AND until IS NULL").first().map {
            (try $0.decode(column: "id", as: String.self), try $0.decode(column: "kind", as: String.self))
        }
    }

    static func police(cancel: Bool, name: String, idNumber: String, address: String?, hukouAddress: String?, day: Day, scope: Scope, _ db: any SQLDatabase) async throws -> Outcome {
        guard let p = try await person(idNumber, scope: scope, db) else {
            return .visit(name, idNumber, cancel ? "公安注销暂住登记，本系统无此人 \(day)" : "公安暂住登记 \(day)\(address.map { "：\($0)" } ?? "")，本系统无此人")
        }
        let stay = try await openStay(p.id, db)
        if cancel {
            guard let stay, stay.kind == "inflow" else { return .matched }
            return .proposal(.stayClose, p, "公安注销暂住登记 \(day)", AuditLog.json(["stay": stay.id, "until": day.description]) ?? "{}")
        }
        if stay?.kind == "inflow" { return .matched }
        var input = StayInput(); input.person = p.id.text; input.kind = "inflow"; input.since = day.description; input.place = hukouAddress; input.address = address
        return .proposal(.stayOpen, p, "公安暂住登记 \(day)\(address.map { "：\($0)" } ?? "")", AuditLog.json(input) ?? "{}")
    }

    static func hospital(motherName: String, motherID: String, babyName: String?, babyID: String?, babySex: String?, day: Day, scope: Scope, _ db: any SQLDatabase) async throws -> Outcome {
        guard let m = try await person(motherID, scope: scope, db) else { return .visit(motherName, motherID, "医院分娩 \(day)，本系统无此产妇") }
        if try await db.raw("SELECT id FROM persons WHERE mother_id = \(bind: m.id.text) AND birth_date = \(bind: day.description)").first() != nil { return .matched }
        // A baby without an ID number yet is proposed with its sex (its number is added after the hukou
        // registration); with neither, the family is visited.
        let sex = babySex.map { ["男", "1", "m", "male"].contains($0.lowercased()) ? "1" : ["女", "2", "f", "female"].contains($0.lowercased()) ? "2" : "0" }
        if babyID?.nilIfBlank == nil && !["1", "2"].contains(sex ?? "") { return .visit(motherName, motherID, "医院分娩 \(day)，婴儿无身份号码也无性别") }
        var child = PersonInput(name: babyName?.nilIfBlank ?? "\(motherName)之子女", idNumber: babyID?.nilIfBlank)
        child.sex = sex
        let input = LifeEventInput(type: "birth", person: m.id.text, day: day.description, source: "hospital", child: child)
        return .proposal(.birth, m, "医院分娩 \(day)：\(child.name ?? "")", AuditLog.json(input) ?? "{}")
    }

    static func civil(divorce: Bool, man: (String, String), woman: (String, String), day: Day, scope: Scope, _ db: any SQLDatabase) async throws -> Outcome {
        let m = try await person(man.1, scope: scope, db), w = try await person(woman.1, scope: scope, db)
        guard let m, let w else {
            let missing = m == nil ? man : woman
            return .visit(missing.0, missing.1, "民政\(divorce ? "离婚" : "结婚")登记 \(day)（\(man.0)、\(woman.0)），本系统无此人")
        }
        let linked = try await db.raw("SELECT id FROM persons WHERE id = \(bind: m.id.text) AND spouse_id = \(bind: w.id.text)").first() != nil
        if divorce != linked { return .matched }
        let input = LifeEventInput(type: divorce ? "divorce" : "marriage", person: m.id.text, other: w.id.text, day: day.description, source: "civil-affairs")
        return .proposal(divorce ? .divorce : .marriage, m, "民政\(divorce ? "离婚" : "结婚")登记 \(day)：\(m.name)、\(w.name)", AuditLog.json(input) ?? "{}")
    }

    /// Stores a proposal unless the same one is open already (a file read twice proposes once).
    static func propose(_ kind: Proposal.Kind, person: Found, summary: String, payload: String, source: DepartmentFileKind, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        if try await db.raw("SELECT id FROM proposals WHERE state = 'open' AND kind = \(bind: kind.rawValue) AND person_id = \(bind: person.id.text) AND payload = \(bind: payload)").first() != nil { return }
        try await db.raw("""
            INSERT INTO proposals (id, kind, person_id, summary, payload, source, state, path, created_by, created_at)
            VALUES (\(bind: env.newID().text), \(bind: kind.rawValue), \(bind: person.id.text), \(bind: summary), \(bind: payload), \(bind: source.rawValue), 'open',
                    \(bind: person.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
            """).run()
    }

    /// The proposals of the scope (open ones unless asked); the list names people and is audited.
    public func proposals(openOnly: Bool = true, in scope: Scope, by actor: Actor) async throws -> [Proposal] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let items = try await db.raw("""
                SELECT x.*, p.name AS person_name FROM proposals x JOIN persons p ON p.id = x.person_id
                WHERE \(engine.startsWith("x.path", scope.path)) \(unsafeRaw: openOnly ? "AND x.state = 'open'" : "") ORDER BY x.created_at LIMIT 1000
                """).all().map { r in
                var p = Proposal(id: try r.decode(column: "id", as: String.self).uuid, kind: Proposal.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .stayOpen,
                                 personID: try r.decode(column: "person_id", as: String.self).uuid, personName: try r.decode(column: "person_name", as: String.self),
                                 summary: try r.decode(column: "summary", as: String.self), source: DepartmentFileKind(rawValue: try r.decode(column: "source", as: String.self)) ?? .police,
                                 state: try r.decode(column: "state", as: String.self), createdAt: try r.decode(column: "created_at", as: String.self))
                p.decidedBy = try r.decode(column: "decided_by", as: String?.self); p.note = try r.decode(column: "note", as: String?.self)
                return p
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "proposals", entityID: openOnly ? "open" : "all", path: scope.path,
                                     after: AuditLog.json(["shown": String(items.count)]))
            return items
        }
    }

    /// Accepts a proposal: the change is recorded through the same code a worker's form uses (with
    /// its checks, audit rows and domain events) and the proposal is marked accepted, in one
    /// transaction: if the change is refused the proposal stays open, and a proposal is never left
    /// open after its change was made (nor accepted twice: it is locked while it is read).
    public func accept(_ id: UUID, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env, bus = self.bus
        try await db.transaction { db in
            let (kind, payload) = try await Self.pending(id, scope: scope, engine: engine, lock: true, db)
            let data = Data(payload.utf8)
            switch kind {
            case .stayOpen:
                let input = try JSONDecoder().decode(StayInput.self, from: data)
                _ = try await StayStore.open(try input.checked(today: Day(env.now())), input, scope: scope, engine: engine, env: env, bus: bus, actor: actor, db)
            case .stayClose:
                let v = try JSONDecoder().decode([String: String].self, from: data)
                _ = try await StayStore.close(v["stay"]?.uuid ?? UUID(), on: Day(v["until"] ?? "") ?? Day(env.now()), endPlace: nil, scope: scope,
                                              engine: engine, env: env, bus: bus, actor: actor, db)
            case .birth, .marriage, .divorce:
                let input = try JSONDecoder().decode(LifeEventInput.self, from: data)
                _ = try await LifeEventStore.record(try input.essentials(today: Day(env.now())), input, scope: scope, engine: engine, env: env, bus: bus, actor: actor, db)
            }
            try await Self.decide(id, state: "accepted", note: nil, actor: actor, env: env, db)
        }
    }

    public func reject(_ id: UUID, note: String?, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            _ = try await Self.pending(id, scope: scope, engine: engine, lock: true, db)
            try await Self.decide(id, state: "rejected", note: note, actor: actor, env: env, db)
        }
    }

    /// An open proposal of the scope (kind, payload); `not-found`, or `decided` when it was decided
    /// already. With `lock`, on PostgreSQL, the row stays locked to the caller's transaction, so two
    /// people deciding at once cannot both find it open.
    static func pending(_ id: UUID, scope: Scope, engine: Engine, lock: Bool, _ db: any SQLDatabase) async throws -> (Proposal.Kind, String) {
        guard let r = try await db.raw("""
            SELECT kind, payload, state FROM proposals WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))\(unsafeRaw: lock && engine == .postgres ? " FOR UPDATE" : "")
            """).first() else {
            throw RenkouError.notFound(Text("变更建议", "proposal"))
        }
        guard try r.decode(column: "state", as: String.self) == "open" else { throw RenkouError(.conflict, "decided", Text("该建议已处理。", "This proposal has been decided already.")) }
        return (Proposal.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .stayOpen, try r.decode(column: "payload", as: String.self))
    }

    static func decide(_ id: UUID, state: String, note: String?, actor: Actor, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        let path = try await db.raw("SELECT path FROM proposals WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
        try await db.raw("UPDATE proposals SET state = \(bind: state), decided_by = \(bind: actor.username), decided_at = \(bind: Timestamp.string(env.now())), note = \(bind: note?.nilIfBlank) WHERE id = \(bind: id.text)").run()
        try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "proposal", entityID: id.text, path: path, after: AuditLog.json(["state": state, "note": note ?? ""]))
    }
}
