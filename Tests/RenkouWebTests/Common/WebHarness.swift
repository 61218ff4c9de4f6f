import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RenkouCore
import RenkouStore
import RenkouTestSupport
import RenkouWeb

/// A test client over the real router and a fresh database: API calls with tokens, page calls with a session.
struct Web {
    let client: any TestClientProtocol
    let stores: Stores
    let api: APIRoutes
    /// Every page route the router answers (`GET /persons/{id}` …), for the tests that walk them all.
    var pages: [(method: String, path: String)] = []

    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, cookies: String? = nil, json: String? = nil,
              form: [String: String]? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let cookies { headers[.cookie] = cookies }
        var body: ByteBuffer?
        if let json { headers[.contentType] = "application/json"; body = ByteBuffer(string: json) }
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&"))
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// A token for an account, as `renkou token create` would print.
    func token(_ username: String) async throws -> String {
        try await stores.accounts.createToken(username: username, label: "test", in: .everything, by: .cli("test")).1
    }

    /// Signs in through the login page and returns the browser's cookies.
    func signIn(_ username: String, password: String = "password-123") async throws -> Browser {
        let csrf = "csrf-token-for-tests"
        let response = try await call(.post, "/login", cookies: "renkou_csrf=\(csrf)", form: ["_csrf": csrf, "username": username, "password": password, "next": "/"])
        guard response.status == .seeOther, let session = Self.cookie("renkou_session", in: response) else {
            throw TestError("sign-in as \(username) failed with \(response.status)")
        }
        return Browser(web: self, cookies: "renkou_csrf=\(csrf); renkou_session=\(session)", csrf: csrf)
    }

    /// A browser without an account (the public pages), holding only the CSRF cookie.
    func anonymous() -> Browser {
        let csrf = "csrf-token-for-tests"
        return Browser(web: self, cookies: "renkou_csrf=\(csrf)", csrf: csrf)
    }

    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for value in response.headers[values: .setCookie] where value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }
}

/// A signed-in browser: GETs pages and posts forms with the CSRF token.
struct Browser {
    let web: Web
    let cookies: String
    let csrf: String
    func get(_ uri: String) async throws -> TestResponse { try await web.call(.get, uri, cookies: cookies) }
    func post(_ uri: String, _ form: [String: String]) async throws -> TestResponse {
        var f = form; f["_csrf"] = csrf
        return try await web.call(.post, uri, cookies: cookies, form: f)
    }
}

struct TestError: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

extension TestResponse {
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }
    func jsonObject() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
}

/// Runs `body` against the full router on a fresh database of the engine, with the fixture tree.
/// `config`: the server's settings (`RENKOU_PUBLIC_URL` …); `tree` false: an empty database (a test that loads the demo).
func withWeb(_ engine: TestEngine, policy: Policy = .shipped, config: AppConfig = AppConfig(), tree: Bool = true, _ body: @escaping @Sendable (Web) async throws -> Void) async throws {
    try await withTestStores(engine, policy: policy) { stores in
        if tree { try await Fixture.tree(stores) }
        let (router, api) = try await buildRouter(stores: stores, config: config)
        let pages = router.routes.map { (method: $0.method.rawValue, path: $0.path.description) }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body(Web(client: client, stores: stores, api: api, pages: pages))
        }
    }
}
