import Foundation
import Hummingbird
import Logging
import Prometheus
import RenkouCore
import RenkouStore
import ServiceLifecycle

/// Everything a handler may need, built once.
struct AppDeps: Sendable {
    let stores: Stores
    let renderer: Renderer
    let config: AppConfig
    let prometheus: PrometheusCollectorRegistry?
    let openAPI: OpenAPIDocument
    let assets: Assets
    /// Every web module's contributions to the extension points (person-page sections, task kinds ...).
    let extensions = Extensions(webModules.flatMap(\.contributions))
}

/// The router with every route of every module (`webModules`). A plain function: tests build the
/// same router on a throw-away database and call it through HummingbirdTesting.
public func buildRouter(stores: Stores, config: AppConfig, prometheus: PrometheusCollectorRegistry? = nil) async throws -> (Router<AppContext>, APIRoutes) {
    var renderer = try await Renderer.load()
    renderer.environment = stores.env
    let deps = AppDeps(stores: stores, renderer: renderer, config: config, prometheus: prometheus,
                       openAPI: try OpenAPIDocument.load(), assets: try Assets.load())
    // HEAD answers what GET would, without the body (RFC 9110 §9.3.2): `HEAD /` redirects like `GET /`.
    let router = Router(context: AppContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware(renderer: deps.renderer))
    OpsRoutes.register(router, deps)
    router.add(middleware: SessionMiddleware(stores: stores, secureCookies: config.secureCookies))
    // Errors of the pages themselves are answered here, inside the session: an error page keeps the
    // signed-in header (navigation, sign-out) and the language; the outer one answers the session's own.
    router.add(middleware: ErrorMiddleware(renderer: deps.renderer))
    // the API's methods and parameters as its OpenAPI document states them (405, 422 before any handler)
    router.add(middleware: APIContractMiddleware(contract: deps.openAPI.contract))
    let api = APIRoutes(router: router)
    OpsRoutes.registerPages(router, deps)
    for module in webModules { module.pages(router, deps) }
    for module in webModules { module.api(api, deps) }
    return (router, api)
}

/// The server: router, database shutdown on SIGTERM, and nothing global.
public func buildApplication(config: AppConfig, stores: Stores, logger: Logger, prometheus: PrometheusCollectorRegistry? = nil) async throws -> some ApplicationProtocol {
    let (router, _) = try await buildRouter(stores: stores, config: config, prometheus: prometheus)
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "renkou"),
        services: [DatabaseService(db: stores.db)],
        logger: logger)
}

/// Closes the database once the server has stopped taking requests.
struct DatabaseService: Service {
    let db: Database
    func run() async throws {
        try? await gracefulShutdown()
        await db.close()
    }
}
