import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 奖励扶助与育儿补贴: the runs of the area (draw one for a programme and year), a run with its lines,
/// the facts behind each, its review, posting, objections, approval, bank file and return file;
/// the public board with names masked and its objection form.
enum BenefitPages {
    static func path(_ id: UUID) -> String { "/benefits/\(id.text)" }

    struct RunRow { let href: String, programme: String, year: String, unit: String, state: String, eligible: Int, excluded: Int, held: Int, amount: String }
    static func runRow(_ r: BenefitRun, lang: Lang) -> RunRow {
        RunRow(href: path(r.id), programme: r.programme.label(lang), year: r.title(lang), unit: r.unitName, state: r.state.label(lang), eligible: r.eligible,
               excluded: r.excluded, held: r.held, amount: yuan(r.amount))
    }
    static func yuan(_ n: Int) -> String { n.formatted(.number.grouping(.automatic)) + " 元" }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func list(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, year = Day(deps.stores.env.now()).year
            let runs = try await deps.stores.benefits.runs(in: context.scope)
            let fields = FormField.attach(error?.fields ?? [], to: [
                PersonPages.select("programme", Text("项目", "Programme"), BenefitProgramme.entries, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "year", label: Text("年度", "Year")(lang), value: form["year"] ?? String(year), type: "number", required: true),
                FormField(name: "quarter", label: Text("季度增补（仅育儿补贴）", "Quarterly supplement (childcare subsidy only)")(lang), value: form["quarter"] ?? "0",
                          hint: Text("年内新出生或新符合条件的孩子，每季度生成一次增补名单。", "Children newly born or newly eligible during the year: one supplementary list a quarter.")(lang),
                          options: (0...4).map { q in FormField.Option(value: String(q), label: q == 0 ? Text("全年名单", "The year's main list")(lang) : Text("第 \(q) 季度增补", "Q\(q) supplement")(lang),
                                                                        selected: String(q) == (form["quarter"] ?? "0")) }),
                FormField(name: "unit", label: Text("单位代码", "Unit code")(lang), value: form["unit"] ?? account.unitCode, required: true),
            ], lang: lang)
            let model = BenefitRunsView(rows: runs.map { runRow($0, lang: lang) }, hasRows: !runs.isEmpty, canDraw: account.role.can(.births(.write)), fields: fields,
                                        message: error?.message(lang))
            return deps.renderer.html("births/benefits", title: Text("奖励扶助与育儿补贴", "Benefits"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/benefits") { request, context -> Response in
            let account = try context.require(.births(.read))
            return try await list([:], error: nil, account: account, request: request, context: context)
        }
        router.post("/benefits") { request, context -> Response in
            let account = try context.require(.births(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                guard let programme = form["programme"].flatMap(BenefitProgramme.init(rawValue:)) else {
                    throw RenkouError.invalid([FieldError("/programme", "code-unknown", Text("请选择项目。", "Choose the programme."))])
                }
                let run = try await deps.stores.benefits.draw(programme, year: Int(form["year"] ?? "") ?? 0, quarter: Int(form["quarter"] ?? "") ?? 0, unitCode: form["unit"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to(path(run.id), notice: Text("已生成名单：符合 \(run.eligible) 人，不符合 \(run.excluded) 人。", "Drawn: \(run.eligible) eligible, \(run.excluded) excluded."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await list(form.values, error: error, account: account, request: request, context: context)
            }
        }

        @Sendable func detail(_ id: UUID, error: RenkouError?, notice: String? = nil, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let run = try await deps.stores.benefits.run(id, in: context.scope)
            let lines = try await deps.stores.benefits.lines(id, in: context.scope, by: context.actor)
            let objections = try await deps.stores.benefits.objections(id, in: context.scope)
            let canWrite = account.role.can(.births(.write))
            // Special assistance's eligible parents not yet listed as a special family: one click lists them (双岗联系人, visits).
            let listed = canWrite && run.programme == .specialAssistance ? Set(try await deps.stores.families.families(in: context.scope, by: context.actor).map(\.personID)) : []
            let model = BenefitRunView(
                title: "\(run.unitName) \(run.title(lang)) \(run.programme.label(lang))", state: run.state.label(lang),
                summary: Text("符合 \(run.eligible) 人，不符合或已剔除 \(run.excluded) 人，异议暂停 \(run.held) 人，金额 \(yuan(run.amount))",
                              "\(run.eligible) eligible, \(run.excluded) excluded or removed, \(run.held) held by objections, \(yuan(run.amount))")(lang),
                posting: run.postingUntil.map { Text("公示 \(run.postedOn ?? "") 至 \($0)", "posted \(run.postedOn ?? "") until \($0)")(lang) } ?? "",
                approved: run.approvedBy.map { Text("\(run.approvedOn ?? "") 由 \($0) 审批", "approved by \($0) on \(run.approvedOn ?? "")")(lang) } ?? "",
                lines: lines.map { l in
                    BenefitRunView.Line(id: l.id.text, number: l.number, name: l.name, idNumber: l.idNumber, personHref: SitePath.person(l.personID), unit: l.unitName, facts: l.facts,
                                        amount: l.payable || l.eligible ? yuan(l.amount) : "—",
                                        status: l.removedReason.map { Text("已剔除：\($0)", "removed: \($0)")(lang) } ?? (!l.eligible ? Text("不符合", "excluded")(lang)
                                                 : l.held ? Text("异议暂停", "held by an objection")(lang) : l.payment.label(lang) + (l.returnReason.map { "：\($0)" } ?? "")),
                                        excluded: !l.payable, reviewAction: canWrite && run.state == .draft && l.eligible ? "/benefits/lines/\(l.id.text)/review" : nil,
                                        removed: l.removedReason != nil, objectAction: canWrite && [.posted, .approved].contains(run.state) && l.payable ? "/benefits/lines/\(l.id.text)/object" : nil,
                                        correctAction: canWrite && [.approved, .paid, .reconciled].contains(run.state) && l.payable && l.payment == .pending ? "/benefits/lines/\(l.id.text)/correct" : nil,
                                        familyHref: canWrite && run.programme == .specialAssistance && l.eligible && !listed.contains(l.personID)
                                            ? SitePath.query("/families", [("person", l.personID.text)]) : nil)
                },
                objections: objections.map { o in
                    BenefitRunView.ObjectionRow(number: o.lineNumber, text: o.text, source: (o.source == "public" ? Text("公示栏", "public board") : o.source == "registry" ? Text("人口登记", "the registry") : Text("工作人员", "worker"))(lang),
                                                filedOn: o.filedOn, result: o.resolvedOn.map { d in "\(d) · \((o.upheld == true ? Text("成立", "upheld") : Text("不成立", "dismissed"))(lang)) · \(o.resolution ?? "")" } ?? "",
                                                resolveAction: canWrite && o.resolvedOn == nil ? "/benefits/objections/\(o.id.text)/resolve" : nil)
                },
                hasObjections: !objections.isEmpty,
                postAction: canWrite && run.state == .draft ? "/benefits/\(id.text)/post" : nil,
                approveAction: account.role.can(.births(.approve)) && run.state == .posted ? "/benefits/\(id.text)/approve" : nil,
                payAction: canWrite && [.approved, .paid, .reconciled].contains(run.state) ? "/benefits/\(id.text)/payment" : nil,
                batches: (1...max(1, try await deps.stores.benefits.batches(id, in: context.scope))).compactMap { b in
                    [.paid, .reconciled].contains(run.state) ? BenefitRunView.Batch(label: Text("第 \(b) 批", "batch \(b)")(lang), href: "/benefits/\(id.text)/payment.csv?batch=\(b)") : nil
                },
                reconcileAction: canWrite && [.paid, .reconciled].contains(run.state) ? "/benefits/\(id.text)/reconcile" : nil,
                message: error?.message(lang), notice: notice)
            return deps.renderer.html("births/benefit_run", title: Text("扶助名单", "Benefit run"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/benefits/{id}") { request, context -> Response in
            let account = try context.require(.births(.read))
            return try await detail(try context.uuid("id", Text("扶助名单", "benefit run")), error: nil, account: account, request: request, context: context)
        }
        @Sendable func step(_ request: Request, _ context: AppContext, permission: Permission, _ body: @escaping @Sendable (UUID, RenkouWeb.Form) async throws -> (UUID, Text)) async throws -> Response {
            let account = try context.require(permission)
            let form = try await RenkouWeb.Form.read(request, context: context)
            let id = try context.uuid("id", Text("记录", "record"))
            do {
                let (run, notice) = try await body(id, form)
                return Redirect.to(path(run), notice: notice)
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                let run = try await deps.stores.benefits.runOf(any: id, in: context.scope)
                return try await detail(run, error: error, account: account, request: request, context: context)
            }
        }
        router.post("/benefits/{id}/post") { request, context -> Response in
            try await step(request, context, permission: .births(.write)) { id, _ in
                let r = try await deps.stores.benefits.post(id, in: context.scope, by: context.actor)
                return (r.id, Text("已公示至 \(r.postingUntil ?? "")。", "Posted until \(r.postingUntil ?? "")."))
            }
        }
        router.post("/benefits/{id}/approve") { request, context -> Response in
            try await step(request, context, permission: .births(.approve)) { id, _ in
                let r = try await deps.stores.benefits.approve(id, in: context.scope, by: context.actor)
                return (r.id, Text("已审批。", "Approved."))
            }
        }
        router.post("/benefits/lines/{id}/review") { request, context -> Response in
            try await step(request, context, permission: .births(.write)) { id, form in
                let l = try await deps.stores.benefits.review(id, remove: form["reason"], in: context.scope, by: context.actor)
                return (try await deps.stores.benefits.runOf(any: id, in: context.scope), l.removedReason == nil ? Text("已恢复第 \(l.number) 行。", "Line \(l.number) is back.") : Text("已剔除第 \(l.number) 行。", "Line \(l.number) is removed."))
            }
        }
        router.post("/benefits/lines/{id}/object") { request, context -> Response in
            try await step(request, context, permission: .births(.write)) { id, form in
                let o = try await deps.stores.benefits.object(to: id, text: form["text"] ?? "", source: "worker", in: context.scope, by: context.actor)
                return (try await deps.stores.benefits.runOf(any: id, in: context.scope), Text("已登记异议，第 \(o.lineNumber) 行暂停发放。", "Objection filed; line \(o.lineNumber) is held."))
            }
        }
        router.post("/benefits/lines/{id}/correct") { request, context -> Response in
            try await step(request, context, permission: .births(.write)) { id, form in
                let l = try await deps.stores.benefits.correct(id, amount: Int(form["amount"] ?? "") ?? -1, reason: form["reason"] ?? "", in: context.scope, by: context.actor)
                return (try await deps.stores.benefits.runOf(any: id, in: context.scope), Text("已更正第 \(l.number) 行。", "Line \(l.number) is corrected."))
            }
        }
        router.post("/benefits/objections/{id}/resolve") { request, context -> Response in
            try await step(request, context, permission: .births(.write)) { id, form in
                let o = try await deps.stores.benefits.resolve(id, upheld: form["upheld"] == "1", resolution: form["resolution"] ?? "", in: context.scope, by: context.actor)
                return (try await deps.stores.benefits.runOf(any: o.lineID, in: context.scope), Text("异议已处理。", "The objection is resolved."))
            }
        }
        @Sendable func csv(_ file: BenefitStore.PaymentFile) -> Response {
            Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"payment-\(file.batch).csv\"", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + file.csv)))
        }
        // A new batch is a POST (it marks the lines as sent); an earlier batch downloads again by its number.
        router.post("/benefits/{id}/payment") { request, context -> Response in
            let account = try context.require(.births(.write))
            _ = try await RenkouWeb.Form.read(request, context: context)
            let id = try context.uuid("id", Text("扶助名单", "benefit run"))
            do { return csv(try await deps.stores.benefits.paymentFile(id, in: context.scope, by: context.actor)) }
            catch let error as RenkouError where error.kind == .conflict { return try await detail(id, error: error, account: account, request: request, context: context) }
        }
        router.get("/benefits/{id}/payment.csv") { request, context -> Response in
            _ = try context.require(.births(.write))
            let batch = request.query("batch").flatMap(Int.init) ?? 1
            return csv(try await deps.stores.benefits.paymentFile(try context.uuid("id", Text("扶助名单", "benefit run")), batch: batch, in: context.scope, by: context.actor))
        }
        router.post("/benefits/{id}/reconcile") { request, context -> Response in
            let account = try context.require(.births(.write))
            let id = try context.uuid("id", Text("扶助名单", "benefit run"))
            let upload = try await Upload.form(request, fileField: "file")
            defer { if let f = upload.file { try? FileManager.default.removeItem(at: f) } }
            do {
                guard let f = upload.file, let text = String(data: try Data(contentsOf: f), encoding: .utf8) else {
                    throw RenkouError.invalid([FieldError("/file", "required", Text("请选择银行回盘文件（UTF-8 CSV）。", "Choose the bank's return file (UTF-8 CSV)."))])
                }
                let r = try await deps.stores.benefits.reconcile(id, returnFile: text.replacingOccurrences(of: "\u{FEFF}", with: ""), in: context.scope, by: context.actor)
                let notice = Text("对账：到账 \(r.paid)，退回 \(r.returned)，无法匹配 \(r.unmatched.count) 行\(r.unmatched.isEmpty ? "" : "（文件第 \(r.unmatched.map(String.init).joined(separator: "、")) 行）")，待回盘 \(r.waiting)。",
                                  "Reconciled: \(r.paid) paid, \(r.returned) returned, \(r.unmatched.count) unmatched\(r.unmatched.isEmpty ? "" : " (file rows \(r.unmatched.map(String.init).joined(separator: ", ")))"), \(r.waiting) waiting.")
                return Redirect.to(path(id), notice: notice)
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await detail(id, error: error, account: account, request: request, context: context)
            }
        }

        // 公示栏: no login.
        @Sendable func board(_ request: Request, _ context: AppContext, error: RenkouError?) async throws -> Response {
            let lang = context.lang
            let runs = try await deps.stores.benefits.board()
            let model = PublicBoardView(runs: runs.map { r in
                PublicBoardView.Run(id: r.id.text, title: "\(r.unit) \(r.year) 年\(r.programme.label(lang))", until: r.postingUntil,
                                    lines: r.lines.map { PublicBoardView.Line(number: $0.number, name: $0.name, idNumber: $0.idNumber, unit: $0.unit, amount: yuan($0.amount)) })
            }, hasRuns: !runs.isEmpty, message: error.map { e in ([e.message] + e.fields.map(\.message)).map { $0(lang) }.joined(separator: " ") })
            return deps.renderer.html("births/public_board", title: Text("公示栏", "Public board"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/public/benefits") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            return try await board(request, context, error: nil)
        }
        router.post("/public/benefits/{id}/object") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.benefits.publicObjection(run: try context.uuid("id", Text("公示名单", "posted list")), number: Int(form["number"] ?? "") ?? 0, text: form["text"] ?? "")
                return Redirect.to("/public/benefits", notice: Text("已收到您的异议，核实期间该笔发放暂停。", "Your objection is received; that payment is held while it is checked."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await board(request, context, error: error)
            }
        }
    }
}

/// The runs of the area.
struct BenefitRunsView { let rows: [BenefitPages.RunRow]; let hasRows: Bool; let canDraw: Bool; let fields: [FormField]; let message: String? }
/// One run.
struct BenefitRunView {
    struct Line { let id: String; let number: Int; let name: String, idNumber: String, personHref: String, unit: String, facts: String, amount: String, status: String
                  let excluded: Bool; let reviewAction: String?; let removed: Bool; let objectAction: String?; let correctAction: String?
                  /// Special assistance: the parent is not yet a special family; this lists them.
                  let familyHref: String? }
    struct ObjectionRow { let number: Int; let text: String, source: String, filedOn: String, result: String; let resolveAction: String? }
    let title: String, state: String, summary: String, posting: String, approved: String
    let lines: [Line]
    let objections: [ObjectionRow]
    let hasObjections: Bool
    struct Batch { let label: String; let href: String }
    let postAction: String?, approveAction: String?, payAction: String?
    let batches: [Batch]
    let reconcileAction: String?
    let message: String?, notice: String?
}
/// The public board.
struct PublicBoardView {
    struct Line { let number: Int; let name: String, idNumber: String, unit: String, amount: String }
    struct Run { let id: String, title: String, until: String; let lines: [Line] }
    let runs: [Run]; let hasRuns: Bool; let message: String?
}
