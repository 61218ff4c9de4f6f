import Foundation
import Hummingbird
import Logging
import NIOCore
import RenkouCore

/// The typed request context: who is calling, their scope and language. Built once per request by
/// the middleware; handlers never look anything up in a global.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in account, if any (from the session cookie or a bearer token).
    public var account: Account?
    /// True when the account came from a bearer token rather than a browser session.
    public var viaToken = false
    public var lang: Lang = .zh
    /// The double-submit CSRF token of this browser (cookie and hidden form field).
    public var csrf = ""
    /// The message of the save that led here (shown once at the top of the page).
    public var notice: Text?
    /// The session secret, when signed in through the browser.
    public var sessionSecret: String?
    public let client: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? ""
    }

    /// 64 KiB is plenty for any JSON body or form of the application; larger bodies get 413.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The caller's scope: the signed-in account's subtree, or a path no row carries when nobody is
    /// signed in. Handlers pass it to every store call (`in: context.scope`).
    public var scope: Scope { account?.scope ?? Scope(path: "/nobody/") }

    /// The actor written to the audit log.
    public var actor: Actor {
        Actor(userID: account?.id, username: account?.username ?? "anonymous", client: client, requestID: id, role: account?.role)
    }

    public func requireAccount() throws -> Account {
        guard let account else { throw RenkouError.unauthorized }
        return account
    }

    /// A UUID path parameter; anything else is a 404 naming `what`, like an unknown record.
    func uuid(_ name: String = "id", _ what: Text) throws -> UUID {
        guard let id = UUID(uuidString: try parameters.require(name)) else { throw RenkouError.notFound(what) }
        return id
    }

    /// The signed-in account if its role holds `permission` (the permission table); else 401 or 403.
    public func require(_ permission: Permission) throws -> Account {
        let account = try requireAccount()
        guard account.role.can(permission) else { throw RenkouError.forbidden }
        return account
    }
}
