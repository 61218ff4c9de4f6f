import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Outreach (宣传教育与计生协会): the year's calendar and progress, activities with attendance and
/// photos, the publicity boards, surveys, the association and the volunteers' reports, and their API.
struct OutreachWebModule: WebModule {
    let name = "outreach"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { OutreachPages.register(router, deps); SurveyPages.register(router, deps); AssociationPages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { OutreachAPI.register(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/outreach", Text("宣传培训", "Outreach"), order: 85, permission: .outreach(.read)),
                                  NavEntry("/association", Text("计生协会", "Association"), order: 85, permission: .outreach(.read))] }
    var strings: [String: Text] { OutreachPages.strings.merging(SurveyPages.strings) { a, _ in a }.merging(AssociationPages.strings) { a, _ in a } }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.volunteerReport, Text("信息反馈核实", "Volunteer's report to check"), link: { _ in "/association#reports" })),
         ExtensionPoint.taskKinds(TaskKindView(.outreachReminder, Text("宣传提醒", "Outreach reminder"), link: { t in t.object?.type == "outreach-board" ? "/outreach/boards" : "/outreach" },
                                               action: { t in (t.object?.type == "outreach-board" ? "/outreach/boards" : "/outreach/activities/new?day=\(t.due)", Text("登记", "Record")) })),
         ExtensionPoint.recordLinks(RecordLink(kind: "outreach-unit", href: { "/outreach/units/\($0.uuidString.lowercased())" })),
         ExtensionPoint.recordLinks(RecordLink(kind: "outreach-board", href: { _ in "/outreach/boards" })),
         ExtensionPoint.recordLinks(RecordLink(kind: "survey-response", href: { "/outreach/responses/\($0.uuidString.lowercased())" })),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "outreach"))]
    }
}

