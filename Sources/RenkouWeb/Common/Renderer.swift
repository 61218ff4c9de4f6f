import Foundation
import HTTPTypes
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
    /// What the last save did, once.
    let notice: String?
    struct UserBadge { let name: String; let role: String; let unit: String; let isAdmin: Bool }
}

/// Renders Mustache templates shipped in the binary's resources into HTML responses.
public struct Renderer: Sendable {
    let library: MustacheLibrary
    /// The top-level `m.` keys each template prints, to hold every view model to its template.
    let keys: [String: Set<String>]
    /// The deployment's policy and clock, for the navigation entries a policy turns on.
    var environment: RenkouCore.Environment?

    public static func load() async throws -> Renderer {
        let dir = ResourceFiles.url("Templates")
        let library = try await MustacheLibrary(directory: dir.path)
        guard library.getTemplate(named: "layout") != nil else { fatalError("templates missing from the bundle") }
        var keys: [String: Set<String>] = [:]
        let pattern = try NSRegularExpression(pattern: #"\{\{\{?\s*[#^/&]?\s*m\.([A-Za-z_][A-Za-z0-9_]*)"#)
        for case let file as String in FileManager.default.enumerator(atPath: dir.path)! where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            keys[String(file.dropLast(".mustache".count))] = Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
                .map { String(text[Range($0.range(at: 1), in: text)!]) })
        }
        return Renderer(library: library, keys: keys, environment: nil)
    }

    /// The keys `template` prints that `model` (a view struct) does not have: a view model that lacks
    /// a key its template names would print an empty value without a word, so debug builds refuse it.
    func missingKeys(_ template: String, _ model: Any) -> [String] {
        let labels = Set(Mirror(reflecting: model).children.compactMap(\.label))
        return (keys[template] ?? []).subtracting(labels).sorted()
    }

    /// What every page's template sees at its root.
    struct Root { let page: Layout; let t: [String: String]; let m: Any }
    /// What a fragment's template sees at its root.
    struct FragmentRoot { struct Page { let csrf: String }; let page: Page; let t: [String: String]; let m: Any }

    /// The templates' names, for the test that checks every string key they use.

    func html(_ template: String, title: Text, model: Any, context: AppContext, request: Request,
              status: HTTPResponse.Status = .ok) -> Response {
        let lang = context.lang
        let page = Layout(
            title: title(lang), lang: lang.rawValue, csrf: context.csrf, nav: Self.nav(for: context.account, path: request.uri.path, lang: lang, environment: environment),
            user: context.account.map { .init(name: $0.displayName, role: $0.role.label(lang), unit: $0.unitName, isAdmin: $0.role.can(.admin(.administer))) },
            switchHref: SitePath.lang(lang == .zh ? .en : .zh, back: request.uri.description),
            switchLabel: lang == .zh ? "English" : "中文", notice: context.notice?(lang))
        #if DEBUG
        let missing = missingKeys(template, model)
        if !missing.isEmpty {
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "view \(type(of: model)) lacks \(missing) printed by \(template)")))
        }
        #endif
        let body = Self.localTimes(library.render(Root(page: page, t: Strings.table(lang), m: model), withTemplate: template) ?? "template \(template) missing")
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Stored times are UTC (`2026-11-29T09:13:47.000Z`); people read them in the deployment's zone
    /// (`2026-11-29 17:13`, `Timestamp.zone`). Done once here for every page, so no view can forget it.
    static func localTimes(_ html: String) -> String {
        guard html.contains("Z") else { return html }
        let ns = html as NSString
        var out = "", last = 0
        for m in timestampPattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + Timestamp.local(ns.substring(with: m.range))
            last = m.range.location + m.range.length
        }
        return last == 0 ? html : out + ns.substring(from: last)
    }
    static let timestampPattern = try! NSRegularExpression(pattern: #"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b"#)

    /// A part of a page, rendered without the layout: a module's section on another module's page.
    /// The template sees `page.csrf`, `t` and `m` like a whole page.
    func fragment(_ template: String, model: Any, context: AppContext) -> String {
        #if DEBUG
        let missing = missingKeys(template, model)
        precondition(missing.isEmpty, "view \(type(of: model)) lacks \(missing) printed by \(template)")
        #endif
        return library.render(FragmentRoot(page: .init(csrf: context.csrf), t: Strings.table(context.lang), m: model), withTemplate: template) ?? ""
    }

    /// The header's entries: every module's navigation the account's role may see, in order.
    static func nav(for account: Account?, path: String, lang: Lang, environment: RenkouCore.Environment? = nil) -> [NavItem] {
        guard let account else { return [] }
        let today = environment.map { Day($0.now()) }
        return webModules.flatMap(\.navigation)
            .filter { $0.permission.map(account.role.can) ?? true }
            .filter { entry in entry.enabled.map { shown in environment.map { shown($0.policy, today!) } ?? false } ?? true }
            .sorted { $0.order < $1.order }
            .map { NavItem(href: $0.path, label: $0.label(lang), active: $0.path == "/" ? path == "/" : path.hasPrefix($0.path)) }
    }
}

/// Typed paths of the pages: links are built here, never by string concatenation in handlers.
enum SitePath {
    /// An absolute address for print (a QR code): the deployment's public URL when configured, else the request's host.
    static func absolute(_ path: String, base: String?, request: Request) -> String {
        if let base { return base + path }
        let host = request.head.authority ?? "localhost"
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http"
        return "\(scheme)://\(host)" + path
    }

    /// A path a redirect may follow (after signing in, after switching the language): only a path of
    /// this site, `/x…`, never `//host` or `/\host` (which browsers read as another site), nor one
    /// holding a control character or white space (browsers drop tabs and line breaks, turning
    /// `/\t/host` into `//host`). Anything else gives nil.
    static func sameSite(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/") else { return nil }
        if path.count > 1, let second = path.dropFirst().first, second == "/" || second == "\\" { return nil }
        if path.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        return path
    }

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
    /// `path` with its query: the parameters that have a value, in order, each value percent-encoded.
    static func query(_ path: String, _ params: [(String, String?)]) -> String {
        let items = params.compactMap { k, v in v.flatMap { $0.isEmpty ? nil : "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }
    static func lang(_ lang: Lang, back: String) -> String {
        "/lang/\(lang.rawValue)?back=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
    }
}

/// An empty text is "nothing" in a template: `{{#m.reason}}…{{/m.reason}}` prints only when there is a
/// reason, as `{{^m.reason}}` prints when there is none. (Mustache here otherwise shows a section for
/// any value that is not nil, so an empty banner used to appear: "原因:" on every certificate.)
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
