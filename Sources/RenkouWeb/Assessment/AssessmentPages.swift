import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// `/assessment`: a unit's targets for a year beside those of the units below it, set by hand and
/// allocated down; `/assessment/agreements`, `/assessment/warnings`, `/assessment/vetoes`.
enum AssessmentPages {
    static let strings: [String: Text] = [
        "assessment": Text("目标考核", "Targets and assessment"),
        "assessment_intro": Text("区局年初设定各项指标的年度目标并分解到街道，街道再分解到社区（统一下达、逐个填写或按基数比例分解）；下级目标合计或加权后达不到上级的，不予保存。",
                                 "The district sets the year's targets and splits them among the streets, which split them among their communities (the same for each, typed, or in proportion to a base); an allocation that does not meet the parent's is refused."),
        "assessment_year": Text("年度", "Year"),
        "assessment_set": Text("设定目标", "Set a target"),
        "assessment_value": Text("目标值（百分比填数字，如 98）", "Value (a percentage as a number: 98)"),
        "assessment_allocate": Text("分解到下级", "Allocate to the units below"),
        "assessment_method": Text("分解方式", "Method"),
        "assessment_method_same": Text("统一下达（比率）", "The same for each (a rate)"),
        "assessment_method_hand": Text("逐个填写", "Typed for each"),
        "assessment_method_proportional": Text("按基数比例（数量）", "In proportion to a base (a count)"),
        "assessment_base": Text("基数", "Base"),
        "assessment_values": Text("各单位目标（每行：单位代码=目标值）", "Each unit's target (a line each: code=value)"),
        "assessment_agreements": Text("目标责任书", "Responsibility agreements"),
        "assessment_terms": Text("责任条款", "Terms"),
        "assessment_signatories": Text("签订双方", "Signed by"),
        "assessment_signed_on": Text("签订日期", "Signed on"),
        "assessment_scan": Text("签字扫描件（PDF、PNG 或 JPEG）", "Signed scan (PDF, PNG or JPEG)"),
        "assessment_sign": Text("登记责任书", "Record the agreement"),
        "assessment_not_signed": Text("未签订", "Not signed"),
        "assessment_warnings": Text("预警督办", "Warnings"),
        "assessment_warnings_intro": Text("每天按预警规则对照目标和上月计算各街道、社区的指标：低于目标一定比例或比上月明显下降的，生成督办任务，限期办结并登记采取的措施。",
                                          "Every day each street's and community's figures are read against their targets and last month; one that falls short by the rules becomes a task with a deadline, closed with what was done."),
        "assessment_rule_below": Text("低于目标", "Below target"),
        "assessment_rule_worse": Text("比上月下降", "Worse than last month"),
        "assessment_action": Text("采取的措施", "What was done"),
        "assessment_close": Text("办结", "Close"),
        "assessment_evaluate": Text("立即评估", "Read the figures now"),
        "assessment_vetoes": Text("一票否决", "One-vote veto"),
        "assessment_item": Text("否决事项", "Item"),
        "assessment_evidence": Text("依据", "Evidence"),
        "assessment_record_veto": Text("登记否决", "Record a veto"),
        "assessment_withdraw": Text("撤销", "Withdraw"),
        "assessment_reason": Text("撤销理由", "Reason"),
        "assessment_withdrawn": Text("已撤销", "Withdrawn"),
        "assessment_raised": Text("本年预警", "Warnings this year"),
        "assessment_open": Text("未办结", "Open"),
        "assessment_due": Text("期限", "Due"),
        "assessment_value_now": Text("当期值", "Figure"),
        "assessment_against": Text("对照", "Against"),
    ]

    static func withdrawnText(_ v: Veto, _ lang: Lang) -> String? {
        v.withdrawnOn.map { "\(strings["assessment_withdrawn"]!(lang)) \($0)：\(v.withdrawnReason ?? "")" }
    }

    /// The year asked (a form's field first: a page shown again after an error keeps it), else this year.
    static func year(_ request: Request, _ deps: AppDeps, form: [String: String] = [:]) -> Int {
        (form["year"] ?? request.query("year")).flatMap { Int($0) }.map { min(max($0, 2000), 2100) } ?? Day(deps.stores.env.now()).year
    }

