import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Public pages under `/public/`: no login. The certificate check shows masked facts only
/// (`PublicCertificateView`), is rate-limited per client and counted.
enum PublicPages {
    static func verifyPath(_ token: String) -> String { "/public/verify/\(token)" }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/public/verify/{token}") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let lang = context.lang
            let token = try context.parameters.require("token")
            let view = try await deps.stores.certificates.publicLookup(token: token)
            var model = VerifyView(found: view != nil)
            if let v = view {
                model.state = v.state.label(lang); model.stateCode = v.state.rawValue
                model.rows = [(Text("姓名", "Name"), v.maskedName), (Text("公民身份号码", "ID number"), v.maskedIDNumber), (Text("发证机关", "Issuing office"), v.office),
                              (Text("发证日期", "Issued on"), v.issuedOn), (Text("有效期至", "Valid until"), v.validUntil)].map { PersonPages.Detail(label: $0.0(lang), value: $0.1) }
            }
            return deps.renderer.html("migrants/verify", title: Text("婚育证明验证", "Certificate verification"), model: model, context: context, request: request,
                                      status: view == nil ? .notFound : .ok)
        }
    }
}

/// The public certificate check: masked name and ID number, the office, the dates and the state; nothing else.
struct VerifyView {
    let found: Bool
    var state: String? = nil
    var stateCode: String? = nil
    var rows: [PersonPages.Detail] = []
}
