import Hummingbird
import NIOConcurrencyHelpers

/// Registers the JSON API's routes and remembers each one, so that a test can hold the OpenAPI
/// document against the routes actually registered.
public final class APIRoutes: @unchecked Sendable {
    public struct Route: Hashable, Sendable {
        public let method: String
        public let path: String
        public init(method: String, path: String) { self.method = method; self.path = path }
    }
    private let routes = NIOLockedValueBox<[Route]>([])
    let router: Router<AppContext>

    init(router: Router<AppContext>) { self.router = router }

    /// Every registered `(method, path)`, paths in OpenAPI form (`/api/v1/persons/{id}`).
    public var registered: [Route] { routes.withLockedValue { $0 } }

    func on(_ method: HTTPRequest.Method, _ path: String,
            _ handler: @escaping @Sendable (Request, AppContext) async throws -> Response) {
        routes.withLockedValue { $0.append(Route(method: method.rawValue.lowercased(), path: path)) }
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
    }
}
