import Foundation
import Hummingbird
import Metrics
import RenkouCore

/// Health, metrics, assets, the language switch and the API description: no session needed.
enum OpsRoutes {
    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        let poolGauge = Gauge(label: "renkou_db_pool_connections", dimensions: [("engine", deps.stores.db.engine.rawValue)])
        let upGauge = Gauge(label: "renkou_db_up")

        router.get("/healthz") { _, _ -> Response in
            guard await deps.stores.db.ping() else {
                throw RenkouError(.unavailable, "db-down", Text("数据库无响应。", "The database does not answer."))
            }
            return try JSON.response(["status": "ok", "database": deps.stores.db.engine.rawValue])
        }

        router.get("/metrics") { _, _ -> Response in
            poolGauge.record(deps.stores.db.poolSize)
            upGauge.record(await deps.stores.db.ping() ? 1 : 0)
            var buffer: [UInt8] = []
            deps.prometheus?.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }

        router.get("/assets/{file}") { _, context -> Response in
            let name = try context.parameters.require("file")
            guard let file = deps.assets.files[name] else { throw RenkouError.routeNotFound }
            return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }

        router.get("/lang/{code}") { request, context -> Response in
            let lang = Lang(tag: context.parameters.get("code"))
            var response = Redirect.to(SitePath.sameSite(request.query("back")) ?? "/")
            response.setCookie(Cookie(name: SessionMiddleware.langCookie, value: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                      secure: deps.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }

        router.get("/api/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: deps.openAPI.data)))
        }
    }
}

extension OpsRoutes {
    /// The readable API reference (needs the session for the page header, not for its content).
    static func registerPages(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.apiDocs)) { request, context -> Response in
            let view = APIDocsView(operations: deps.openAPI.operations.map { op in
                APIDocsView.Operation(method: op.method.uppercased(), methodClass: op.method, path: op.path, summary: op.summary, description: op.description,
                                      anchor: op.method + op.path.replacingOccurrences(of: "/", with: "-"), hasParameters: !op.parameters.isEmpty,
                                      parameters: op.parameters.map { .init(name: $0.name, location: $0.location, required: $0.required, description: $0.description) },
                                      responses: op.responses.map { .init(code: $0.code, description: $0.description) })
            })
            return deps.renderer.html("ops/api_docs", title: Text("接口文档", "API reference"), model: view, context: context, request: request)
        }
    }
}

/// The readable API reference: every documented operation.
struct APIDocsView {
    struct Operation {
        struct Parameter { let name: String; let location: String; let required: Bool; let description: String }
        struct Response { let code: String; let description: String }
        let method: String; let methodClass: String; let path: String; let summary: String; let description: String?
        let anchor: String; let hasParameters: Bool; let parameters: [Parameter]; let responses: [Response]
    }
    let operations: [Operation]
}