    static func message(_ error: RenkouError?, _ lang: Lang) -> String? {
        error.map { e in ([e.message(lang)] + e.fields.map { "\($0.field): \($0.message(lang))" }).joined(separator: " ") }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func targetsPage(_ error: RenkouError?, request: Request, context: AppContext, values: [String: String] = [:]) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang, year = year(request, deps, form: values)
            let (unit, children) = try await deps.stores.orgs.unitAndChildren(values["unit"] ?? request.query("unit").flatMap { $0.isEmpty ? nil : $0 }, in: context.scope)
            let catalogue = deps.stores.indicators.all
            let set = try await deps.stores.targets.targets(year: year, unitCode: unit.code, in: context.scope)
            let counts = try await deps.stores.warnings.counts(year: year, in: context.scope)
            let vetoed = try await deps.stores.warnings.vetoed(year: year, in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.district, .street, .community], in: context.scope)
            // each unit's targets: its own, or inherited, or the catalogue's default
            var effective: [String: [String: Double]] = [:]
            for u in [unit] + children {
                let own = try await deps.stores.targets.effective(unitCode: u.code, year: year, in: context.scope)
                effective[u.code] = Dictionary(uniqueKeysWithValues: catalogue.compactMap { i in (own[i.code] ?? i.target).map { (i.code, $0) } })
            }
            struct UnitHead { let name: String; let code: String; let vetoed: Bool; let raised: Int; let open: Int }
            struct TargetCell { let value: String; let own: Bool }
            struct TargetRow { let code: String; let name: String; let cells: [TargetCell] }
            struct View { let year: Int; let heads: [UnitHead]; let rows: [TargetRow]; let canPlan: Bool; let indicators: [FormField.Option]; let units: [FormField.Option]; let unitCode: String
                let message: String?; let values: String; let bases: [FormField.Option] }
            let all = [unit] + children
            let rows = catalogue.filter { i in all.contains { effective[$0.code]?[i.code] != nil } }.map { i in
                TargetRow(code: i.code, name: i.name(lang), cells: all.map { u in
                    TargetCell(value: effective[u.code]?[i.code].map { i.shown($0) } ?? "—", own: set.contains { $0.code == i.code && $0.unitCode == u.code })
                })
            }
            let view = View(year: year, heads: all.map { UnitHead(name: $0.name, code: $0.code, vetoed: vetoed.contains($0.code), raised: counts[$0.code]?.raised ?? 0, open: counts[$0.code]?.open ?? 0) },
                            rows: rows, canPlan: account.role.can(.assessment(.plan)),
                            indicators: catalogue.map { FormField.Option(value: $0.code, label: "\($0.code) \($0.name(lang))", selected: $0.code == values["code"]) },
                            units: units.map { FormField.Option(value: $0.code, label: $0.name, selected: $0.code == unit.code) }, unitCode: unit.code, message: message(error, lang),
                            values: values["values"] ?? children.map { "\($0.code)=" }.joined(separator: "\n"),
                            bases: AllocationBase.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label(lang), selected: $0.rawValue == (values["base"] ?? AllocationBase.population.rawValue)) })
            return deps.renderer.html("assessment/targets", title: Text("目标考核", "Targets and assessment"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment") { request, context -> Response in try await targetsPage(nil, request: request, context: context) }
        router.post("/assessment/targets") { request, context -> Response in
            _ = try context.require(.assessment(.plan))
            let f = try await RenkouWeb.Form.read(request, context: context)
            let y = f["year"].flatMap { Int($0) } ?? Day(deps.stores.env.now()).year
            do {
                if f["method"] == nil {
                    try await deps.stores.targets.set(f["code"] ?? "", unit: f["unit"] ?? "", year: y, value: f["value"].flatMap { Double($0) } ?? -1, in: context.scope, by: context.actor)
                } else {
                    var values: [String: Double] = [:]
                    for line in textLines(f["values"]) {
                        let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        if parts.count == 2, let v = Double(parts[1]) { values[parts[0]] = v }
                    }
                    _ = try await deps.stores.targets.allocate(f["code"] ?? "", unit: f["unit"] ?? "", year: y, method: f["method"] ?? "", base: f["base"], values: values,
                                                               in: context.scope, by: context.actor)
                }
                return Redirect.to("/assessment?year=\(y)&unit=\(f["unit"] ?? "")", notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await targetsPage(error, request: request, context: context, values: f.values)
            }
        }

        // agreements
        @Sendable func agreementsPage(_ error: RenkouError?, request: Request, context: AppContext, form: [String: String] = [:]) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang, year = year(request, deps, form: form)
            let list = try await deps.stores.targets.agreements(year: year, in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: context.scope)
            let byCode = Dictionary(deps.stores.indicators.all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            struct TargetLine { let name: String; let value: String }
            struct AgreementLine { let unit: String; let signedOn: String; let signatories: String; let terms: String; let targets: [TargetLine]; let scan: String? }
            struct View { let year: Int; let agreements: [AgreementLine]; let hasAgreements: Bool; let missing: [String]; let hasMissing: Bool; let canSign: Bool; let units: [FormField.Option]; let message: String? }
            let signed = Set(list.map(\.unitCode))
            let view = View(year: year, agreements: list.map { a in
                                AgreementLine(unit: a.unitName, signedOn: a.signedOn, signatories: a.signatories, terms: a.terms,
                                  targets: a.targets.compactMap { t in byCode[t.code].map { TargetLine(name: $0.name(lang), value: $0.shown(t.value)) } },
                                  scan: a.hasScan ? "/assessment/agreements/\(a.id.text)/scan" : nil)
                            }, hasAgreements: !list.isEmpty, missing: units.filter { !signed.contains($0.code) }.map(\.name),
                            hasMissing: units.contains { !signed.contains($0.code) },
                            canSign: account.role.can(.assessment(.write)), units: FormField.unitOptions(units, selected: nil, empty: Text("请选择", "Choose"), lang: lang),
                            message: message(error, lang))
            return deps.renderer.html("assessment/agreements", title: Text("目标责任书", "Responsibility agreements"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment/agreements") { request, context -> Response in try await agreementsPage(nil, request: request, context: context) }
        router.post("/assessment/agreements") { request, context -> Response in
            _ = try context.require(.assessment(.write))
            let (f, upload) = try await Upload.fields(request, context: context, fileField: "scan")
            defer { if let file = upload?.file { try? FileManager.default.removeItem(at: file) } }
            let y = f["year"].flatMap { Int($0) } ?? Day(deps.stores.env.now()).year
            do {
                let scan = try upload.flatMap { try Upload.scan($0, field: "scan") }
                try await deps.stores.targets.sign(unit: f["unit"] ?? "", year: y, terms: f["terms"] ?? "", signatories: f["signatories"] ?? "", signedOn: f["signedOn"], scan: scan,
                                                   in: context.scope, by: context.actor)
                return Redirect.to("/assessment/agreements?year=\(y)", notice: Text("已登记。", "Recorded."))
            } catch let error as RenkouError where error.kind == .invalid { return try await agreementsPage(error, request: request, context: context, form: f.values) }
        }
        router.get("/assessment/agreements/{id}/scan") { _, context -> Response in
            _ = try context.require(.assessment(.read))
            let scan = try await deps.stores.targets.scan(of: try context.uuid("id", Text("责任书", "agreement")), in: context.scope)
            return Response(status: .ok, headers: [.contentType: scan.type, .cacheControl: "private, no-store"], body: .init(byteBuffer: ByteBuffer(bytes: scan.data)))
        }

        // warnings
        @Sendable func warningsPage(_ error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let list = try await deps.stores.warnings.list(in: context.scope)
            let byCode = Dictionary(deps.stores.indicators.all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            struct WarningLine { let id: String; let indicator: String; let unit: String; let period: String; let rule: String; let value: String; let against: String; let raised: String
                let due: String; let overdue: Bool; let open: Bool; let action: String; let href: String }
            struct View { let warnings: [WarningLine]; let hasWarnings: Bool; let canWrite: Bool; let canPlan: Bool; let message: String? }
            let view = View(warnings: list.map { w in
                                let i = byCode[w.code]
                                return WarningLine(id: w.id.text, indicator: i?.name(lang) ?? w.code, unit: w.unitName, period: w.period,
                                         rule: (w.rule == "below-target" ? strings["assessment_rule_below"]! : strings["assessment_rule_worse"]!)(lang),
                                         value: i.map { $0.shown(w.value) } ?? "", against: i.map { $0.shown(w.against) } ?? "", raised: w.raisedOn, due: w.dueOn,
                                         overdue: w.closedOn == nil && w.dueOn < today.description, open: w.closedOn == nil,
                                         action: w.action.map { "\(w.closedOn ?? "") \($0)" } ?? "", href: "/indicators/\(w.code)?unit=\(w.unitCode)&on=\(w.raisedOn)")
                            }, hasWarnings: !list.isEmpty, canWrite: account.role.can(.assessment(.write)), canPlan: account.role.can(.assessment(.plan)), message: message(error, lang))
            return deps.renderer.html("assessment/warnings", title: Text("预警督办", "Warnings"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment/warnings") { request, context -> Response in try await warningsPage(nil, request: request, context: context) }
        router.post("/assessment/warnings/{id}/close") { request, context -> Response in
            _ = try context.require(.assessment(.write))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.warnings.close(try context.uuid("id", Text("预警", "warning")), action: f["action"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to("/assessment/warnings", notice: Text("已办结。", "Closed."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict { return try await warningsPage(error, request: request, context: context) }
        }
        router.post("/assessment/warnings/evaluate") { request, context -> Response in
            _ = try context.require(.assessment(.plan))
            _ = try await RenkouWeb.Form.read(request, context: context)
            let n = try await deps.stores.warnings.evaluate(on: Day(deps.stores.env.now()), in: context.scope)
            return Redirect.to("/assessment/warnings", notice: Text("新增预警 \(n) 条。", "\(n) new warnings."))
        }

        // vetoes
        @Sendable func vetoesPage(_ error: RenkouError?, request: Request, context: AppContext, form: [String: String] = [:]) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang, year = year(request, deps, form: form)
            let list = try await deps.stores.warnings.vetoes(year: year, in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: context.scope)
            struct VetoLine { let id: String; let unit: String; let item: String; let evidence: String; let recorded: String; let withdrawn: String? }
            struct View { let year: Int; let vetoes: [VetoLine]; let hasVetoes: Bool; let canApprove: Bool; let units: [FormField.Option]; let items: [FormField.Option]; let message: String? }
            let view = View(year: year, vetoes: list.map { VetoLine(id: $0.id.text, unit: $0.unitName, item: $0.itemName, evidence: $0.evidence, recorded: "\($0.recordedOn) \($0.recordedBy)",
                                                              withdrawn: withdrawnText($0, lang)) },
                            hasVetoes: !list.isEmpty, canApprove: account.role.can(.assessment(.approve)),
                            units: FormField.unitOptions(units, selected: nil, empty: Text("请选择", "Choose"), lang: lang),
                            items: deps.stores.env.policy(.vetoItems, on: Day(deps.stores.env.now())).map { FormField.Option(value: $0.code, label: $0.name(lang), selected: false) },
                            message: message(error, lang))
            return deps.renderer.html("assessment/vetoes", title: Text("一票否决", "One-vote veto"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment/vetoes") { request, context -> Response in try await vetoesPage(nil, request: request, context: context) }
        router.post("/assessment/vetoes") { request, context -> Response in
            _ = try context.require(.assessment(.approve))
            let f = try await RenkouWeb.Form.read(request, context: context)
            let y = f["year"].flatMap { Int($0) } ?? Day(deps.stores.env.now()).year
            do {
                try await deps.stores.warnings.veto(unit: f["unit"] ?? "", year: y, item: f["item"] ?? "", evidence: f["evidence"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to("/assessment/vetoes?year=\(y)", notice: Text("已登记。", "Recorded."))
            } catch let error as RenkouError where error.kind == .invalid { return try await vetoesPage(error, request: request, context: context, form: f.values) }
        }
        router.post("/assessment/vetoes/{id}/withdraw") { request, context -> Response in
            _ = try context.require(.assessment(.approve))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.warnings.withdraw(try context.uuid("id", Text("否决记录", "veto")), reason: f["reason"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to("/assessment/vetoes", notice: Text("已撤销。", "Withdrawn."))
            } catch let error as RenkouError where error.kind == .invalid { return try await vetoesPage(error, request: request, context: context) }
        }
    }
}
