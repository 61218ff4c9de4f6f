import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 双查/三查 pages and API: the rounds with their coverage (every services reader), the due list and
/// the results (the service roles only: a due list tells who uses an IUD).
enum CheckUpPages {
    static func roundPath(_ id: UUID) -> String { "/checkups/\(id.text)" }
    static func resultPath(_ id: UUID) -> String { "/checkup-results/\(id.text)" }

    static func kinds(_ kinds: [CheckUpKind], lang: Lang) -> String { kinds.map { $0.label(lang) }.joined(separator: "、") }
    static func results(_ c: CheckUp, lang: Lang) -> String {
        c.due.compactMap { k in c.results[k.rawValue].map { "\(k.label(lang))：\($0.label(lang))" } }.joined(separator: "；")
    }
    static func coverage(_ r: CheckUpRound) -> String { Format.percent(r.coverage) }

    struct RoundRow { let name: String, href: String, unit: String, days: String, due: Int, checked: Int, coverage: String; let below: Bool }
    static func roundRow(_ r: CheckUpRound) -> RoundRow {
        RoundRow(name: r.name, href: roundPath(r.id), unit: r.unitName, days: "\(r.startsOn) – \(r.endsOn)", due: r.due, checked: r.checked,
                 coverage: coverage(r), below: (r.coverage ?? 1) < ServiceIndicator.checkUpCoverage.target!)
    }

