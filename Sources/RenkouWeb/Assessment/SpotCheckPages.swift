import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 入户抽查: the draws of the year with their accuracy, a draw from a seed, and the visit sheet (print
/// it for the team; enter what was found at the door, household by household).
enum SpotCheckPages {
    static let strings: [String: Text] = [
        "spot_checks": Text("入户抽查", "Household spot checks"),
        "spot_intro": Text("每个社区按随机种子抽取 50–60 户（同一种子抽到同样的户），打印入户核查表，录入上门核实的情况；与登记不一致的，生成核实任务交社区处理，登记不会被自动修改。",
                           "Each community's 50–60 households drawn from a seed (the same seed draws the same households); print the sheet, enter what was found at the door; each difference becomes a task for the community, the registry is not changed by itself."),
        "spot_draw": Text("抽取", "Draw"),
        "spot_size": Text("户数", "Households"),
        "spot_seed": Text("随机种子（留空则新取）", "Seed (empty: a new one)"),
        "spot_visited": Text("已核查", "Visited"),
        "spot_accuracy": Text("帐实相符率", "Accuracy"),
        "spot_present": Text("在户", "Lives here"),
        "spot_unlisted": Text("未登记人员（每行：姓名,出生日期,说明）", "People not on the list (a line each: name,birth date,note)"),
        "spot_save": Text("保存核查结果", "Save the visit"),
        "spot_visit_day": Text("核查日期", "Visited on"),
        "spot_household": Text("户号", "Household"),
        "spot_birth_date": Text("出生日期", "Birth date"),
    ]

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func listPage(_ error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang, year = AssessmentPages.year(request, deps)
            let checks = try await deps.stores.spotChecks.list(year: year, in: context.scope)
            let communities = try await deps.stores.orgs.list(levels: [.community], in: context.scope)
            struct CheckLine { let unit: String; let drawnOn: String; let seed: Int; let households: Int; let visited: Int; let accuracy: String; let href: String }
            struct View { let year: Int; let checks: [CheckLine]; let hasChecks: Bool; let canDraw: Bool; let units: [FormField.Option]; let message: String? }
            let view = View(year: year, checks: checks.map { c in
                                CheckLine(unit: c.unitName, drawnOn: c.drawnOn, seed: c.seed, households: c.households, visited: c.visited,
                                          accuracy: c.accuracy.map { String(format: "%.1f%% (%d/%d)", $0 * 100, c.matched, c.checked) } ?? "—", href: "/assessment/spot-checks/\(c.id.text)")
                            }, hasChecks: !checks.isEmpty, canDraw: account.role.can(.assessment(.plan)),
                            units: FormField.unitOptions(communities, selected: nil, empty: Text("请选择", "Choose"), lang: lang), message: AssessmentPages.message(error, lang))
            return deps.renderer.html("assessment/spot_checks", title: Text("入户抽查", "Household spot checks"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment/spot-checks") { request, context -> Response in try await listPage(nil, request: request, context: context) }
        router.post("/assessment/spot-checks") { request, context -> Response in
            _ = try context.require(.assessment(.plan))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                let c = try await deps.stores.spotChecks.draw(unit: f["unit"] ?? "", year: f["year"].flatMap { Int($0) } ?? Day(deps.stores.env.now()).year,
                                                              size: f["size"].flatMap { Int($0) } ?? (f["size"] == nil ? SpotCheck.defaultSize : 0), seed: f["seed"].flatMap { Int($0) },
                                                              in: context.scope, by: context.actor)
                return Redirect.to("/assessment/spot-checks/\(c.id.text)", notice: Text("已抽取。", "Drawn."))
            } catch let error as RenkouError where error.kind == .invalid { return try await listPage(error, request: request, context: context) }
        }

        @Sendable func sheetPage(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.assessment(.read))
            let lang = context.lang
            let check = try await deps.stores.spotChecks.check(id, in: context.scope)
            let sheet = try await deps.stores.spotChecks.sheet(id, in: context.scope, by: context.actor)
            func options(_ table: [Codes.Entry], _ selected: String?) -> [FormField.Option] {
                [FormField.Option(value: "", label: "—", selected: (selected ?? "").isEmpty)] + table.map { FormField.Option(value: $0.code, label: $0.label(lang), selected: $0.code == selected) }
            }
            struct MemberLine { let id: String; let name: String; let sex: String; let birthDate: String; let marital: String; let sexes: [FormField.Option]; let maritals: [FormField.Option] }
            struct HouseholdLine { let id: String; let position: Int; let number: String; let address: String; let visitedOn: String?; let members: [MemberLine]; let action: String }
            struct View { let title: String; let seed: Int; let accuracy: String; let households: [HouseholdLine]; let canWrite: Bool; let message: String?; let today: String }
            let view = View(title: "\(check.unitName) \(check.year)", seed: check.seed,
                            accuracy: check.accuracy.map { String(format: "%.1f%% (%d/%d)", $0 * 100, check.matched, check.checked) } ?? "—",
                            households: sheet.map { h in
                                HouseholdLine(id: h.householdID.text, position: h.position, number: h.number, address: h.address ?? "", visitedOn: h.visitedOn,
                                              members: h.members.map { m in
                                                  MemberLine(id: m.personID.text, name: m.name, sex: Codes.label(Codes.sex, m.sex)?(lang) ?? m.sex, birthDate: m.birthDate ?? "",
                                                             marital: Codes.label(Codes.maritalStatus, m.maritalStatus)?(lang) ?? "", sexes: options(Codes.sex, m.sex),
                                                             maritals: options(Codes.maritalStatus, m.maritalStatus))
                                              }, action: "/assessment/spot-checks/\(id.text)/visits/\(h.householdID.text)")
                            }, canWrite: account.role.can(.assessment(.write)), message: AssessmentPages.message(error, lang), today: Day(deps.stores.env.now()).description)
            return deps.renderer.html("assessment/spot_check", title: Text("入户核查表", "Visit sheet"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/assessment/spot-checks/{id}") { request, context -> Response in
            try await sheetPage(try context.uuid("id", Text("入户抽查", "spot check")), error: nil, request: request, context: context)
        }
        router.post("/assessment/spot-checks/{id}/visits/{household}") { request, context -> Response in
            _ = try context.require(.assessment(.write))
            let id = try context.uuid("id", Text("入户抽查", "spot check")), household = try context.uuid("household", Text("户", "household"))
            let f = try await RenkouWeb.Form.read(request, context: context)
            // the sheet's members of this household, each with what the form says was found
            let members = try await deps.stores.spotChecks.sheet(id, in: context.scope, by: context.actor).first { $0.householdID == household }?.members ?? []
            let visit = HouseholdVisit(household: household, day: f["day"], members: members.map { m in
                let k = m.personID.text
                return MemberFinding(person: m.personID, present: f["present-\(k)"] != nil, name: f["name-\(k)"], sex: f["sex-\(k)"], birthDate: f["birth-\(k)"], maritalStatus: f["marital-\(k)"])
            }, unlisted: textLines(f["unlisted"]).map { line in
                let parts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                return UnlistedPerson(name: parts[0], birthDate: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil, note: parts.count > 2 ? parts[2...].joined(separator: ",") : nil)
            })
            do {
                try await deps.stores.spotChecks.record(id, visit, in: context.scope, by: context.actor)
                return Redirect.to("/assessment/spot-checks/\(id.text)#h-\(household.text)", notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict { return try await sheetPage(id, error: error, request: request, context: context) }
        }
    }
}