enum OutreachPages {
    static let strings: [String: Text] = [
        "outreach": Text("宣传培训", "Outreach"),
        "outreach_intro": Text("本年的宣传节点、培训和人口学校、宣传栏：各社区对照年度目标的进度（宣传员培训 ≥2 次、群众培训 ≥12 次），落后的排在前面。",
                               "The year's key dates, trainings and population-school sessions and boards: each community against its yearly targets (≥2 trainings for propagandists, ≥12 for residents), those behind first."),
        "outreach_year": Text("年度", "Year"),
        "outreach_progress": Text("各社区进度", "Communities' progress"),
        "outreach_propagandists": Text("宣传员培训", "Propagandist trainings"),
        "outreach_residents": Text("群众培训", "Resident trainings"),
        "outreach_publicity": Text("宣传活动", "Publicity"),
        "outreach_key_dates": Text("宣传节点", "Key dates"),
        "outreach_behind": Text("落后", "Behind"),
        "outreach_boards_overdue": Text("宣传栏逾期", "Boards overdue"),
        "outreach_activities": Text("活动记录", "Activities"),
        "outreach_record": Text("登记活动", "Record an activity"),
        "outreach_boards": Text("宣传栏", "Publicity boards"),
        "outreach_surveys": Text("调查", "Surveys"),
        "outreach_kind": Text("类别", "Kind"),
        "outreach_topic": Text("主题", "Topic"),
        "outreach_place": Text("地点", "Place"),
        "outreach_audience": Text("培训对象", "Audience"),
        "outreach_trainer": Text("授课人", "Trainer"),
        "outreach_key_date": Text("宣传节点", "Key date"),
        "outreach_materials": Text("发放资料（每行：名称 数量）", "Materials handed out (a line each: name count)"),
        "outreach_attendees": Text("参加人员身份证号（每行一个）", "ID numbers of those who came (one a line)"),
        "outreach_headcount": Text("参加人数", "Headcount"),
        "outreach_minutes": Text("会议记录", "Minutes"),
        "outreach_photo": Text("照片（PNG 或 JPEG）", "Photo (PNG or JPEG)"),
        "outreach_none": Text("暂无。", "None yet."),
        "outreach_marked": Text("已开展", "Marked"),
        "outreach_missed": Text("未开展", "Missed"),
        "outreach_coming": Text("未到", "Coming"),
        "outreach_add_people": Text("补录参加人员和照片", "Add people and a photo"),
        "outreach_add": Text("添加", "Add"),
        "outreach_board_name": Text("名称", "Name"),
        "outreach_last_renewed": Text("上次更新", "Last renewed"),
        "outreach_next_due": Text("下次更新期限", "Next renewal due by"),
        "outreach_theme": Text("本期主题", "This issue's theme"),
        "outreach_renew": Text("登记更新", "Record a renewal"),
        "outreach_new_board": Text("新增宣传栏", "New board"),
        "outreach_overdue": Text("逾期", "Overdue"),
        "outreach_rates": Text("指标", "Rates"),
        "outreach_day": Text("日期", "Day"),
        "outreach_planned": Text("计划", "Planned"),
        "outreach_materials_handed": Text("发放资料", "Materials handed out"),
        "outreach_people": Text("参加人员", "Who came"),
        "outreach_boards_intro": Text("每块宣传栏（黑板报、橱窗）每季度更新一期；上一季度未更新的标为逾期，季末前两周提醒进入任务清单。",
                                      "Each board is renewed every quarter; one not renewed last quarter is overdue; two weeks before a quarter ends the reminder is on the task list."),
    ]

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/outreach") { request, context -> Response in
            _ = try context.require(.outreach(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let year = request.query("year").flatMap { Int($0) }.map { min(max($0, 2000), 2100) } ?? today.year
            let unit = request.query("unit").flatMap { $0.isEmpty ? nil : $0 }
            let progress = try await deps.stores.outreach.progress(year: year, on: today, in: context.scope)
            let activities = try await deps.stores.outreach.list(year: year, unitCode: unit, in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.street, .community, .grid], in: context.scope)
            let keyDates = deps.stores.env.policy(.keyDates, on: today)
            struct KeyDateLine { let name: String; let day: String }
            struct ProgressLine { let unit: String; let p: String; let r: String; let publicity: Int; let dates: String; let behind: Int; let boards: Int; let below: Bool }
            struct ActivityLine { let day: String; let kind: String; let topic: String; let unit: String; let headcount: Int; let href: String; let planned: Bool }
            struct RateLink { let name: String; let href: String }
            struct View { let year: Int; let units: [FormField.Option]; let keyDates: [KeyDateLine]; let progress: [ProgressLine]; let hasProgress: Bool; let activities: [ActivityLine]; let hasActivities: Bool
                let canWrite: Bool; let rates: [RateLink] }
            let marks = { (p: OutreachProgress) in
                keyDates.map { k in "\(k.name(lang).split(separator: " ").first ?? "") \(p.keyDates[k.code].map { $0 ? "✓" : "✗" } ?? "·")" }.joined(separator: "  ")
            }
            let view = View(year: year, units: FormField.unitOptions(units, selected: unit, empty: Text("全部", "All"), lang: lang),
                            keyDates: keyDates.map { KeyDateLine(name: $0.name(lang), day: $0.on(year).description) },
                            progress: progress.map { ProgressLine(unit: $0.unitName, p: "\($0.propagandistTrainings)/\($0.propagandistTarget)", r: "\($0.residentTrainings)/\($0.residentTarget)",
                                                       publicity: $0.publicity, dates: marks($0), behind: $0.behind, boards: $0.boardsOverdue, below: $0.behind > 0 || $0.boardsOverdue > 0) },
                            hasProgress: !progress.isEmpty,
                            activities: activities.reversed().map { ActivityLine(day: $0.day, kind: $0.kind.label(lang) + ($0.audience.map { "（\($0.label(lang))）" } ?? ""), topic: $0.topic,
                                                                    unit: $0.unitName, headcount: $0.headcount, href: "/outreach/activities/\($0.id.text)", planned: $0.day > today.description) },
                            hasActivities: !activities.isEmpty, canWrite: context.account?.role.can(.outreach(.write)) ?? false,
                            rates: deps.stores.indicators.all.filter { $0.module == "outreach" }.map { RateLink(name: $0.name(lang), href: "/indicators/\($0.code)") })
            return deps.renderer.html("outreach/index", title: Text("宣传培训", "Outreach"), model: view, context: context, request: request)
        }
        // the click-through of an answer sheet: its survey
        router.get("/outreach/responses/{id}") { _, context -> Response in
            _ = try context.require(.outreach(.read))
            let survey = try await deps.stores.surveys.survey(ofResponse: try context.uuid("id", Text("答卷", "answer sheet")), in: context.scope)
            return Redirect.to("/outreach/surveys/\(survey.text)")
        }
        // the click-through of a community's figure: its year
        router.get("/outreach/units/{id}") { _, context -> Response in
            _ = try context.require(.outreach(.read))
            let id = try context.uuid("id", Text("单位", "unit"))
            guard let unit = try await deps.stores.orgs.list(levels: [.community, .street, .grid], in: context.scope).first(where: { $0.id == id }) else { throw RenkouError.notFound(Text("单位", "unit")) }
            return Redirect.to("/outreach?unit=\(unit.code)")
        }

