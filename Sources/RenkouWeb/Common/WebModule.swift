import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// What a module contributes to the HTTP layer. Listed once in `webModules`
/// (`Sources/RenkouWeb/Modules.swift`); the router, the navigation, the string table, the OpenAPI
/// document and the extension points loop over the list.
protocol WebModule: Sendable {
    /// The module's name, the same in every layer.
    var name: String { get }
    /// Registers the module's pages (HTML, forms, public pages).
    func pages(_ router: Router<AppContext>, _ deps: AppDeps)
    /// Registers the module's JSON API routes.
    func api(_ api: APIRoutes, _ deps: AppDeps)
    /// Its entries in the page header, each shown to the roles holding its permission.
    var navigation: [NavEntry] { get }
    /// The strings its templates print through `{{t.key}}`.
    var strings: [String: Text] { get }
    /// Its part of the OpenAPI document: `Resources/openapi/<name>.json` (`paths` and `components.schemas`).
    var openAPI: String? { get }
    /// What it adds to lower modules' extension points (person-page sections, task kinds, ...).
    var contributions: [Contribution] { get }
}

extension WebModule {
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) {}
    func api(_ api: APIRoutes, _ deps: AppDeps) {}
    var navigation: [NavEntry] { [] }
    var strings: [String: Text] { [:] }
    var openAPI: String? { name }
    var contributions: [Contribution] { [] }
}

/// One entry of the page header's navigation. `order` places it among every module's entries.
struct NavEntry: Sendable {
    let path: String
    let label: Text
    let order: Int
    /// Shown only to the roles holding this permission; nil for every signed-in account.
    let permission: Permission?
    /// Shown only while the deployment's policy turns the page on (a legacy ledger); nil: always.
    let enabled: (@Sendable (Policy, Day) -> Bool)?
    init(_ path: String, _ label: Text, order: Int, permission: Permission? = nil, enabled: (@Sendable (Policy, Day) -> Bool)? = nil) {
        self.path = path; self.label = label; self.order = order; self.permission = permission; self.enabled = enabled
    }
}

/// A section a module adds to another module's record page (the person page, the household page):
/// an HTML fragment rendered from the module's own template, or nil to show nothing.
protocol PageSection: Sendable {
    associatedtype Record: Sendable
    func render(_ record: Record, account: Account, deps: AppDeps, context: AppContext, request: Request) async throws -> String?
}

/// A type-erased section, as stored at an extension point.
struct AnySection<Record: Sendable>: Sendable {
    let render: @Sendable (Record, Account, AppDeps, AppContext, Request) async throws -> String?
    init<S: PageSection>(_ section: S) where S.Record == Record {
        render = { try await section.render($0, account: $1, deps: $2, context: $3, request: $4) }
    }
}

extension AppDeps {
    /// Renders every section contributed at `point` for a record, in module order, skipping empty ones.
    func sections<Record>(_ point: ExtensionPoint<AnySection<Record>>, for record: Record, account: Account, context: AppContext, request: Request) async throws -> [String] {
        var html: [String] = []
        for section in extensions.all(point) {
            if let fragment = try await section.render(record, account, self, context, request) { html.append(fragment) }
        }
        return html
    }
}
