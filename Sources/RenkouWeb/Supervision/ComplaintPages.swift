import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The office's complaints: the list (overdue first), filing one for a caller, and a case's page
/// with its history and what can be done next.
enum ComplaintPages {
    static func path(_ id: UUID) -> String { "/complaints/\(id.text)" }

    static let strings: [String: Text] = [
        "complaints": Text("投诉举报", "Complaints and reports"),
        "complaints_intro": Text("投诉、举报和信访件按类别限期办结；逾期未办的逐级上报督办。投诉人的姓名和电话只向承办人显示。",
                                 "Complaints, reports and petitions are answered within their category's deadline; overdue ones go up the tree. The complainant's name and phone are shown to the handler only."),
        "tracking_code": Text("查询码", "Tracking code"),
        "category": Text("类别", "Category"),
        "case_subject": Text("标题", "Subject"),
        "complaint_body": Text("事由", "What happened"),
        "complaint_state": Text("状态", "State"),
        "received_on": Text("受理日期", "Received"),
        "due_on": Text("办理期限", "Due"),
        "case_overdue": Text("逾期", "Overdue"),
        "only_overdue": Text("只看逾期", "Overdue only"),
        "file_for_caller": Text("代为登记（电话、来访、来信）", "File for a caller (phone, visit, letter)"),
        "no_complaints": Text("没有投诉举报。", "No cases."),
        "complainant": Text("投诉人", "Complainant"),
        "anonymous": Text("匿名", "Anonymous"),
        "channel": Text("渠道", "Channel"),
        "handler": Text("承办人", "Handler"),
        "answer": Text("答复", "Answer"),
        "answer_templates": Text("答复范本（选用后可修改）", "Answer templates (edit after choosing)"),
        "case_history": Text("办理过程", "History"),
        "internal_note": Text("内部备注", "Internal note"),
        "act_assign": Text("交办", "Assign"),
        "act_start": Text("开始办理", "Start"),
        "act_answer": Text("答复", "Answer"),
        "act_close": Text("办结", "Close"),
        "act_reopen": Text("重新办理", "Reopen"),
        "act_note": Text("添加内部备注", "Add an internal note"),
        "act_uphold": Text("举报属实（记录奖励）", "Upheld (record the reward)"),
        "reward_yuan": Text("举报奖励（元）", "Reward (yuan)"),
        "handler_username": Text("承办人账号", "Handler's username"),
        "to_unit": Text("转交单位代码", "Move to unit (code)"),
        "rating": Text("评价", "Rating"),
        "partly_resolved": Text("部分解决", "Partly resolved"),
        "escalations": Text("上报督办次数", "Times escalated"),
        "reward_paid": Text("举报奖励", "Reward paid"),
        "file": Text("登记", "File"),
    ]

    struct Row { let href: String, code: String, category: String, subject: String, unit: String, state: String, received: String, due: String; let overdue: Bool }

    static func row(_ c: Complaint, today: Day, lang: Lang) -> Row {
        Row(href: path(c.id), code: c.trackingCode, category: "\(c.kind.label(lang)) · \(c.categoryName)", subject: c.subject, unit: c.unitName, state: c.state.label(lang),
            received: c.receivedOn, due: c.dueOn, overdue: c.overdue(on: today))
    }

