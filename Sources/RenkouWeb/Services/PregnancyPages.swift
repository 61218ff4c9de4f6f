import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Pregnancies and pre-pregnancy checks: the forms from a person's page, the year's quota and coverage
/// page, the API. Items, findings and pregnancies are shown to the service roles only.
enum PregnancyPages {
    static func newPregnancyPath(_ person: UUID) -> String { SitePath.person(person) + "/pregnancies/new" }
    static func outcomePath(_ id: UUID) -> String { "/pregnancies/\(id.text)/outcome" }
    static func newCheckPath(_ person: UUID) -> String { SitePath.person(person) + "/prepregnancy/new" }

    struct CheckRow { let checkedOn: String, couple: String, personHref: String, risk: String, abnormal: String, early: String, outcome: String }
    static func checkRow(_ c: PrePregnancyCheck, lang: Lang) -> CheckRow {
        let abnormal = PrePregnancyItem.allCases.filter { c.items[$0.rawValue] == .abnormal }.map { $0.label(lang) }.joined(separator: "、")
        return CheckRow(checkedOn: c.checkedOn, couple: [c.personName, c.spouseName].compactMap { $0 }.joined(separator: " · "), personHref: SitePath.person(c.personID),
                        risk: c.risk.label(lang), abnormal: abnormal.isEmpty ? "—" : abnormal,
                        early: c.earlyFinding.map { "\($0.label(lang)) \(c.earlyOn ?? "")" } ?? "", outcome: c.outcomeFinding.map { "\($0.label(lang)) \(c.outcomeOn ?? "")" } ?? "")
    }

    static func pregnancyFields(_ form: [String: String], errors: [FieldError], today: Day, lang: Lang) -> [FormField] {
        FormField.attach(errors, to: [
            FormField(name: "detectedOn", label: Text("发现日期", "Known since")(lang), value: form["detectedOn"] ?? today.description, type: "date", required: true),
            FormField(name: "lastMenstrualPeriod", label: Text("末次月经（可不填）", "Last menstrual period (optional)")(lang), value: form["lastMenstrualPeriod"] ?? "", type: "date"),
            PersonPages.select("source", Text("来源", "Source"), PregnancySource.entries, form.merging(["source": form["source"] ?? "report"]) { a, _ in a }, empty: Text("—", "—"), lang: lang),
            FormField(name: "note", label: Text("备注", "Note")(lang), value: form["note"] ?? ""),
        ], lang: lang)
    }

