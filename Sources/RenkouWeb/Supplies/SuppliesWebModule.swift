import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouStore

/// Contraceptive supplies: stock on hand with its expiry flags, the stock card of a location's lot,
/// and the form that records a receipt, transfer, hand-out, vend, adjustment or count.
struct SuppliesWebModule: WebModule {
    let name = "supplies"
    func pages(_ router: Router<AppContext>, _ deps: AppDeps) { SuppliesPages.register(router, deps); SupplyReportPages.register(router, deps) }
    func api(_ api: APIRoutes, _ deps: AppDeps) { SuppliesAPI.register(api, deps); SupplyReportPages.api(api, deps) }
    var navigation: [NavEntry] { [NavEntry("/supplies", Text("避孕药具", "Supplies"), order: 89, permission: .supplies(.read))] }
    var strings: [String: Text] { SuppliesPages.strings.merging(SupplyReportPages.strings) { a, _ in a } }
    var contributions: [Contribution] {
        [ExtensionPoint.taskKinds(TaskKindView(.machineAlert, Text("发放机故障或缺货", "Machine fault or empty"), link: { _ in "/supplies" }, action: { _ in ("/supplies", Text("查看", "Open")) })),
         ExtensionPoint.recordLinks(RecordLink(kind: "count-sheet", href: { "/supplies/counts/\($0.text)" })),
         ExtensionPoint.indicatorPages(IndicatorPage(module: "supplies"))]
    }
}

enum SuppliesAPI {
    struct LocationBody: Decodable { let name: String?; let kind: String?; let unit: String?; let slots: Int?; let capacity: Int? }
    struct ReverseBody: Decodable { let reason: String? }

