import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RenkouCore
import RenkouStore

/// Builds the request context: language, CSRF cookie, and the account from a bearer token or a session.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let stores: Stores
    let secureCookies: Bool

    static let sessionCookie = "renkou_session"
    static let csrfCookie = "renkou_csrf"
    static let langCookie = "renkou_lang"
    static let noticeCookie = "renkou_notice"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        // zh-Hans unless the person chose English with the switch (remembered in a cookie).
        context.lang = Lang(tag: request.cookies[Self.langCookie]?.value)
        let csrfCookie = request.cookies[Self.csrfCookie]?.value
        let bearer = request.headers[.authorization]
        // A client that signs with a token is no browser: it gets no CSRF cookie (and pays for no random bytes).
        context.csrf = csrfCookie ?? (bearer == nil ? Secrets.random(bytes: 18) : "")
        if let auth = bearer {
            guard auth.lowercased().hasPrefix("bearer "), let account = try await stores.accounts.tokenAccount(String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
                throw RenkouError(.unauthorized, "bad-token", Text("令牌无效或已吊销。", "The token is not valid or has been revoked."))
            }
            context.account = account
            context.viaToken = true
        } else if let secret = request.cookies[Self.sessionCookie]?.value, let account = try await stores.accounts.sessionAccount(secret) {
            context.account = account
            context.sessionSecret = secret
            // A browser session writing to the API must show the CSRF token in a header.
            if request.isAPI && request.method != .get && request.method != .head && request.headers[HTTPField.Name("X-CSRF-Token")!] != csrfCookie {
                throw RenkouError.csrf
            }
        }
        let notice = request.cookies[Self.noticeCookie]?.value
        if let notice, context.account != nil { context.notice = Notice.decode(notice) }
        var response = try await next(request, context)
        // The notice is shown once: by the first page that is not itself a redirect.
        if notice != nil, !(300..<400).contains(response.status.code), !request.isAPI {
            response.setCookie(Cookie(name: Self.noticeCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        }
        if csrfCookie == nil && bearer == nil {
            response.setCookie(Cookie(name: Self.csrfCookie, value: context.csrf, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

/// Turns every error into what the caller can read: problem+json for the API, a page in both
/// languages for people; unexpected errors are logged with the request id and shown as 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let renderer: Renderer

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let renkouError: RenkouError
            switch error {
            case let e as RenkouError: renkouError = e
            case let e as AccountStore.LoginFailure: renkouError = e.error
            case let e as HTTPError where e.status == .notFound: renkouError = .routeNotFound
            case let e as HTTPError where e.status == .contentTooLarge: renkouError = .tooLarge
            case let e as HTTPError where e.status == .methodNotAllowed:
                renkouError = RenkouError(.notFound, "method-not-allowed", Text("不支持此请求方法。", "This method is not supported here."))
            default:
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
                renkouError = .internalError
            }
            response = respond(renkouError, request: request, context: context, isInternal: renkouError == .internalError)
        }
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        return response
    }

    func respond(_ error: RenkouError, request: Request, context: AppContext, isInternal: Bool) -> Response {
        if request.isAPI || context.viaToken || request.uri.path == "/healthz" {
            var problem = Problem(error, lang: context.lang).response()
            if isInternal { problem.status = .internalServerError }
            return problem
        }
        if error.kind == .unauthorized {
            let next = request.uri.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return Response(status: .seeOther, headers: [.location: SitePath.login + "?next=" + next])
        }
        let status: HTTPResponse.Status = isInternal ? .internalServerError : error.kind.status
        return renderer.html("error", title: error.message, model: ErrorView(status: status.code, zh: error.message.zh, en: error.message.en),
                             context: context, request: request, status: status)
    }
}

/// The error page: the status and the message in both languages.
struct ErrorView { let status: Int; let zh: String; let en: String }

