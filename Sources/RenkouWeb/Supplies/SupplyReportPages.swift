import Foundation
import HTTPTypes
import Hummingbird
import RenkouCore
import RenkouFiles
import RenkouStore

/// 药具报表: the monthly stock report (page, XLSX, API) with its planning figures and expiry, and the
/// machines' monthly reconciliation with the log upload (page and API).
enum SupplyReportPages {
    static let strings: [String: Text] = [
        "supply_report": Text("药具月报", "Monthly stock report"),
        "supply_report_intro": Text("每个存放点每个品种：期初 + 入库 + 调入 − 调出 − 发放 − 自助发放 ± 调整 ± 盘点差异 = 期末；月均消耗取近三个月，建议订货量补足到最高库存月数。",
                                    "Each location and product: opening + received + in − out − dispensed − vended ± adjusted ± counted = closing; the average use is of the last three months, the suggested order fills up to the maximum months of stock."),
        "month": Text("月份", "Month"),
        "report_show": Text("查看", "Show"),
        "opening": Text("期初", "Opening"),
        "received": Text("入库", "Received"),
        "transferred_in": Text("调入", "In"),
        "transferred_out": Text("调出", "Out"),
        "dispensed": Text("发放", "Dispensed"),
        "vended": Text("自助发放", "Vended"),
        "adjusted": Text("调整", "Adjusted"),
        "count_difference": Text("盘点差异", "Count difference"),
        "closing": Text("期末", "Closing"),
        "amc": Text("月均消耗", "Average use a month"),
        "months_of_stock": Text("可用月数", "Months of stock"),
        "suggested_order": Text("建议订货", "Suggested order"),
        "write_off_rate": Text("年报损率", "Write-off rate this year"),
        "write_off_flag": Text("超过报损上限", "Above the write-off limit"),
        "expiry_report": Text("效期报告", "Expiry report"),
        "expiry_intro": Text("现有库存中已过期或将在提示期内过期的批号（月报的“近效期”列按月末计）。", "Lots in stock now that have expired or expire within the warning period (the report's columns count at the month's end)."),
        "no_expiry": Text("没有近效期或过期的库存。", "Nothing in stock is near or past its expiry."),
        "download_xlsx": Text("下载 Excel", "Download XLSX"),
        "machines": Text("自助发放机对账", "Machine reconciliation"),
        "machines_intro": Text("期初 + 补货 − 发放 ± 其他变动 − 期末 = 差异。差异不为零、当月未盘点、补货与调入不符的标红。",
                               "Opening + refilled − vended ± other movements − closing = difference. A difference, a month not counted, or refills the transfers do not match are marked."),
        "other_movements": Text("其他变动", "Other movements"),
        "refilled": Text("补货（发放机上报）", "Refilled (machine)"),
        "books_in": Text("调入（账面）", "Transferred in (books)"),
        "difference_label": Text("差异", "Difference"),
        "not_counted": Text("未盘点", "Not counted"),
        "faults": Text("故障/缺货", "Faults / empty"),
        "machine_log": Text("上传发放机日志", "Upload a machine's log"),
        "machine_log_hint": Text("CSV 或 Excel，表头 time,event,product,quantity,check；event 为 vend、refill、fault 或 empty。重复上传的行只计一次；有错误的日志整份不入账。",
                                 "CSV or XLSX with the header time,event,product,quantity,check; event is vend, refill, fault or empty. Lines uploaded again count once; a log with an error is not booked at all."),
        "upload": Text("上传", "Upload"),
        "no_machines": Text("没有发放机的记录。", "No machine figures."),
    ]

    struct Line { let location: String, product: String, unit: String; let opening: Int, received: Int, transferredIn: Int, transferredOut: Int, dispensed: Int, vended: Int
        let adjusted: String, countDifference: String; let closing: Int; let amc: String, monthsOfStock: String; let suggestedOrder: Int; let writeOff: String; let writeOffFlagged: Bool
        let low: Bool }
    struct ExpiryRow { let location: String, product: String, lot: String, expires: String; let balance: Int; let expired: Bool }
    struct MachineRow { let machine: String, product: String; let opening: Int, refilled: Int, booksIn: Int, vended: Int; let adjusted: String; let closing: Int; let difference: String
        let counted: Bool; let faults: Int; let flagged: Bool }
    struct MachineOption { let id: String, label: String; var selected = false }

    /// A machine's log file is at most this large (a month of a busy machine is a few hundred KiB).
    static let maxLogBytes = 16 * 1024 * 1024

