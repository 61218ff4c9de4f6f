import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// 公开栏: the public board of each street and community (`/public/board/{code}`), and the office's
/// notices on it (`/board`).
enum BoardPages {
    static let strings: [String: Text] = [
        "board": Text("公开栏", "Disclosure board"),
        "board_intro": Text("各街道、社区的公开栏：公告、正在公示的待遇名单（姓名和证件号已脱敏）、本年生育登记办理情况、服务点和投诉渠道。",
                            "Each street's and community's board: notices, the benefit lists being posted (names and ID numbers masked), this year's birth registrations, the service points and how to complain."),
        "board_notices": Text("公告", "Notices"),
        "board_benefits": Text("待遇公示", "Benefit lists posted"),
        "board_births": Text("生育登记办理情况", "Birth registrations this year"),
        "board_points": Text("服务点", "Service points"),
        "board_channels": Text("投诉举报渠道", "How to complain"),
        "board_channels_text": Text("网上投诉举报（可匿名，凭查询码查看答复），或到社区服务站当面反映。", "Online (anonymous if you like; follow it with its tracking code), or at the community's service station."),
        "board_publish": Text("发布公告", "Publish a notice"),
        "board_until": Text("截止日期（不填则长期）", "Last day (none: until taken down)"),
        "board_withdraw": Text("撤下", "Take down"),
        "board_none": Text("暂无。", "Nothing yet."),
        "posting_until": Text("公示至", "Posted until"),
    ]

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        // 群众办事: everything the public can do without an account, on one page
        router.get("/public") { request, context -> Response in
            struct View {}
            return deps.renderer.html("supervision/public_index", title: Text("群众办事", "For residents"), model: View(), context: context, request: request)
        }
        router.get("/public/board") { request, context -> Response in
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: .everything)
            struct U { let name: String, href: String }
            struct View { let units: [U] }
            return deps.renderer.html("supervision/board_index", title: Text("公开栏", "Disclosure board"),
                                      model: View(units: units.map { U(name: $0.name, href: "/public/board/\($0.code)") }), context: context, request: request)
        }
        router.get("/public/board/{code}") { request, context -> Response in
            let lang = context.lang
            guard let b = try await deps.stores.board.board(unit: try context.parameters.require("code")) else { throw RenkouError.notFound(Text("公开栏", "board")) }
            struct Line { let number: Int; let name: String; let idNumber: String; let amount: Int }
            struct Run { let title: String; let until: String; let lines: [Line] }
            struct Count { let state: String; let n: Int }
            struct View { let unit: String; let notices: [BoardStore.Notice]; let hasNotices: Bool; let runs: [Run]; let hasRuns: Bool; let births: [Count]; let hasBirths: Bool
                let points: [String]; let hasPoints: Bool; let year: Int }
            let view = View(unit: b.unitName, notices: b.notices, hasNotices: !b.notices.isEmpty,
                            runs: b.benefits.map { r in Run(title: "\(r.year) \(r.programme.label(lang)) · \(r.unit)", until: r.postingUntil,
                                                            lines: r.lines.map { Line(number: $0.number, name: $0.name, idNumber: $0.idNumber, amount: $0.amount) }) },
                            hasRuns: !b.benefits.isEmpty,
                            births: b.births.sorted { $0.key < $1.key }.map { Count(state: RegistrationState(rawValue: $0.key)?.label(lang) ?? $0.key, n: $0.value) },
                            hasBirths: !b.births.isEmpty, points: b.servicePoints, hasPoints: !b.servicePoints.isEmpty, year: b.year)
            return deps.renderer.html("supervision/board", title: Text("公开栏", "Disclosure board"), model: view, context: context, request: request)
        }
        @Sendable func staff(_ error: RenkouError?, form: [String: String], request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.supervision(.write))
            let lang = context.lang
            let notices = try await deps.stores.board.notices(in: context.scope)
            let units = try await deps.stores.orgs.list(levels: [.street, .community], in: context.scope)
            var fields = [
                PersonPages.select("unit", Text("发布到", "On the board of"), units.map { Codes.Entry(code: $0.code, label: Text($0.name, $0.name)) }, form, empty: Text("请选择", "Choose"), lang: lang),
                FormField(name: "title", label: Text("标题", "Title")(lang), value: form["title"] ?? "", required: true),
                FormField(name: "until", label: strings["board_until"]!(lang), value: form["until"] ?? "", type: "date"),
            ]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            struct N { let title: String, unit: String, publishedOn: String, until: String, withdraw: String }
            struct View { let notices: [N]; let hasNotices: Bool; let fields: [FormField]; let body: String; let bodyError: String?; let message: String?; let boards: [FormField.Option] }
            let view = View(notices: notices.map { N(title: $0.title, unit: $0.unit, publishedOn: $0.publishedOn, until: $0.until ?? "—", withdraw: "/board/notices/\($0.id.text)/withdraw") },
                            hasNotices: !notices.isEmpty, fields: fields, body: form["body"] ?? "", bodyError: error?.fields.first { $0.field == "body" }?.message(lang),
                            message: error?.message(lang), boards: units.map { FormField.Option(value: "/public/board/\($0.code)", label: $0.name, selected: false) })
            return deps.renderer.html("supervision/board_staff", title: Text("公开栏", "Disclosure board"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/board") { request, context -> Response in try await staff(nil, form: [:], request: request, context: context) }
        router.post("/board/notices") { request, context -> Response in
            _ = try context.require(.supervision(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                try await deps.stores.board.publish(unit: form["unit"] ?? "", title: form["title"] ?? "", body: form["body"] ?? "", until: form["until"], in: context.scope, by: context.actor)
                return Redirect.to("/board", notice: Text("已发布。", "Published."))
            } catch let error as RenkouError where error.kind == .invalid {
                return try await staff(error, form: form.values, request: request, context: context)
            }
        }
        router.post("/board/notices/{id}/withdraw") { request, context -> Response in
            _ = try context.require(.supervision(.write))
            _ = try await RenkouWeb.Form.read(request, context: context)
            try await deps.stores.board.withdraw(try context.uuid("id", Text("公告", "notice")), in: context.scope, by: context.actor)
            return Redirect.to("/board", notice: Text("已撤下。", "Taken down."))
        }
    }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/public/board/{code}") { _, context in
            guard let b = try await deps.stores.board.board(unit: try context.parameters.require("code")) else { throw RenkouError.notFound(Text("公开栏", "board")) }
            return try JSON.response(b)
        }
        api.on(.get, "/api/v1/board/notices") { _, context in
            _ = try context.require(.supervision(.read))
            return try JSON.response(try await deps.stores.board.notices(in: context.scope))
        }
        struct NoticeBody: Decodable { let unit: String?; let title: String?; let body: String?; let until: String? }
        api.on(.post, "/api/v1/board/notices") { request, context in
            _ = try context.require(.supervision(.write))
            let b = try await Body.json(NoticeBody.self, request, context: context)
            return try JSON.response(try await deps.stores.board.publish(unit: b.unit ?? "", title: b.title ?? "", body: b.body ?? "", until: b.until, in: context.scope, by: context.actor),
                                     status: .created)
        }
        api.on(.delete, "/api/v1/board/notices/{id}") { _, context in
            _ = try context.require(.supervision(.write))
            try await deps.stores.board.withdraw(try context.uuid("id", Text("公告", "notice")), in: context.scope, by: context.actor)
            return Response(status: .noContent)
        }
    }
}
