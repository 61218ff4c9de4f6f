import Foundation
import RenkouCore
import SQLKit

/// 办事指南: the services the offices provide, kept by the district, read by everyone (the public
/// site and the board by the office door).
public struct GuideStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    /// Adds or replaces an entry. Throws `invalid` with every problem: `/code` `code-format`
    /// (lower-case letters, digits and hyphens, 2–40), `/name`, `/summary`, `/eligibility`, `/place`,
    /// `/legalBasis` `required`, `/documents` and `/steps` `required` (at least one line),
    /// `/timeLimitDays` `out-of-range` (0–365), any text `too-long` (2,000 a field).
    @discardableResult
    public func save(_ entry: GuideEntry, by actor: Actor) async throws -> GuideEntry {
        var e = entry, errors = FieldErrors()
        e.code = e.code.trimmed.lowercased()
        if !(2...40).contains(e.code.count) || !e.code.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "-" }) {
            errors.add("/code", "code-format", "代码用小写字母、数字和连字符，2–40 位。", "The code is 2 to 40 lower-case letters, digits and hyphens.")
        }
        for (field, value, zh) in [("name", e.name, "名称"), ("summary", e.summary, "事项说明"), ("eligibility", e.eligibility, "申请对象"), ("place", e.place, "办理地点"), ("legalBasis", e.legalBasis, "办理依据")] {
            if value.trimmed.isEmpty { errors.add("/\(field)", "required", "请填写\(zh)。", "Required.") } else if value.count > 2000 { errors.add("/\(field)", "too-long", "不超过 2000 字。", "At most 2,000 characters.") }
        }
        e.documents = e.documents.map(\.trimmed).filter { !$0.isEmpty }; e.steps = e.steps.map(\.trimmed).filter { !$0.isEmpty }
        if e.documents.isEmpty { errors.add("/documents", "required", "请列出所需材料，每行一项。", "List the documents, one a line.") }
        if e.steps.isEmpty { errors.add("/steps", "required", "请列出办理流程，每行一步。", "List the steps, one a line.") }
        if !(0...365).contains(e.timeLimitDays) { errors.add("/timeLimitDays", "out-of-range", "办理时限为 0–365 个工作日。", "The time limit is 0 to 365 working days.") }
        if e.fee.trimmed.isEmpty { e.fee = "不收费" }
        try errors.throwIfAny()
        e.name = e.name.trimmed; e.updatedOn = Day(env.now()).description
        let env = self.env, row = e
        try await db.transaction { db in
            let old = try await db.raw("SELECT code FROM service_guide WHERE code = \(bind: row.code)").first()
            try await db.raw("DELETE FROM service_guide WHERE code = \(bind: row.code)").run()
            try await db.raw("""
                INSERT INTO service_guide (code, name, summary, eligibility, documents, steps, place, fee, time_limit_days, legal_basis, position, updated_on, updated_by)
                VALUES (\(bind: row.code), \(bind: row.name), \(bind: row.summary.trimmed), \(bind: row.eligibility.trimmed), \(bind: row.documents.joined(separator: "\n")),
                        \(bind: row.steps.joined(separator: "\n")), \(bind: row.place.trimmed), \(bind: row.fee.trimmed), \(bind: row.timeLimitDays), \(bind: row.legalBasis.trimmed),
                        \(bind: row.position), \(bind: row.updatedOn!), \(bind: actor.username))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: old == nil ? .create : .update, entity: "service_guide", entityID: row.code, path: "/",
                                     after: AuditLog.json(["name": row.name]))
        }
        return e
    }

    static func decode(_ r: any SQLRow) throws -> GuideEntry {
        GuideEntry(code: try r.decode(column: "code", as: String.self), name: try r.decode(column: "name", as: String.self), summary: try r.decode(column: "summary", as: String.self),
                   eligibility: try r.decode(column: "eligibility", as: String.self),
                   documents: try r.decode(column: "documents", as: String.self).split(separator: "\n").map(String.init),
                   steps: try r.decode(column: "steps", as: String.self).split(separator: "\n").map(String.init), place: try r.decode(column: "place", as: String.self),
                   fee: try r.decode(column: "fee", as: String.self), timeLimitDays: try r.decode(column: "time_limit_days", as: Int.self),
                   legalBasis: try r.decode(column: "legal_basis", as: String.self), position: try r.decode(column: "position", as: Int.self),
                   updatedOn: try r.decode(column: "updated_on", as: String.self))
    }

    /// Every entry, in order.
    public func all() async throws -> [GuideEntry] {
        try await db.read { db in try await db.raw("SELECT * FROM service_guide ORDER BY position, code").all().map(Self.decode) }
    }

    /// One entry (nil: no such code).
    public func entry(_ code: String) async throws -> GuideEntry? {
        try await db.read { db in try await db.raw("SELECT * FROM service_guide WHERE code = \(bind: code.lowercased())").first().map(Self.decode) }
    }

    /// Removes an entry. Throws `not-found`.
    public func remove(_ code: String, by actor: Actor) async throws {
        let env = self.env
        try await db.transaction { db in
            guard try await db.raw("SELECT code FROM service_guide WHERE code = \(bind: code)").first() != nil else { throw RenkouError.notFound(Text("办事指南", "guide entry")) }
            try await db.raw("DELETE FROM service_guide WHERE code = \(bind: code)").run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .delete, entity: "service_guide", entityID: code, path: "/")
        }
    }
}

extension Stores {
    public var guide: GuideStore { GuideStore(db: db, env: env) }
}

/// The demo's guide: the services a resident asks about most, with what the rules say.
enum DemoGuide {
    static let entries: [GuideEntry] = [
        GuideEntry(code: "birth-registration", name: "生育登记", summary: "夫妻生育子女（一孩、二孩、三孩）实行生育登记服务，登记后领取生育服务凭证。",
                   eligibility: "依法登记结婚的夫妻，一方户籍或居住地在本区",
                   documents: ["夫妻双方居民身份证", "结婚证", "户口簿或居住证"],
                   steps: ["网上（/public/births/apply）或到社区服务站提交", "社区核对材料", "出具生育服务凭证（可扫码核验）"],
                   place: "户籍地或居住地社区服务站；网上办理", fee: "不收费", timeLimitDays: 10,
                   legalBasis: "《中华人民共和国人口与计划生育法》（2021年修正）第十八条；各省生育登记服务办法", position: 1),
        GuideEntry(code: "childcare-subsidy", name: "育儿补贴", summary: "三周岁以下婴幼儿按年发放育儿补贴。",
                   eligibility: "符合法律法规规定生育的三周岁以下婴幼儿（2025年1月1日起）",
                   documents: ["婴幼儿出生医学证明", "婴幼儿户口簿或身份证", "申请人银行账户"],
                   steps: ["提交申请", "初审与信息比对", "公示", "确认并发放"],
                   place: "户籍地社区服务站；网上办理", fee: "不收费", timeLimitDays: 30,
                   legalBasis: "《育儿补贴制度实施方案》（2025）；《育儿补贴制度管理规范（试行）》", position: 2),
        GuideEntry(code: "rural-reward", name: "农村部分计划生育家庭奖励扶助", summary: "符合条件的农村计划生育家庭夫妻年满60周岁起按年领取奖励扶助金。",
                   eligibility: "农业户口、只有一个子女或两个女孩、年满60周岁的夫妻",
                   documents: ["本人居民身份证", "户口簿", "子女情况证明"],
                   steps: ["本人申报", "社区初审并公示", "街道审核", "区审批并发放"],
                   place: "户籍地社区服务站", fee: "不收费", timeLimitDays: 30,
                   legalBasis: "国家人口计生委、财政部《农村部分计划生育家庭奖励扶助制度试点方案》（2004）", position: 3),
        GuideEntry(code: "free-supplies", name: "免费避孕药具", summary: "育龄群众可免费领取避孕套、口服避孕药等药具，也可在自助发放机凭身份证领取。",
                   eligibility: "育龄群众（含流动人口）",
                   documents: ["居民身份证（自助发放机刷卡）"],
                   steps: ["到社区药具发放点领取，或在自助发放机刷身份证领取"],
                   place: "社区药具发放点；自助发放机", fee: "不收费", timeLimitDays: 0,
                   legalBasis: "国家基本公共卫生服务项目（2017年起）", position: 4),
        GuideEntry(code: "complaints", name: "投诉举报", summary: "对服务态度、办事效率、待遇发放等可以投诉；发现“两非”等违法行为可以举报，可匿名，查实有奖。",
                   eligibility: "任何人",
                   documents: ["无需材料；实名投诉请留下姓名和联系电话"],
                   steps: ["网上（/public/complaints）、电话或到窗口提出", "记下查询码", "凭查询码查看办理进度和答复", "对答复进行评价"],
                   place: "网上；各社区服务站；区卫生健康委员会", fee: "不收费", timeLimitDays: 15,
                   legalBasis: "《信访工作条例》（2022）；《人口与计划生育法》第三十九条", position: 5),
    ]

    static func fill(_ stores: Stores) async throws {
        for e in entries { try await stores.guide.save(e, by: .cli("demo")) }
    }
}
