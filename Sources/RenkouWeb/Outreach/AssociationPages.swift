import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 计生协会: the associations of the area (and the employers of 100+ staff without one), each with
/// its members, groups, 中心户长 and their households, volunteers and their hours; the volunteers'
/// information reports, which land on the worker's task list.
enum AssociationPages {
    static let strings: [String: Text] = [
        "association": Text("计生协会", "Association"),
        "association_intro": Text("各级计生协会和企业协会：会员来自登记库，含小组长、中心户长、五老和志愿者；志愿者反馈的信息进入网格员的任务清单核实。",
                                  "The associations of each level and of enterprises: members from the registry, group leaders, household heads, Five Elders and volunteers; what volunteers report goes to the worker's task list to check."),
        "association_name": Text("协会名称", "Name"),
        "association_members_n": Text("会员数", "Members"),
        "association_founded": Text("成立日期", "Founded"),
        "association_employer": Text("所在企业", "Enterprise"),
        "association_new": Text("成立协会", "New association"),
        "association_without": Text("百人以上企业尚未成立协会", "Employers of 100+ staff without an association"),
        "association_staff": Text("职工数", "Staff"),
        "association_reports": Text("信息反馈", "Volunteers' reports"),
        "association_report": Text("登记信息反馈", "Record a report"),
        "association_reporter": Text("反馈人", "Reported by"),
        "association_address": Text("地址", "Address"),
        "association_state": Text("核实情况", "Check"),
        "association_state_open": Text("待核实", "To check"),
        "association_note": Text("说明", "Note"),
        "association_person": Text("涉及人员身份证号（如在登记库）", "ID number of the person (if in the registry)"),
        "association_check_unit": Text("核实单位（默认协会所在单位）", "Unit to check it (default: the association's)"),
        "association_member_role": Text("协会职务", "Role"),
        "association_group": Text("小组", "Group"),
        "association_households": Text("联系户（户号，每行一个）", "Households looked after (a number a line)"),
        "association_hours": Text("本年服务时长（小时）", "Hours this year"),
        "association_add_member": Text("添加会员", "Add a member"),
        "association_member_id": Text("身份证号", "ID number"),
        "association_log_hours": Text("登记服务", "Log service"),
        "association_activity": Text("服务内容", "What was done"),
    ]

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func index(_ error: RenkouError?, values: [String: String], request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.outreach(.read))
            let lang = context.lang
            let associations = try await deps.stores.associations.list(in: context.scope)
            let without = try await deps.stores.associations.employersWithout(in: context.scope)
            let reports = try await deps.stores.associations.reports(in: context.scope, role: account.role, by: context.actor)
            let canWrite = account.role.can(.outreach(.write)), canAdminister = account.role.can(.outreach(.administer))
            let reporters = canWrite ? try await deps.stores.associations.reporters(in: context.scope, by: context.actor) : []
            let units = try await deps.stores.orgs.list(levels: [.district, .street, .community, .grid], in: context.scope)
            struct AssociationLine { let name: String; let unit: String; let employer: String; let members: Int; let founded: String; let href: String }
            struct EmployerLine { let id: String; let name: String; let staff: Int }
            struct ReportLine { let day: String; let kind: String; let reporter: String; let unit: String; let address: String; let note: String; let state: String; let open: Bool }
            struct View { let associations: [AssociationLine]; let hasAssociations: Bool; let without: [EmployerLine]; let hasWithout: Bool; let reports: [ReportLine]; let hasReports: Bool; let canWrite: Bool
                let canAdminister: Bool; let reporters: [FormField.Option]; let kinds: [FormField.Option]; let units: [FormField.Option]; let homeUnits: [FormField.Option]
                let message: String? }
            let outcome = Dictionary(uniqueKeysWithValues: FieldTask.outcomes.map { ($0.code, $0.label(lang)) })
            let view = View(associations: associations.map { AssociationLine(name: $0.name, unit: $0.unitName, employer: $0.employer ?? "", members: $0.members, founded: $0.foundedOn,
                                                               href: "/association/\($0.id.text)") }, hasAssociations: !associations.isEmpty,
                            without: without.map { EmployerLine(id: $0.id.text, name: $0.name, staff: $0.staff) }, hasWithout: !without.isEmpty,
                            reports: reports.map { ReportLine(day: $0.reportedOn, kind: $0.kind.label(lang), reporter: $0.reporter, unit: $0.unitName, address: $0.address, note: $0.note ?? "",
                                                     state: $0.state == "open" ? strings["association_state_open"]!(lang) : (outcome[$0.state] ?? $0.state), open: $0.state == "open") },
                            hasReports: !reports.isEmpty, canWrite: canWrite, canAdminister: canAdminister,
                            reporters: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: true)]
                                + reporters.map { FormField.Option(value: $0.id.text, label: "\($0.name)（\($0.association)）", selected: $0.id.text == values["reporter"]) },
                            kinds: [FormField.Option(value: "", label: Text("请选择", "Choose")(lang), selected: true)]
                                + InformationKind.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label(lang), selected: $0.rawValue == values["kind"]) },
                            units: FormField.unitOptions(units, selected: values["unit"], empty: Text("默认", "Default"), lang: lang),
                            homeUnits: FormField.unitOptions(units, selected: values["unit"], empty: Text("请选择", "Choose"), lang: lang),
                            message: error.map { e in ([e.message(lang)] + e.fields.map { "\($0.field): \($0.message(lang))" }).joined(separator: " ") })
            return deps.renderer.html("outreach/association", title: Text("计生协会", "Association"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/association") { request, context -> Response in try await index(nil, values: [:], request: request, context: context) }
        router.post("/association") { request, context -> Response in
            _ = try context.require(.outreach(.administer))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                let a = try await deps.stores.associations.create(name: f["name"] ?? "", unit: f["unit"] ?? "", employer: f["employer"], founded: f["founded"], in: context.scope, by: context.actor)
                return Redirect.to("/association/\(a.id.text)", notice: Text("已成立。", "Set up."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict { return try await index(error, values: f.values, request: request, context: context) }
        }
        router.post("/association/reports") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.associations.report(VolunteerReportInput(reporter: f["reporter"], kind: f["kind"], unit: f["unit"], address: f["address"], person: f["person"],
                                                                                   note: f["note"]), in: context.scope, by: context.actor)
                return Redirect.to("/association#reports", notice: Text("已登记，已进入任务清单。", "Recorded; it is on the task list."))
            } catch let error as RenkouError where error.kind == .invalid { return try await index(error, values: f.values, request: request, context: context) }
        }

        @Sendable func detail(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.outreach(.read))
            let lang = context.lang
            guard let a = try await deps.stores.associations.list(in: context.scope).first(where: { $0.id == id }) else { throw RenkouError.notFound(Text("协会", "association")) }
            let members = try await deps.stores.associations.members(id, in: context.scope, by: context.actor)
            struct MemberLine { let id: String; let name: String; let idNumber: String; let role: String; let group: String; let households: String; let hours: String; let personID: String }
            struct View { let id: String; let name: String; let unit: String; let employer: String?; let founded: String; let members: [MemberLine]; let hasMembers: Bool; let canWrite: Bool
                let roles: [FormField.Option]; let message: String?; let today: String }
            let view = View(id: id.text, name: a.name, unit: a.unitName, employer: a.employer, founded: a.foundedOn,
                            members: members.map { MemberLine(id: $0.id.text, name: $0.name, idNumber: $0.idNumber, role: $0.role.label(lang), group: $0.group ?? "", households: $0.households.joined(separator: "、"),
                                                     hours: String(format: "%.1f", $0.hoursThisYear), personID: $0.personID.text) },
                            hasMembers: !members.isEmpty, canWrite: account.role.can(.outreach(.write)),
                            roles: AssociationRole.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label(lang), selected: $0 == .member) },
                            message: error.map { e in ([e.message(lang)] + e.fields.map { "\($0.field): \($0.message(lang))" }).joined(separator: " ") },
                            today: Day(deps.stores.env.now()).description)
            return deps.renderer.html("outreach/association_detail", title: Text(a.name, a.name), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/association/{id}") { request, context -> Response in try await detail(try context.uuid("id", Text("协会", "association")), error: nil, request: request, context: context) }
        router.post("/association/{id}/members") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let id = try context.uuid("id", Text("协会", "association"))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.associations.addMember(id, person: f["person"] ?? "", role: f["role"] ?? "", group: f["group"], households: textLines(f["households"]),
                                                                 joined: f["joined"], in: context.scope, by: context.actor)
                return Redirect.to("/association/\(id.text)", notice: Text("已添加。", "Added."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict { return try await detail(id, error: error, request: request, context: context) }
        }
        router.post("/association/{id}/members/{member}/hours") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let id = try context.uuid("id", Text("协会", "association")), member = try context.uuid("member", Text("会员", "member"))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.associations.logHours(member: member, day: f["day"], hours: f["hours"].flatMap { Double($0) } ?? 0, activity: f["activity"] ?? "",
                                                            in: context.scope, by: context.actor)
                return Redirect.to("/association/\(id.text)", notice: Text("已登记。", "Logged."))
            } catch let error as RenkouError where error.kind == .invalid { return try await detail(id, error: error, request: request, context: context) }
        }
    }
}
