import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// The public's birth registration (no login): the application form, the status lookup by tracking
/// number and the last four characters of an ID number, and the voucher's check. Every page shows
/// names and ID numbers masked; all three are rate-limited per client.
enum PublicBirthPages {
    static func voucherPath(_ token: String) -> String { "/public/births/voucher/\(token)" }

    static func facts(_ v: BirthRegistrationStore.PublicView, lang: Lang) -> [PersonPages.Detail] {
        var rows: [(Text, String)] = [
            (Text("登记编号", "Number"), v.number), (Text("办理进度", "State"), v.state.label(lang)),
            (Text("女方", "Mother"), "\(v.motherName) \(v.motherIDNumber)"), (Text("男方", "Father"), "\(v.fatherName) \(v.fatherIDNumber)"),
            (Text("办理单位", "Office"), v.office), (Text("申请日期", "Applied on"), v.submittedOn),
        ]
        if let d = v.dueOn { rows.append((Text("办理期限", "To be decided by"), d)) }
        if let d = v.decidedOn { rows.append((Text("办结日期", "Decided on"), d)) }
        if let n = v.note { rows.append((v.state == .refused ? Text("不予登记的理由", "Why refused") : Text("需要补充", "What is missing"), n)) }
        return rows.map { PersonPages.Detail(label: $0.0(lang), value: $0.1) }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func applyForm(_ form: [String: String], error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let lang = context.lang, today = Day(deps.stores.env.now())
            let units = try await deps.stores.births.offices()
            let fields = BirthPages.formFields(form, errors: error?.fields ?? [], units: units, today: today, lang: lang).filter { $0.name != "receivedOn" && $0.name != "note" }
            let model = PublicApplyView(fields: fields, message: error?.message(lang), pledged: form["pledge"] != nil,
                                        pledgeError: error?.fields.first { $0.field == "pledge" }?.message(lang), done: nil)
            return deps.renderer.html("births/public_apply", title: Text("网上生育登记", "Register a birth online"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/public/births/apply") { request, context -> Response in
            try await applyForm([:], error: nil, request: request, context: context)
        }
        router.post("/public/births/apply") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let form = try await RenkouWeb.Form.read(request, context: context)
            do {
                let view = try await deps.stores.births.apply(BirthPages.input(form))
                let model = PublicApplyView(fields: [], message: nil, pledged: true, pledgeError: nil, done: facts(view, lang: context.lang))
                return deps.renderer.html("births/public_apply", title: Text("网上生育登记", "Register a birth online"), model: model, context: context, request: request, status: .created)
            } catch let error as RenkouError where error.kind == .invalid {
                return try await applyForm(form.values, error: error, request: request, context: context)
            }
        }
        router.get("/public/births/status") { request, context -> Response in
            let lang = context.lang
            let number = request.query("number") ?? "", last4 = request.query("id4") ?? ""
            var rows: [PersonPages.Detail] = []
            if !number.isEmpty {
                try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
                if let v = try await deps.stores.births.publicStatus(number: number, idLast4: last4) { rows = facts(v, lang: lang) }
            }
            let model = PublicStatusView(number: number, asked: !number.isEmpty, rows: rows)
            return deps.renderer.html("births/public_status", title: Text("生育登记进度查询", "Birth registration status"), model: model, context: context, request: request,
                                      status: model.asked && model.rows.isEmpty ? .notFound : .ok)
        }
        router.get("/public/births/voucher/{token}") { request, context -> Response in
            try await deps.stores.publicRateLimit.check(context.client, perMinute: deps.config.publicRatePerMinute)
            let view = try await deps.stores.births.publicVoucher(token: try context.parameters.require("token"))
            let model = PublicStatusView(number: view?.number ?? "", asked: true, rows: view.map { facts($0, lang: context.lang) } ?? [])
            return deps.renderer.html("births/public_status", title: Text("生育登记凭证验证", "Voucher check"), model: model, context: context, request: request,
                                      status: view == nil ? .notFound : .ok)
        }
    }
}

/// The public application form, or what was submitted (masked) with its tracking number.
struct PublicApplyView {
    let fields: [FormField]; let message: String?; let pledged: Bool; let pledgeError: String?
    /// After submitting: what was submitted, masked (stored flags: templates iterate arrays).
    let applied: Bool; let facts: [PersonPages.Detail]
    init(fields: [FormField], message: String?, pledged: Bool, pledgeError: String?, done: [PersonPages.Detail]?) {
        self.fields = fields; self.message = message; self.pledged = pledged; self.pledgeError = pledgeError; applied = done != nil; facts = done ?? []
    }
}
/// The public status lookup and its answer.
struct PublicStatusView {
    let number: String; let asked: Bool; let rows: [PersonPages.Detail]
    /// Stored: templates read stored properties only.
    let notFound: Bool
    init(number: String, asked: Bool, rows: [PersonPages.Detail]) { self.number = number; self.asked = asked; self.rows = rows; notFound = asked && rows.isEmpty }
}