    /// The categories one may file under: all of them (a sensitive one limits who reads, not who reports).
    static func categoryEntries(_ deps: AppDeps) -> [Codes.Entry] {
        deps.stores.env.policy(.complaintCategories, on: Day(deps.stores.env.now()))
            .map { Codes.Entry(code: $0.code, label: Text("\($0.kind.label.zh) · \($0.name.zh)", "\($0.kind.label.en) · \($0.name.en)")) }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/complaints") { request, context -> Response in
            let account = try context.require(.supervision(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let state = request.query("state").flatMap(ComplaintState.init(rawValue:)), overdue = request.query("overdue") == "1"
            let cases = try await deps.stores.complaints.list(state: state, overdueOnly: overdue, in: context.scope, role: account.role)
            struct View { let rows: [Row]; let hasRows: Bool; let states: [FormField.Option]; let overdue: Bool; let canWrite: Bool }
            let view = View(rows: cases.map { row($0, today: today, lang: lang) }, hasRows: !cases.isEmpty,
                            states: [FormField.Option(value: "", label: "—", selected: state == nil)] + ComplaintState.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label(lang), selected: $0 == state) },
                            overdue: overdue, canWrite: account.role.can(.supervision(.write)))
            return deps.renderer.html("supervision/list", title: Text("投诉举报", "Complaints"), model: view, context: context, request: request)
        }
        @Sendable func newForm(_ form: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.supervision(.write))
            let lang = context.lang
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: context.scope)
            var fields = [
                PersonPages.select("category", Text("类别", "Category"), categoryEntries(deps), form, empty: Text("请选择", "Choose"), lang: lang),
                PersonPages.select("unit", Text("所在社区或街道", "Community or street"), units.map { Codes.Entry(code: $0.code, label: Text($0.name, $0.name)) }, form, empty: Text("请选择", "Choose"), lang: lang),
                PersonPages.select("channel", Text("渠道", "Channel"), ComplaintChannel.entries.filter { $0.code != "web" }, form.isEmpty ? ["channel": "phone"] : form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "subject", label: Text("标题", "Subject")(lang), value: form["subject"] ?? "", required: true),
                FormField(name: "name", label: Text("投诉人姓名（匿名不填）", "Complainant's name (none: anonymous)")(lang), value: form["name"] ?? ""),
                FormField(name: "phone", label: Text("联系电话", "Phone")(lang), value: form["phone"] ?? "", type: "tel"),
            ]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            struct View { let fields: [FormField]; let body: String; let bodyError: String?; let message: String? }
            return deps.renderer.html("supervision/new", title: Text("代为登记投诉举报", "File a case for a caller"),
                                      model: View(fields: fields, body: form["body"] ?? "", bodyError: error?.fields.first { $0.field == "body" }?.message(lang), message: error?.message(lang)),
                                      context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/complaints/new") { request, context -> Response in try await newForm([:], error: nil, request: request, context: context) }
        router.post("/complaints/new") { request, context -> Response in
            _ = try context.require(.supervision(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                let c = try await deps.stores.complaints.file(ComplaintInput(category: form["category"], unit: form["unit"], subject: form["subject"], body: form["body"],
                                                                             anonymous: form["name"] == nil, name: form["name"], phone: form["phone"], channel: form["channel"]),
                                                              in: context.scope, by: context.actor)
                return Redirect.to(path(c.id), notice: Text("已登记，查询码 \(c.trackingCode)（请告知投诉人）。", "Filed: tracking code \(c.trackingCode) (tell the caller)."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await newForm(form.values, error: error, request: request, context: context)
            }
        }
        @Sendable func casePage(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.supervision(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let c = try await deps.stores.complaints.complaint(id, in: context.scope, role: account.role, by: context.actor)
            struct Step { let at: String, action: String, state: String, note: String, by: String; let internalOnly: Bool }
            struct View {
                let c: Row; let body: String; let complainant: String; let channel: String; let handler: String; let answer: String?; let answeredOn: String?
                let rating: String?; let escalations: Int; let reward: String?; let steps: [Step]
                let canWrite: Bool; let open: Bool; let answered: Bool; let isReport: Bool; let action: String; let message: String?
                let templates: [FormField.Option]; let draft: String
            }
            // 答复范本: those of the case's category, one chosen (`?template=`) fills the answer to edit
            let templates = deps.stores.env.policy(.responseTemplates, on: today).filter { $0.suits(c.category) }
            let chosen = request.query("template").flatMap { code in templates.first { $0.code == code } }
            let actions = ["assign": Text("交办", "Assigned"), "start": Text("开始办理", "Started"), "answer": Text("答复", "Answered"), "close": Text("办结", "Closed"),
                           "reopen": Text("重新办理", "Reopened"), "note": Text("内部备注", "Internal note"), "uphold": Text("举报核实", "Report checked"),
                           "received": Text("受理", "Received"), "rate": Text("评价", "Rated"), "escalate": Text("逾期上报", "Escalated")]
            let view = View(c: row(c, today: today, lang: lang), body: c.body,
                            complainant: c.anonymous ? Text("匿名", "Anonymous")(lang) : [c.name, c.phone].compactMap { $0 }.joined(separator: " · "),
                            channel: c.channel.label(lang), handler: c.handler ?? "—", answer: c.answer, answeredOn: c.answeredOn,
                            rating: c.rating.map { "\($0) / 5\(c.partlyResolved == true ? "（\(Text("部分解决", "partly resolved")(lang))）" : "")" }, escalations: c.escalations,
                            reward: c.upheld.map { $0 ? (c.rewardYuan.map { "\(Text("属实", "Upheld")(lang)) · \($0) 元" } ?? Text("属实", "Upheld")(lang)) : Text("不属实", "Not upheld")(lang) },
                            steps: c.steps.map { Step(at: Timestamp.local($0.at), action: actions[$0.action]?(lang) ?? $0.action, state: $0.state.label(lang), note: $0.note ?? "", by: $0.by, internalOnly: $0.internalOnly) },
                            canWrite: account.role.can(.supervision(.write)), open: c.state.open, answered: c.state == .answered || c.state == .closed, isReport: c.kind == .report,
                            action: path(c.id) + "/actions", message: error?.fields.first?.message(lang) ?? error?.message(lang),
                            templates: templates.map { FormField.Option(value: "\(path(c.id))?template=\($0.code)#answer-form", label: $0.title(lang), selected: $0.code == chosen?.code) },
                            draft: chosen?.text ?? "")
            return deps.renderer.html("supervision/case", title: Text("投诉举报", "Case"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/complaints/{id}") { request, context -> Response in try await casePage(try context.uuid("id", Text("投诉举报", "case")), error: nil, request: request, context: context) }
        router.post("/complaints/{id}/actions") { request, context -> Response in
            let account = try context.require(.supervision(.write))
            let id = try context.uuid("id", Text("投诉举报", "case")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.complaints.act(id, action: form["action"] ?? "", note: form["note"], handler: form["handler"], unit: form["unit"],
                                                     upheld: form["upheld"].map { $0 != "0" }, reward: form["reward"].flatMap { Int($0) } ?? (form["reward"] == nil ? nil : -1),
                                                     in: context.scope, role: account.role, by: context.actor)
                return Redirect.to(path(id), notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await casePage(id, error: error, request: request, context: context)
            }
        }
    }
}