    static func register(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/supplies/products") { _, context in
            _ = try context.require(.supplies(.read))
            return try JSON.response(try await deps.stores.supplies.products())
        }
        api.on(.post, "/api/v1/supplies/products") { request, context in
            _ = try context.require(.supplies(.administer))
            let p = try await Body.json(Product.self, request, context: context)
            return try JSON.response(try await deps.stores.supplies.saveProduct(p, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/supplies/locations") { _, context in
            _ = try context.require(.supplies(.read))
            return try JSON.response(try await deps.stores.supplies.locations(in: context.scope))
        }
        api.on(.post, "/api/v1/supplies/locations") { request, context in
            _ = try context.require(.supplies(.administer))
            let b = try await Body.json(LocationBody.self, request, context: context)
            return try JSON.response(try await deps.stores.supplies.addLocation(name: b.name ?? "", kind: b.kind ?? "", unitCode: b.unit ?? "", slots: b.slots, capacity: b.capacity,
                                                                                in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/supplies/stock") { request, context in
            _ = try context.require(.supplies(.read))
            return try JSON.response(try await deps.stores.supplies.stock(location: request.query("location").flatMap(UUID.init(uuidString:)), in: context.scope))
        }
        // a location's stock card for one lot (?lot=), in date order with the balance after each line
        api.on(.get, "/api/v1/supplies/locations/{id}/card") { request, context in
            _ = try context.require(.supplies(.read))
            let location = try context.uuid("id", Text("存放点", "location"))
            guard try await deps.stores.supplies.locations(in: context.scope).contains(where: { $0.id == location }) else { throw RenkouError.notFound(Text("存放点", "location")) }
            guard let lot = request.query("lot").flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/lot", "unknown-lot", Text("请给出批号（lot）。", "Give the lot."))])
            }
            return try JSON.response(try await deps.stores.supplies.card(location: location, lot: lot, in: context.scope))
        }
        api.on(.post, "/api/v1/supplies/events") { request, context in
            _ = try context.require(.supplies(.write))
            let input = try await Body.json(StockEventInput.self, request, context: context)
            return try JSON.response(try await deps.stores.supplies.record(input, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.post, "/api/v1/supplies/locations/{id}/machine-token") { _, context in
            _ = try context.require(.supplies(.administer))
            let token = try await deps.stores.supplies.issueMachineToken(try context.uuid("id", Text("存放点", "location")), in: context.scope, by: context.actor)
            return try JSON.response(["token": token], status: .created)
        }
        // A machine speaks with its own token (header Renkou-Machine-Token), not a user's.
        struct CheckBody: Decodable { let idNumber: String?; let product: String? }
        api.on(.post, "/api/v1/supplies/machines/{id}/check") { request, context in
            let b = try await Body.json(CheckBody.self, request, context: context)
            return try JSON.response(try await deps.stores.supplies.check(machine: try context.uuid("id", Text("发放机", "machine")), token: request.headers[HTTPField.Name("Renkou-Machine-Token")!],
                                                                          idNumber: b.idNumber ?? "", product: b.product ?? ""))
        }
        struct MachineEventBody: Decodable { let kind: String?; let product: String?; let check: String?; let quantity: Int?; let at: String? }
        api.on(.post, "/api/v1/supplies/machines/{id}/events") { request, context in
            let b = try await Body.json(MachineEventBody.self, request, context: context)
            try await deps.stores.supplies.report(machine: try context.uuid("id", Text("发放机", "machine")), token: request.headers[HTTPField.Name("Renkou-Machine-Token")!],
                                                  kind: b.kind ?? "", product: b.product, check: b.check.flatMap(UUID.init(uuidString:)), quantity: b.quantity, at: b.at)
            return Response(status: .noContent)
        }
        struct SheetBody: Decodable { let location: String?; let countedOn: String? }
        api.on(.post, "/api/v1/supplies/counts") { request, context in
            _ = try context.require(.supplies(.write))
            let b = try await Body.json(SheetBody.self, request, context: context)
            guard let location = b.location.flatMap(UUID.init(uuidString:)) else {
                throw RenkouError.invalid([FieldError("/location", "unknown-location", Text("存放点不存在或不在您的管辖范围内。", "The location does not exist or is outside your area."))])
            }
            return try JSON.response(try await deps.stores.supplies.openSheet(location: location, on: b.countedOn, in: context.scope, by: context.actor), status: .created)
        }
        api.on(.get, "/api/v1/supplies/counts/{id}") { _, context in
            _ = try context.require(.supplies(.read))
            return try JSON.response(try await deps.stores.supplies.sheet(try context.uuid("id", Text("盘点表", "count sheet")), in: context.scope))
        }
        struct CountsBody: Decodable { let counts: [String: Int]? }
        api.on(.post, "/api/v1/supplies/counts/{id}/counts") { request, context in
            _ = try context.require(.supplies(.write))
            let b = try await Body.json(CountsBody.self, request, context: context)
            var counts: [UUID: Int] = [:]
            for (k, v) in b.counts ?? [:] {
                guard let lot = UUID(uuidString: k) else { throw RenkouError.invalid([FieldError("/counts/\(k)", "unknown-lot", Text("该批号不在盘点表上。", "This lot is not on the sheet."))]) }
                counts[lot] = v
            }
            return try JSON.response(try await deps.stores.supplies.enterCounts(try context.uuid("id", Text("盘点表", "count sheet")), counts: counts, in: context.scope, by: context.actor))
        }
        struct SignBody: Decodable { let document: String? }
        api.on(.post, "/api/v1/supplies/counts/{id}/sign") { request, context in
            _ = try context.require(.supplies(.write))
            let b = try await Body.json(SignBody.self, request, context: context)
            return try JSON.response(try await deps.stores.supplies.sign(try context.uuid("id", Text("盘点表", "count sheet")), document: b.document ?? "", in: context.scope, by: context.actor))
        }
        api.on(.post, "/api/v1/supplies/events/{id}/reverse") { request, context in
            _ = try context.require(.supplies(.write))
            let b = try await Body.json(ReverseBody.self, request, context: context)
            return try JSON.response(try await deps.stores.supplies.reverse(try context.uuid("id", Text("出入库事件", "stock event")), reason: b.reason ?? "", in: context.scope, by: context.actor),
                                     status: .created)
        }
    }
}

enum SuppliesPages {
    static let strings: [String: Text] = [
        "supplies": Text("避孕药具", "Contraceptive supplies"),
        "supplies_intro": Text("药具按批号和有效期入库、调拨、发放、盘点；每个存放点每个批号一张库存卡，余额随事件即时更新。近效期先出，过期药具不能发出。",
                               "Supplies are received, moved, handed out and counted by lot and expiry; each location's lot has a stock card whose balance follows every event. First to expire goes first; expired stock cannot be issued."),
        "stock_on_hand": Text("库存", "Stock on hand"),
        "location": Text("存放点", "Location"),
        "product": Text("品种", "Product"),
        "lot": Text("批号", "Lot"),
        "expires": Text("有效期至", "Expires"),
        "balance": Text("结存", "Balance"),
        "near_expiry": Text("近效期", "Near expiry"),
        "expired": Text("已过期", "Expired"),
        "no_stock": Text("没有库存。", "No stock."),
        "record_stock_event": Text("登记出入库", "Record a stock event"),
        "record": Text("登记", "Record"),
        "card": Text("库存卡", "Stock card"),
        "occurred_on": Text("日期", "Day"),
        "change": Text("变动", "Change"),
        "reversed": Text("已冲销", "Reversed"),
        "reverse": Text("冲销", "Reverse"),
        "reverse_reason": Text("冲销原因", "Why it is reversed"),
        "locations": Text("存放点", "Locations"),
        "count_sheet": Text("盘点表", "Count sheet"),
        "open_count": Text("新建盘点表", "Open a count sheet"),
        "book": Text("账面数", "Books"),
        "counted": Text("实盘数", "Counted"),
        "difference": Text("差异", "Difference"),
        "save_counts": Text("保存盘点数", "Save the counts"),
        "sign_document": Text("盘点单号", "Sheet number"),
        "sign": Text("签字并记账", "Sign and book"),
    ]

    struct Row { let location: String, product: String, lot: String, expires: String, balance: Int; let expired: Bool; let nearExpiry: Bool; let href: String }
    struct LocationRow { let name: String, kind: String, unit: String }

    static func eventKinds(_ lang: Lang) -> [Codes.Entry] {
        [StockEventKind.receive, .transfer, .dispense, .vend, .adjust, .count].map { Codes.Entry(code: $0.rawValue, label: $0.label) }
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        @Sendable func page(_ error: RenkouError?, form: [String: String], request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.supplies(.read))
            let lang = context.lang, supplies = deps.stores.supplies
            let stock = try await supplies.stock(in: context.scope)
            let locations = try await supplies.locations(in: context.scope)
            let products = try await supplies.products()
            let canWrite = account.role.can(.supplies(.write))
            var fields = [
                PersonPages.select("kind", Text("类型", "Kind"), eventKinds(lang), form.isEmpty ? ["kind": "dispense"] : form, empty: Text("请选择", "Choose"), lang: lang),
                PersonPages.select("location", Text("存放点", "Location"), locations.map { Codes.Entry(code: $0.id.text, label: Text("\($0.unitName) · \($0.name)", "\($0.unitName) · \($0.name)")) }, form, empty: Text("请选择", "Choose"), lang: lang),
                PersonPages.select("destination", Text("调入存放点（调拨）", "To (a transfer)"), locations.map { Codes.Entry(code: $0.id.text, label: Text("\($0.unitName) · \($0.name)", "\($0.unitName) · \($0.name)")) }, form, empty: Text("—", "—"), lang: lang),
                PersonPages.select("product", Text("品种", "Product"), products.map { Codes.Entry(code: $0.code, label: Text($0.name, $0.name)) }, form, empty: Text("请选择", "Choose"), lang: lang),
                PersonPages.select("lot", Text("批号（不选则近效期先出）", "Lot (none: first to expire)"),
                                   Dictionary(grouping: stock, by: \.lotID).compactMap { $0.value.first }.sorted { $0.expiresOn < $1.expiresOn }
                                    .map { Codes.Entry(code: $0.lotID.text, label: Text("\($0.productName) \($0.lotCode)（\($0.expiresOn)）", "\($0.productName) \($0.lotCode) (\($0.expiresOn))")) }, form, empty: Text("—", "—"), lang: lang),
                FormField(name: "quantity", label: Text("数量", "Quantity")(lang), value: form["quantity"] ?? "", type: "number", required: true),
                FormField(name: "person", label: Text("领取人身份证号（发放给个人；活动发放不填）", "Recipient's ID number (a hand-out to a person; none at an event)")(lang), value: form["person"] ?? ""),
                FormField(name: "occurredOn", label: Text("日期", "Day")(lang), value: form["occurredOn"] ?? Day(deps.stores.env.now()).description, type: "date"),
                FormField(name: "lotCode", label: Text("新批号（入库）", "New lot number (a receipt)")(lang), value: form["lotCode"] ?? ""),
                FormField(name: "expiresOn", label: Text("有效期至（入库）", "Expires (a receipt)")(lang), value: form["expiresOn"] ?? "", type: "date"),
                FormField(name: "document", label: Text("单据号", "Document number")(lang), value: form["document"] ?? ""),
                PersonPages.select("reason", Text("调整原因", "Adjustment reason"), AdjustmentReason.entries, form, empty: Text("—", "—"), lang: lang),
            ]
            if let error { fields = FormField.attach(error.fields, to: fields, lang: lang) }
            let model = SuppliesView(
                rows: stock.map { Row(location: $0.locationName, product: $0.productName, lot: $0.lotCode, expires: $0.expiresOn, balance: $0.balance, expired: $0.expired,
                                      nearExpiry: $0.nearExpiry, href: "/supplies/cards/\($0.locationID.text)?lot=\($0.lotID.text)") },
                hasRows: !stock.isEmpty,
                locationOptions: locations.map { SuppliesView.Option(id: $0.id.text, label: "\($0.unitName) · \($0.name)") },
                locations: locations.map { LocationRow(name: $0.name, kind: $0.kind.label(lang), unit: $0.unitName) },
                canWrite: canWrite, fields: fields, message: error.map { $0.fields.isEmpty ? $0.message(lang) : Text("请按提示修改。", "See the fields.")(lang) })
            return deps.renderer.html("supplies/supplies", title: Text("避孕药具", "Supplies"), model: model, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/supplies") { request, context -> Response in try await page(nil, form: [:], request: request, context: context) }
        router.post("/supplies/events") { request, context -> Response in
            _ = try context.require(.supplies(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            let input = StockEventInput(kind: form["kind"], location: form["location"], destination: form["destination"], product: form["product"], lot: form["lot"],
                                        lotCode: form["lotCode"], expiresOn: form["expiresOn"], quantity: form["quantity"].flatMap { Int($0) } ?? (form["quantity"] == nil ? nil : -1),
                                        occurredOn: form["occurredOn"], reason: form["reason"], document: form["document"], person: form["person"])
            do {
                let posted = try await deps.stores.supplies.record(input, in: context.scope, by: context.actor)
                let due = posted.resupplyDue.map { (Text("下次领取 \($0)，已列入随访。", " Next supplies due \($0), on the follow-up list.")) }
                return Redirect.to("/supplies", notice: Text("已登记（\(posted.lines.count) 行）。\(due?.zh ?? "")", "Recorded (\(posted.lines.count) lines).\(due?.en ?? "")"))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await page(error, form: form.values, request: request, context: context)
            }
        }
        router.get("/supplies/cards/{id}") { request, context -> Response in
            let account = try context.require(.supplies(.read))
            let lang = context.lang, location = try context.uuid("id", Text("存放点", "location"))
            guard let lot = request.query("lot").flatMap(UUID.init(uuidString:)),
                  let onHand = try await deps.stores.supplies.stock(location: location, includeEmpty: true, in: context.scope).first(where: { $0.lotID == lot }) else {
                throw RenkouError.notFound(Text("库存卡", "stock card"))
            }
            let lines = try await deps.stores.supplies.card(location: location, lot: lot, in: context.scope)
            let canWrite = account.role.can(.supplies(.write))
            let model = CardView(title: "\(onHand.locationName) · \(onHand.productName) · \(onHand.lotCode)", expires: onHand.expiresOn, balance: onHand.balance,
                                 lines: lines.map { l in
                                     CardView.Line(day: l.occurredOn, kind: l.kind.label(lang), change: l.delta > 0 ? "+\(l.delta)" : String(l.delta), balance: l.balance,
                                                   note: [l.reason.flatMap { AdjustmentReason(rawValue: $0)?.label(lang) }, l.document].compactMap { $0 }.joined(separator: " · "),
                                                   reversed: l.reversed,
                                                   reverseAction: canWrite && !l.reversed && ![.count, .reversal].contains(l.kind) ? "/supplies/events/\(l.eventID.text)/reverse?back=\(location.text)&lot=\(lot.text)" : nil)
                                 })
            return deps.renderer.html("supplies/card", title: Text("库存卡", "Stock card"), model: model, context: context, request: request)
        }
        router.post("/supplies/counts") { request, context -> Response in
            _ = try context.require(.supplies(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            guard let location = form["location"].flatMap(UUID.init(uuidString:)) else {
                return try await page(RenkouError.invalid([FieldError("/location", "unknown-location", Text("请选择存放点。", "Choose a location."))]), form: form.values, request: request, context: context)
            }
            let sheet = try await deps.stores.supplies.openSheet(location: location, on: form["occurredOn"], in: context.scope, by: context.actor)
            return Redirect.to("/supplies/counts/\(sheet.id.text)", notice: Text("盘点表已建立，请逐项填写实盘数。", "The count sheet is open: enter what you find."))
        }
        @Sendable func sheetPage(_ id: UUID, error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.supplies(.read))
            let lang = context.lang
            let sheet = try await deps.stores.supplies.sheet(id, in: context.scope)
            let open = sheet.state != "signed" && account.role.can(.supplies(.write))
            let model = SheetView(title: "\(sheet.locationName) · \(sheet.countedOn)", state: ["draft": Text("草稿", "Draft"), "counted": Text("已盘点", "Counted"), "signed": Text("已签字", "Signed")][sheet.state]?(lang) ?? sheet.state,
                                  document: sheet.document ?? "", open: open, action: "/supplies/counts/\(id.text)",
                                  lines: sheet.lines.map { SheetView.Line(name: "lot-\($0.lotID.text)", product: $0.productName, lot: $0.lotCode, book: $0.book, counted: $0.counted.map(String.init) ?? "",
                                                                          difference: $0.difference.map { $0 > 0 ? "+\($0)" : String($0) } ?? "", differs: ($0.difference ?? 0) != 0,
                                                                          error: { (lot: UUID) in error?.fields.first { $0.pointer == "/counts/\(lot.text)" }?.message(lang) }($0.lotID)) },
                                  message: error?.message(lang))
            return deps.renderer.html("supplies/sheet", title: Text("盘点表", "Count sheet"), model: model, context: context, request: request, status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/supplies/counts/{id}") { request, context -> Response in
            try await sheetPage(try context.uuid("id", Text("盘点表", "count sheet")), error: nil, request: request, context: context)
        }
        router.post("/supplies/counts/{id}/counts") { request, context -> Response in
            _ = try context.require(.supplies(.write))
            let id = try context.uuid("id", Text("盘点表", "count sheet")), form = try await RenkouWeb.Form.read(request, context: context)
            var counts: [UUID: Int] = [:], bad = FieldErrors()
            for (k, v) in form.values where k.hasPrefix("lot-") {
                guard let lot = UUID(uuidString: String(k.dropFirst(4))) else { continue }
                let text = v.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                if let n = Int(text) { counts[lot] = n } else { bad.add("/counts/\(lot.text)", "out-of-range", "盘点数应为整数。", "A count is a whole number.") }
            }
            do {
                try bad.throwIfAny()
                _ = try await deps.stores.supplies.enterCounts(id, counts: counts, in: context.scope, by: context.actor)
                return Redirect.to("/supplies/counts/\(id.text)", notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await sheetPage(id, error: error, request: request, context: context)
            }
        }
        router.post("/supplies/counts/{id}/sign") { request, context -> Response in
            _ = try context.require(.supplies(.write))
            let id = try context.uuid("id", Text("盘点表", "count sheet")), form = try await RenkouWeb.Form.read(request, context: context)
            do {
                _ = try await deps.stores.supplies.sign(id, document: form["document"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to("/supplies/counts/\(id.text)", notice: Text("已签字，差异已记账。", "Signed; the differences are booked."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await sheetPage(id, error: error, request: request, context: context)
            }
        }
        router.post("/supplies/events/{id}/reverse") { request, context -> Response in
            _ = try context.require(.supplies(.write))
            let form = try await RenkouWeb.Form.read(request, context: context)
            _ = try await deps.stores.supplies.reverse(try context.uuid("id", Text("出入库事件", "stock event")), reason: form["reason"] ?? "", in: context.scope, by: context.actor)
            let back = request.query("back").flatMap { l in request.query("lot").map { "/supplies/cards/\(l)?lot=\($0)" } } ?? "/supplies"
            return Redirect.to(back, notice: Text("已冲销。", "Reversed."))
        }
    }
}

/// The supplies page.
struct SuppliesView {
    struct Option { let id: String, label: String }
    let rows: [SuppliesPages.Row]; let hasRows: Bool
    let locationOptions: [Option]
    let locations: [SuppliesPages.LocationRow]
    let canWrite: Bool
    let fields: [FormField]
    let message: String?
}

/// A count sheet.
struct SheetView {
    struct Line { let name: String, product: String, lot: String; let book: Int; let counted: String, difference: String; let differs: Bool; let error: String? }
    let title: String, state: String, document: String
    let open: Bool
    let action: String
    let lines: [Line]
    let message: String?
}

/// A stock card.
struct CardView {
    struct Line { let day: String, kind: String, change: String; let balance: Int; let note: String; let reversed: Bool; let reverseAction: String? }
    let title: String, expires: String
    let balance: Int
    let lines: [Line]
}
