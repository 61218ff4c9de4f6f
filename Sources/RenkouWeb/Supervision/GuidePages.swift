import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// 办事指南: the district keeps the entries (`/guide`); everyone reads them on the public site
/// (`/public/guide`), and each prints as the board that hangs by the office door.
enum GuidePages {
    static let strings: [String: Text] = [
        "guide": Text("办事指南", "Service guide"),
        "guide_intro": Text("每项服务：是什么、谁可以申请、带什么材料、怎么办、在哪里办、收不收费、多长时间办结、依据什么规定。",
                            "Each service: what it is, who may apply, what to bring, the steps, where, the fee, how long it takes and the rule behind it."),
        "guide_eligibility": Text("申请对象", "Who may apply"),
        "guide_documents": Text("所需材料", "What to bring"),
        "guide_steps": Text("办理流程", "Steps"),
        "guide_place": Text("办理地点", "Where"),
        "guide_fee": Text("收费标准", "Fee"),
        "guide_time_limit": Text("办理时限", "Time limit"),
        "guide_legal_basis": Text("办理依据", "Legal basis"),
        "guide_working_days": Text("个工作日", "working days"),
        "guide_on_the_spot": Text("即时办结", "On the spot"),
        "guide_board": Text("打印公示牌", "Print the board"),
        "guide_updated": Text("更新日期", "Updated"),
        "guide_edit": Text("编辑", "Edit"),
        "guide_new": Text("新增事项", "New entry"),
        "guide_save": Text("保存", "Save"),
        "guide_remove": Text("删除", "Remove"),
        "guide_lines_hint": Text("每行一项", "One a line"),
        "guide_scan": Text("扫码在手机上查看", "Scan to read it on a phone"),
    ]

    struct Entry { let code: String, name: String, summary: String, eligibility: String; let documents: [String]; let steps: [String]; let place: String, fee: String
        let timeLimit: String; let legalBasis: String, updated: String, href: String, board: String, edit: String }

    static func view(_ e: GuideEntry, lang: Lang) -> Entry {
        Entry(code: e.code, name: e.name, summary: e.summary, eligibility: e.eligibility, documents: e.documents, steps: e.steps, place: e.place, fee: e.fee,
              timeLimit: e.timeLimitDays == 0 ? strings["guide_on_the_spot"]!(lang) : "\(e.timeLimitDays) \(strings["guide_working_days"]!(lang))",
              legalBasis: e.legalBasis, updated: e.updatedOn ?? "", href: "/public/guide/\(e.code)", board: "/public/guide/\(e.code)/board", edit: "/guide/\(e.code)/edit")
    }

