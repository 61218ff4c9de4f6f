import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The public's complaint form (named or anonymous, a tracking code to keep) and the tracking page
/// (the state, the deadline, the answer; rate it, or say what is still not resolved). Rate-limited;
/// a form with the hidden field filled (a robot) is thanked and nothing is kept.
enum PublicComplaintPages {
    static let strings: [String: Text] = [
        "public_complaint_title": Text("投诉举报", "Complaints and reports"),
        "public_complaint_intro": Text("可以实名，也可以匿名。提交后请记下查询码，凭查询码查看办理进度和答复。匿名投诉不保存姓名、电话和地址。",
                                       "You may give your name or stay anonymous. Keep the tracking code you are given: it shows the progress and the answer. An anonymous complaint keeps no name, phone or address."),
        "stay_anonymous": Text("匿名提交", "Stay anonymous"),
        "your_name": Text("姓名", "Your name"),
        "your_phone": Text("联系电话（选填）", "Phone (optional)"),
        "submit_complaint": Text("提交", "Submit"),
        "keep_code": Text("已受理。请记下查询码：", "Received. Keep this tracking code:"),
        "track_title": Text("投诉举报办理进度", "Follow a complaint"),
        "look_up_code": Text("查询", "Look up"),
        "code_not_found": Text("没有找到这个查询码。", "No case has this tracking code."),
        "rate_answer": Text("对答复进行评价", "Rate the answer"),
        "rate_submit": Text("提交评价", "Send the rating"),
        "not_resolved": Text("问题没有解决，申请重新办理", "Not resolved: ask for it to be looked at again"),
        "reopen_reason": Text("还有什么没有解决", "What is still not resolved"),
        "reopen_submit": Text("申请重新办理", "Ask again"),
        "thanks": Text("感谢您的反馈。", "Thank you."),
    ]