    static func checkFields(_ form: [String: String], errors: [FieldError], person: Person, today: Day, lang: Lang) -> [FormField] {
        let results = ItemResult.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) }
        return FormField.attach(errors, to: [
            FormField(name: "date", label: Text("检查日期", "Checked on")(lang), value: form["date"] ?? today.description, type: "date", required: true),
            FormField(name: "spouseName", label: Text("配偶姓名", "Spouse's name")(lang), value: form["spouseName"] ?? "", required: person.spouseID == nil,
                      hint: person.spouseID == nil ? nil : Text("登记中的配偶已关联，可不填。", "The spouse in the registry is linked; leave empty.")(lang)),
            FormField(name: "spouseIDNumber", label: Text("配偶身份证号（不在登记中时）", "Spouse's ID number (when not in the registry)")(lang), value: form["spouseIDNumber"] ?? ""),
        ] + PrePregnancyItem.allCases.map { item in
            PersonPages.select("items/\(item.rawValue)", item.label, results, form, empty: Text("未填（按未做）", "Not filled (not done)"), lang: lang)
        } + [
            PersonPages.select("risk", Text("风险人群", "Risk group"), RiskGroup.allCases.map { Codes.Entry(code: $0.rawValue, label: $0.label) },
                               form.merging(["risk": form["risk"] ?? "general"]) { a, _ in a }, empty: Text("—", "—"), lang: lang),
            FormField(name: "counselling", label: Text("咨询指导", "Counselling")(lang), value: form["counselling"] ?? ""),
        ], lang: lang)
    }

    static func checkInput(_ form: Form, person: Person) -> PrePregnancyInput {
        var input = PrePregnancyInput()
        input.person = person.id.text; input.date = form["date"]; input.risk = form["risk"]; input.counselling = form["counselling"]
        if (form["spouseName"] ?? "").trimmed.isEmpty, let s = person.spouseID { input.spouse = s.text } else { input.spouseName = form["spouseName"]; input.spouseIDNumber = form["spouseIDNumber"] }
        input.items = Dictionary(uniqueKeysWithValues: PrePregnancyItem.allCases.compactMap { i in form["items/\(i.rawValue)"].flatMap { $0.isEmpty ? nil : (i.rawValue, $0) } })
        return input
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        let health: @Sendable (AppContext) throws -> Void = { context in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
        }
        @Sendable func page(_ heading: Text, _ person: Person, action: String, formID: String, fields: [FormField], hint: Text?, error: RenkouError?, request: Request, context: AppContext) -> Response {
            let lang = context.lang
            let model = SimpleFormView(heading: Text("\(heading.zh)：\(person.name)", "\(heading.en): \(person.name)")(lang), back: SitePath.person(person.id), backLabel: person.name,
                                       hint: hint?(lang), action: action, formID: formID, fields: fields, message: error?.message(lang))
            return deps.renderer.html("services/form", title: heading, model: model, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        let pregnancyHeading = Text("记录孕情", "Record a pregnancy"), checkHeading = Text("孕前优生健康检查", "Pre-pregnancy check")
        router.get("/persons/{id}/pregnancies/new") { request, context -> Response in
            try health(context)
            let person = try await deps.stores.persons.read(try context.uuid("id", Text("人员", "person")), in: context.scope, by: context.actor)
            return page(pregnancyHeading, person, action: newPregnancyPath(person.id), formID: "pregnancy-form",
                        fields: pregnancyFields([:], errors: [], today: Day(deps.stores.env.now()), lang: context.lang), hint: nil, error: nil, request: request, context: context)
        }
        router.post("/persons/{id}/pregnancies/new") { request, context -> Response in
            try health(context)
            let id = try context.uuid("id", Text("人员", "person")), form = try await Form.read(request, context: context)
            do {
                _ = try await deps.stores.pregnancies.open(PregnancyInput(person: id.text, source: form["source"], detectedOn: form["detectedOn"],
                                                                          lastMenstrualPeriod: form["lastMenstrualPeriod"], note: form["note"]), in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(id), notice: Text("已记录孕情。", "The pregnancy is recorded."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                let person = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
                return page(pregnancyHeading, person, action: newPregnancyPath(id), formID: "pregnancy-form",
                            fields: pregnancyFields(form.values, errors: error.fields, today: Day(deps.stores.env.now()), lang: context.lang), hint: nil, error: error, request: request, context: context)
            }
        }
        @Sendable func outcomeForm(_ id: UUID, form: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let g = try await deps.stores.pregnancies.pregnancy(id, in: context.scope, by: context.actor)
            let fields = FormField.attach(error?.fields ?? [], to: [
                PersonPages.select("outcome", Text("妊娠结局", "Outcome"), PregnancyOutcome.entries, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "date", label: Text("结局日期", "Day of the outcome")(lang), value: form["date"] ?? Day(deps.stores.env.now()).description, type: "date", required: true),
                FormField(name: "note", label: Text("备注", "Note")(lang), value: form["note"] ?? ""),
            ], lang: lang)
            let model = SimpleFormView(heading: Text("妊娠结局：\(g.personName)", "Pregnancy outcome: \(g.personName)")(lang), back: SitePath.person(g.personID), backLabel: g.personName,
                                       hint: Text("活产请同时在人口登记中登记出生；登记出生时会自动结束孕情。", "For a live birth, register the birth too: registering it ends the pregnancy by itself.")(lang),
                                       action: outcomePath(id), formID: "outcome-form", fields: fields, message: error?.message(lang))
            return deps.renderer.html("services/form", title: Text("妊娠结局", "Pregnancy outcome"), model: model, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/pregnancies/{id}/outcome") { request, context -> Response in
            try health(context)
            return try await outcomeForm(try context.uuid("id", Text("孕情", "pregnancy")), form: [:], error: nil, request: request, context: context)
        }
        router.post("/pregnancies/{id}/outcome") { request, context -> Response in
            try health(context)
            let id = try context.uuid("id", Text("孕情", "pregnancy")), form = try await Form.read(request, context: context)
            do {
                let g = try await deps.stores.pregnancies.recordOutcome(id, outcome: form["outcome"], on: form["date"], note: form["note"], in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(g.personID), notice: Text("已记录妊娠结局。", "The outcome is recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await outcomeForm(id, form: form.values, error: error, request: request, context: context)
            }
        }
        router.get("/persons/{id}/prepregnancy/new") { request, context -> Response in
            try health(context)
            let person = try await deps.stores.persons.read(try context.uuid("id", Text("人员", "person")), in: context.scope, by: context.actor)
            return page(checkHeading, person, action: newCheckPath(person.id), formID: "prepregnancy-form",
                        fields: checkFields([:], errors: [], person: person, today: Day(deps.stores.env.now()), lang: context.lang),
                        hint: Text("19 项检查；早孕随访自动安排。", "The 19 items; the early-pregnancy follow-up is scheduled by itself."), error: nil, request: request, context: context)
        }
        router.post("/persons/{id}/prepregnancy/new") { request, context -> Response in
            try health(context)
            let id = try context.uuid("id", Text("人员", "person")), form = try await Form.read(request, context: context)
            let person = try await deps.stores.persons.read(id, in: context.scope, by: context.actor)
            do {
                _ = try await deps.stores.prePregnancy.record(checkInput(form, person: person), in: context.scope, by: context.actor)
                return Redirect.to(SitePath.person(id), notice: Text("已记录孕前优生健康检查；早孕随访已安排。", "The check is recorded; the early-pregnancy follow-up is scheduled."))
            } catch let error as RenkouError where error.kind == .invalid {
                return page(checkHeading, person, action: newCheckPath(id), formID: "prepregnancy-form",
                            fields: checkFields(form.values, errors: error.fields, person: person, today: Day(deps.stores.env.now()), lang: context.lang),
                            hint: nil, error: error, request: request, context: context)
            }
        }

        @Sendable func year(_ request: Request, _ context: AppContext, form: [String: String], error: RenkouError?, account: Account) async throws -> Response {
            let lang = context.lang, thisYear = Day(deps.stores.env.now()).year
            let year = Int(form["year"] ?? request.query("year") ?? "") ?? thisYear
            let quotas = try await deps.stores.prePregnancy.quotas(year: year, in: context.scope)
            let sees = account.role.can(.services(.seeReproductiveHealth))
            let checks = sees ? try await deps.stores.prePregnancy.checks(year: year, in: context.scope, by: context.actor) : []
            let target = ServiceIndicator.prePregnancyCoverage.target ?? 1
            var defaults = form
            if defaults["unit"] == nil { defaults["unit"] = account.unitCode }
            if defaults["year"] == nil { defaults["year"] = String(year) }
            let model = PrePregnancyView(
                year: year, years: (thisYear - 2...thisYear + 1).map { y in PrePregnancyView.YearLink(label: String(y), href: "/prepregnancy?year=\(y)", active: y == year) },
                quotas: quotas.map { q in
                    let rate = q.couples == 0 ? nil : Double(q.checked) / Double(q.couples)
                    return PrePregnancyView.QuotaRow(unit: q.unitName, couples: q.couples, checked: q.checked, coverage: Format.percent(rate), below: (rate ?? 1) < target)
                },
                hasQuotas: !quotas.isEmpty, canSetQuota: account.role.can(.services(.plan)),
                fields: FormField.attach(error?.fields ?? [], to: [
                    FormField(name: "unit", label: Text("单位代码", "Unit code")(lang), value: defaults["unit"] ?? "", required: true),
                    FormField(name: "year", label: Text("年度", "Year")(lang), value: defaults["year"] ?? "", type: "number", required: true),
                    FormField(name: "couples", label: Text("任务数（对）", "Quota (couples)")(lang), value: defaults["couples"] ?? "", type: "number", required: true),
                ], lang: lang),
                message: error?.message(lang), seesHealth: sees, checks: checks.map { checkRow($0, lang: lang) }, hasChecks: !checks.isEmpty)
            return deps.renderer.html("services/prepregnancy", title: Text("孕前优生", "Pre-pregnancy checks"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/prepregnancy") { request, context -> Response in
            let account = try context.require(.services(.read))
            return try await year(request, context, form: [:], error: nil, account: account)
        }
        router.post("/prepregnancy/quotas") { request, context -> Response in
            let account = try context.require(.services(.plan))
            let form = try await Form.read(request, context: context)
            do {
                let q = try await deps.stores.prePregnancy.setQuota(unitCode: form["unit"] ?? "", year: Int(form["year"] ?? "") ?? 0, couples: Int(form["couples"] ?? "") ?? -1,
                                                                    in: context.scope, by: context.actor)
                return Redirect.to("/prepregnancy?year=\(q.year)", notice: Text("已设定\(q.unitName) \(q.year) 年任务 \(q.couples) 对。", "\(q.unitName)'s quota for \(q.year): \(q.couples) couples."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await year(request, context, form: form.values, error: error, account: account)
            }
        }
    }

    struct Outcome: Decodable { let outcome: String?; let date: String?; let note: String? }
    struct QuotaInput: Decodable { let unit: String?; let year: Int?; let couples: Int? }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.post, "/api/v1/pregnancies") { request, context in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let input = try await Body.json(PregnancyInput.self, request, context: context)
            return try JSON.response(try await deps.stores.pregnancies.open(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/pregnancies/{id}/outcome") { request, context in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let id = try context.uuid("id", Text("孕情", "pregnancy"))
            let body = try await Body.json(Outcome.self, request, context: context)
            return try JSON.response(try await deps.stores.pregnancies.recordOutcome(id, outcome: body.outcome, on: body.date, note: body.note, in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/prepregnancy-checks") { request, context in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let input = try await Body.json(PrePregnancyInput.self, request, context: context)
            return try JSON.response(try await deps.stores.prePregnancy.record(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/prepregnancy-checks") { request, context in
            _ = try context.require(.services(.seeReproductiveHealth))
            let year = request.query("year").flatMap(Int.init) ?? Day(deps.stores.env.now()).year
            return try JSON.response(try await deps.stores.prePregnancy.checks(year: year, in: context.scope, by: context.actor))
        }
        api.on(.get, "/api/v1/prepregnancy-quotas") { request, context in
            _ = try context.require(.services(.read))
            let year = request.query("year").flatMap(Int.init) ?? Day(deps.stores.env.now()).year
            return try JSON.response(try await deps.stores.prePregnancy.quotas(year: year, in: context.scope))
        }
        api.on(.put, "/api/v1/prepregnancy-quotas") { request, context in
            _ = try context.require(.services(.plan))
            let body = try await Body.json(QuotaInput.self, request, context: context)
            return try JSON.response(try await deps.stores.prePregnancy.setQuota(unitCode: body.unit ?? "", year: body.year ?? 0, couples: body.couples ?? -1,
                                                                                 in: context.scope, by: context.actor))
        }
    }
}

/// The pre-pregnancy page of a year: quotas with coverage, the quota form, the couples checked.
struct PrePregnancyView {
    struct YearLink { let label: String, href: String; let active: Bool }
    struct QuotaRow { let unit: String; let couples: Int, checked: Int; let coverage: String; let below: Bool }
    let year: Int
    let years: [YearLink]
    let quotas: [QuotaRow]
    let hasQuotas: Bool
    let canSetQuota: Bool
    let fields: [FormField]
    let message: String?
    let seesHealth: Bool
    let checks: [PregnancyPages.CheckRow]
    let hasChecks: Bool
}