    static func input(_ form: RenkouWeb.Form, code: String) -> GuideEntry {
        GuideEntry(code: code, name: form["name"] ?? "", summary: form["summary"] ?? "", eligibility: form["eligibility"] ?? "",
                   documents: (form["documents"] ?? "").components(separatedBy: .newlines), steps: (form["steps"] ?? "").components(separatedBy: .newlines),
                   place: form["place"] ?? "", fee: form["fee"] ?? "", timeLimitDays: form["timeLimitDays"].flatMap { Int($0) } ?? -1,
                   legalBasis: form["legalBasis"] ?? "", position: form["position"].flatMap { Int($0) } ?? 99)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        // the public
        router.get("/public/guide") { request, context -> Response in
            let entries = try await deps.stores.guide.all()
            struct View { let entries: [Entry]; let hasEntries: Bool }
            return deps.renderer.html("supervision/guide_public", title: Text("办事指南", "Service guide"),
                                      model: View(entries: entries.map { view($0, lang: context.lang) }, hasEntries: !entries.isEmpty), context: context, request: request)
        }
        @Sendable func entryPage(_ board: Bool, request: Request, context: AppContext) async throws -> Response {
            guard let e = try await deps.stores.guide.entry(try context.parameters.require("code")) else { throw RenkouError.notFound(Text("办事指南", "guide entry")) }
            // the printed board carries the entry's address (RENKOU_PUBLIC_URL when set) as a QR code
            let entry = view(e, lang: context.lang), url = SitePath.absolute(entry.href, base: deps.config.publicURL, request: request)
            struct View { let e: Entry; let board: Bool; let qr: String; let url: String }
            return deps.renderer.html("supervision/guide_entry", title: Text(e.name, e.name),
                                      model: View(e: entry, board: board, qr: board ? (try? QRCode(url).svg(scale: 3, label: "QR")) ?? "" : "", url: url), context: context, request: request)
        }
        router.get("/public/guide/{code}") { request, context -> Response in try await entryPage(false, request: request, context: context) }
        router.get("/public/guide/{code}/board") { request, context -> Response in try await entryPage(true, request: request, context: context) }
        // the district
        router.get("/guide") { request, context -> Response in
            _ = try context.require(.supervision(.administer))
            let entries = try await deps.stores.guide.all()
            struct View { let entries: [Entry]; let hasEntries: Bool }
            return deps.renderer.html("supervision/guide_list", title: Text("办事指南", "Service guide"),
                                      model: View(entries: entries.map { view($0, lang: context.lang) }, hasEntries: !entries.isEmpty), context: context, request: request)
        }
        @Sendable func form(_ code: String?, values: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.supervision(.administer))
            let lang = context.lang
            var fields = [
                FormField(name: "code", label: Text("代码（英文小写，如 birth-registration）", "Code (lower case, e.g. birth-registration)")(lang), value: values["code"] ?? code ?? "", required: true),
                FormField(name: "name", label: Text("名称", "Name")(lang), value: values["name"] ?? "", required: true),
                FormField(name: "summary", label: Text("事项说明", "What it is")(lang), value: values["summary"] ?? "", required: true),
                FormField(name: "eligibility", label: strings["guide_eligibility"]!(lang), value: values["eligibility"] ?? "", required: true),
                FormField(name: "place", label: strings["guide_place"]!(lang), value: values["place"] ?? "", required: true),
                FormField(name: "fee", label: strings["guide_fee"]!(lang), value: values["fee"] ?? "不收费"),
                FormField(name: "timeLimitDays", label: Text("办理时限（工作日，0 为即时办结）", "Time limit (working days; 0: on the spot)")(lang), value: values["timeLimitDays"] ?? "", type: "number", required: true),
                FormField(name: "legalBasis", label: strings["guide_legal_basis"]!(lang), value: values["legalBasis"] ?? "", required: true),
                FormField(name: "position", label: Text("排序", "Order")(lang), value: values["position"] ?? "99", type: "number"),
            ]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            struct View { let fields: [FormField]; let documents: String; let steps: String; let documentsError: String?; let stepsError: String?; let action: String; let message: String?
                let existing: String? }
            let view = View(fields: fields, documents: values["documents"] ?? "", steps: values["steps"] ?? "",
                            documentsError: error?.fields.first { $0.field == "documents" }?.message(lang), stepsError: error?.fields.first { $0.field == "steps" }?.message(lang),
                            action: "/guide/save", message: error?.message(lang), existing: code.map { "/guide/\($0)/remove" })
            return deps.renderer.html("supervision/guide_form", title: Text("办事指南", "Service guide"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/guide/new") { request, context -> Response in try await form(nil, values: [:], error: nil, request: request, context: context) }
        router.get("/guide/{code}/edit") { request, context -> Response in
            _ = try context.require(.supervision(.administer))
            guard let e = try await deps.stores.guide.entry(try context.parameters.require("code")) else { throw RenkouError.notFound(Text("办事指南", "guide entry")) }
            return try await form(e.code, values: ["code": e.code, "name": e.name, "summary": e.summary, "eligibility": e.eligibility, "documents": e.documents.joined(separator: "\n"),
                                                   "steps": e.steps.joined(separator: "\n"), "place": e.place, "fee": e.fee, "timeLimitDays": String(e.timeLimitDays),
                                                   "legalBasis": e.legalBasis, "position": String(e.position)], error: nil, request: request, context: context)
        }
        router.post("/guide/save") { request, context -> Response in
            _ = try context.require(.supervision(.administer))
            let values = try await RenkouWeb.Form.read(request, context: context)
            do {
                let saved = try await deps.stores.guide.save(input(values, code: values["code"] ?? ""), by: context.actor)
                return Redirect.to("/public/guide/\(saved.code)", notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await form(nil, values: values.values, error: error, request: request, context: context)
            }
        }
        router.post("/guide/{code}/remove") { request, context -> Response in
            _ = try context.require(.supervision(.administer))
            _ = try await RenkouWeb.Form.read(request, context: context)
            try await deps.stores.guide.remove(try context.parameters.require("code"), by: context.actor)
            return Redirect.to("/guide", notice: Text("已删除。", "Removed."))
        }
    }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/public/guide") { _, _ in try JSON.response(try await deps.stores.guide.all()) }
        api.on(.get, "/api/v1/public/guide/{code}") { _, context in
            guard let e = try await deps.stores.guide.entry(try context.parameters.require("code")) else { throw RenkouError.notFound(Text("办事指南", "guide entry")) }
            return try JSON.response(e)
        }
        api.on(.put, "/api/v1/guide/{code}") { request, context in
            _ = try context.require(.supervision(.administer))
            var e = try await Body.json(GuideEntry.self, request, context: context)
            e.code = try context.parameters.require("code")
            return try JSON.response(try await deps.stores.guide.save(e, by: context.actor))
        }
        api.on(.delete, "/api/v1/guide/{code}") { _, context in
            _ = try context.require(.supervision(.administer))
            try await deps.stores.guide.remove(try context.parameters.require("code"), by: context.actor)
            return Response(status: .noContent)
        }
    }
}