    static let anonymousActor = Actor(userID: nil, username: "public", client: "web")

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func form(_ values: [String: String], error: RenkouError?, filed: PublicComplaint?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: .everything)
            var fields = [
                PersonPages.select("category", Text("类别", "Category"), ComplaintPages.categoryEntries(deps), values, empty: Text("请选择", "Choose"), lang: lang),
                PersonPages.select("unit", Text("所在社区或街道", "Your community or street"), units.map { Codes.Entry(code: $0.code, label: Text($0.name, $0.name)) }, values,
                                   empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "subject", label: Text("标题", "Subject")(lang), value: values["subject"] ?? "", required: true),
                FormField(name: "name", label: Text("姓名", "Your name")(lang), value: values["name"] ?? "", autocomplete: "name"),
                FormField(name: "phone", label: Text("联系电话（选填）", "Phone (optional)")(lang), value: values["phone"] ?? "", type: "tel", autocomplete: "tel"),
            ]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            struct View { let fields: [FormField]; let body: String; let bodyError: String?; let anonymous: Bool; let message: String?; let filed: Bool; let code: String; let trackHref: String }
            let view = View(fields: fields, body: values["body"] ?? "", bodyError: error?.fields.first { $0.field == "body" }?.message(lang), anonymous: values["anonymous"] != nil,
                            message: error?.message(lang), filed: filed != nil, code: filed?.trackingCode ?? "",
                            trackHref: filed.map { SitePath.query("/public/complaints/track", [("code", $0.trackingCode)]) } ?? "")
            return deps.renderer.html("supervision/public_new", title: Text("投诉举报", "Complaints and reports"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? (filed != nil ? .created : .ok))
        }
        router.get("/public/complaints") { request, context -> Response in
            try await form([:], error: nil, filed: request.query("received") != nil ? PublicComplaint.received : nil, request: request, context: context)
        }
        router.post("/public/complaints") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let values = try await RenkouWeb.Form.read(request, context: context)
            // the hidden field a person never sees: a robot filled it; thanked, nothing kept
            if values["website"] != nil { return Redirect.to("/public/complaints?received=1") }
            do {
                let filed = try await deps.stores.complaints.file(ComplaintInput(category: values["category"], unit: values["unit"], subject: values["subject"], body: values["body"],
                                                                                 anonymous: values["anonymous"] != nil, name: values["name"], phone: values["phone"]),
                                                                  in: nil, by: anonymousActor)
                // to the tracking page (a refresh there files nothing twice), which shows the code to keep
                return Redirect.to(SitePath.query("/public/complaints/track", [("code", filed.trackingCode), ("filed", "1")]))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await form(values.values, error: error, filed: nil, request: request, context: context)
            }
        }
        @Sendable func track(_ code: String, error: RenkouError?, notice: Bool, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            var view: PublicComplaint?
            if !code.isEmpty {
                try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
                view = try await deps.stores.complaints.publicView(code: code)
            }
            struct Step { let at: String, state: String, note: String }
            struct View {
                let code: String; let asked: Bool; let found: Bool; let notFound: Bool
                let facts: [PersonPages.Detail]; let answer: String?; let steps: [Step]
                let canRate: Bool; let canReopen: Bool; let action: String; let message: String?; let thanks: Bool; let filed: Bool
            }
            var facts: [PersonPages.Detail] = []
            if let v = view {
                facts = [(Text("查询码", "Tracking code"), v.trackingCode), (Text("类别", "Category"), "\(v.kind.label(lang)) · \(v.categoryName)"), (Text("标题", "Subject"), v.subject),
                         (Text("办理单位", "Office"), v.unitName), (Text("状态", "State"), v.state.label(lang)), (Text("受理日期", "Received"), v.receivedOn),
                         (Text("办理期限", "Due"), v.dueOn)].map { PersonPages.Detail(label: $0.0(lang), value: $0.1) }
                if let d = v.answeredOn { facts.append(PersonPages.Detail(label: Text("答复日期", "Answered")(lang), value: d)) }
                if let r = v.rating { facts.append(PersonPages.Detail(label: Text("您的评价", "Your rating")(lang), value: "\(r) / 5\(v.partlyResolved == true ? "（\(Text("部分解决", "partly resolved")(lang))）" : "")")) }
            }
            let model = View(code: code, asked: !code.isEmpty, found: view != nil, notFound: !code.isEmpty && view == nil, facts: facts, answer: view?.answer,
                             steps: view?.steps.map { Step(at: Timestamp.local($0.at), state: $0.state.label(lang), note: $0.note ?? "") } ?? [],
                             canRate: view?.state == .answered || (view?.state == .closed && view?.rating == nil), canReopen: view?.state == .answered || view?.state == .closed,
                             action: "/public/complaints/track/" + (view?.trackingCode ?? ""), message: error?.fields.first?.message(lang) ?? error?.message(lang), thanks: notice,
                             filed: view != nil && request.query("filed") != nil)
            return deps.renderer.html("supervision/public_track", title: Text("投诉举报办理进度", "Follow a complaint"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? (model.notFound ? .notFound : .ok))
        }
        router.get("/public/complaints/track") { request, context -> Response in
            try await track(request.query("code") ?? "", error: nil, notice: request.query("thanks") != nil, request: request, context: context)
        }
        router.post("/public/complaints/track/{code}/rating") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let code = try context.parameters.require("code"), values = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.complaints.rate(code: code, rating: values["rating"].flatMap { Int($0) }, partly: values["partly"] != nil, by: anonymousActor)
                return Redirect.to(SitePath.query("/public/complaints/track", [("code", code), ("thanks", "1")]))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await track(code, error: error, notice: false, request: request, context: context)
            }
        }
        router.post("/public/complaints/track/{code}/reopen") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let code = try context.parameters.require("code"), values = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.complaints.reopen(code: code, reason: values["reason"] ?? "", by: anonymousActor)
                return Redirect.to(SitePath.query("/public/complaints/track", [("code", code), ("thanks", "1")]))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await track(code, error: error, notice: false, request: request, context: context)
            }
        }
    }
}

extension PublicComplaint {
    /// What a robot's submission is shown: the thank-you, with no code (nothing was kept).
    static let received = PublicComplaint(Complaint(id: UUID(), trackingCode: "", kind: .complaint, category: "", categoryName: "", unitID: UUID(), unitName: "", channel: .web,
                                                    subject: "", body: "", anonymous: true, name: nil, phone: nil, state: .received, receivedOn: "", dueOn: "", answeredOn: nil,
                                                    answer: nil, handler: nil, escalations: 0, rating: nil, partlyResolved: nil, upheld: nil, rewardYuan: nil, steps: []))
}
