import Foundation
import RenkouCore
import SQLKit

/// 调查: knowledge surveys (知识知晓), satisfaction surveys (满意度测评) and residents' evaluations
/// (双评): the questions, a sample of respondents drawn from the registry from a recorded seed (the
/// same seed draws the same people), the answers (named or anonymous), and the results per community.
public struct SurveyStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Opens a survey of a unit of the scope. Throws `invalid` with every problem: `/kind`
    /// `code-unknown`, `/unit` `unknown-unit`, `/title` `required` or `too-long` (100), `/day`
    /// `date-format`, `/questions` `required` or `too-many` (50), `/questions/N/text` `required`,
    /// `/questions/N/options` `too-few` (2) or `too-many` (10), `/questions/N/options/M` `required` (blank), `/questions/N/correct` `required` (a
    /// knowledge question) or `out-of-range`, `/questions/N/satisfied` `out-of-range`.
    public func open(_ input: SurveyInput, in scope: Scope, by actor: Actor) async throws -> Survey {
        var errors = FieldErrors()
        let kind = SurveyKind(rawValue: input.kind?.trimmed ?? "")
        if kind == nil { errors.add("/kind", "code-unknown", "请选择调查类别。", "Choose the kind of survey.") }
        let title = input.title?.trimmed ?? ""
        if title.isEmpty { errors.add("/title", "required", "请填写标题。", "Give a title.") } else if title.count > 100 { errors.add("/title", "too-long", "标题不超过 100 字。", "At most 100 characters.") }
        var day = Day(env.now())
        if let d = errors.day("/day", input.day) { day = d }
        let questions = input.questions ?? []
        if questions.isEmpty { errors.add("/questions", "required", "至少一道题。", "At least one question.") }
        if questions.count > 50 { errors.add("/questions", "too-many", "最多 50 道题。", "At most 50 questions.") }
        for (i, q) in questions.enumerated() {
            if q.text.trimmed.isEmpty { errors.add("/questions/\(i)/text", "required", "请填写题目。", "Write the question.") }
            if q.options.count < 2 { errors.add("/questions/\(i)/options", "too-few", "至少两个选项。", "At least two options.") }
            for (j, o) in q.options.enumerated() where o.trimmed.isEmpty {
                errors.add("/questions/\(i)/options/\(j)", "required", "第 \(i + 1) 题的第 \(j + 1) 个选项是空的。", "Option \(j + 1) of question \(i + 1) is empty.")
            }
            if q.options.count > 10 { errors.add("/questions/\(i)/options", "too-many", "最多 10 个选项。", "At most 10 options.") }
            if kind == .knowledge {
                if let c = q.correct { if c < 0 || c >= q.options.count { errors.add("/questions/\(i)/correct", "out-of-range", "正确答案不在选项中。", "The right answer is not an option.") } }
                else { errors.add("/questions/\(i)/correct", "required", "知识题须给出正确答案。", "A knowledge question needs its right answer.") }
            }
            if let s = q.satisfied, s.contains(where: { $0 < 0 || $0 >= q.options.count }) {
                errors.add("/questions/\(i)/satisfied", "out-of-range", "“满意”的选项不在选项中。", "A satisfied answer is not an option.")
            }
        }
        let engine = db.engine, env = self.env, opened = day
        let cleaned = questions.map { SurveyQuestion(text: $0.text.trimmed, options: $0.options.map(\.trimmed), correct: $0.correct,
                                                     satisfied: kind == .knowledge ? nil : $0.satisfied) }
        let checked = errors
        let id = try await db.transaction { db -> UUID in
            var errors = checked
            let unit = try await OrgStore.unit(code: input.unit?.trimmed ?? "", in: scope, engine: engine, db)
            if unit == nil { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            try errors.throwIfAny()
            let id = env.newID()
            try await db.raw("""
                INSERT INTO surveys (id, kind, unit_id, path, title, opened_on, questions, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: kind!.rawValue), \(bind: unit!.id.text), \(bind: unit!.path), \(bind: title), \(bind: opened.description),
                        \(bind: String(decoding: try JSONEncoder.sorted.encode(cleaned), as: UTF8.self)), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "survey", entityID: id.text, path: unit!.path, after: AuditLog.json(["title": title]))
            return id
        }
        return try await survey(id, in: scope)
    }

    static func decode(_ r: any SQLRow) throws -> Survey {
        Survey(id: try r.decode(column: "id", as: String.self).uuid, kind: SurveyKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .satisfaction,
               unitCode: try r.decode(column: "unit_code", as: String.self), unitName: try r.decode(column: "unit_name", as: String.self),
               title: try r.decode(column: "title", as: String.self), openedOn: try r.decode(column: "opened_on", as: String.self),
               questions: try JSONDecoder().decode([SurveyQuestion].self, from: Data(try r.decode(column: "questions", as: String.self).utf8)),
               seed: try r.decode(column: "seed", as: Int?.self), responses: try r.decode(column: "responses", as: Int.self))
    }

    static let columns = "s.*, u.code AS unit_code, u.name AS unit_name, (SELECT COUNT(*) FROM survey_responses x WHERE x.survey_id = s.id) AS responses"

    /// The surveys of the scope and those of the units above it (a street's survey is answered in its
    /// communities), newest first.
    public func list(in scope: Scope) async throws -> [Survey] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM surveys s JOIN org_units u ON u.id = s.unit_id
                WHERE \(engine.startsWith("s.path", scope.path)) OR \(bind: scope.path) LIKE s.path || '%' ORDER BY s.opened_on DESC, s.id
                """)
                .all().map(Self.decode)
        }
    }

    /// One survey of the scope or of a unit above it (`above` false: of the scope only). Throws `not-found`.
    public func survey(_ id: UUID, in scope: Scope, above: Bool = true) async throws -> Survey {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM surveys s JOIN org_units u ON u.id = s.unit_id
                WHERE s.id = \(bind: id.text) AND (\(engine.startsWith("s.path", scope.path))\(unsafeRaw: above ? " OR '\(scope.path.replacingOccurrences(of: "'", with: "''"))' LIKE s.path || '%'" : ""))
                """).first()
            else { throw RenkouError.notFound(Text("调查", "survey")) }
            return try Self.decode(r)
        }
    }

    /// Draws `size` respondents (1–1,000) among the active adults (18 or older on the survey's day)
    /// living under the survey's unit, from `seed` (a new one when nil; recorded, so the same seed
    /// draws the same people again), replacing an earlier sample. Returns the people drawn (a read of
    /// them: audited). Throws `not-found`, `invalid` (`/size` `out-of-range`).
    public func sample(_ id: UUID, size: Int, seed: Int?, in scope: Scope, by actor: Actor) async throws -> [Attendee] {
        guard (1...1000).contains(size) else { throw RenkouError.invalid([FieldError("/size", "out-of-range", Text("抽样人数应在 1 到 1000 之间。", "Between 1 and 1,000 people."))]) }
        let engine = db.engine, env = self.env
        let survey = try await self.survey(id, in: scope, above: false)
        let chosenSeed = seed ?? Int(truncatingIfNeeded: env.now().timeIntervalSince1970.bitPattern % 1_000_000_007)
        let adultBorn = Day(survey.openedOn)!.lastBirthDay(forAge: 18).description
        return try await db.transaction { db in
            let path = try await db.raw("SELECT path FROM surveys WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            // every candidate in a stable order (by id), then a Fisher–Yates shuffle from the seed
            var ids = try await db.raw("""
                SELECT id FROM persons WHERE \(engine.startsWith("path", path)) AND status = 'active' AND birth_date IS NOT NULL AND birth_date <= \(bind: adultBorn) ORDER BY id
                """).all().map { try $0.decode(column: "id", as: String.self) }
            var rng = DemoPopulation.SplitMix(seed: UInt64(bitPattern: Int64(chosenSeed)))
            let n = min(size, ids.count)
            for i in 0..<n { let j = i + Int(rng.next() % UInt64(ids.count - i)); ids.swapAt(i, j) }
            let drawn = Array(ids.prefix(n))
            try await db.raw("DELETE FROM survey_sample WHERE survey_id = \(bind: id.text)").run()
            for (i, p) in drawn.enumerated() {
                try await db.raw("INSERT INTO survey_sample (survey_id, person_id, position) VALUES (\(bind: id.text), \(bind: p), \(bind: i))").run()
            }
            try await db.raw("UPDATE surveys SET seed = \(bind: chosenSeed) WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "survey_sample", entityID: id.text, path: path,
                                     after: AuditLog.json(["seed": String(chosenSeed), "drawn": String(n)]))
            return try await Self.sampleRows(id, db)
        }
    }

    static func sampleRows(_ id: UUID, _ db: any SQLDatabase) async throws -> [Attendee] {
        try await db.raw("""
            SELECT p.id, p.name, p.id_number FROM survey_sample s JOIN persons p ON p.id = s.person_id WHERE s.survey_id = \(bind: id.text) ORDER BY s.position
            """).all().map { Attendee(personID: try $0.decode(column: "id", as: String.self).uuid, name: try $0.decode(column: "name", as: String.self),
                                      idNumber: Mask.idNumber(try $0.decode(column: "id_number", as: String.self))) }
    }

    /// The sample drawn for a survey of the scope (or above it: then its people of the scope only), with
    /// whether each has answered (audited: it names people).
    public func sampleList(_ id: UUID, in scope: Scope, by actor: Actor) async throws -> [(person: Attendee, answered: Bool)] {
        let engine = db.engine, env = self.env
        return try await db.read { db in
            guard let r = try await db.raw("""
                SELECT path FROM surveys WHERE id = \(bind: id.text) AND (\(engine.startsWith("path", scope.path)) OR \(bind: scope.path) LIKE path || '%')
                """).first() else {
                throw RenkouError.notFound(Text("调查", "survey"))
            }
            let answered = Set(try await db.raw("SELECT person_id FROM survey_responses WHERE survey_id = \(bind: id.text) AND person_id IS NOT NULL").all()
                .map { try $0.decode(column: "person_id", as: String.self) })
            // the people of the reader's area only (a street's sample, read by a community)
            let rows = try await Self.sampleRows(id, db)
            let inScope = Set(try await db.raw("""
                SELECT s.person_id FROM survey_sample s JOIN persons p ON p.id = s.person_id WHERE s.survey_id = \(bind: id.text) AND \(engine.startsWith("p.path", scope.path))
                """).all().map { try $0.decode(column: "person_id", as: String.self) })
            let shown = rows.filter { inScope.contains($0.personID.text) }
            if !shown.isEmpty {
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "survey_sample", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                         after: AuditLog.json(["shown": String(shown.count)]))
            }
            return shown.map { ($0, answered.contains($0.personID.text)) }
        }
    }

    /// Records one respondent's answers to a survey of the scope: `answers[i]` the option chosen for
    /// question i (0-based; nil: not answered). Named (`person`: ID number or registry id, in the
    /// scope; her unit is where it counts) or anonymous (`unit`: the community it was collected in).
    /// Throws `not-found`, `conflict` `already-answered` (she answered this survey), `invalid`
    /// (`/person` `unknown-person` or `outside-survey`, `/unit` `required`, `unknown-unit` or `outside-survey`, `/answers` `count` (one
    /// per question), `/answers/N` `out-of-range`, `/day` `date-format` or `in-future`).
    @discardableResult
    public func respond(_ id: UUID, person: String?, unit: String?, answers: [Int?], day: String? = nil, in scope: Scope, by actor: Actor) async throws -> (answered: Int, positive: Int) {
        let survey = try await self.survey(id, in: scope)
        let engine = db.engine, env = self.env, today = Day(env.now())
        var errors = FieldErrors(), on = today
        if let d = errors.day("/day", day, notAfter: today) { on = d }
        if answers.count != survey.questions.count {
            errors.add("/answers", "count", "应回答 \(survey.questions.count) 道题（未答的留空）。", "One answer per question (\(survey.questions.count); leave unanswered ones empty).")
        }
        var answered = 0, positive = 0
        for (i, a) in answers.enumerated() where i < survey.questions.count {
            guard let a else { continue }
            let q = survey.questions[i]
            if a < 0 || a >= q.options.count { errors.add("/answers/\(i)", "out-of-range", "第 \(i + 1) 题的答案不在选项中。", "Answer \(i + 1) is not one of its options."); continue }
            answered += 1
            if q.positive(a, kind: survey.kind) { positive += 1 }
        }
        let counts = (answered, positive), answeredOn = on
        let checked = errors
        try await db.transaction { db in
            var errors = checked
            let surveyPath = try await db.raw("SELECT path FROM surveys WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            var unitRow: (id: String, path: String)?, personID: String?
            if let p = person?.trimmed.nilIfBlank {
                if let found = try await PersonStore.resolve(p, in: scope, engine: engine, db) { unitRow = (found.unitID.text, found.path); personID = found.id.text }
                else { errors.add("/person", "unknown-person", "该人员不在登记库或不在您的管辖范围内。", "This person is not in the registry of your area.") }
            } else if let c = unit?.trimmed.nilIfBlank {
                if let u = try await OrgStore.unit(code: c, in: scope, engine: engine, db) { unitRow = (u.id.text, u.path) }
                else { errors.add("/unit", "unknown-unit", "该单位不存在或不在您的管辖范围内。", "No such unit in your area.") }
            } else {
                errors.add("/unit", "required", "匿名答卷请选择收集的社区。", "For an anonymous answer, choose the community it was collected in.")
            }
            if let u = unitRow, !u.path.hasPrefix(surveyPath) {
                errors.add(personID == nil ? "/unit" : "/person", "outside-survey", "不在这份调查的范围内。", "Outside the survey's area.")
            }
            try errors.throwIfAny()
            if let personID, try await db.raw("SELECT 1 AS x FROM survey_responses WHERE survey_id = \(bind: id.text) AND person_id = \(bind: personID)").first() != nil {
                throw RenkouError(.conflict, "already-answered", Text("此人已答过这份调查。", "This person has answered this survey already."))
            }
            let answersJSON = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
            try await db.raw("""
                INSERT INTO survey_responses (id, survey_id, kind, unit_id, path, person_id, answered_on, answers, answered, positive, created_by, created_at)
                VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: survey.kind.rawValue), \(bind: unitRow!.id), \(bind: unitRow!.path), \(bind: personID),
                        \(bind: answeredOn.description), \(bind: answersJSON), \(bind: counts.0), \(bind: counts.1), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "survey_response", entityID: id.text, path: unitRow!.path,
                                     after: AuditLog.json(["named": personID == nil ? "no" : "yes"]))
        }
        return counts
    }

    /// The survey's figures: all of it, and each community of the survey's area that answered (an
    /// answer counts in the community holding the respondent's unit), with per-question counts; a
    /// reader below the survey's unit sees the answers of her area only.
    public func results(_ id: UUID, in scope: Scope) async throws -> (overall: SurveyResult, units: [SurveyResult]) {
        let survey = try await self.survey(id, in: scope)
        let engine = db.engine
        return try await db.read { db in
            // a survey of a unit above the reader's: the answers of the reader's area only
            let rows = try await db.raw("SELECT path, answers FROM survey_responses WHERE survey_id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").all().map {
                (path: try $0.decode(column: "path", as: String.self),
                 answers: try JSONDecoder().decode([Int?].self, from: Data(try $0.decode(column: "answers", as: String.self).utf8)))
            }
            let path = try await db.raw("SELECT path FROM surveys WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            let communities = try await db.raw("""
                SELECT code, name, path FROM org_units WHERE level = 'community' AND (\(engine.startsWith("path", path)) OR \(bind: path) LIKE path || '%')
                AND (\(engine.startsWith("path", scope.path)) OR \(bind: scope.path) LIKE path || '%') ORDER BY path
                """).all().map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self), path: try $0.decode(column: "path", as: String.self)) }
            func tally(_ picked: [(path: String, answers: [Int?])], code: String, name: String) -> SurveyResult {
                var perQuestion = [Int](repeating: 0, count: survey.questions.count), given = perQuestion, answers = 0, positive = 0
                for r in picked {
                    for (i, a) in r.answers.enumerated() where i < survey.questions.count {
                        guard let a else { continue }
                        answers += 1; given[i] += 1
                        if survey.questions[i].positive(a, kind: survey.kind) { positive += 1; perQuestion[i] += 1 }
                    }
                }
                return SurveyResult(unitCode: code, unitName: name, respondents: picked.count, answers: answers, positive: positive, perQuestion: perQuestion, perQuestionAnswers: given)
            }
            let overall = tally(rows, code: survey.unitCode, name: survey.unitName)
            let units = communities.map { c in tally(rows.filter { $0.path.hasPrefix(c.path) }, code: c.code, name: c.name) }.filter { $0.respondents > 0 }
            return (overall, units)
        }
    }
}

extension SurveyStore {
    /// The survey an answer sheet of the scope belongs to (the click-through of a rate). Throws `not-found`.
    public func survey(ofResponse id: UUID, in scope: Scope) async throws -> UUID {
        let engine = db.engine
        return try await db.read { db in
            guard let r = try await db.raw("SELECT survey_id FROM survey_responses WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("答卷", "answer sheet"))
            }
            return try r.decode(column: "survey_id", as: String.self).uuid
        }
    }
}

extension Stores {
    public var surveys: SurveyStore { SurveyStore(db: db, env: env) }
}
