import Foundation
import RenkouCore
import SQLKit

/// 公开栏: what a community's or street's public board shows: the benefit lists now posted (names
/// and ID numbers masked), the birth registrations handled this year (counts only), the service
/// points, the complaint channels, and the notices its office (or one above it) publishes. Nothing on
/// it shows a name or an ID number unmasked; a notice's text has ID and phone numbers masked too.
public struct BoardStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// A notice as the board shows it.
    public struct Notice: Sendable, Codable, Equatable {
        public var id: UUID
        public var unit: String
        public var title: String
        public var body: String
        public var publishedOn: String
        public var until: String?
    }

    /// One unit's board.
    public struct Board: Sendable, Codable, Equatable {
        public var unitCode: String
        public var unitName: String
        public var notices: [Notice]
        public var benefits: [BenefitStore.PublicRun]
        /// Birth registrations of the unit (and below) this year by state: (state, count).
        public var births: [String: Int]
        public var servicePoints: [String]
        public var year: Int
    }

    /// Publishes a notice on a unit's board (and the boards below it) from `from` (today) to `until`.
    /// Throws `invalid`: `/unit` `unknown-unit`, `/title` `required` or `too-long` (100), `/body`
    /// `required` or `too-long` (4,000), `/until` `date-format` or `before-start`.
    @discardableResult
    public func publish(unit code: String, title: String, body: String, until: String?, in scope: Scope, by actor: Actor) async throws -> Notice {
        let today = Day(env.now())
        var errors = FieldErrors()
        if title.trimmed.isEmpty { errors.add("/title", "required", "请填写标题。", "Give a title.") } else if title.count > 100 { errors.add("/title", "too-long", "标题不超过 100 字。", "At most 100 characters.") }
        if body.trimmed.isEmpty { errors.add("/body", "required", "请填写内容。", "Write the notice.") } else if body.count > 4000 { errors.add("/body", "too-long", "内容不超过 4000 字。", "At most 4,000 characters.") }
        var end: Day?
        if let u = until?.trimmed, !u.isEmpty {
            if let d = Day(u) { end = d; if d < today { errors.add("/until", "before-start", "截止日期不能早于今天。", "The last day cannot be before today.") } }
            else { errors.add("/until", "date-format", "日期应写作 YYYY-MM-DD。", "Write the date as YYYY-MM-DD.") }
        }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env, lastDay = end
        return try await db.transaction { db in
            guard let unit = try await OrgStore.unit(code: code, in: scope, engine: engine, db) else {
                throw RenkouError.invalid([FieldError("/unit", "unknown-unit", Text("该单位不存在或不在您的管辖范围内。", "No such unit in your area."))])
            }
            let notice = Notice(id: env.newID(), unit: unit.name, title: title.trimmed, body: body.trimmed, publishedOn: today.description, until: lastDay?.description)
            try await db.raw("""
                INSERT INTO board_notices (id, unit_id, path, title, body, published_on, until_on, created_by, created_at)
                VALUES (\(bind: notice.id.text), \(bind: unit.id.text), \(bind: unit.path), \(bind: notice.title), \(bind: notice.body), \(bind: notice.publishedOn),
                        \(bind: notice.until), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "board_notice", entityID: notice.id.text, path: unit.path,
                                     after: AuditLog.json(["title": notice.title]))
            return notice
        }
    }

    /// Takes a notice of the scope down. Throws `not-found`.
    public func withdraw(_ id: UUID, in scope: Scope, by actor: Actor) async throws {
        let engine = db.engine, env = self.env
        try await db.transaction { db in
            guard let r = try await db.raw("SELECT path FROM board_notices WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("公告", "notice"))
            }
            try await db.raw("DELETE FROM board_notices WHERE id = \(bind: id.text)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .delete, entity: "board_notice", entityID: id.text, path: try r.decode(column: "path", as: String.self))
        }
    }

    /// The notices of the scope (the office's own list), newest first, unmasked.
    public func notices(in scope: Scope) async throws -> [Notice] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("SELECT n.*, u.name AS unit_name FROM board_notices n JOIN org_units u ON u.id = n.unit_id WHERE \(engine.startsWith("n.path", scope.path)) ORDER BY n.published_on DESC, n.id").all()
                .map(Self.decodeNotice)
        }
    }

    static func decodeNotice(_ r: any SQLRow) throws -> Notice {
        Notice(id: try r.decode(column: "id", as: String.self).uuid, unit: try r.decode(column: "unit_name", as: String.self), title: try r.decode(column: "title", as: String.self),
               body: try r.decode(column: "body", as: String.self), publishedOn: try r.decode(column: "published_on", as: String.self), until: try r.decode(column: "until_on", as: String?.self))
    }

    /// ID numbers (15 or 18 characters) and mobile numbers (11 digits) in free text, masked as
    /// everywhere public (3101**********1234, 138****5678).
    public static func maskNumbers(_ text: String) -> String {
        var out = text
        for (pattern, mask) in [("[0-9]{17}[0-9Xx]|[0-9]{15}", { (s: String) in Mask.idNumber(s) }), ("1[3-9][0-9]{9}", { (s: String) in Mask.phone(s) })] {
            guard let re = try? NSRegularExpression(pattern: "(?<![0-9])(\(pattern))(?![0-9])") else { continue }
            let ns = out as NSString
            var pieces: [(NSRange, String)] = []
            for m in re.matches(in: out, range: NSRange(location: 0, length: ns.length)) { pieces.append((m.range, mask(ns.substring(with: m.range)))) }
            for (range, replacement) in pieces.reversed() { out = (out as NSString).replacingCharacters(in: range, with: replacement) }
        }
        return out
    }

    /// The board of a street or community (nil: no such unit, or not one). Public: masked throughout.
    public func board(unit code: String) async throws -> Board? {
        let today = Day(env.now()), year = today.year, engine = db.engine
        guard let unit = try await OrgStore(db: db, env: env).unit(code: code, in: .everything), [.street, .community].contains(unit.level) else { return nil }
        // the lists posted for this unit or one above it; on a community's board, its own people's lines
        let runs = try await BenefitStore(db: db, env: env).board()
        let ancestry = try await db.read { db in
            try await db.raw("SELECT name FROM org_units WHERE \(bind: unit.path) LIKE path || '%'").all().map { try $0.decode(column: "name", as: String.self) }
        }
        let benefits = runs.filter { ancestry.contains($0.unit) }.map { run -> BenefitStore.PublicRun in
            unit.level == .community ? BenefitStore.PublicRun(id: run.id, programme: run.programme, year: run.year, unit: run.unit, postingUntil: run.postingUntil,
                                                              lines: run.lines.filter { $0.unit == unit.name }) : run
        }.filter { !$0.lines.isEmpty }
        return try await db.read { db in
            let notices = try await db.raw("""
                SELECT n.*, u.name AS unit_name FROM board_notices n JOIN org_units u ON u.id = n.unit_id
                WHERE \(bind: unit.path) LIKE n.path || '%' AND n.published_on <= \(bind: today.description) AND (n.until_on IS NULL OR n.until_on >= \(bind: today.description))
                ORDER BY n.published_on DESC, n.id
                """).all().map(Self.decodeNotice).map { n -> Notice in var m = n; m.title = Self.maskNumbers(n.title); m.body = Self.maskNumbers(n.body); return m }
            var births: [String: Int] = [:]
            for r in try await db.raw("""
                SELECT state, COUNT(*) AS n FROM birth_registrations WHERE \(engine.startsWith("path", unit.path)) AND submitted_on >= \(bind: "\(year)-01-01") GROUP BY state
                """).all() { births[try r.decode(column: "state", as: String.self)] = try r.decode(column: "n", as: Int.self) }
            let points = try await db.raw("""
                SELECT l.name, u.name AS unit_name FROM stock_locations l JOIN org_units u ON u.id = l.unit_id
                WHERE l.kind IN ('service-point', 'machine') AND \(engine.startsWith("l.path", unit.path)) ORDER BY l.path, l.name
                """).all().map { "\(try $0.decode(column: "unit_name", as: String.self)) · \(try $0.decode(column: "name", as: String.self))" }
            return Board(unitCode: unit.code, unitName: unit.name, notices: notices, benefits: benefits, births: births, servicePoints: points, year: year)
        }
    }
}

extension Stores {
    public var board: BoardStore { BoardStore(db: db, env: env) }
}