    static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : String(n) }
    static func one(_ d: Double?) -> String { d.map { String(format: "%.1f", $0) } ?? "—" }

    static func header(_ lang: Lang) -> [String] {
        [Text("存放点", "Location"), Text("品种", "Product"), Text("单位", "Unit"), strings["opening"]!, strings["received"]!, strings["transferred_in"]!, strings["transferred_out"]!,
         strings["dispensed"]!, strings["vended"]!, strings["adjusted"]!, strings["count_difference"]!, strings["closing"]!, strings["amc"]!, strings["months_of_stock"]!,
         strings["suggested_order"]!, Text("年报损率（‰）", "Write-off this year (‰)"), Text("近效期", "Near expiry"), Text("已过期", "Expired")].map { $0(lang) }
    }

    static func cells(_ l: StockReportLine) -> [String] {
        [l.location, l.productName, l.unit, String(l.opening), String(l.received), String(l.transferredIn), String(l.transferredOut), String(l.dispensed), String(l.vended),
         String(l.adjusted), String(l.countDifference), String(l.closing), one(l.averageMonthlyConsumption), one(l.monthsOfStock), String(l.suggestedOrder),
         one(l.writeOffPerMille), String(l.nearExpiry), String(l.expired)]
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get("/supplies/report") { request, context -> Response in
            _ = try context.require(.supplies(.read))
            let supplies = deps.stores.supplies, today = Day(deps.stores.env.now())
            let month = try SupplyStore.month(request.query("month"), today: today)
            let location = request.query("location").flatMap(UUID.init(uuidString:))
            let lines = try await supplies.report(month: month, location: location, in: context.scope)
            let expiring = try await supplies.stock(location: location, in: context.scope).filter { $0.expired || $0.nearExpiry }
            let locations = try await supplies.locations(in: context.scope)
            struct View { let month: String; let lines: [Line]; let hasLines: Bool; let expiry: [ExpiryRow]; let hasExpiry: Bool; let xlsx: String
                let locations: [MachineOption]; let location: String }
            let view = View(month: month.description,
                            lines: lines.map { l in Line(location: l.location, product: l.productName, unit: l.unit, opening: l.opening, received: l.received, transferredIn: l.transferredIn,
                                                         transferredOut: l.transferredOut, dispensed: l.dispensed, vended: l.vended, adjusted: signed(l.adjusted),
                                                         countDifference: signed(l.countDifference), closing: l.closing, amc: one(l.averageMonthlyConsumption),
                                                         monthsOfStock: one(l.monthsOfStock), suggestedOrder: l.suggestedOrder, writeOff: l.writeOffPerMille.map { String(format: "%.1f‰", $0) } ?? "—",
                                                         writeOffFlagged: l.writeOffFlagged, low: (l.monthsOfStock ?? 99) < 1) },
                            hasLines: !lines.isEmpty,
                            expiry: expiring.map { ExpiryRow(location: $0.locationName, product: $0.productName, lot: $0.lotCode, expires: $0.expiresOn, balance: $0.balance, expired: $0.expired) },
                            hasExpiry: !expiring.isEmpty,
                            xlsx: SitePath.query("/supplies/report.xlsx", [("month", month.description), ("location", location?.text)]),
                            locations: locations.map { MachineOption(id: $0.id.text, label: "\($0.unitName) · \($0.name)", selected: $0.id == location) }, location: location?.text ?? "")
            return deps.renderer.html("supplies/report", title: Text("药具月报", "Monthly stock report"), model: view, context: context, request: request)
        }
        router.get("/supplies/report.xlsx") { request, context -> Response in
            _ = try context.require(.supplies(.read))
            let month = try SupplyStore.month(request.query("month"), today: Day(deps.stores.env.now()))
            let lines = try await deps.stores.supplies.report(month: month, location: request.query("location").flatMap(UUID.init(uuidString:)), in: context.scope)
            var batches: [[[String]]] = [[header(context.lang)] + lines.map(cells)]
            return try await ImportPages.xlsxResponse(name: "supplies-\(month.description).xlsx") { batches.popLast() }
        }
        @Sendable func machinesPage(_ error: RenkouError?, request: Request, context: AppContext) async throws -> Response {
            let account = try context.require(.supplies(.read))
            let lang = context.lang, supplies = deps.stores.supplies
            let month = try SupplyStore.month(request.query("month"), today: Day(deps.stores.env.now()))
            let lines = try await supplies.reconciliation(month: month, in: context.scope)
            let machines = try await supplies.locations(in: context.scope).filter { $0.kind == .machine }
            struct View { let month: String; let rows: [MachineRow]; let hasRows: Bool; let machines: [MachineOption]; let canWrite: Bool; let message: String?
                let errors: [String] }
            let view = View(month: month.description,
                            rows: lines.map { MachineRow(machine: $0.machine, product: $0.productName, opening: $0.opening, refilled: $0.refilled, booksIn: $0.booksIn, vended: $0.vended,
                                                         adjusted: signed($0.adjusted), closing: $0.closing, difference: signed($0.difference), counted: $0.closingCounted, faults: $0.faults, flagged: $0.flagged) },
                            hasRows: !lines.isEmpty, machines: machines.map { MachineOption(id: $0.id.text, label: "\($0.unitName) · \($0.name)") },
                            canWrite: account.role.can(.supplies(.write)), message: error?.message(lang),
                            errors: error?.fields.map { $0.message(lang) } ?? [])
            return deps.renderer.html("supplies/machines", title: Text("自助发放机对账", "Machine reconciliation"), model: view, context: context, request: request,
                                      status: error.map { $0.kind.status } ?? .ok)
        }
        router.get("/supplies/machines") { request, context -> Response in try await machinesPage(nil, request: request, context: context) }
        router.post("/supplies/machines/log") { request, context -> Response in
            _ = try context.require(.supplies(.write))
            let body = Upload.directory.appendingPathComponent("\(UUID().uuidString)-body"), file = Upload.directory.appendingPathComponent("\(UUID().uuidString)-machine-log")
            defer { try? FileManager.default.removeItem(at: body); try? FileManager.default.removeItem(at: file) }
            try await Upload.save(request, to: body, maxBytes: SupplyReportPages.maxLogBytes)
            let parts = try Upload.multipart(body, contentType: request.headers[.contentType] ?? "", fileField: "file", to: file)
            guard let token = parts.fields["_csrf"], token == request.cookies[SessionMiddleware.csrfCookie]?.value else { throw RenkouError.csrf }
            do {
                guard let machine = parts.fields["machine"].flatMap(UUID.init(uuidString:)) else {
                    throw RenkouError.invalid([FieldError("/location", "unknown-location", Text("请选择发放机。", "Choose the machine."))])
                }
                guard parts.fileBytes > 0 else { throw RenkouError.invalid([FieldError("/file", "required", Text("请选择日志文件。", "Choose the log file."))]) }
                let result = try await deps.stores.supplies.uploadLog(machine: machine, token: nil, file: file, in: context.scope, by: context.actor)
                return Redirect.to("/supplies/machines", notice: Text("日志 \(result.lines) 行：入账 \(result.applied)，此前已上报 \(result.duplicates)。",
                                                                       "The log's \(result.lines) lines: \(result.applied) booked, \(result.duplicates) told before."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return try await machinesPage(error, request: request, context: context)
            }
        }
    }

    static func api(_ api: APIRoutes, _ deps: AppDeps) {
        api.on(.get, "/api/v1/supplies/report") { request, context in
            _ = try context.require(.supplies(.read))
            let month = try SupplyStore.month(request.query("month"), today: Day(deps.stores.env.now()))
            return try JSON.response(try await deps.stores.supplies.report(month: month, location: request.query("location").flatMap(UUID.init(uuidString:)), in: context.scope))
        }
        api.on(.get, "/api/v1/supplies/reconciliation") { request, context in
            _ = try context.require(.supplies(.read))
            let month = try SupplyStore.month(request.query("month"), today: Day(deps.stores.env.now()))
            return try JSON.response(try await deps.stores.supplies.reconciliation(month: month, machine: request.query("machine").flatMap(UUID.init(uuidString:)), in: context.scope))
        }
        // the machine's log: sent by the machine (its token) or by a worker over its unit
        api.on(.post, "/api/v1/supplies/machines/{id}/log") { request, context in
            let id = try context.uuid("id", Text("发放机", "machine"))
            let token = request.headers[HTTPField.Name("Renkou-Machine-Token")!]
            let scope: Scope? = token == nil ? context.scope : nil
            // who sends it is known before a byte of it is written
            if let token { _ = try await deps.stores.supplies.machine(id, token: token) } else { _ = try context.require(.supplies(.write)) }
            let file = Upload.directory.appendingPathComponent("\(UUID().uuidString)-machine-log")
            defer { try? FileManager.default.removeItem(at: file) }
            try await Upload.save(request, to: file, maxBytes: SupplyReportPages.maxLogBytes)
            return try JSON.response(try await deps.stores.supplies.uploadLog(machine: id, token: token, file: file, in: scope, by: token == nil ? context.actor : nil))
        }
    }
}
