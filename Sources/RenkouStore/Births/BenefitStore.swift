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
    /// returned by the bank in earlier runs of the unit come back. `quarter` 1–4 draws a childcare
    /// subsidy's supplementary list (季度增补): only children not already eligible on a list of the
    /// year. The persons the rule looks at are found in one query; their family facts are read a page
    /// at a time and each page written at once, so memory holds one page (and the ids); lines are numbered at the end (eligible first, then by unit and ID
    /// number). Throws `invalid` (`/unit` `unknown-unit`, `/year` `range`, `/quarter` `range` or
    /// `quarter-programme`), `conflict` (`run-exists`, `run-overlap`).
    public func draw(_ programme: BenefitProgramme, year: Int, quarter: Int = 0, unitCode: String, in scope: Scope, by actor: Actor) async throws -> BenefitRun {
        guard (2004...2100).contains(year) else { throw RenkouError.invalid([FieldError("/year", "range", Text("年度应在 2004–2100 之间。", "The year is between 2004 and 2100."))]) }
        guard (0...4).contains(quarter) else { throw RenkouError.invalid([FieldError("/quarter", "range", Text("季度为 1–4（0 或不填为全年名单）。", "The quarter is 1–4 (0 or none for the year's main list)."))]) }
        if quarter > 0 && programme != .childcareSubsidy {
            throw RenkouError.invalid([FieldError("/quarter", "quarter-programme", Text("只有育儿补贴有季度增补名单。", "Only the childcare subsidy has quarterly supplementary lists."))])
        }
        guard let unit = try await OrgStore(db: db, env: env).unit(code: unitCode, in: scope), [.street, .community, .district].contains(unit.level) else {
            throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("请选择本辖区的区、街道或社区。", "Choose a district, street or community of your area."))])
        }
        let engine = db.engine, env = self.env, id = env.newID()
        let district = unit.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        let title = quarter == 0 ? Text("\(year) 年", "\(year)") : Text("\(year) 年第 \(quarter) 季度增补", "\(year) Q\(quarter) supplementary")
        try await db.transaction { db in
            if try await db.raw("SELECT id FROM benefit_runs WHERE programme = \(bind: programme.rawValue) AND year = \(bind: year) AND quarter = \(bind: quarter) AND unit_id = \(bind: unit.id.text)").first() != nil {
                throw RenkouError(.conflict, "run-exists", Text("\(unit.name) \(title.zh)的\(programme.label.zh)名单已经生成。", "\(unit.name)'s \(programme.label.en) list of \(title.en) is drawn already."))
            }
            // A unit above or below with its own list of the same period would pay the same people twice.
            if try await db.raw("""
                SELECT id FROM benefit_runs WHERE programme = \(bind: programme.rawValue) AND year = \(bind: year) AND quarter = \(bind: quarter)
                AND (\(engine.startsWith("path", unit.path)) OR \(bind: unit.path) LIKE path || '%')
                """).first() != nil {
                throw RenkouError(.conflict, "run-overlap", Text("上级或下级单位已生成\(title.zh)的\(programme.label.zh)名单。", "A unit above or below already has its \(programme.label.en) list of \(title.en)."))
            }
            try await db.raw("""
                INSERT INTO benefit_runs (id, programme, year, quarter, state, unit_id, path, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: programme.rawValue), \(bind: year), \(bind: quarter), 'draft', \(bind: unit.id.text), \(bind: unit.path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            var written = 0
            func write(_ candidates: [Candidate]) async throws {
                try await BulkInsert("benefit_lines", ["id", "run_id", "number", "person_id", "name", "id_number", "eligible", "facts", "amount", "unit_id", "path", "reissue_of"])
                    .run(candidates.map { c in
                        written += 1
                        // numbered for now below zero, renumbered in order once every line is in
                        return [.text(env.newID().text), .text(id.text), .int(-written), .text(c.person.text), .text(c.name), .text(c.idNumber), .int(c.eligible ? 1 : 0),
                                .text(c.facts), .int(c.amount), .text(c.unitID), .text(c.path), BulkValue(c.reissueOf)]
                    }, db)
            }
            let ids = try await Self.candidateIDs(programme, year: year, path: unit.path, env: env, engine: engine, db)
            for start in stride(from: 0, to: ids.count, by: Self.pageSize) {
                try await write(try await Self.candidates(programme, year: year, page: Array(ids[start..<min(start + Self.pageSize, ids.count)]),
                                                          district: String(district.prefix(6)), env: env, db))
            }
            // returned by the bank before: paid again in this run
            var reissues: [Candidate] = []
            for r in try await db.raw("""
                SELECT l.id, l.person_id, l.name, l.id_number, l.unit_id, l.path, l.amount, l.return_reason, r.year FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
                WHERE r.programme = \(bind: programme.rawValue) AND r.unit_id = \(bind: unit.id.text) AND r.year < \(bind: year) AND l.payment = 'returned'
                  AND NOT EXISTS (SELECT 1 FROM benefit_lines x WHERE x.reissue_of = l.id)
                """).all() {
                reissues.append(Candidate(person: try r.decode(column: "person_id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                                          idNumber: try r.decode(column: "id_number", as: String.self), unitID: try r.decode(column: "unit_id", as: String.self),
                                          path: try r.decode(column: "path", as: String.self), eligible: true,
                                          facts: "补发 \(try r.decode(column: "year", as: Int.self)) 年被退回的款项（\(try r.decode(column: "return_reason", as: String?.self) ?? "")）",
                                          amount: try r.decode(column: "amount", as: Int.self), reissueOf: try r.decode(column: "id", as: String.self)))
            }
            try await write(reissues)
            // The final numbers through a keyed scratch table: a join on a derived table (UPDATE … FROM)
            // has no index on SQLite and goes quadratic with the lines.
            let order = engine.scratchTable("benefit_line_order", columns: "id TEXT PRIMARY KEY, n INTEGER NOT NULL")
            try await db.raw(SQLQueryString(order.create)).run()
            try await db.raw("""
                INSERT INTO benefit_line_order (id, n)
                SELECT id, ROW_NUMBER() OVER (ORDER BY eligible DESC, path, id_number, id) FROM benefit_lines WHERE run_id = \(bind: id.text)
                """).run()
            try await db.raw("UPDATE benefit_lines SET number = (SELECT o.n FROM benefit_line_order o WHERE o.id = benefit_lines.id) WHERE run_id = \(bind: id.text)").run()
            for statement in order.beforeCommit { try await db.raw(SQLQueryString(statement)).run() }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "benefit_run", entityID: id.text, path: unit.path,
                                     after: AuditLog.json(["programme": programme.rawValue, "year": String(year), "quarter": String(quarter), "lines": String(written)]))
        }
        return try await run(id, in: scope)
    }

    /// Registry rows read per page while drawing a run (a test sets a small one to walk many pages).
    @TaskLocal public static var pageSize = 10_000

    /// The sum over the months of a year of a monthly amount from the policy of each month (a rate
    /// that changes on 1 July counts half a year at each).
    static func yearly(_ year: Int, env: RenkouCore.Environment, months: ClosedRange<Int> = 1...12, _ amount: (BenefitAmounts) -> Int) -> Int {
        months.reduce(0) { $0 + amount(env.policy(.benefitAmounts, on: Day(year: year, month: $1, day: 1)!)) }
    }

    /// The plain filters of a programme's rule (no family facts): what selects the persons it looks at.
    static func filter(_ programme: BenefitProgramme, year: Int, env: RenkouCore.Environment) -> (from: SQLQueryString, condition: SQLQueryString) {
        let end = "\(year)-12-31", rule = env.policy(.benefitEligibility, on: Day(year: year, month: 1, day: 1)!)
        switch programme {
        case .childcareSubsidy:
            // 3 years and a month back: a child turning three in January still has that month.
            return ("persons p", "p.birth_date > \(bind: "\(year - 4)-11-30") AND p.birth_date <= \(bind: end)")
        case .rewardAssistance:
            return ("persons p", """
                p.status = 'active' AND p.birth_date <= \(bind: "\(year - rule.rewardMinAge)-12-31") AND p.birth_date >= \(bind: rule.bornFrom) AND p.hukou_type = 'agricultural'
                """)
        case .specialAssistance:
            // a child who died, or a family listed as caring for its disabled only child (the certified disability is that listing's fact);
            // the listing is under either parent: spouses point at each other, so `p.spouse_id` finds it by index (a join on the
            // listed person's spouse scanned the registry once per candidate: minutes at 100,000 people)
            return ("persons p", """
                p.status = 'active' AND p.birth_date >= \(bind: rule.bornFrom) AND (EXISTS (SELECT 1 FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status = 'deceased')
                  OR EXISTS (SELECT 1 FROM special_families f WHERE f.situation = 'child-disabled' AND (f.person_id = p.id OR f.person_id = p.spouse_id)))
                """)
        case .complicationAssistance:
            return ("persons p JOIN services s ON s.person_id = p.id", "s.complication_grade IS NOT NULL AND s.day <= \(bind: end)")
        case .onlyChildParents:
            let reward = env.policy(.onlyChildReward, on: Day(year: year, month: 1, day: 1)!)
            return ("persons p", """
                p.status = 'active' AND p.birth_date <= \(bind: "\(year - reward.fromAge)-12-31") \(unsafeRaw: reward.urbanOnly ? "AND COALESCE(p.hukou_type, '') <> 'agricultural'" : "")
                AND EXISTS (SELECT 1 FROM persons c WHERE c.mother_id = p.id OR c.father_id = p.id)
                """)
        }
    }

    /// The ids of everyone the programme's rule looks at under `path`, in one set-based query (36
    /// bytes an id: the only thing a draw holds for the whole registry). People already eligible on
    /// another list of the programme's year are left out (a quarter's supplementary list pays no one
    /// twice): one uncorrelated set, read before this run has lines of its own.
    static func candidateIDs(_ programme: BenefitProgramme, year: Int, path: String, env: RenkouCore.Environment, engine: Engine, _ db: any SQLDatabase) async throws -> [String] {
        let f = filter(programme, year: year, env: env)
        return try await db.raw("""
            SELECT DISTINCT p.id FROM \(f.from) WHERE \(engine.startsWith("p.path", path)) AND \(f.condition)
              AND p.id NOT IN (SELECT l.person_id FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
                               WHERE r.programme = \(bind: programme.rawValue) AND r.year = \(bind: year) AND l.eligible = 1 AND l.removed_reason IS NULL AND l.reissue_of IS NULL)
            ORDER BY p.id
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    /// The candidates among `page` (ids from `candidateIDs`), with the facts and the verdict.
    static func candidates(_ programme: BenefitProgramme, year: Int, page: [String], district: String, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> [Candidate] {
        guard !page.isEmpty else { return [] }
        let graded = filter(.complicationAssistance, year: year, env: env).condition
        func inPage(_ ids: [String]) -> SQLQueryString { "p.id IN (\(binds: ids))" }
        let rule = env.policy(.benefitEligibility, on: Day(year: year, month: 1, day: 1)!)
        func text(_ r: any SQLRow, _ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        func candidate(_ r: any SQLRow, eligible: Bool, facts: String, amount: Int) throws -> Candidate {
            Candidate(person: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                      idNumber: try text(r, "id_number") ?? "", unitID: try r.decode(column: "unit_id", as: String.self),
                      path: try r.decode(column: "path", as: String.self), eligible: eligible, facts: facts, amount: amount)
        }
        var out: [Candidate] = [], rows: [any SQLRow] = []
        switch programme {
        case .childcareSubsidy:
            rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.status, p.hukou_region, m.name AS mother FROM persons p LEFT JOIN persons m ON m.id = p.mother_id
                WHERE \(inPage(page)) ORDER BY p.id
                """).all()
            for r in rows {
                guard let born = try text(r, "birth_date").flatMap(Day.init) else { continue }
                let months = childcareMonths(born: born, year: year, policy: env.policy)
                let hukou = try text(r, "hukou_region") ?? ""
                var facts = "出生 \(born)；户籍地 \(hukou.isEmpty ? "未登记" : hukou)" + ((try text(r, "mother")).map { "；母亲 \($0)" } ?? "")
                var eligible = false, amount = 0
                if try text(r, "status") != "active" { facts += "；不符合：\(try text(r, "status") == "deceased" ? "已死亡" : "已不在本地")" }
                else if try text(r, "id_number") == nil { facts += "；不符合：尚无公民身份号码（办理户口登记后申领）" }
                else if !hukou.hasPrefix(district) { facts += "；不符合：户籍不在本地（育儿补贴在孩子户籍地申领）" }
                else if months.isEmpty { facts += "；不符合：\(year) 年不在 3 周岁以下的补贴月份内" }
                else {
                    amount = months.reduce(0) { $0 + env.policy(.benefitAmounts, on: Day(year: year, month: $1, day: 1)!).childcarePerMonth }
                    eligible = true
                    facts += "；\(year) 年补贴 \(months.count) 个月，共 \(amount) 元"
                }
                out.append(try candidate(r, eligible: eligible, facts: facts, amount: amount))
            }
        case .rewardAssistance:
            rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.hukou_type,
                    (SELECT COUNT(*) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status <> 'deceased') AS children,
                    (SELECT COUNT(*) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status <> 'deceased' AND c.sex = '2') AS daughters,
                    (SELECT MAX(c.birth_date) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status <> 'deceased') AS youngest
                FROM persons p WHERE \(inPage(page)) ORDER BY p.id
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
                out.append(try candidate(r, eligible: eligible, facts: facts, amount: amount))
            }
        case .specialAssistance:
            // Parents whose only child died or is disabled, the mother 49 or older in the year.
            rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.sex,
                    (SELECT m.birth_date FROM persons c JOIN persons m ON m.id = c.mother_id WHERE c.mother_id = p.id OR c.father_id = p.id
                     ORDER BY m.birth_date LIMIT 1) AS mother_born,
                    (SELECT COUNT(*) FROM special_families f WHERE f.situation = 'child-disabled' AND (f.person_id = p.id OR f.person_id = p.spouse_id)) AS disabled,
                    (SELECT COUNT(*) FROM persons c WHERE c.mother_id = p.id OR c.father_id = p.id) AS children,
                    (SELECT COUNT(*) FROM persons c WHERE (c.mother_id = p.id OR c.father_id = p.id) AND c.status = 'deceased') AS died
                FROM persons p WHERE \(inPage(page)) ORDER BY p.id
                """).all()
            for r in rows {
                let children = try r.decode(column: "children", as: Int.self), died = try r.decode(column: "died", as: Int.self)
                let motherBorn = try text(r, "mother_born") ?? ""
                var facts = "子女 \(children) 人，已死亡 \(died) 人" + (motherBorn.isEmpty ? "" : "；女方生于 \(motherBorn)")
                var eligible = false, amount = 0
                if children != 1 { facts += "；不符合：非独生子女家庭" }
                else if motherBorn.isEmpty || motherBorn > "\(year - rule.specialMotherMinAge)-12-31" { facts += "；不符合：女方 \(year) 年未满 \(rule.specialMotherMinAge) 周岁" }
                else if died == 1 {
                    eligible = true
                    amount = yearly(year, env: env) { $0.specialDeathPerMonth }
                    facts += "；独生子女死亡，\(year) 年 \(amount) 元"
                } else if try r.decode(column: "disabled", as: Int.self) > 0 {
                    amount = yearly(year, env: env) { $0.specialDisabledPerMonth ?? 0 }
                    eligible = amount > 0
                    facts += "；独生子女伤残（特殊家庭登记），\(year) 年 \(amount) 元"
                } else { facts += "；不符合：独生子女健在且未登记伤残" }
                out.append(try candidate(r, eligible: eligible, facts: facts, amount: amount))
            }
        case .complicationAssistance:
            rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.status, MIN(s.complication_grade) AS grade, MIN(s.day) AS day
                FROM persons p JOIN services s ON s.person_id = p.id
                WHERE \(inPage(page)) AND \(graded)
                GROUP BY p.id, p.name, p.id_number, p.unit_id, p.path, p.status ORDER BY p.id
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
                out.append(try candidate(r, eligible: eligible && amount > 0, facts: facts, amount: amount))
            }
        case .onlyChildParents:
            let reward = env.policy(.onlyChildReward, on: Day(year: year, month: 1, day: 1)!)
            rows = try await db.raw("""
                SELECT p.id, p.name, p.id_number, p.unit_id, p.path, p.birth_date, p.hukou_type,
                    (SELECT COUNT(*) FROM persons c WHERE c.mother_id = p.id OR c.father_id = p.id) AS children,
                    (SELECT MIN(c.birth_date) FROM persons c WHERE c.mother_id = p.id OR c.father_id = p.id) AS child_born,
                    (SELECT MIN(r.year) FROM benefit_lines l JOIN benefit_runs r ON r.id = l.run_id
                     WHERE l.person_id = p.id AND r.programme = \(bind: programme.rawValue) AND r.year < \(bind: year) AND l.eligible = 1 AND l.removed_reason IS NULL) AS paid_in
                FROM persons p WHERE \(inPage(page)) ORDER BY p.id
                """).all()
            for r in rows {
                let children = try r.decode(column: "children", as: Int.self), born = try text(r, "child_born") ?? ""
                var facts = "出生 \(try text(r, "birth_date") ?? "")；\(reward.fromAge) 周岁起；子女 \(children) 人" + (born.isEmpty ? "" : "（最早生于 \(born)）")
                var eligible = false
                if children != 1 { facts += "；不符合：非独生子女父母" }
                else if !(born >= reward.childBornFrom && born <= reward.childBornTo) { facts += "；不符合：子女不在 \(reward.childBornFrom)–\(reward.childBornTo) 出生" }
                else if reward.form == .once, let paid = try r.decode(column: "paid_in", as: Int?.self) { facts += "；不符合：已列入 \(paid) 年一次性奖励名单" }
                else { eligible = true; facts += reward.form == .once ? "；一次性奖励 \(reward.amount) 元" : "；\(reward.amount) 元/年" }
                out.append(try candidate(r, eligible: eligible && reward.amount > 0, facts: facts, amount: eligible ? reward.amount : 0))
            }
        }
        return out
    }
}

extension Stores {
    public var benefits: BenefitStore { BenefitStore(db: db, env: env) }
}
