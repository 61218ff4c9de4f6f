import Foundation
import RenkouCore
import SQLKit

/// 投诉 / 举报 / 信访: cases filed by the public (named or anonymous, with a tracking code) or by a
/// worker for a caller, routed to a unit of the tree, due by their category's deadline (the policy
/// calendar's working days), handled through their states with a history, reopened, escalated up
/// the tree when overdue, and rated. A sensitive category's cases are seen only by its roles; the
/// complainant's name and phone only by the case's handler (that read is audited).
public struct ComplaintStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// 查询码: `TS-<year>-` and 10 letters and digits (about 50 bits).
    static func newCode(year: Int) -> String { Secrets.trackingCode("TS", year: year, letters: 10) }

    func categories(on day: Day) -> [ComplaintCategory] { env.policy(.complaintCategories, on: day) }

    // MARK: Filing

    /// Files a case. From the public (`scope` nil: any street or community of the tree; channel web)
    /// or by a worker for a caller (`scope`: a unit of it; channel phone, counter or letter). An
    /// anonymous case keeps no name and no phone. Throws `invalid` with every problem: `/category`
    /// `code-unknown`, `/unit` `unknown-unit`, `/subject` `required` or `too-long` (100),
    /// `/body` `required` or `too-long` (4,000), `/name` `required` (a named case), `too-long` (40),
    /// `/phone` `phone-format`, `/channel` `code-unknown`.
    @discardableResult
    public func file(_ input: ComplaintInput, in scope: Scope?, by actor: Actor) async throws -> Complaint {
        let today = Day(env.now())
        var errors = FieldErrors()
        let category = categories(on: today).first { $0.code == input.category?.trimmed }
        if category == nil { errors.add("/category", "code-unknown", "请选择类别。", "Choose the category.") }
        let subject = (input.subject ?? "").trimmed, body = (input.body ?? "").trimmed
        if subject.isEmpty { errors.add("/subject", "required", "请填写标题。", "Give a subject.") } else if subject.count > 100 { errors.add("/subject", "too-long", "标题不超过 100 字。", "The subject is at most 100 characters.") }
        if body.isEmpty { errors.add("/body", "required", "请写明事由。", "Say what happened.") } else if body.count > 4000 { errors.add("/body", "too-long", "事由不超过 4000 字。", "At most 4,000 characters.") }
        let anonymous = input.anonymous ?? false
        let name = anonymous ? nil : input.name?.trimmed.nilIfBlank, phone = anonymous ? nil : input.phone.map { $0.filter { !$0.isWhitespace && $0 != "-" } }.flatMap { $0.isEmpty ? nil : $0 }
        if !anonymous && name == nil { errors.add("/name", "required", "实名投诉请留下姓名，或选择匿名。", "Give your name, or choose to stay anonymous.") }
        if let name, name.count > 40 { errors.add("/name", "too-long", "姓名不超过 40 字。", "A name is at most 40 characters.") }
        if let phone, !(7...15).contains(phone.count) || !phone.allSatisfy(\.isNumber) { errors.add("/phone", "phone-format", "电话号码应为 7–15 位数字。", "A phone number is 7 to 15 digits.") }
        let channel = scope == nil ? ComplaintChannel.web : ComplaintChannel(rawValue: input.channel ?? "phone")
        if channel == nil { errors.add("/channel", "code-unknown", "渠道应为 phone、counter 或 letter。", "The channel is phone, counter or letter.") }
        let unitCode = (input.unit ?? "").trimmed
        if unitCode.isEmpty { errors.add("/unit", "unknown-unit", "请选择所在社区或街道。", "Choose the community or street.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, cat = category!, calendar = env.policy.calendar
        let id = try await db.transaction { db -> UUID in
            guard let unit = try await OrgStore.unit(code: unitCode, in: scope ?? .everything, engine: engine, db), [.street, .community, .grid, .district].contains(unit.level) else {
                throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("所选社区或街道不存在或不在您的管辖范围内。", "No such community or street in your area."))])
            }
            let id = env.newID(), due = cat.due(from: today, calendar: calendar), now = Timestamp.string(env.now())
            var code = Self.newCode(year: today.year)
            while try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first() != nil { code = Self.newCode(year: today.year) }
            try await db.raw("""
                INSERT INTO complaints (id, tracking_code, kind, category, unit_id, path, channel, subject, body, anonymous, name, phone, state, received_on, due_on, created_at)
                VALUES (\(bind: id.text), \(bind: code), \(bind: cat.kind.rawValue), \(bind: cat.code), \(bind: unit.id.text), \(bind: unit.path), \(bind: channel!.rawValue),
                        \(bind: subject), \(bind: body), \(bind: anonymous ? 1 : 0), \(bind: name), \(bind: phone), 'received', \(bind: today.description), \(bind: due.description), \(bind: now))
                """).run()
            try await Self.step(id, "received", .received, note: nil, internalOnly: false, by: actor, env: env, db)
            try await Self.round(id, 1, kind: cat.kind, path: unit.path, received: today, opened: today, due: due, env: env, db)
            try await Self.openTask(id, subject: subject, category: cat, unit: unit, due: due, env: env, actor: actor, engine: engine, db)
            // the audit row names the case, not the complainant
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "complaint", entityID: id.text, path: unit.path,
                                     after: AuditLog.json(["category": cat.code, "channel": channel!.rawValue, "anonymous": anonymous ? "yes" : "no"]))
            return id
        }
        return try await complaint(id, in: .everything, role: .admin, by: actor, audited: false)
    }

    /// The case's task: on its unit's list, or (a sensitive category) on the district's, whose roles
    /// see it; the one open before it is closed.
    static func openTask(_ id: UUID, subject: String, category: ComplaintCategory, unit: OrgUnit, due: Day, env: RenkouCore.Environment, actor: Actor,
                         engine: Engine, _ db: any SQLDatabase) async throws {
        try await settleTasks(id, env: env, actor: actor, db)
        var target = unit
        if category.roles != nil, unit.level != .district,
           let r = try await db.raw("SELECT * FROM org_units WHERE level = 'district' AND \(bind: unit.path) LIKE path || '%'").first() {
            target = try OrgStore.decode(r)
        }
        let task = try await TaskStore.add(TaskStore.New(kind: .complaint, subject: category.roles == nil ? "\(category.kind.label.zh)：\(subject)" : "\(category.kind.label.zh)（\(category.name.zh)）",
                                                         idNumber: nil, personID: nil, object: FieldTask.Object("complaint", id), note: nil, unitID: target.id, path: target.path,
                                                         due: due, source: "supervision"), env: env, actor: actor, db)
        try await db.raw("UPDATE complaints SET task_id = \(bind: task.text) WHERE id = \(bind: id.text)").run()
    }

    /// Closes the case's open tasks (its unit's and any 督办 above it).
    static func settleTasks(_ id: UUID, env: RenkouCore.Environment, actor: Actor, _ db: any SQLDatabase) async throws {
        for t in try await db.raw("SELECT id FROM tasks WHERE open = 1 AND object_type = 'complaint' AND object_id = \(bind: id.text)").all() {
            try await TaskStore.settle(id: try t.decode(column: "id", as: String.self).uuid, outcome: "done", env: env, actor: actor, db)
        }
    }

    /// A round: the case is to be answered by `due` (filed, or reopened on `opened`).
    static func round(_ id: UUID, _ n: Int, kind: ComplaintKind, path: String, received: Day, opened: Day, due: Day, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO complaint_rounds (id, complaint_id, path, round, opened_on, due_on, kind, received_on)
            VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: path), \(bind: n), \(bind: opened.description), \(bind: due.description), \(bind: kind.rawValue),
                    \(bind: received.description))
            """).run()
    }

    /// The case's latest round.
    static let latestRound = "round = (SELECT MAX(r.round) FROM complaint_rounds r WHERE r.complaint_id = complaint_rounds.complaint_id)"

    static func step(_ id: UUID, _ action: String, _ state: ComplaintState, note: String?, internalOnly: Bool, by actor: Actor, env: RenkouCore.Environment,
                     _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO complaint_steps (id, complaint_id, at, action, state, note, internal, by_name)
            VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: Timestamp.string(env.now())), \(bind: action), \(bind: state.rawValue), \(bind: note),
                    \(bind: internalOnly ? 1 : 0), \(bind: actor.username))
            """).run()
    }

    // MARK: Reading

    static let columns = "c.*, u.name AS unit_name, u.code AS unit_code"

    func decode(_ r: any SQLRow, steps: [ComplaintStep], on day: Day) throws -> Complaint {
        let category = try r.decode(column: "category", as: String.self)
        let cat = categories(on: day).first { $0.code == category }
        func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        func int(_ c: String) throws -> Int? { try r.decode(column: c, as: Int?.self) }
        return Complaint(id: try r.decode(column: "id", as: String.self).uuid, trackingCode: try r.decode(column: "tracking_code", as: String.self),
                         kind: ComplaintKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .complaint, category: category, categoryName: cat?.name.zh ?? category,
                         unitID: try r.decode(column: "unit_id", as: String.self).uuid, unitName: try r.decode(column: "unit_name", as: String.self),
                         channel: ComplaintChannel(rawValue: try r.decode(column: "channel", as: String.self)) ?? .web, subject: try r.decode(column: "subject", as: String.self),
                         body: try r.decode(column: "body", as: String.self), anonymous: try r.decode(column: "anonymous", as: Int.self) == 1,
                         name: try text("name"), phone: try text("phone"), state: ComplaintState(rawValue: try r.decode(column: "state", as: String.self)) ?? .received,
                         receivedOn: try r.decode(column: "received_on", as: String.self), dueOn: try r.decode(column: "due_on", as: String.self),
                         answeredOn: try text("answered_on"), answer: try text("answer"), handler: try text("handler"), escalations: try int("escalations") ?? 0,
                         rating: try int("rating"), partlyResolved: try int("partly_resolved").map { $0 == 1 }, upheld: try int("upheld").map { $0 == 1 },
                         rewardYuan: try int("reward_yuan"), steps: steps)
    }

    static func steps(_ id: String, _ db: any SQLDatabase) async throws -> [ComplaintStep] {
        try await db.raw("SELECT * FROM complaint_steps WHERE complaint_id = \(bind: id) ORDER BY at, id").all().map {
            ComplaintStep(at: try $0.decode(column: "at", as: String.self), action: try $0.decode(column: "action", as: String.self),
                          state: ComplaintState(rawValue: try $0.decode(column: "state", as: String.self)) ?? .received, note: try $0.decode(column: "note", as: String?.self),
                          internalOnly: try $0.decode(column: "internal", as: Int.self) == 1, by: try $0.decode(column: "by_name", as: String.self))
        }
    }

    /// One case of the scope that `role` may see. The complainant's name and phone are shown to the
    /// case's handler (and to whoever filed it for a caller), masked for everyone else; showing them
    /// is an audited read. Throws `not-found` (also for a sensitive case the role may not see).
    public func complaint(_ id: UUID, in scope: Scope, role: Role, by actor: Actor, audited: Bool = true) async throws -> Complaint {
        let engine = db.engine, env = self.env, today = Day(env.now())
        return try await db.transaction { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM complaints c JOIN org_units u ON u.id = c.unit_id WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))").first(),
                  self.categories(on: today).first(where: { $0.code == (try? r.decode(column: "category", as: String.self)) })?.visible(to: role) ?? true else {
                throw RenkouError.notFound(Text("投诉举报", "case"))
            }
            var c = try self.decode(r, steps: try await Self.steps(id.text, db), on: today)
            let filedBy = c.steps.first?.by
            if c.handler == actor.username || (filedBy == actor.username && c.channel != .web) {
                if audited && (c.name != nil || c.phone != nil) {
                    try await AuditLog.write(db, at: env.now(), actor: actor, action: .read, entity: "complaint", entityID: id.text, path: try r.decode(column: "path", as: String.self))
                }
            } else {
                c.name = c.name.map(Mask.name); c.phone = c.phone.map(Mask.phone)
            }
            return c
        }
    }

    /// The cases of the scope `role` may see, optionally in one state or only the overdue ones, the
    /// overdue and soonest due first; complainants masked.
    public func list(state: ComplaintState? = nil, overdueOnly: Bool = false, limit: Int = 200, in scope: Scope, role: Role) async throws -> [Complaint] {
        let engine = db.engine, today = Day(env.now())
        let hidden = categories(on: today).filter { !$0.visible(to: role) }.map(\.code)
        return try await db.read { db in
            var conditions: [SQLQueryString] = [engine.startsWith("c.path", scope.path)]
            if let state { conditions.append("c.state = \(bind: state.rawValue)") }
            if overdueOnly { conditions.append("c.state IN ('received', 'assigned', 'in-progress', 'reopened') AND c.due_on < \(bind: today.description)") }
            for h in hidden { conditions.append("c.category <> \(bind: h)") }
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM complaints c JOIN org_units u ON u.id = c.unit_id WHERE \(conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND "))
                ORDER BY CASE WHEN c.state IN ('received', 'assigned', 'in-progress', 'reopened') THEN 0 ELSE 1 END, c.due_on, c.id LIMIT \(bind: limit)
                """).all()
            return try rows.map { var c = try self.decode($0, steps: [], on: today); c.name = c.name.map(Mask.name); c.phone = c.phone.map(Mask.phone); return c }
        }
    }

    // MARK: Handling

    /// What a worker does with a case: `assign` (to `handler`, an account, and/or to another unit of
    /// the scope: the case and its task move), `start`, `answer` (the reply, required), `close`,
    /// `reopen` (the reason, required: a new deadline from today), `note` (internal, required),
    /// `uphold` (a report: `upheld` and the reward paid in yuan). Throws `not-found`, `conflict`
    /// `wrong-state` (e.g. answering a closed case, reopening an open one), `invalid` (`/note`
    /// `required`, `/action` `code-unknown`, `/unit` `unknown-unit`, `/handler` `unknown-account`,
    /// `/reward` `out-of-range`). Returns the case as the caller may see it.
    @discardableResult
    public func act(_ id: UUID, action: String, note: String? = nil, handler: String? = nil, unit: String? = nil, upheld: Bool? = nil, reward: Int? = nil,
                    in scope: Scope, role: Role, by actor: Actor) async throws -> Complaint {
        let text = note?.trimmed.nilIfBlank
        if let text, text.count > 4000 { throw RenkouError.invalid([FieldError("/note", "too-long", Text("不超过 4000 字。", "At most 4,000 characters."))]) }
        if ["answer", "reopen", "note"].contains(action), text == nil {
            throw RenkouError.invalid([FieldError("/note", "required", Text(action == "answer" ? "请填写答复内容。" : action == "reopen" ? "请说明重新办理的理由。" : "请填写备注。",
                                                                            action == "answer" ? "Write the answer." : action == "reopen" ? "Say why it is reopened." : "Write the note."))])
        }
        let engine = db.engine, env = self.env, today = Day(env.now()), calendar = env.policy.calendar, cats = categories(on: today)
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM complaints c JOIN org_units u ON u.id = c.unit_id WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))").first() else {
                throw RenkouError.notFound(Text("投诉举报", "case"))
            }
            let c = try self.decode(r, steps: [], on: today)
            guard let cat = cats.first(where: { $0.code == c.category }), cat.visible(to: role) else { throw RenkouError.notFound(Text("投诉举报", "case")) }
            func wrong() -> RenkouError {
                RenkouError(.conflict, "wrong-state", Text("该件当前状态为“\(c.state.label.zh)”，不能这样办理。", "The case is \(c.state.label.en.lowercased()): this cannot be done now."))
            }
            var state = c.state
            switch action {
            case "assign":
                guard c.state.open else { throw wrong() }
                if let code = unit?.trimmed.nilIfBlank {
                    guard let target = try await OrgStore.unit(code: code, in: scope, engine: engine, db) else {
                        throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("该单位不存在或不在您的管辖范围内。", "No such unit in your area."))])
                    }
                    try await db.raw("UPDATE complaints SET unit_id = \(bind: target.id.text), path = \(bind: target.path), handler = NULL WHERE id = \(bind: id.text)").run()
                    try await db.raw("UPDATE complaint_rounds SET path = \(bind: target.path) WHERE complaint_id = \(bind: id.text)").run()
                    try await Self.openTask(id, subject: c.subject, category: cat, unit: target, due: Day(c.dueOn)!, env: env, actor: actor, engine: engine, db)
                }
                if let h = handler?.trimmed.nilIfBlank {
                    // an account whose area holds the case (where it is now, after a move)
                    let casePath = try await db.raw("SELECT path FROM complaints WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
                    guard let account = try await db.raw("SELECT o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = \(bind: h) AND u.disabled = 0").first(),
                          casePath.hasPrefix(try account.decode(column: "path", as: String.self)) else {
                        throw RenkouError.invalid([FieldError("/handler", "unknown-account", Text("没有这个账号，或该件不在其辖区内。", "No such account, or the case is outside its area."))])
                    }
                    try await db.raw("UPDATE complaints SET handler = \(bind: h) WHERE id = \(bind: id.text)").run()
                }
                state = .assigned
            case "start":
                guard c.state.open else { throw wrong() }
                state = .inProgress
                if c.handler == nil { try await db.raw("UPDATE complaints SET handler = \(bind: actor.username) WHERE id = \(bind: id.text)").run() }
            case "answer":
                guard c.state.open else { throw wrong() }
                state = .answered
                try await db.raw("""
                    UPDATE complaints SET answered_on = \(bind: today.description), answer = \(bind: text), handler = COALESCE(handler, \(bind: actor.username)) WHERE id = \(bind: id.text)
                    """).run()
                try await db.raw("UPDATE complaint_rounds SET answered_on = \(bind: today.description) WHERE complaint_id = \(bind: id.text) AND answered_on IS NULL AND \(unsafeRaw: Self.latestRound)").run()
                try await Self.settleTasks(id, env: env, actor: actor, db)
            case "close":
                guard c.state == .answered else { throw wrong() }
                state = .closed
            case "reopen":
                guard c.state == .answered || c.state == .closed else { throw wrong() }
                state = .reopened
                try await Self.reopen(c, category: cat, today: today, calendar: calendar, env: env, actor: actor, engine: engine, db)
            case "note":
                break
            case "uphold":
                guard c.kind == .report else { throw wrong() }
                if let reward, !(0...1_000_000).contains(reward) {
                    throw RenkouError.invalid([FieldError("/reward", "out-of-range", Text("奖励金额应为 0–1000000 元。", "The reward is 0 to 1,000,000 yuan."))])
                }
                let isUpheld = upheld ?? true
                try await db.raw("UPDATE complaints SET upheld = \(bind: isUpheld ? 1 : 0), reward_yuan = \(bind: cat.reward && isUpheld ? reward : nil) WHERE id = \(bind: id.text)").run()
            default:
                throw RenkouError.invalid([FieldError("/action", "code-unknown", Text("办理动作应为 assign、start、answer、close、reopen、note 或 uphold。", "The action is assign, start, answer, close, reopen, note or uphold."))])
            }
            try await db.raw("UPDATE complaints SET state = \(bind: state.rawValue) WHERE id = \(bind: id.text)").run()
            let shown = action == "assign" ? [handler?.trimmed.nilIfBlank.map { "承办人 \($0)" }, unit?.trimmed.nilIfBlank.map { "转 \($0)" }].compactMap { $0 }.joined(separator: "，").nilIfBlank : text
            try await Self.step(id, action, state, note: shown, internalOnly: action == "note" || action == "uphold", by: actor, env: env, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "complaint", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["action": action, "state": state.rawValue]))
        }
        return try await complaint(id, in: scope, role: role, by: actor)
    }

    /// A reopened case is due again by its category's deadline from today (a new round: the first
    /// answer and its rating stay on record for the rates), a new task on its unit.
    static func reopen(_ c: Complaint, category: ComplaintCategory, today: Day, calendar: WorkingDayCalendar, env: RenkouCore.Environment, actor: Actor, engine: Engine,
                       _ db: any SQLDatabase) async throws {
        let due = category.due(from: today, calendar: calendar)
        try await db.raw("UPDATE complaints SET due_on = \(bind: due.description), answered_on = NULL, rating = NULL, partly_resolved = NULL, rated_on = NULL WHERE id = \(bind: c.id.text)").run()
        let n = try await db.raw("SELECT MAX(round) AS n FROM complaint_rounds WHERE complaint_id = \(bind: c.id.text)").first()?.decode(column: "n", as: Int?.self) ?? 0
        let path = try await db.raw("SELECT path FROM complaints WHERE id = \(bind: c.id.text)").first()!.decode(column: "path", as: String.self)
        try await round(c.id, n + 1, kind: c.kind, path: path, received: Day(c.receivedOn) ?? today, opened: today, due: due, env: env, db)
        if let r = try await db.raw("SELECT * FROM org_units WHERE id = \(bind: c.unitID.text)").first() {
            try await openTask(c.id, subject: c.subject, category: category, unit: try OrgStore.decode(r), due: due, env: env, actor: actor, engine: engine, db)
        }
    }

    // MARK: The public

    /// What the tracking code finds (nil: no such code).
    /// The id of the case with a tracking code (any case), nil when there is none.
    public func id(code: String) async throws -> UUID? {
        try await db.read { db in
            try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code.trimmed.uppercased())").first()?.decode(column: "id", as: String.self).uuid
        }
    }

    public func publicView(code: String) async throws -> PublicComplaint? {
        let today = Day(env.now())
        return try await db.read { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM complaints c JOIN org_units u ON u.id = c.unit_id WHERE c.tracking_code = \(bind: code.trimmed.uppercased())").first() else { return nil }
            return PublicComplaint(try self.decode(r, steps: try await Self.steps(try r.decode(column: "id", as: String.self), db), on: today))
        }
    }

    /// 评价: the complainant rates an answered case, or one the office closed before she rated it
    /// (1–5, and whether it was only partly resolved): the case is closed. Throws `not-found`, `conflict` `wrong-state` (not answered), `invalid`
    /// (`/rating` `out-of-range`).
    @discardableResult
    public func rate(code: String, rating: Int?, partly: Bool, by actor: Actor) async throws -> PublicComplaint {
        guard let rating, (1...5).contains(rating) else {
            throw RenkouError.invalid([FieldError("/rating", "out-of-range", Text("请选择 1–5 分。", "Choose 1 to 5."))])
        }
        let env = self.env, today = Day(env.now())
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT id, state, path, rating FROM complaints WHERE tracking_code = \(bind: code.trimmed.uppercased())").first() else { throw RenkouError.notFound(Text("投诉举报", "case")) }
            let id = try r.decode(column: "id", as: String.self).uuid, state = try r.decode(column: "state", as: String.self)
            let rated = try r.decode(column: "rating", as: Int?.self) != nil
            // answered, or closed by the office before she rated it
            guard state == ComplaintState.answered.rawValue || (state == ComplaintState.closed.rawValue && !rated) else {
                throw RenkouError(.conflict, "wrong-state", Text("答复后才能评价，每次答复评价一次。", "A case is rated once it is answered, once for each answer."))
            }
            try await db.raw("""
                UPDATE complaint_rounds SET rating = \(bind: rating), partly_resolved = \(bind: partly ? 1 : 0), rated_on = \(bind: today.description)
                WHERE complaint_id = \(bind: id.text) AND \(unsafeRaw: Self.latestRound)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "complaint", entityID: id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["action": "rate", "rating": String(rating)]))
            try await db.raw("""
                UPDATE complaints SET rating = \(bind: rating), partly_resolved = \(bind: partly ? 1 : 0), rated_on = \(bind: today.description), state = 'closed' WHERE id = \(bind: id.text)
                """).run()
            try await Self.step(id, "rate", .closed, note: "\(rating) 分\(partly ? "（部分解决）" : "")", internalOnly: false, by: actor, env: env, db)
        }
        return try await publicView(code: code)!
    }

    /// The complainant reopens an answered or closed case with the reason (a new deadline from today).
    /// Throws `not-found`, `conflict` `wrong-state`, `invalid` (`/reason` `required`).
    @discardableResult
    public func reopen(code: String, reason: String, by actor: Actor) async throws -> PublicComplaint {
        guard let text = reason.trimmed.nilIfBlank else { throw RenkouError.invalid([FieldError("/reason", "required", Text("请说明还有什么没有解决。", "Say what is still not resolved."))]) }
        guard text.count <= 2000 else { throw RenkouError.invalid([FieldError("/reason", "too-long", Text("不超过 2000 字。", "At most 2,000 characters."))]) }
        let engine = db.engine, env = self.env, today = Day(env.now()), calendar = env.policy.calendar, cats = categories(on: today)
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM complaints c JOIN org_units u ON u.id = c.unit_id WHERE c.tracking_code = \(bind: code.trimmed.uppercased())").first() else {
                throw RenkouError.notFound(Text("投诉举报", "case"))
            }
            let c = try self.decode(r, steps: [], on: today)
            guard c.state == .answered || c.state == .closed, let cat = cats.first(where: { $0.code == c.category }) else {
                throw RenkouError(.conflict, "wrong-state", Text("尚未答复的件不必重新办理。", "It has not been answered yet."))
            }
            try await Self.reopen(c, category: cat, today: today, calendar: calendar, env: env, actor: actor, engine: engine, db)
            try await db.raw("UPDATE complaints SET state = 'reopened' WHERE id = \(bind: c.id.text)").run()
            try await Self.step(c.id, "reopen", .reopened, note: text, internalOnly: false, by: actor, env: env, db)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "complaint", entityID: c.id.text, path: try r.decode(column: "path", as: String.self),
                                     after: AuditLog.json(["action": "reopen"]))
        }
        return try await publicView(code: code)!
    }

    // MARK: Escalation

    /// 督办: every open case past its due day on `day` that has not been escalated since it fell due
    /// gets a supervision task on the unit above its own (the case stays with its unit, which still
    /// answers it and whose rate it counts in); done daily. Returns how many were escalated.
    @discardableResult
    public func escalateOverdue(on day: Day) async throws -> Int {
        let env = self.env, actor = Actor.cli("supervision.escalate")
        return try await db.transaction { db in
            var moved = 0
            for r in try await db.raw("""
                SELECT c.id, c.subject, c.category, c.state, c.due_on, u.parent_id, u.level FROM complaints c JOIN org_units u ON u.id = c.unit_id
                WHERE c.state IN ('received', 'assigned', 'in-progress', 'reopened') AND c.due_on < \(bind: day.description)
                AND NOT EXISTS (SELECT 1 FROM complaint_steps s WHERE s.complaint_id = c.id AND s.action = 'escalate' AND s.at >= c.due_on)
                """).all() {
                guard try r.decode(column: "level", as: String.self) != OrgLevel.district.rawValue, let parent = try r.decode(column: "parent_id", as: String?.self),
                      let p = try await db.raw("SELECT * FROM org_units WHERE id = \(bind: parent)").first() else { continue }
                let unit = try OrgStore.decode(p), id = try r.decode(column: "id", as: String.self).uuid
                let sensitive = self.categories(on: day).first { $0.code == (try? r.decode(column: "category", as: String.self)) }?.roles != nil
                try await db.raw("UPDATE complaints SET escalated_to = \(bind: unit.id.text), escalations = escalations + 1 WHERE id = \(bind: id.text)").run()
                // a sensitive case's task is the district's already; the unit above sees nothing of it
                if !sensitive {
                    try await TaskStore.add(TaskStore.New(kind: .complaint, subject: "督办：\(try r.decode(column: "subject", as: String.self))",
                                                          idNumber: nil, personID: nil, object: FieldTask.Object("complaint", id), note: "逾期未办", unitID: unit.id, path: unit.path,
                                                          due: day, source: "supervision"), env: env, actor: actor, db)
                }
                try await Self.step(id, "escalate", ComplaintState(rawValue: try r.decode(column: "state", as: String.self)) ?? .received, note: "逾期未办，报\(unit.name)督办",
                                    internalOnly: true, by: actor, env: env, db)
                try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "complaint", entityID: id.text, path: unit.path, after: AuditLog.json(["action": "escalate"]))
                moved += 1
            }
            return moved
        }
    }
}

extension Stores {
    public var complaints: ComplaintStore { ComplaintStore(db: db, env: env) }
}
