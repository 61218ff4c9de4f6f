import Foundation
import Hummingbird
import Mustache
import RenkouCore

/// One navigation entry of the page header.
struct NavItem { let href: String; let label: String; let active: Bool }

/// What every page's layout prints: title, language, navigation, the signed-in user, the CSRF token.
struct Layout {
    let title: String
    let lang: String
    let csrf: String
    let nav: [NavItem]
    let user: UserBadge?
    let switchHref: String
    let switchLabel: String
    struct UserBadge { let name: String; let role: String; let unit: String; let isAdmin: Bool }
}

/// Renders Mustache templates shipped in the binary's resources into HTML responses.
public struct Renderer: Sendable {
    let library: MustacheLibrary

    public static func load() async throws -> Renderer {
        let library = try await MustacheLibrary(directory: ResourceFiles.url("Templates").path)
        guard library.getTemplate(named: "layout") != nil else { fatalError("templates missing from the bundle") }
        return Renderer(library: library)
    }

    /// The templates' names, for the test that checks every string key they use.

    func html(_ template: String, title: Text, model: Any, context: AppContext, request: Request,
              status: HTTPResponse.Status = .ok) -> Response {
        let lang = context.lang
        let page = Layout(
            title: title(lang), lang: lang.rawValue, csrf: context.csrf, nav: Self.nav(for: context.account, path: request.uri.path, lang: lang),
            user: context.account.map { .init(name: $0.displayName, role: $0.role.label(lang), unit: $0.unitName, isAdmin: $0.role.can(.admin(.administer))) },
            switchHref: SitePath.lang(lang == .zh ? .en : .zh, back: request.uri.description),
            switchLabel: lang == .zh ? "English" : "中文")
        let root: [String: Any] = ["page": page, "t": Strings.table(lang), "m": Self.dropAbsent(model) ?? [:]]
        let body = library.render(root, withTemplate: template) ?? "template \(template) missing"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Removes absent optionals from dictionary models (recursively), so that `{{#x}}` is false for them:
    /// an `Optional.none` boxed in `Any` would otherwise render as the text "nil".
    static func dropAbsent(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return dropAbsent(wrapped)
        }
        if let dict = value as? [String: Any] { return dict.compactMapValues { dropAbsent($0) } }
        if let list = value as? [[String: Any]] { return list.map { $0.compactMapValues { dropAbsent($0) } } }
        return value
    }

    /// A part of a page, rendered without the layout: a module's section on another module's page.
    /// The template sees `page.csrf`, `t` and `m` like a whole page.
    func fragment(_ template: String, model: Any, context: AppContext) -> String {
        let root: [String: Any] = ["page": ["csrf": context.csrf], "t": Strings.table(context.lang), "m": Self.dropAbsent(model) ?? [:]]
        return library.render(root, withTemplate: template) ?? ""
    }

    /// The header's entries: every module's navigation the account's role may see, in order.
    static func nav(for account: Account?, path: String, lang: Lang) -> [NavItem] {
        guard let account else { return [] }
        return webModules.flatMap(\.navigation)
            .filter { $0.permission.map(account.role.can) ?? true }
            .sorted { $0.order < $1.order }
            .map { NavItem(href: $0.path, label: $0.label(lang), active: $0.path == "/" ? path == "/" : path.hasPrefix($0.path)) }
    }
}

/// Typed paths of the pages: links are built here, never by string concatenation in handlers.
enum SitePath {
    static let home = "/"
    static let login = "/login"
    static let logout = "/logout"
    static let units = "/units"
    static func unit(_ code: String) -> String { "/units/\(code)" }
    static let persons = "/persons"
    static let households = "/households"
    static let newPerson = "/persons/new"
    static func person(_ id: UUID) -> String { "/persons/\(id.text)" }
    static let accounts = "/accounts"
    static let newAccount = "/accounts/new"
    static func account(_ id: UUID) -> String { "/accounts/\(id.text)" }
    static let password = "/password"
    static let tokens = "/tokens"
    static let audit = "/audit"
    static let apiDocs = "/api/docs"
    static func lang(_ lang: Lang, back: String) -> String {
        "/lang/\(lang.rawValue)?back=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
    }
}
