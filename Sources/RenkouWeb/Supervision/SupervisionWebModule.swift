import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// Supervision (两民主): the office's complaint list and case pages, the public's complaint form and
/// tracking page, the service guide, and their API.
struct SupervisionWebModule: WebModule {
    let name = "supervision"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { ComplaintPages.register(router, deps); PublicComplaintPages.register(router, deps); GuidePages.register(router, deps); BoardPages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { ComplaintAPI.register(api, deps); GuidePages.api(api, deps); BoardPages.api(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/complaints", Text("投诉举报", "Complaints"), order: 90, permission: .supervision(.read)),
                                  NavEntry("/board", Text("公开栏", "Disclosure board"), order: 90, permission: .supervision(.write)),
                                  NavEntry("/guide", Text("办事指南", "Service guide"), order: 90, permission: .supervision(.administer))] }
    var strings: [String: Text] { ComplaintPages.strings.merging(PublicComplaintPages.strings) { a, _ in a }.merging(GuidePages.strings) { a, _ in a }.merging(BoardPages.strings) { a, _ in a } }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.complaint, Text("投诉举报办理", "Complaint to answer"), link: { ComplaintPages.path($0.id) },
                                               action: { t in (ComplaintPages.path(t.id), Text("办理", "Handle")) })),
         ExtensionPoint.recordLinks(RecordLink(kind: "complaint", href: ComplaintPages.path)),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "supervision"))]
    }
}

enum ComplaintAPI {
    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/complaints") { request, context in
            let account = try context.require(.supervision(.read))
            return try JSON.response(try await deps.stores.complaints.list(state: request.query("state").flatMap(ComplaintState.init(rawValue:)),
                                                                           overdueOnly: request.query("overdue") == "true", in: context.scope, role: account.role))
        }
        api.on(.post, "/api/v1/complaints") { request, context in
            _ = try context.require(.supervision(.write))
            let input = try await Body.json(ComplaintInput.self, request, context: context)
            return try JSON.response(try await deps.stores.complaints.file(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/complaints/templates") { request, context in
            _ = try context.require(.supervision(.read))
            let all = deps.stores.env.policy(.responseTemplates, on: Day(deps.stores.env.now()))
            return try JSON.response(request.query("category").map { c in all.filter { $0.suits(c) } } ?? all)
        }
        api.on(.get, "/api/v1/complaints/{id}") { _, context in
            let account = try context.require(.supervision(.read))
            return try JSON.response(try await deps.stores.complaints.complaint(try context.uuid("id", Text("投诉举报", "case")), in: context.scope, role: account.role, by: context.actor))
        }
        struct ActionBody: Decodable { let action: String?; let note: String?; let handler: String?; let unit: String?; let upheld: Bool?; let reward: Int? }
        api.on(.post, "/api/v1/complaints/{id}/actions") { request, context in
            let account = try context.require(.supervision(.write))
            let b = try await Body.json(ActionBody.self, request, context: context)
            return try JSON.response(try await deps.stores.complaints.act(try context.uuid("id", Text("投诉举报", "case")), action: b.action ?? "", note: b.note, handler: b.handler,
                                                                          unit: b.unit, upheld: b.upheld, reward: b.reward, in: context.scope, role: account.role, by: context.actor))
        }
        // the public: file, follow, rate, reopen (rate-limited, no account)
        api.on(.post, "/api/v1/public/complaints") { request, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let input = try await Body.json(ComplaintInput.self, request, context: context)
            let filed = try await deps.stores.complaints.file(input, in: nil, by: PublicComplaintPages.anonymousActor)
            return try JSON.response(PublicComplaint(filed), status: .created)
        }
        api.on(.get, "/api/v1/public/complaints/{code}") { _, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            guard let view = try await deps.stores.complaints.publicView(code: try context.parameters.require("code")) else { throw RenkouError.notFound(Text("投诉举报", "case")) }
            return try JSON.response(view)
        }
        struct RatingBody: Decodable { let rating: Int?; let partlyResolved: Bool? }
        api.on(.post, "/api/v1/public/complaints/{code}/rating") { request, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let b = try await Body.json(RatingBody.self, request, context: context)
            return try JSON.response(try await deps.stores.complaints.rate(code: try context.parameters.require("code"), rating: b.rating, partly: b.partlyResolved ?? false,
                                                                           by: PublicComplaintPages.anonymousActor))
        }
        struct ReopenBody: Decodable { let reason: String? }
        api.on(.post, "/api/v1/public/complaints/{code}/reopen") { request, context in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let b = try await Body.json(ReopenBody.self, request, context: context)
            return try JSON.response(try await deps.stores.complaints.reopen(code: try context.parameters.require("code"), reason: b.reason ?? "",
                                                                             by: PublicComplaintPages.anonymousActor))
        }
    }
}