    static func roundFields(_ form: [String: String], errors: [FieldError], lang: Lang) -> [FormField] {
        FormField.attach(errors, to: [
            FormField(name: "unit", label: Text("单位代码", "Unit code")(lang), value: form["unit"] ?? "", required: true),
            FormField(name: "name", label: Text("轮次名称", "Name of the round")(lang), value: form["name"] ?? "", required: true,
                      hint: Text("如：2026 年第二轮", "e.g. 2026, round 2")(lang)),
            FormField(name: "startsOn", label: Text("开始日期", "Starts on")(lang), value: form["startsOn"] ?? "", type: "date", required: true),
            FormField(name: "endsOn", label: Text("结束日期", "Ends on")(lang), value: form["endsOn"] ?? "", type: "date", required: true),
        ], lang: lang)
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func list(_ form: [String: String], error: RenkouError?, account: Account, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let rounds = try await deps.stores.checkUps.rounds(in: context.scope)
            var defaults = form
            if defaults["unit"] == nil { defaults["unit"] = account.unitCode }
            let model = RoundsView(rounds: rounds.map(roundRow), hasRounds: !rounds.isEmpty, canOpen: account.role.can(.services(.write)),
                                   fields: roundFields(defaults, errors: error?.fields ?? [], lang: lang), message: error?.message(lang),
                                   hint: Text("每轮开始时按规则生成应查名单：已婚育龄妇女查病，放环者查环，查孕按规定免检者除外。",
                                              "When a round opens its due list is drawn by the rules: married women of reproductive age get the gynaecological check, IUD users the IUD check, and the pregnancy check all but the exempt.")(lang))
            return deps.renderer.html("services/rounds", title: Text("双查", "Check-ups"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/checkups") { request, context -> Response in
            let account = try context.require(.services(.read))
            return try await list([:], error: nil, account: account, request: request, context: context)
        }
        router.post("/checkups") { request, context -> Response in
            let account = try context.require(.services(.write))
            let form = try await Form.read(request, context: context)
            do {
                let r = try await deps.stores.checkUps.openRound(CheckUpRoundInput(unit: form["unit"], name: form["name"], startsOn: form["startsOn"], endsOn: form["endsOn"]),
                                                                 in: context.scope, by: context.actor)
                return Redirect.to(roundPath(r.id), notice: Text("已开始\(r.name)：应查 \(r.due) 人。", "\(r.name) is open: \(r.due) women due."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await list(form.values, error: error, account: account, request: request, context: context)
            }
        }
        router.get("/checkups/{id}") { request, context -> Response in
            let account = try context.require(.services(.read))
            let lang = context.lang, id = try context.uuid("id", Text("双查轮次", "check-up round"))
            let round = try await deps.stores.checkUps.round(id, in: context.scope)
            let sees = account.role.can(.services(.seeReproductiveHealth)), canWrite = account.role.can(.services(.write))
            let rows = sees ? try await deps.stores.checkUps.dueList(id, in: context.scope, by: context.actor).map { c in
                DueRow(name: c.personName, personHref: SitePath.person(c.personID), unit: c.unitName, due: kinds(c.due, lang: lang), results: results(c, lang: lang),
                       checkedOn: c.checkedOn ?? "", complete: c.due.allSatisfy { c.results[$0.rawValue]?.isChecked == true },
                       recordHref: canWrite ? resultPath(c.id) : nil)
            } : []
            let model = RoundView(name: round.name, unit: round.unitName, days: "\(round.startsOn) – \(round.endsOn)", coverage: coverage(round), checked: round.checked,
                                  due: round.due, seesHealth: sees, rows: rows,
                                  hint: sees ? nil : Text("应查名单和检查结果仅服务人员可见。", "The due list and the results are shown to the service staff only.")(lang))
            return deps.renderer.html("services/round", title: Text("双查", "Check-ups"), model: model, context: context, request: request)
        }
        @Sendable func resultForm(_ id: UUID, form: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang
            let c = try await deps.stores.checkUps.checkUp(id, in: context.scope, by: context.actor)
            var values = form
            for (k, v) in c.results where values["results/\(k)"] == nil { values["results/\(k)"] = v.rawValue }
            let fields = FormField.attach(error?.fields ?? [], to: [
                FormField(name: "date", label: Text("检查日期", "Checked on")(lang), value: form["date"] ?? c.checkedOn ?? Day(deps.stores.env.now()).description, type: "date", required: true),
            ] + c.due.map { k in
                PersonPages.select("results/\(k.rawValue)", k.label, k.results.map { Codes.Entry(code: $0.rawValue, label: $0.label) }, values, empty: Text("未填", "Not yet"), lang: lang)
            } + [FormField(name: "note", label: Text("备注（免检理由等）", "Note (why exempt, …)")(lang), value: form["note"] ?? c.note ?? "")], lang: lang)
            let model = SimpleFormView(heading: Text("双查结果：\(c.personName)", "Check-up results: \(c.personName)")(lang), back: roundPath(c.roundID),
                                       backLabel: Text("本轮名单", "The round's list")(lang), hint: Text("查孕阳性即记录孕情。", "A positive pregnancy check opens her pregnancy.")(lang),
                                       action: resultPath(id), formID: "checkup-form", fields: fields, message: error?.message(lang))
            return deps.renderer.html("services/form", title: Text("双查结果", "Check-up results"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/checkup-results/{id}") { request, context -> Response in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            return try await resultForm(try context.uuid("id", Text("双查记录", "check-up")), form: [:], error: nil, request: request, context: context)
        }
        router.post("/checkup-results/{id}") { request, context -> Response in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let id = try context.uuid("id", Text("双查记录", "check-up"))
            let form = try await Form.read(request, context: context)
            let input = CheckUpResultInput(date: form["date"], results: Dictionary(uniqueKeysWithValues: CheckUpKind.allCases.compactMap { k in form["results/\(k.rawValue)"].map { (k.rawValue, $0) } }),
                                           note: form["note"])
            do {
                let c = try await deps.stores.checkUps.record(id, input, in: context.scope, by: context.actor)
                return Redirect.to(roundPath(c.roundID), notice: Text("已记录 \(c.personName) 的检查结果。", "\(c.personName)'s results are recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await resultForm(id, form: form.values, error: error, request: request, context: context)
            }
        }
    }

    /// A round as the API gives it: the due list only to the service roles.
    struct RoundDTO: Encodable { let round: CheckUpRound; let dueList: [CheckUp]? }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/checkup-rounds") { _, context in
            _ = try context.require(.services(.read))
            return try JSON.response(try await deps.stores.checkUps.rounds(in: context.scope))
        }
        api.on(.post, "/api/v1/checkup-rounds") { request, context in
            _ = try context.require(.services(.write))
            let input = try await Body.json(CheckUpRoundInput.self, request, context: context)
            return try JSON.response(try await deps.stores.checkUps.openRound(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/checkup-rounds/{id}") { _, context in
            let account = try context.require(.services(.read))
            let id = try context.uuid("id", Text("双查轮次", "check-up round"))
            let round = try await deps.stores.checkUps.round(id, in: context.scope)
            let list = account.role.can(.services(.seeReproductiveHealth)) ? try await deps.stores.checkUps.dueList(id, in: context.scope, by: context.actor) : nil
            return try JSON.response(RoundDTO(round: round, dueList: list))
        }
        api.on(.post, "/api/v1/checkups/{id}") { request, context in
            _ = try context.require(.services(.write)); _ = try context.require(.services(.seeReproductiveHealth))
            let id = try context.uuid("id", Text("双查记录", "check-up"))
            let input = try await Body.json(CheckUpResultInput.self, request, context: context)
            return try JSON.response(try await deps.stores.checkUps.record(id, input, in: context.scope, by: context.actor))
        }
    }
}

/// The rounds page.
struct RoundsView { let rounds: [CheckUpPages.RoundRow]; let hasRounds: Bool; let canOpen: Bool; let fields: [FormField]; let message: String?; let hint: String }
/// One line of a round's due list.
struct DueRow { let name: String, personHref: String, unit: String, due: String, results: String, checkedOn: String; let complete: Bool; let recordHref: String? }
/// A round with its due list.
struct RoundView { let name: String, unit: String, days: String, coverage: String; let checked: Int, due: Int; let seesHealth: Bool; let rows: [DueRow]; let hint: String? }
/// A form page of the services module (`services/form`).
struct SimpleFormView { let heading: String, back: String, backLabel: String; let hint: String?; let action: String?; let formID: String; let fields: [FormField]; let message: String? }
