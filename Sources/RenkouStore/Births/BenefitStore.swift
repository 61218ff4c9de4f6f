import Foundation
import RenkouCore
import SQLKit

/// 奖励扶助 and the childcare subsidy: a run per programme, year and unit, drawn from the registry with
/// the facts behind every line (and the rule behind every exclusion), reviewed by the communities,
/// posted publicly with names masked, objected to line by line, approved by the district, paid
/// through a bank file with control totals, and reconciled with the bank's return file. The facts are
/// text written when the run is drawn: later registry changes do not alter a run.
public struct BenefitStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// A candidate of a run before it is written.
    struct Candidate { let person: UUID; let name: String; let idNumber: String; let unitID: String; let path: String; let eligible: Bool; let facts: String; let amount: Int
                       var reissueOf: String? = nil }

    // MARK: Drawing a run

    /// Draws the run of a programme for a year over a street or community of the scope: everyone the
    /// rule looks at, eligible with the facts and the amount, or excluded with the reason; lines
    /// returned by the bank in earlier runs of the unit come back. Throws `invalid` (`/unit`
    /// `unknown-unit`, `/year` `range`), `conflict` (`run-exists`).
    public func draw(_ programme: BenefitProgramme, year: Int, unitCode: String, in scope: Scope, by actor: Actor) async throws -> BenefitRun {
        guard (2004...2100).contains(year) else { throw RenkouError.invalid([FieldError("/year", "range", Text("年度应在 2004–2100 之间。", "The year is between 2004 and 2100."))]) }
        guard let unit = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope), [.street, .community, .district].contains(unit.level) else {
            throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("请选择本辖区的区、街道或社区。", "Choose a district, street or community of your area."))])
        }
        let engine = db.engine, env = self.env, id = env.newID()
        let district = unit.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        try await db.transaction { db in
            if try await db.raw("SELECT id FROM benefit_runs WHERE programme = \(bind: programme.rawValue) AND year = \(bind: year) AND unit_id = \(bind: unit.id.text)").first() != nil {
                throw RenkouError(.conflict, "run-exists", Text("\(unit.name) \(year) 年的\(programme.label.zh)已经生成。", "\(unit.name)'s \(programme.label.en) of \(year) is drawn already."))
            }
            // A unit above or below with its own list of the year would pay the same people twice.
            if try await db.raw("""
                SELECT id FROM benefit_runs WHERE programme = \(bind: programme.rawValue) AND year = \(bind: year)
                AND (\(engine.startsWith("path", unit.path)) OR \(bind: unit.path) LIKE path || '%')
                """).first() != nil {
                throw RenkouError(.conflict, "run-overlap", Text("上级或下级单位已生成 \(year) 年的\(programme.label.zh)名单。", "A unit above or below already has its \(programme.label.en) list of \(year)."))
            }
            var candidates = try await Self.candidates(programme, year: year, path: unit.path, district: String(district.prefix(6)), env: env, engine: engine, db)
            // returned by the bank before: paid again in this run
            for r in try await db.raw("""
                SELECT l.id, l.person_id, l.name, l.id_number, l.unit_id, l.path, l.amount, l.return_reason, r.year FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
                WHERE r.programme = \(bind: programme.rawValue) AND r.unit_id = \(bind: unit.id.text) AND r.year < \(bind: year) AND l.payment = 'returned'
                  AND NOT EXISTS (SELECT 1 FROM benefit_lines x WHERE x.reissue_of = l.id)
                """).all() {
                candidates.append(Candidate(person: try r.decode(column: "person_id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                            idNumber: try r.decode(column: "id_number", as: String.self), unitID: try r.decode(column: "unit_id", as: String.self),
                                            path: try r.decode(column: "path", as: String.self), eligible: true,
                                            facts: "补发 \(try r.decode(column: "year", as: Int.self)) 年被退回的款项（\(try r.decode(column: "return_reason", as: String?.self) ?? "")）",
                                            amount: try r.decode(column: "amount", as: Int.self), reissueOf: try r.decode(column: "id", as: String.self)))
            }
            try await db.raw("""
                INSERT INTO benefit_runs (id, programme, year, state, unit_id, path, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: programme.rawValue), \(bind: year), 'draft', \(bind: unit.id.text), \(bind: unit.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            let sorted = candidates.sorted { ($0.eligible ? 0 : 1, $0.path, $0.idNumber) < ($1.eligible ? 0 : 1, $1.path, $1.idNumber) }
            for (i, c) in sorted.enumerated() {
                try await db.raw("""
                    INSERT INTO benefit_lines (id, run_id, number, person_id, name, id_number, eligible, facts, amount, unit_id, path, reissue_of)
                    VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: i + 1), \(bind: c.person.text), \(bind: c.name), \(bind: c.idNumber), \(bind: c.eligible ? 1 : 0),
                            \(bind: c.facts), \(bind: c.amount), \(bind: c.unitID), \(bind: c.path), \(bind: c.reissueOf))
                    """).run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "benefit_run", entityID: id.text, path: unit.path,
                                     after: AuditLog.json(["programme": programme.rawValue, "year": String(year), "lines": String(sorted.count)]))
        }
        return try await run(id, in: scope)
    }

    /// The sum over the months of a year of a monthly amount from the policy of each month (a rate
    /// that changes on 1 July counts half a year at each).
    static func yearly(_ year: Int, env: RenkouCore.Environment, months: ClosedRange<Int> = 1...12, _ amount: (BenefitAmounts) -> Int) -> Int {
        months.reduce(0) { $0 + amount(env.policy(.benefitAmounts, on: Day(year: year, month: $1, day: 1)!)) }
    }

    /// Everyone the programme's rule looks at under `path`, with the facts and the verdict.
    static func candidates(_ programme: BenefitProgramme, year: Int, path: String, district: String, env: RenkouCore.Environment, engine: Engine,
                           _ db: any SQLDatabase) async throws -> [Candidate] {
        let inPath = engine.startsWith("p.path", path), end = "\(year)-12-31"
        let rule = env.policy(.benefitEligibility, on: Day(year: year, month: 1, day: 1)!)
        func text(_ r: any SQLRow, _ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        var out: [Candidate] = []
        switch programme {
        case .childcareSubsidy:
            // 3 years and a month back: a child turning three in January still has that month.
            let rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.status, p.hukou_region, m.name AS mother FROM persons p LEFT JOIN persons m ON m.id = p.mother_id
                WHERE \(inPath) AND p.birth_date > \(bind: "\(year - 4)-11-30") AND p.birth_date <= \(bind: end)
                """).all()
            for r in rows {
                guard let born = try text(r, "birth_date").flatMap(Day.init) else { continue }
                let months = childcareMonths(born: born, year: year, policy: env.policy)
                let hukou = try text(r, "hukou_region") ?? ""
                var facts = "出生 \(born)；户籍地 \(hukou.isEmpty ? "未登记" : hukou)" + ((try text(r, "mother")).map { "；母亲 \($0)" } ?? "")
                var eligible = false, amount = 0
                if try text(r, "status") != "active" { facts += "；不符合：\(try text(r, "status") == "deceased" ? "已死亡" : "已不在本地")" }
                else if !hukou.hasPrefix(district) { facts += "；不符合：户籍不在本地（育儿补贴在孩子户籍地申领）" }
                else if months.isEmpty { facts += "；不符合：\(year) 年不在 3 周岁以下的补贴月份内" }
                else {
                    amount = months.reduce(0) { $0 + env.policy(.benefitAmounts, on: Day(year: year, month: $1, day: 1)!).childcarePerMonth }
                    eligible = true
                    facts += "；\(year) 年补贴 \(months.count) 个月，共 \(amount) 元"
                }
                out.append(Candidate(person: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                     idNumber: try r.decode(column: "id_number", as: String.self), unitID: try r.decode(column: "unit_id", as: String.self),
                                     path: try r.decode(column: "path", as: String.self), eligible: eligible, facts: facts, amount: amount))
            }
        case .rewardAssistance:
            let rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.hukou_type,
                    (SELECT COUNT(*) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status <> 'deceased') AS children,
                    (SELECT COUNT(*) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status <> 'deceased' AND c.sex = '2') AS daughters,
                    (SELECT MAX(c.birth_date) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status <> 'deceased') AS youngest
                FROM persons p WHERE \(inPath) AND p.status = 'active' AND p.birth_date <= \(bind: "\(year - rule.rewardMinAge)-12-31") AND p.birth_date >= \(bind: rule.bornFrom)
                  AND p.hukou_type = 'agricultural'
                """).all()
            for r in rows {
                let children = try r.decode(column: "children", as: Int.self), daughters = try r.decode(column: "daughters", as: Int.self)
                let youngest = try text(r, "youngest") ?? ""
                var facts = "出生 \(try text(r, "birth_date") ?? "")；农业户口；现有子女 \(children) 人（女 \(daughters) 人）" + (youngest.isEmpty ? "" : "；最小子女生于 \(youngest)")
                var eligible = false
                if children == 0 { facts += "；不符合：无子女记录" }
                else if !(children == 1 || (children == 2 && daughters == 2)) { facts += "；不符合：非独生子女或两女家庭" }
                else if !(youngest >= rule.rewardYoungestFrom && youngest <= rule.rewardYoungestTo) {
                    facts += "；不符合：最小子女不在 \(rule.rewardYoungestFrom.prefix(4))–\(rule.rewardYoungestTo.prefix(4)) 年出生"
                }
                else { eligible = true }
                let amount = eligible ? env.policy(.benefitAmounts, on: Day(year: year, month: 1, day: 1)!).rewardPerYear : 0
                if eligible { facts += "；\(amount) 元/年" }
                out.append(Candidate(person: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                     idNumber: try r.decode(column: "id_number", as: String.self), unitID: try r.decode(column: "unit_id", as: String.self),
                                     path: try r.decode(column: "path", as: String.self), eligible: eligible, facts: facts, amount: amount))
            }
        case .specialAssistance:
            // Parents one of whose children died, the mother 49 or older in the year: only-child families.
            let rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.sex,
                    (SELECT m.birth_date FROM persons c JOIN persons m ON m.id = c.mother_id WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status = 'deceased'
                     ORDER BY m.birth_date LIMIT 1) AS mother_born,
                    (SELECT COUNT(*) FROM persons c WHERE c.mother_id = p.id OR c.father_id = p.id) AS children,
                    (SELECT COUNT(*) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status = 'deceased') AS died
                FROM persons p
                WHERE \(inPath) AND p.status = 'active' AND p.birth_date >= \(bind: rule.bornFrom)
                  AND EXISTS (SELECT 1 FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status = 'deceased')
                """).all()
            for r in rows {
                let children = try r.decode(column: "children", as: Int.self), died = try r.decode(column: "died", as: Int.self)
                let motherBorn = try text(r, "mother_born") ?? ""
                var facts = "子女 \(children) 人，已死亡 \(died) 人" + (motherBorn.isEmpty ? "" : "；女方生于 \(motherBorn)")
                var eligible = false, amount = 0
                if children != 1 { facts += "；不符合：非独生子女家庭" }
                else if motherBorn.isEmpty || motherBorn > "\(year - rule.specialMotherMinAge)-12-31" { facts += "；不符合：女方 \(year) 年未满 \(rule.specialMotherMinAge) 周岁" }
                else {
                    eligible = true
                    amount = yearly(year, env: env) { $0.specialDeathPerMonth }
                    facts += "；独生子女死亡，\(year) 年 \(amount) 元"
                }
                out.append(Candidate(person: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                     idNumber: try r.decode(column: "id_number", as: String.self), unitID: try r.decode(column: "unit_id", as: String.self),
                                     path: try r.decode(column: "path", as: String.self), eligible: eligible, facts: facts, amount: amount))
            }
        case .complicationAssistance:
            let rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.status, MIN(s.complication_grade) AS grade, MIN(s.day) AS day
                FROM persons p JOIN services s ON s.person_id = p.id
                WHERE \(inPath) AND s.complication_grade IS NOT NULL AND s.day <= \(bind: end)
                GROUP BY p.id, p.name, p.id_number, p.unit_id, p.path, p.status
                """).all()
            for r in rows {
                let grade = try r.decode(column: "grade", as: Int.self)
                var facts = "计划生育手术并发症 \(grade) 级（\(try text(r, "day") ?? "")）", eligible = false, amount = 0
                if try text(r, "status") != "active" { facts += "；不符合：已不在本地或已死亡" }
                else if (1...3).contains(grade) {
                    eligible = true
                    amount = yearly(year, env: env) { $0.complicationPerMonth[grade - 1] }
                    facts += "；\(year) 年 \(amount) 元"
                }
                out.append(Candidate(person: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                     idNumber: try r.decode(column: "id_number", as: String.self), unitID: try r.decode(column: "unit_id", as: String.self),
                                     path: try r.decode(column: "path", as: String.self), eligible: eligible && amount > 0, facts: facts, amount: amount))
            }
        }
        return out
    }
}

extension Stores {
    public var benefits: BenefitStore { BenefitStore(db: db, env: env) }
}

extension BenefitStore {
    // MARK: Reading

    static func runColumns(_ scope: Scope, _ engine: Engine) -> SQLQueryString {
        let inScope = engine.startsWith("l.path", scope.path)
        return """
            r.*, u.code AS unit_code, u.name AS unit_name,
            (SELECT COUNT(*) FROM benefit_lines l WHERE l.run_id = r.id AND l.eligible = 1 AND l.removed_reason IS NULL AND \(inScope)) AS eligible_count,
            (SELECT COUNT(*) FROM benefit_lines l WHERE l.run_id = r.id AND (l.eligible = 0 OR l.removed_reason IS NOT NULL) AND \(inScope)) AS excluded_count,
            (SELECT COUNT(*) FROM benefit_lines l WHERE l.run_id = r.id AND l.held = 1 AND \(inScope)) AS held_count,
            (SELECT COALESCE(SUM(l.amount), 0) FROM benefit_lines l WHERE l.run_id = r.id AND l.eligible = 1 AND l.removed_reason IS NULL AND \(inScope)) AS amount_sum
            FROM benefit_runs r JOIN org_units u ON u.id = r.unit_id
            """
    }

    static func decodeRun(_ r: any SQLRow) throws -> BenefitRun {
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        return BenefitRun(id: try r.decode(column: "id", as: String.self).uuid, programme: BenefitProgramme(rawValue: try r.decode(column: "programme", as: String.self)) ?? .childcareSubsidy,
                          year: try r.decode(column: "year", as: Int.self), unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                          state: RunState(rawValue: try r.decode(column: "state", as: String.self)) ?? .draft, postedOn: try text("posted_on"), postingUntil: try text("posting_until"),
                          approvedBy: try text("approved_by"), approvedOn: try text("approved_on"), eligible: try r.decode(column: "eligible_count", as: Int.self),
                          excluded: try r.decode(column: "excluded_count", as: Int.self), held: try r.decode(column: "held_count", as: Int.self),
                          amount: try r.decode(column: "amount_sum", as: Int.self))
    }

    /// A run whose lines reach into the scope (a street's run read by a community counts that community's lines). Throws `not-found`.
    public func run(_ id: UUID, in scope: Scope) async throws -> BenefitRun {
        let engine = db.engine
        return try await db.read { db in try await Self.findRun(id, in: scope, engine: engine, db) }
    }

    /// The run for a step that changes it (post, approve, pay, reconcile, discard): the actor's area must
    /// hold the whole run (a community reads its street's list, it does not act on it); the row is
    /// locked on PostgreSQL so that two steps on one run follow each other. Returns the run and its path.
    static func ownRun(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> (BenefitRun, String) {
        // Not found outside the reader's area; readable but not the actor's to change: forbidden.
        _ = try await findRun(id, in: scope, engine: engine, db)
        guard let path = try await db.raw("SELECT path FROM benefit_runs WHERE id = \(bind: id.text)").first()?.decode(column: "path", as: String.self), path.hasPrefix(scope.path) else {
            throw RenkouError.forbidden
        }
        if db.dialect.name == "postgresql" { _ = try await db.raw("SELECT id FROM benefit_runs WHERE id = \(bind: id.text) FOR UPDATE").all() }
        return (try await findRun(id, in: scope, engine: engine, db), path)   // read once locked
    }

    static func findRun(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> BenefitRun {
        guard let r = try await db.raw("""
            SELECT \(Self.runColumns(scope, engine)) WHERE r.id = \(bind: id.text) AND (\(engine.startsWith("r.path", scope.path)) OR \(bind: scope.path) LIKE r.path || '%')
            """).first() else { throw RenkouError.notFound(Text("扶助名单", "benefit run")) }
        return try decodeRun(r)
    }

    /// The runs of the scope and of the units above it, newest first.
    public func runs(in scope: Scope) async throws -> [BenefitRun] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT \(Self.runColumns(scope, engine)) WHERE \(engine.startsWith("r.path", scope.path)) OR \(bind: scope.path) LIKE r.path || '%' ORDER BY r.year DESC, r.created_at DESC")
                .all().map(Self.decodeRun)
        }
    }

    static let lineColumns = "l.*, u.name AS unit_name FROM benefit_lines l JOIN org_units u ON u.id = l.unit_id"

    static func decodeLine(_ r: any SQLRow) throws -> BenefitLine {
        BenefitLine(id: try r.decode(column: "id", as: String.self).uuid, number: try r.decode(column: "number", as: Int.self),
                    personID: try r.decode(column: "person_id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                    idNumber: try r.decode(column: "id_number", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
                    eligible: try r.decode(column: "eligible", as: Int.self) == 1, facts: try r.decode(column: "facts", as: String.self),
                    amount: try r.decode(column: "amount", as: Int.self), removedReason: try r.decode(column: "removed_reason", as: String?.self),
                    held: try r.decode(column: "held", as: Int.self) == 1, payment: PaymentState(rawValue: try r.decode(column: "payment", as: String.self)) ?? .pending,
                    returnReason: try r.decode(column: "return_reason", as: String?.self))
    }

    /// A run's lines inside the scope, in their order. They name people: the read is audited.
    public func lines(_ run: UUID, in scope: Scope, by actor: Actor) async throws -> [BenefitLine] {
        let engine = db.engine, env = self.env
        _ = try await self.run(run, in: scope)
        return try await db.read { db in
            let rows = try await db.raw("SELECT \(unsafeRaw: Self.lineColumns) WHERE l.run_id = \(bind: run.text) AND \(engine.startsWith("l.path", scope.path)) ORDER BY l.number")
                .all().map(Self.decodeLine)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "benefit_lines", entityID: run.text, path: scope.path,
                                     after: AuditLog.json(["shown": String(rows.count)]))
            return rows
        }
    }

    /// An objection and what became of it.
    public struct Objection: Sendable, Codable, Equatable {
        public let id: UUID; public let lineID: UUID; public let lineNumber: Int; public let text: String; public let source: String
        public let filedOn: String; public let resolvedOn: String?; public let upheld: Bool?; public let resolution: String?
    }

    /// The objections to a run's lines inside the scope.
    public func objections(_ run: UUID, in scope: Scope) async throws -> [Objection] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT o.*, l.number FROM benefit_objections o JOIN benefit_lines l ON l.id = o.line_id WHERE l.run_id = \(bind: run.text) AND \(engine.startsWith("o.path", scope.path))
                ORDER BY o.filed_on, o.id
                """).all().map { r in
                Objection(id: try r.decode(column: "id", as: String.self).uuid, lineID: try r.decode(column: "line_id", as: String.self).uuid,
                          lineNumber: try r.decode(column: "number", as: Int.self), text: try r.decode(column: "text", as: String.self),
                          source: try r.decode(column: "source", as: String.self), filedOn: try r.decode(column: "filed_on", as: String.self),
                          resolvedOn: try r.decode(column: "resolved_on", as: String?.self), upheld: try r.decode(column: "upheld", as: Int?.self).map { $0 == 1 },
                          resolution: try r.decode(column: "resolution", as: String?.self))
            }
        }
    }

    // MARK: The cycle

    /// The line of the scope with its run, for a step; throws `not-found`.
    static func line(_ id: UUID, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> (line: BenefitLine, run: UUID, state: RunState, path: String) {
        guard let r = try await db.raw("""
            SELECT l.*, u.name AS unit_name, r.state AS run_state FROM benefit_lines l JOIN org_units u ON u.id = l.unit_id JOIN benefit_runs r ON r.id = l.run_id
            WHERE l.id = \(bind: id.text) AND \(engine.startsWith("l.path", scope.path))
            """).first() else { throw RenkouError.notFound(Text("名单行", "line")) }
        return (try decodeLine(r), try r.decode(column: "run_id", as: String.self).uuid, RunState(rawValue: try r.decode(column: "run_state", as: String.self)) ?? .draft,
                try r.decode(column: "path", as: String.self))
    }

    /// 评议: the community takes a line off the list (with the reason) or puts it back, while the run is
    /// under review. Throws `not-found`, `conflict` (`run-state`: posted or later), `invalid` (`/reason` `required`).
    public func review(_ lineID: UUID, remove reason: String?, in scope: Scope, by actor: Actor) async throws -> BenefitLine {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let (line, _, state, path) = try await Self.line(lineID, in: scope, engine: engine, db)
            guard state == .draft else { throw RenkouError(.conflict, "run-state", Text("名单已公示，不能再改；有异议请登记异议。", "The list is posted: it is not edited any more; file an objection instead.")) }
            let reason = reason?.trimmed.nilIfBlank
            if reason == nil, line.removedReason == nil, !line.eligible {
                throw RenkouError.invalid([FieldError("/reason", "required", Text("不符合条件的不能列入。", "A person the rule excludes cannot be put on the list."))])
            }
            try await db.raw("UPDATE benefit_lines SET removed_reason = \(bind: reason) WHERE id = \(bind: lineID.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_line", entityID: lineID.text, path: path, after: AuditLog.json(["removed": reason ?? ""]))
            var l = line; l.removedReason = reason
            return l
        }
    }

    /// 公示: puts a run under review on the public board for the policy's posting days. Throws
    /// `not-found`, `conflict` (`run-state`).
    public func post(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> BenefitRun {
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard run.state == .draft else { throw RenkouError(.conflict, "run-state", Text("只能公示评议中的名单。", "Only a list under review can be posted.")) }
            let until = today.adding(days: env.policy(.postingDays, on: today))
            try await db.raw("UPDATE benefit_runs SET state = 'posted', posted_on = \(bind: today.description), posting_until = \(bind: until.description) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_run", entityID: id.text, path: path, after: AuditLog.json(["posted": until.description]))
        }
        return try await run(id, in: scope)
    }

    /// 异议: an objection to one line, from the public board or a worker, while the list is posted or
    /// approved and unpaid: that line's payment is held until it is resolved. Throws `not-found`,
    /// `conflict` (`run-state`), `invalid` (`/text` `required`, too long over 500 characters).
    @discardableResult
    public func object(to lineID: UUID, text: String, source: String, in scope: Scope, by actor: Actor) async throws -> Objection {
        let text = text.trimmed
        var errors = FieldErrors()
        if text.isEmpty { errors.add("/text", "required", "请写明异议的内容。", "Say what the objection is.") }
        if text.count > 500 { errors.add("/text", "too-long", "异议不超过 500 字。", "An objection has at most 500 characters.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, id = env.newID(), today = Day(env.now())
        try await db.transaction { db in
            let (_, _, state, path) = try await Self.line(lineID, in: scope, engine: engine, db)
            guard state == .posted || state == .approved else {
                throw RenkouError(.conflict, "run-state", Text("名单不在公示或待发放阶段，不能登记异议。", "The list is not posted or awaiting payment: no objection can be filed."))
            }
            try await db.raw("""
                INSERT INTO benefit_objections (id, line_id, text, source, filed_on, path)
                VALUES (\(bind: id.text), \(bind: lineID.text), \(bind: text), \(bind: source), \(bind: today.description), \(bind: path))
                """).run()
            try await db.raw("UPDATE benefit_lines SET held = 1 WHERE id = \(bind: lineID.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "benefit_objection", entityID: id.text, path: path)
        }
        return try await objection(id, in: .everything)
    }

    func objection(_ id: UUID, in scope: Scope) async throws -> Objection {
        let engine = db.engine
        let run = try await db.read { db in
            try await db.raw("SELECT l.run_id FROM benefit_objections o JOIN benefit_lines l ON l.id = o.line_id WHERE o.id = \(bind: id.text) AND \(engine.startsWith("o.path", scope.path))").first()?
                .decode(column: "run_id", as: String.self).uuid
        }
        guard let run, let o = try await objections(run, in: scope).first(where: { $0.id == id }) else { throw RenkouError.notFound(Text("异议", "objection")) }
        return o
    }

    /// Resolves an objection: upheld, the line comes off the list (with the finding); dismissed, its
    /// payment is released (when no other objection holds it). Throws `not-found`, `conflict`
    /// (`resolved`), `invalid` (`/resolution` `required`).
    public func resolve(_ id: UUID, upheld: Bool, resolution: String, in scope: Scope, by actor: Actor) async throws -> Objection {
        let resolution = resolution.trimmed
        guard !resolution.isEmpty else { throw RenkouError.invalid([FieldError("/resolution", "required", Text("请写明核实结果。", "Say what the check found."))]) }
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT line_id, resolved_on, path FROM benefit_objections WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("异议", "objection"))
            }
            guard try r.decode(column: "resolved_on", as: String?.self) == nil else { throw RenkouError(.conflict, "resolved", Text("该异议已处理。", "This objection is resolved already.")) }
            let line = try r.decode(column: "line_id", as: String.self)
            try await db.raw("UPDATE benefit_objections SET resolved_on = \(bind: today.description), upheld = \(bind: upheld ? 1 : 0), resolution = \(bind: resolution) WHERE id = \(bind: id.text)").run()
            if upheld { try await db.raw("UPDATE benefit_lines SET removed_reason = \(bind: "异议成立：" + resolution) WHERE id = \(bind: line)").run() }
            try await db.raw("""
                UPDATE benefit_lines SET held = CASE WHEN EXISTS (SELECT 1 FROM benefit_objections o WHERE o.line_id = benefit_lines.id AND o.resolved_on IS NULL) THEN 1 ELSE 0 END
                WHERE id = \(bind: line)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_objection", entityID: id.text,
                                     path: try r.decode(column: "path", as: String.self), after: AuditLog.json(["upheld": upheld ? "1" : "0"]))
        }
        return try await objection(id, in: scope)
    }

    /// 审批: the district approves a posted run once its posting period is over; the list is not
    /// edited by it, and its facts stay as they were drawn. Held lines wait for their objection.
    /// Throws `not-found`, `conflict` (`run-state`, `posting-period` while the list is still posted).
    public func approve(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> BenefitRun {
        let engine = db.engine, env = self.env, today = Day(env.now())
        try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard run.state == .posted else { throw RenkouError(.conflict, "run-state", Text("只能审批公示过的名单。", "Only a posted list can be approved.")) }
            let drawnBy = try await db.raw("SELECT created_by FROM benefit_runs WHERE id = \(bind: id.text)").first()!.decode(column: "created_by", as: String.self)
            if drawnBy == actor.username { throw RenkouError(.conflict, "four-eyes", Text("生成名单的人不能审批同一名单。", "Whoever drew a list does not approve it.")) }
            if let until = run.postingUntil, today.description <= until {
                throw RenkouError(.conflict, "posting-period", Text("公示期至 \(until)，期满后才能审批。", "The list is posted until \(until); it is approved after that."))
            }
            try await db.raw("UPDATE benefit_runs SET state = 'approved', approved_by = \(bind: actor.username), approved_on = \(bind: today.description) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_run", entityID: id.text, path: path, after: AuditLog.json(["approved": today.description]))
        }
        return try await run(id, in: scope)
    }

    /// The bank file of an approved run.
    public struct PaymentFile: Sendable {
        /// CSV, UTF-8: a header row, one row per payment (行号, 姓名, 公民身份号码, 金额, 项目, 年度), and a
        /// control row `合计,<people>,<lines>,<amount>`.
        public let csv: String
        public let batch: Int
        public let people: Int
        public let lines: Int
        public let amount: Int
    }

    /// 发放文件: a new batch of every payable line not yet sent (held ones wait), the lines marked as sent
    /// with the batch's number; a line released later goes in the next batch. Throws `not-found`,
    /// `forbidden` (the run is not all in the actor's area), `conflict` (`run-state`: not approved;
    /// `nothing-to-pay`).
    public func paymentFile(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> PaymentFile {
        let engine = db.engine, env = self.env, today = Day(env.now())
        let batch = try await db.transaction { db -> Int in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard [.approved, .paid, .reconciled].contains(run.state) else { throw RenkouError(.conflict, "run-state", Text("名单审批后才能生成发放文件。", "The list is approved before it is paid.")) }
            let batch = (try await db.raw("SELECT MAX(batch) AS b FROM benefit_lines WHERE run_id = \(bind: id.text)").first()?.decode(column: "b", as: Int?.self) ?? 0) + 1
            try await db.raw("""
                UPDATE benefit_lines SET payment = 'sent', batch = \(bind: batch)
                WHERE run_id = \(bind: id.text) AND eligible = 1 AND removed_reason IS NULL AND held = 0 AND payment = 'pending'
                """).run()
            let n = try await db.raw("SELECT COUNT(*) AS n FROM benefit_lines WHERE run_id = \(bind: id.text) AND batch = \(bind: batch)").first()!.decode(column: "n", as: Int.self)
            guard n > 0 else { throw RenkouError(.conflict, "nothing-to-pay", Text("没有待发放的款项。", "Nothing is waiting to be paid.")) }
            try await db.raw("UPDATE benefit_runs SET state = 'paid', paid_on = \(bind: today.description) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "benefit_payment_file", entityID: id.text, path: path,
                                     after: AuditLog.json(["batch": String(batch), "lines": String(n)]))
            return batch
        }
        return try await paymentFile(id, batch: batch, in: scope, by: actor)
    }

    /// A batch's bank file again (nothing changes). Throws `not-found`, `forbidden`.
    public func paymentFile(_ id: UUID, batch: Int, in scope: Scope, by actor: Actor) async throws -> PaymentFile {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            let rows = try await db.raw("SELECT number, name, id_number, amount FROM benefit_lines WHERE run_id = \(bind: id.text) AND batch = \(bind: batch) ORDER BY number").all()
            guard !rows.isEmpty else { throw RenkouError.notFound(Text("发放批次", "payment batch")) }
            var csv = "行号,姓名,公民身份号码,金额,项目,年度\n", amount = 0, people = Set<String>()
            for r in rows {
                let a = try r.decode(column: "amount", as: Int.self), n = try r.decode(column: "id_number", as: String.self)
                amount += a; people.insert(n)
                csv += [String(try r.decode(column: "number", as: Int.self)), CSV.escape(try r.decode(column: "name", as: String.self)), n, String(a), run.programme.rawValue, String(run.year)].joined(separator: ",") + "\n"
            }
            csv += "合计,\(people.count),\(rows.count),\(amount)\n"
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "benefit_payment_file", entityID: id.text, path: path, after: AuditLog.json(["batch": String(batch)]))
            return PaymentFile(csv: csv, batch: batch, people: people.count, lines: rows.count, amount: amount)
        }
    }

    /// What a bank's return file did.
    public struct Reconciliation: Sendable, Codable, Equatable {
        public var paid: Int
        public var returned: Int
        /// Return rows matching no sent line (by 行号 and ID number), by their row in the file.
        public var unmatched: [Int]
        /// Sent lines the file did not mention (still waiting).
        public var waiting: Int
    }

    /// 对账: reads the bank's return file (CSV: 行号, 公民身份号码, 金额, 结果 成功|退回, 原因; a header row
    /// and the control row are skipped): each sent line becomes paid or returned (its reason kept;
    /// returned lines come back in the next run); rows that match nothing are reported, never guessed.
    /// Throws `not-found`, `conflict` (`run-state`: nothing was sent).
    public func reconcile(_ id: UUID, returnFile: String, in scope: Scope, by actor: Actor) async throws -> Reconciliation {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard [.paid, .reconciled].contains(run.state) else { throw RenkouError(.conflict, "run-state", Text("还没有送银行的发放文件。", "Nothing has been sent to the bank yet.")) }
            var result = Reconciliation(paid: 0, returned: 0, unmatched: [], waiting: 0)
            for (i, line) in returnFile.split(whereSeparator: \.isNewline).enumerated() {
                let f = CSV.fields(line).map(\.trimmed)
                guard f.count >= 4, let number = Int(f[0]) else { if i > 0 && f.first != "合计" { result.unmatched.append(i + 1) }; continue }
                guard let r = try await db.raw("""
                    SELECT id, amount FROM benefit_lines WHERE run_id = \(bind: id.text) AND number = \(bind: number) AND id_number = \(bind: f[1].uppercased()) AND payment = 'sent'
                    """).first(), try r.decode(column: "amount", as: Int.self) == Int(f[2]) else { result.unmatched.append(i + 1); continue }
                // The bank's word for the result: paid or returned; anything else is not guessed at.
                let word = f[3].lowercased()
                guard let ok: Bool = ["成功", "已到账", "paid", "ok", "success"].contains(word) ? true : ["退回", "失败", "returned", "failed", "fail"].contains(word) ? false : nil else {
                    result.unmatched.append(i + 1); continue
                }
                try await db.raw("""
                    UPDATE benefit_lines SET payment = \(bind: ok ? "paid" : "returned"), return_reason = \(bind: ok ? nil : (f.count > 4 ? f[4] : f[3]))
                    WHERE id = \(bind: try r.decode(column: "id", as: String.self))
                    """).run()
                if ok { result.paid += 1 } else { result.returned += 1 }
            }
            result.waiting = try await db.raw("SELECT COUNT(*) AS n FROM benefit_lines WHERE run_id = \(bind: id.text) AND payment = 'sent'").first()!.decode(column: "n", as: Int.self)
            // Reconciled once nothing is at the bank and nothing payable waits (a held line released later reopens it).
            let pending = try await db.raw("SELECT COUNT(*) AS n FROM benefit_lines WHERE run_id = \(bind: id.text) AND payment = 'pending' AND eligible = 1 AND removed_reason IS NULL").first()!.decode(column: "n", as: Int.self)
            if result.waiting == 0 && pending == 0 { try await db.raw("UPDATE benefit_runs SET state = 'reconciled' WHERE id = \(bind: id.text)").run() }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_run", entityID: id.text, path: path,
                                     after: AuditLog.json(["paid": String(result.paid), "returned": String(result.returned), "unmatched": String(result.unmatched.count)]))
            return result
        }
    }

    // MARK: The public board

    /// One line as the public board shows it: masked.
    public struct PublicLine: Sendable, Codable, Equatable {
        public let number: Int; public let name: String; public let idNumber: String; public let unit: String; public let amount: Int
    }
    /// A posted list on the public board.
    public struct PublicRun: Sendable, Codable, Equatable {
        public let id: UUID; public let programme: BenefitProgramme; public let year: Int; public let unit: String; public let postingUntil: String; public let lines: [PublicLine]
    }

    /// 公示栏: the lists now posted, their payable lines with names and ID numbers masked.
    public func board() async throws -> [PublicRun] {
        let today = Day(env.now()).description
        return try await db.read { db in
            var out: [PublicRun] = []
            for r in try await db.raw("SELECT r.id, r.programme, r.year, r.posting_until, u.name FROM benefit_runs r JOIN org_units u ON u.id = r.unit_id WHERE r.state = 'posted' AND r.posting_until >= \(bind: today) ORDER BY r.posted_on DESC").all() {
                let id = try r.decode(column: "id", as: String.self)
                let lines = try await db.raw("SELECT \(unsafeRaw: Self.lineColumns) WHERE l.run_id = \(bind: id) AND l.eligible = 1 AND l.removed_reason IS NULL ORDER BY l.number").all().map(Self.decodeLine)
                out.append(PublicRun(id: id.uuid, programme: BenefitProgramme(rawValue: try r.decode(column: "programme", as: String.self)) ?? .childcareSubsidy,
                                     year: try r.decode(column: "year", as: Int.self), unit: try r.decode(column: "name", as: String.self),
                                     postingUntil: try r.decode(column: "posting_until", as: String.self),
                                     lines: lines.map { PublicLine(number: $0.number, name: Mask.name($0.name), idNumber: Mask.idNumber($0.idNumber), unit: $0.unitName, amount: $0.amount) }))
            }
            return out
        }
    }

    /// An objection from the public board to line `number` of a run still posted. Throws `invalid`
    /// (`/number` `no-such-line`: no payable line of that number on the board), and `object`'s errors.
    public func publicObjection(run: UUID, number: Int, text: String) async throws {
        let today = Day(env.now()).description
        let line = try await db.read { db in
            try await db.raw("""
                SELECT l.id FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id WHERE r.id = \(bind: run.text) AND r.state = 'posted' AND r.posting_until >= \(bind: today)
                AND l.number = \(bind: number) AND l.eligible = 1 AND l.removed_reason IS NULL
                """).first()?.decode(column: "id", as: String.self).uuid
        }
        guard let line else { throw RenkouError.invalid([FieldError("/number", "no-such-line", Text("公示中的名单没有这一行。", "The posted list has no such line."))]) }
        try await object(to: line, text: text, source: "public", in: .everything, by: Actor(userID: nil, username: "public", client: "public"))
    }

    /// The run that a run, a line or an objection of the scope belongs to (a page returns to it). Throws `not-found`.
    public func runOf(any id: UUID, in scope: Scope) async throws -> UUID {
        let engine = db.engine
        return try await db.read { db in
            if try await db.raw("SELECT id FROM benefit_runs WHERE id = \(bind: id.text)").first() != nil { return id }
            if let r = try await db.raw("SELECT run_id FROM benefit_lines WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() {
                return try r.decode(column: "run_id", as: String.self).uuid
            }
            if let r = try await db.raw("SELECT l.run_id FROM benefit_objections o JOIN benefit_lines l ON l.id = o.line_id WHERE o.id = \(bind: id.text) AND \(engine.startsWith("o.path", scope.path))").first() {
                return try r.decode(column: "run_id", as: String.self).uuid
            }
            throw RenkouError.notFound(Text("扶助名单", "benefit run"))
        }
    }

    /// Discards a list still under review (drawn by mistake, or a benchmark's). Throws `not-found`, `conflict` (`run-state`).
    public func discard(_ id: UUID, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            let (run, path) = try await Self.ownRun(id, in: scope, engine: engine, db)
            guard run.state == .draft else { throw RenkouError(.conflict, "run-state", Text("只能撤销评议中的名单。", "Only a list under review can be discarded.")) }
            try await db.raw("DELETE FROM benefit_objections WHERE line_id IN (SELECT id FROM benefit_lines WHERE run_id = \(bind: id.text))").run()
            try await db.raw("DELETE FROM benefit_lines WHERE run_id = \(bind: id.text)").run()
            try await db.raw("DELETE FROM benefit_runs WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .delete, entity: "benefit_run", entityID: id.text, path: path)
        }
    }

    /// How many bank batches a run has had.
    public func batches(_ id: UUID, in scope: Scope) async throws -> Int {
        _ = try await run(id, in: scope)
        return try await db.read { db in try await db.raw("SELECT MAX(batch) AS b FROM benefit_lines WHERE run_id = \(bind: id.text)").first()?.decode(column: "b", as: Int?.self) ?? 0 }
    }

    /// A death or a move out recorded in the registry: the person's payments not yet sent are held by an
    /// objection from the registry (source `registry`) that a worker resolves. Run inside the event's transaction.
    static func holdFromRegistry(person: UUID, reason: String, _ ctx: EventContext) async throws {
        let today = Day(ctx.env.now()).description
        for r in try await ctx.db.raw("""
            SELECT l.id, l.path FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
            WHERE l.person_id = \(bind: person.text) AND l.payment = 'pending' AND l.eligible = 1 AND l.removed_reason IS NULL AND r.state <> 'reconciled'
            """).all() {
            let line = try r.decode(column: "id", as: String.self)
            try await ctx.db.raw("""
                INSERT INTO benefit_objections (id, line_id, text, source, filed_on, path)
                VALUES (\(bind: ctx.env.newID().text), \(bind: line), \(bind: reason), 'registry', \(bind: today), \(bind: try r.decode(column: "path", as: String.self)))
                """).run()
            try await ctx.db.raw("UPDATE benefit_lines SET held = 1 WHERE id = \(bind: line)").run()
        }
    }

    /// 更正: after approval a line's amount is changed, or the line taken off (amount 0), by an entry with
    /// its reason, never by an edit; only while its money has not gone to the bank. Throws `not-found`,
    /// `conflict` (`run-state`: not approved yet, edit it in review; `sent`: already at the bank),
    /// `invalid` (`/amount` `range`, `/reason` `required`).
    public func correct(_ lineID: UUID, amount: Int, reason: String, in scope: Scope, by actor: Actor) async throws -> BenefitLine {
        let reason = reason.trimmed
        var errors = FieldErrors()
        if !(0...1_000_000).contains(amount) { errors.add("/amount", "range", "金额应为 0–1000000 元（0 即不再发放）。", "The amount is 0 to 1,000,000 yuan (0 takes the line off).") }
        if reason.isEmpty { errors.add("/reason", "required", "请写明更正理由。", "Give the reason for the correction.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, today = Day(env.now())
        return try await db.transaction { db in
            let (line, _, state, path) = try await Self.line(lineID, in: scope, engine: engine, db)
            guard [.approved, .paid, .reconciled].contains(state) else {
                throw RenkouError(.conflict, "run-state", Text("名单尚未审批：请在评议中修改。", "The list is not approved yet: change it in review."))
            }
            guard line.payment == .pending, line.eligible, line.removedReason == nil else {
                throw RenkouError(.conflict, "sent", Text("该笔已送银行或已不在名单中，差额请在下一期名单中处理。", "This line is at the bank or off the list: settle the difference in the next list."))
            }
            try await db.raw("""
                INSERT INTO benefit_corrections (id, line_id, amount_before, amount_after, reason, by_user, day, path)
                VALUES (\(bind: env.newID().text), \(bind: lineID.text), \(bind: line.amount), \(bind: amount), \(bind: reason), \(bind: actor.username), \(bind: today.description), \(bind: path))
                """).run()
            if amount == 0 {
                try await db.raw("UPDATE benefit_lines SET removed_reason = \(bind: "审批后更正：" + reason) WHERE id = \(bind: lineID.text)").run()
            } else {
                try await db.raw("UPDATE benefit_lines SET amount = \(bind: amount) WHERE id = \(bind: lineID.text)").run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "benefit_line", entityID: lineID.text, path: path,
                                     after: AuditLog.json(["correction": "\(line.amount)→\(amount)", "reason": reason]))
            var l = line; if amount == 0 { l.removedReason = "审批后更正：" + reason } else { l.amount = amount }
            return l
        }
    }
}