        @Sendable func form(_ error: RenkouError?, values: [String: String], request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.outreach(.write))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let units = try await deps.stores.orgs.list(levels: [.district, .street, .community, .grid], in: context.scope)
            let associations = try await deps.stores.associations.list(in: context.scope)
            var fields = [
                PersonPages.select("kind", Text("类别", "Kind"), OutreachKind.entries, values, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "unit", label: Text("单位", "Unit")(lang), value: values["unit"] ?? "", options: FormField.unitOptions(units, selected: values["unit"], empty: Text("请选择", "Choose"), lang: lang)),
                FormField(name: "day", label: Text("日期", "Day")(lang), value: values["day"] ?? today.description, type: "date", required: true),
                FormField(name: "topic", label: strings["outreach_topic"]!(lang), value: values["topic"] ?? "", required: true),
                FormField(name: "place", label: strings["outreach_place"]!(lang), value: values["place"] ?? ""),
                PersonPages.select("audience", strings["outreach_audience"]!, TrainingAudience.entries, values, empty: Text("（培训时必选）", "(for a training)"), lang: lang),
                FormField(name: "trainer", label: strings["outreach_trainer"]!(lang), value: values["trainer"] ?? ""),
                PersonPages.select("keyDate", strings["outreach_key_date"]!, deps.stores.env.policy(.keyDates, on: today).map { Codes.Entry(code: $0.code, label: $0.name) }, values,
                                   empty: Text("无", "None"), lang: lang),
                FormField(name: "headcount", label: strings["outreach_headcount"]!(lang), value: values["headcount"] ?? "", type: "number"),
                FormField(name: "association", label: Text("协会（会议）", "Association (a meeting)")(lang), value: values["association"] ?? "",
                          options: [FormField.Option(value: "", label: Text("无", "None")(lang), selected: (values["association"] ?? "").isEmpty)]
                            + associations.map { FormField.Option(value: $0.id.text, label: $0.name, selected: $0.id.text == values["association"]) }),
            ]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            func fieldError(_ prefix: String) -> String? { error?.fields.first { $0.field.hasPrefix(prefix) }?.message(lang) }
            struct View { let fields: [FormField]; let materials: String; let attendees: String; let minutes: String; let message: String?
                let materialsError: String?; let attendeesError: String?; let photoError: String? }
            let view = View(fields: fields, materials: values["materials"] ?? "", attendees: values["attendees"] ?? "", minutes: values["minutes"] ?? "", message: error?.message(lang),
                            materialsError: fieldError("materials"), attendeesError: fieldError("attendees"), photoError: fieldError("photo"))
            return deps.renderer.html("outreach/activity_form", title: Text("登记活动", "Record an activity"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/outreach/activities/new") { request, context -> Response in
            var values: [String: String] = [:]
            // from a key date's reminder: the day, and the key date it is
            if let d = request.query("day").flatMap(Day.init) {
                values["day"] = d.description
                if let k = deps.stores.env.policy(.keyDates, on: d).first(where: { $0.on(d.year) == d }) { values["keyDate"] = k.code; values["kind"] = "publicity" }
            }
            return try await form(nil, values: values, request: request, context: context)
        }
        router.post("/outreach/activities") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let (f, upload) = try await Upload.fields(request, context: context, fileField: "photo")
            defer { if let file = upload?.file { try? FileManager.default.removeItem(at: file) } }
            do {
                let photo = try upload.flatMap { try Upload.scan($0, field: "photo") }
                let a = try await deps.stores.outreach.record(activityInput(f), photo: photo, in: context.scope, by: context.actor)
                return Redirect.to("/outreach/activities/\(a.id.text)", notice: Text("已登记。", "Recorded."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await form(error, values: f.values, request: request, context: context)
            }
        }
        router.get("/outreach/activities/{id}") { request, context -> Response in
            _ = try context.require(.outreach(.read))
            let lang = context.lang
            let a = try await deps.stores.outreach.activity(try context.uuid("id", Text("活动", "activity")), in: context.scope, by: context.actor)
            struct MaterialShown { let kind: String; let count: Int }
            struct PhotoLink { let src: String }
            struct View { let id: String; let kind: String; let topic: String; let unit: String; let day: String; let place: String; let audience: String; let trainer: String
                let keyDate: String; let headcount: Int; let materials: [MaterialShown]; let hasMaterials: Bool; let attendees: [Attendee]; let hasAttendees: Bool; let minutes: String?
                let photos: [PhotoLink]; let canWrite: Bool }
            let keyName = a.keyDate.flatMap { k in deps.stores.env.policy(.keyDates, on: Day(a.day)!).first { $0.code == k }?.name(lang) } ?? "—"
            let view = View(id: a.id.text, kind: a.kind.label(lang), topic: a.topic, unit: a.unitName, day: a.day, place: a.place ?? "—", audience: a.audience?.label(lang) ?? "—",
                            trainer: a.trainer ?? "—", keyDate: keyName, headcount: a.headcount, materials: a.materials.map { MaterialShown(kind: $0.kind, count: $0.count) },
                            hasMaterials: !a.materials.isEmpty, attendees: a.attendees, hasAttendees: !a.attendees.isEmpty, minutes: a.minutes,
                            photos: (0..<a.photos).map { PhotoLink(src: "/outreach/activities/\(a.id.text)/photos/\($0)") }, canWrite: context.account?.role.can(.outreach(.write)) ?? false)
            return deps.renderer.html("outreach/activity", title: Text(a.topic, a.topic), model: view, context: context, request: request)
        }
        router.post("/outreach/activities/{id}/attendees") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let id = try context.uuid("id", Text("活动", "activity"))
            let (f, upload) = try await Upload.fields(request, context: context, fileField: "photo")
            defer { if let file = upload?.file { try? FileManager.default.removeItem(at: file) } }
            let photo = try upload.flatMap { try Upload.scan($0, field: "photo") }
            _ = try await deps.stores.outreach.add(attendees: textLines(f["attendees"]), photo: photo, to: id, in: context.scope, by: context.actor)
            return Redirect.to("/outreach/activities/\(id.text)", notice: Text("已添加。", "Added."))
        }
        router.get("/outreach/activities/{id}/photos/{n}") { _, context -> Response in
            _ = try context.require(.outreach(.read))
            let photo = try await deps.stores.outreach.photo(try context.uuid("id", Text("活动", "activity")), Int(try context.parameters.require("n")) ?? -1, in: context.scope)
            return Response(status: .ok, headers: [.contentType: photo.type, .cacheControl: "private, max-age=3600"], body: .init(byteBuffer: ByteBuffer(bytes: photo.data)))
        }

        // boards
        @Sendable func boards(_ error: RenkouError?, values: [String: String], request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.outreach(.read))
            let lang = context.lang, today = Day(deps.stores.env.now())
            let list = try await deps.stores.outreach.boards(on: today, in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.street, .community, .grid], in: context.scope)
            struct BoardLine { let id: String; let name: String; let unit: String; let place: String; let last: String; let theme: String; let due: String; let overdue: Bool; let renew: String }
            struct View { let boards: [BoardLine]; let hasBoards: Bool; let canWrite: Bool; let units: [FormField.Option]; let message: String?; let today: String }
            let view = View(boards: list.map { BoardLine(id: $0.id.text, name: $0.name, unit: $0.unitName, place: $0.place ?? "", last: $0.lastRenewedOn ?? "—", theme: $0.lastTheme ?? "",
                                                  due: $0.nextDueOn, overdue: $0.overdue, renew: "/outreach/boards/\($0.id.text)/renewals") },
                            hasBoards: !list.isEmpty, canWrite: context.account?.role.can(.outreach(.write)) ?? false,
                            units: FormField.unitOptions(units, selected: values["unit"], empty: Text("请选择", "Choose"), lang: lang),
                            message: error.map { e in ([e.message(lang)] + e.fields.map { $0.message(lang) }).joined(separator: " ") }, today: today.description)
            return deps.renderer.html("outreach/boards", title: Text("宣传栏", "Publicity boards"), model: view, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/outreach/boards") { request, context -> Response in try await boards(nil, values: [:], request: request, context: context) }
        router.post("/outreach/boards") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.outreach.addBoard(unit: f["unit"] ?? "", name: f["name"] ?? "", place: f["place"], in: context.scope, by: context.actor)
                return Redirect.to("/outreach/boards", notice: Text("已添加。", "Added."))
            } catch let error as RenkouError where error.kind == .invalid { return try await boards(error, values: f.values, request: request, context: context) }
        }
        router.post("/outreach/boards/{id}/renewals") { request, context -> Response in
            _ = try context.require(.outreach(.write))
            let f = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.outreach.renew(try context.uuid("id", Text("宣传栏", "board")), day: f["day"], theme: f["theme"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to("/outreach/boards", notice: Text("已登记更新。", "Renewal recorded."))
            } catch let error as RenkouError where error.kind == .invalid { return try await boards(error, values: f.values, request: request, context: context) }
        }
    }

    /// An activity from a page form: materials a line each ("宣传折页 200"), attendees an ID number a line.
    static func activityInput(_ f: RenkouWeb.Form) -> ActivityInput {
        let materials = textLines(f["materials"]).map { line -> MaterialLine in
            var parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "　" }).map(String.init)
            let count = parts.count > 1 ? Int(parts.removeLast()) ?? 0 : 0
            return MaterialLine(kind: parts.joined(separator: " "), count: count)
        }
        return ActivityInput(kind: f["kind"], unit: f["unit"], day: f["day"], topic: f["topic"], place: f["place"], audience: f["audience"], trainer: f["trainer"],
                             keyDate: f["keyDate"], materials: materials, attendees: textLines(f["attendees"]), headcount: f["headcount"].flatMap { Int($0) } ?? (f["headcount"] == nil ? nil : -1),
                             minutes: f["minutes"], association: f["association"])
    }
}
