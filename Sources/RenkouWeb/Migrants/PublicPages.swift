import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Counts requests per client in a sliding minute, for the public pages that need no login.
final class PublicRateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var hits: [String: [Date]] = [:]
    let perMinute: Int
    init(perMinute: Int = 30) { self.perMinute = perMinute }

    /// True when the client may go on; false once it made `perMinute` requests in the last minute.
    func allow(_ client: String, now: Date = Date()) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let recent = (hits[client] ?? []).filter { now.timeIntervalSince($0) < 60 }
        if hits.count > 10_000 { hits = hits.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < 60 } }
        guard recent.count < perMinute else { hits[client] = recent; return false }
        hits[client] = recent + [now]
        return true
    }

    /// Throws the bilingual 429 error once the client is over the limit.
    func check(_ client: String) throws {
        guard allow(client) else {
            throw RenkouError(.tooManyRequests, "rate-limited", Text("查询过于频繁，请一分钟后再试。", "Too many lookups; try again in a minute."))
        }
    }
}

/// Public pages under `/public/`: no login. The certificate check shows masked facts only
/// (`PublicCertificateView`), is rate-limited per client and counted.
enum PublicPages {
    static func verifyPath(_ token: String) -> String { "/public/verify/\(token)" }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/public/verify/{token}") { request, context -> Response in
            try deps.publicLimiter.check(context.client)
            let lang = context.lang
            let token = try context.parameters.require("token")
            let view = try await deps.stores.certificates.publicLookup(token: token)
            var model: [String: Any] = ["found": view != nil]
            if let v = view {
                model["state"] = v.state.label(lang); model["stateCode"] = v.state.rawValue; model["genuine"] = true
                model["rows"] = [(Text("姓名", "Name"), v.maskedName), (Text("公民身份号码", "ID number"), v.maskedIDNumber), (Text("发证机关", "Issuing office"), v.office),
                                 (Text("发证日期", "Issued on"), v.issuedOn), (Text("有效期至", "Valid until"), v.validUntil)].map { ["label": $0.0(lang), "value": $0.1] }
            }
            return deps.renderer.html("migrants/verify", title: Text("婚育证明验证", "Certificate verification"), model: model, context: context, request: request,
                                      status: view == nil ? .notFound : .ok)
        }
    }
}
