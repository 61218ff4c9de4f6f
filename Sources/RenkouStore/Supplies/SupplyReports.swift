import Foundation
import RenkouCore
import SQLKit

/// 药具报表: the monthly stock report with its planning figures, the machines' monthly reconciliation,
/// and the supplies' rates. Everything is read from the cards' lines (their balances kept as events
/// came), grouped in the database: nothing is replayed.
extension SupplyStore {
    /// A month given as `YYYY-MM` (this month when nil). Throws `invalid` (`/month` `date-format`).
    public static func month(_ text: String?, today: Day) throws -> Period {
        guard let text = text?.trimmed, !text.isEmpty else { return Period.containing(today, .month) }
        let parts = text.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1900...9999).contains(y), let first = Day(year: y, month: m, day: 1) else {
            throw RenkouError.invalid([FieldError("/month", "date-format", Text("月份格式应为 YYYY-MM。", "The month is YYYY-MM."))])
        }
        return Period.containing(first, .month)
    }

    /// 药具月报: each location of the scope (or one) and product with stock or movements: opening,
    /// received, transferred in and out, dispensed, vended, adjusted (reversals included), the counts'
    /// differences and closing, in the product's units; the average monthly consumption of the three
    /// months to this one (what went out: hand-outs, vends and transfers out, less what was reversed;
    /// over the part of them that has passed), months of stock, the
    /// suggested order up to `supplies.max-months-of-stock`, the year's write-off rate so far
    /// (damaged, expired, lost, written off and counts that found fewer, less reversals; flagged above
    /// `supplies.write-off-limit` ‰), and the closing stock near its expiry or past
    /// it at the month's end. By location, then product. Throws `invalid` (`/location` `unknown-location`).
    public func report(month: Period, location: UUID? = nil, in scope: Scope) async throws -> [StockReportLine] {
        let engine = db.engine, today = Day(env.now())
        let policyDay = month.end < today ? month.end : today
        let maxMonths = env.policy(.maxMonthsOfStock, on: policyDay), limit = env.policy(.writeOffLimitPerMille, on: policyDay)
        let nearMonths = env.policy(.nearExpiryMonths, on: policyDay)
        let soon = Offset(months: nearMonths).from(month.end).description
        let start = month.start.description, end = month.end.description
        let amcStartDay = Offset(months: -2).from(month.start), amcStart = amcStartDay.description, yearStart = Day(year: month.start.year, month: 1, day: 1)!.description
        // the three months' use over the months of them that have passed (this month so far counts as its share)
        let amcMonths = max(1.0 / 30, Double(amcStartDay.days(until: min(month.end, today)) + 1) / 30.44)
        return try await db.read { db in
            if let location { _ = try await Self.requireLocation(location.text, field: "location", in: scope, engine: engine, db) }
            let only: SQLQueryString = location.map { "AND c.location_id = \(bind: $0.text)" } ?? ""
            let onlyLines: SQLQueryString = location.map { "AND s.location_id = \(bind: $0.text)" } ?? ""
            struct Key: Hashable { let location: String, product: String }
            var lines: [Key: StockReportLine] = [:], order: [Key] = []
            func line(_ k: Key) -> StockReportLine { lines[k]! }
            // the cards: balances at the month's start and end, and the lot's expiry
            for r in try await db.raw("""
                SELECT c.location_id, c.product, l.expires_on, sl.name AS location_name, sl.kind, sl.path AS location_path, p.name AS product_name, p.unit,
                  (SELECT s.balance FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND s.occurred_on < \(bind: start) ORDER BY s.occurred_on DESC, s.seq DESC LIMIT 1) AS opening,
                  (SELECT s.balance FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND s.occurred_on <= \(bind: end) ORDER BY s.occurred_on DESC, s.seq DESC LIMIT 1) AS closing
                FROM stock_cards c JOIN supply_lots l ON l.id = c.lot_id JOIN stock_locations sl ON sl.id = c.location_id JOIN supply_products p ON p.code = c.product
                WHERE \(engine.startsWith("c.path", scope.path)) \(only)
                ORDER BY sl.path, sl.name, c.product
                """).all() {
                let k = Key(location: try r.decode(column: "location_id", as: String.self), product: try r.decode(column: "product", as: String.self))
                let opening = try r.decode(column: "opening", as: Int?.self) ?? 0, closing = try r.decode(column: "closing", as: Int?.self) ?? 0
                if lines[k] == nil {
                    order.append(k)
                    lines[k] = StockReportLine(locationID: k.location.uuid, location: try r.decode(column: "location_name", as: String.self),
                                               kind: LocationKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .warehouse, product: k.product,
                                               productName: try r.decode(column: "product_name", as: String.self), unit: try r.decode(column: "unit", as: String.self),
                                               opening: 0, received: 0, transferredIn: 0, transferredOut: 0, dispensed: 0, vended: 0, adjusted: 0, countDifference: 0, closing: 0,
                                               averageMonthlyConsumption: 0, monthsOfStock: nil, suggestedOrder: 0, writeOffPerMille: nil, writeOffFlagged: false, nearExpiry: 0, expired: 0)
                }
                let expires = try r.decode(column: "expires_on", as: String.self)
                lines[k]!.opening += opening; lines[k]!.closing += closing
                if expires <= end { lines[k]!.expired += closing } else if expires < soon { lines[k]!.nearExpiry += closing }
            }
            // the movements from the year's start (write-offs), the three months (consumption) and the month
            let from = min(amcStart, yearStart)
            var consumed: [Key: Int] = [:], outYear: [Key: Int] = [:], lostYear: [Key: Int] = [:]
            for r in try await db.raw("""
                SELECT t.location_id, t.product, t.kind, t.undoes, t.reason, t.this_month, t.recent, t.this_year, t.incoming, SUM(t.delta) AS total FROM (
                  SELECT s.location_id, s.product, e.kind, o.kind AS undoes, COALESCE(o.reason, e.reason) AS reason, s.delta,
                         CASE WHEN s.occurred_on >= \(bind: start) THEN 1 ELSE 0 END AS this_month,
                         CASE WHEN s.occurred_on >= \(bind: amcStart) THEN 1 ELSE 0 END AS recent, CASE WHEN s.occurred_on >= \(bind: yearStart) THEN 1 ELSE 0 END AS this_year,
                         CASE WHEN s.delta > 0 THEN 1 ELSE 0 END AS incoming
                  FROM stock_lines s JOIN stock_events e ON e.id = s.event_id LEFT JOIN stock_events o ON o.id = e.reverses
                  WHERE \(engine.startsWith("s.path", scope.path)) \(onlyLines) AND s.occurred_on >= \(bind: from) AND s.occurred_on <= \(bind: end)) t
                GROUP BY t.location_id, t.product, t.kind, t.undoes, t.reason, t.this_month, t.recent, t.this_year, t.incoming
                """).all() {
                let k = Key(location: try r.decode(column: "location_id", as: String.self), product: try r.decode(column: "product", as: String.self))
                guard lines[k] != nil else { continue }
                let kind = StockEventKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .adjust, total = try r.decode(column: "total", as: Int.self)
                let incoming = try r.decode(column: "incoming", as: Int.self) == 1
                // a reversal nets against what it undoes: a hand-out taken back is not use, a write-off taken back not a loss
                let effective = kind == .reversal ? (try r.decode(column: "undoes", as: String?.self)).flatMap(StockEventKind.init(rawValue:)) ?? .adjust : kind
                let outgoing = kind == .reversal ? incoming : !incoming
                let out = [.dispense, .vend].contains(effective) || (effective == .transfer && outgoing) ? -total : 0
                if try r.decode(column: "recent", as: Int.self) == 1 { consumed[k, default: 0] += out }
                if try r.decode(column: "this_year", as: Int.self) == 1 {
                    outYear[k, default: 0] += out
                    if effective == .adjust, let reason = (try r.decode(column: "reason", as: String?.self)).flatMap(AdjustmentReason.init(rawValue:)), reason.isLoss { lostYear[k, default: 0] -= total }
                    // a count that found fewer than the books is a loss too
                    if kind == .count, total < 0 { lostYear[k, default: 0] -= total }
                }
                guard try r.decode(column: "this_month", as: Int.self) == 1 else { continue }
                switch kind {
                case .receive: lines[k]!.received += total
                case .transfer: if incoming { lines[k]!.transferredIn += total } else { lines[k]!.transferredOut -= total }
                case .dispense: lines[k]!.dispensed -= total
                case .vend: lines[k]!.vended -= total
                case .adjust, .reversal: lines[k]!.adjusted += total
                case .count: lines[k]!.countDifference += total
                }
            }
            return order.map { k in
                var l = lines[k]!
                l.averageMonthlyConsumption = (Double(max(0, consumed[k] ?? 0)) / min(3, amcMonths) * 10).rounded() / 10
                if l.averageMonthlyConsumption > 0 {
                    l.monthsOfStock = Double(l.closing) / l.averageMonthlyConsumption
                    l.suggestedOrder = max(0, Int((l.averageMonthlyConsumption * Double(maxMonths)).rounded(.up)) - l.closing)
                }
                if let out = outYear[k], out > 0 {
                    l.writeOffPerMille = Double(lostYear[k] ?? 0) * 1000 / Double(out)
                    l.writeOffFlagged = l.writeOffPerMille! > Double(limit)
                } else if (lostYear[k] ?? 0) > 0 { l.writeOffFlagged = true }
                return l
            }.filter { $0.opening != 0 || $0.closing != 0 || $0.received != 0 || $0.transferredIn != 0 || $0.transferredOut != 0 || $0.dispensed != 0 || $0.vended != 0 || $0.adjusted != 0 || $0.countDifference != 0 }
        }
    }

    /// 发放机月度对账: each machine of the scope (or one) and product it holds or reported: the books
    /// at the month's start, the machine's refill reports, its vends (each one booked as it was
    /// reported), the books at its end (set by the month's count), the transfers into it; `MachineReconciliation.flagged` marks a month that does
    /// not add up, was not counted, or whose refills the books do not show. Throws `invalid`
    /// (`/location` `unknown-location`).
    public func reconciliation(month: Period, machine: UUID? = nil, in scope: Scope) async throws -> [MachineReconciliation] {
        let engine = db.engine, start = month.start.description, end = month.end.description
        return try await db.read { db in
            if let machine { _ = try await Self.requireLocation(machine.text, field: "location", in: scope, engine: engine, db) }
            let only: SQLQueryString = machine.map { "AND l.id = \(bind: $0.text)" } ?? ""
            var result: [MachineReconciliation] = []
            for m in try await db.raw("SELECT l.id, l.name FROM stock_locations l WHERE l.kind = 'machine' AND \(engine.startsWith("l.path", scope.path)) \(only) ORDER BY l.path, l.name").all() {
                let id = try m.decode(column: "id", as: String.self), name = try m.decode(column: "name", as: String.self)
                var products: [String: MachineReconciliation] = [:]
                func entry(_ p: String, _ pname: String) {
                    if products[p] == nil {
                        products[p] = MachineReconciliation(locationID: id.uuid, machine: name, month: month.description, product: p, productName: pname, opening: 0, refilled: 0,
                                                            booksIn: 0, vended: 0, adjusted: 0, closing: 0, closingCounted: false, faults: 0)
                    }
                }
                for r in try await db.raw("""
                    SELECT c.product, p.name,
                      (SELECT s.balance FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND s.occurred_on < \(bind: start) ORDER BY s.occurred_on DESC, s.seq DESC LIMIT 1) AS opening,
                      (SELECT s.balance FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND s.occurred_on <= \(bind: end) ORDER BY s.occurred_on DESC, s.seq DESC LIMIT 1) AS closing,
                      (SELECT COUNT(*) FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND s.counted IS NOT NULL AND s.occurred_on >= \(bind: start) AND s.occurred_on <= \(bind: end)) AS counts,
                      (SELECT COALESCE(SUM(s.delta), 0) FROM stock_lines s JOIN stock_events e ON e.id = s.event_id WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id
                         AND e.kind = 'transfer' AND s.delta > 0 AND s.occurred_on >= \(bind: start) AND s.occurred_on <= \(bind: end)) AS books_in,
                      (SELECT COALESCE(-SUM(s.delta), 0) FROM stock_lines s JOIN stock_events e ON e.id = s.event_id LEFT JOIN stock_events o ON o.id = e.reverses
                         WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND (e.kind = 'vend' OR o.kind = 'vend')
                         AND s.occurred_on >= \(bind: start) AND s.occurred_on <= \(bind: end)) AS vended,
                      (SELECT COALESCE(SUM(s.delta), 0) FROM stock_lines s JOIN stock_events e ON e.id = s.event_id LEFT JOIN stock_events o ON o.id = e.reverses
                         WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND e.kind NOT IN ('vend', 'count') AND COALESCE(o.kind, '') <> 'vend'
                         AND NOT (e.kind = 'transfer' AND s.delta > 0) AND s.occurred_on >= \(bind: start) AND s.occurred_on <= \(bind: end)) AS adjusted
                    FROM stock_cards c JOIN supply_products p ON p.code = c.product WHERE c.location_id = \(bind: id)
                    """).all() {
                    let p = try r.decode(column: "product", as: String.self)
                    entry(p, try r.decode(column: "name", as: String.self))
                    products[p]!.opening += try r.decode(column: "opening", as: Int?.self) ?? 0
                    products[p]!.closing += try r.decode(column: "closing", as: Int?.self) ?? 0
                    products[p]!.booksIn += try r.decode(column: "books_in", as: Int.self)
                    products[p]!.vended += try r.decode(column: "vended", as: Int.self)
                    products[p]!.adjusted += try r.decode(column: "adjusted", as: Int.self)
                    if try r.decode(column: "counts", as: Int.self) > 0 { products[p]!.closingCounted = true }
                }
                var faults = 0
                for r in try await db.raw("""
                    SELECT r.kind, r.product, p.name, SUM(r.quantity) AS quantity, COUNT(*) AS n FROM machine_reports r LEFT JOIN supply_products p ON p.code = r.product
                    WHERE r.location_id = \(bind: id) AND r.occurred_on >= \(bind: start) AND r.occurred_on <= \(bind: end) GROUP BY r.kind, r.product, p.name
                    """).all() {
                    let kind = try r.decode(column: "kind", as: String.self)
                    if kind == "fault" || kind == "empty" { faults += try r.decode(column: "n", as: Int.self); continue }
                    guard let p = try r.decode(column: "product", as: String?.self) else { continue }
                    entry(p, try r.decode(column: "name", as: String?.self) ?? p)
                    if kind == "refill" { products[p]!.refilled += try r.decode(column: "quantity", as: Int.self) }
                }
                for p in products.keys.sorted() {
                    var line = products[p]!
                    line.faults = faults
                    // nothing held, moved or reported: not a line
                    if line.opening == 0 && line.closing == 0 && line.refilled == 0 && line.vended == 0 && line.booksIn == 0 && line.adjusted == 0 { continue }
                    result.append(line)
                }
            }
            return result
        }
    }
}

enum SuppliesRates {
    /// 药具免费发放率: the married women of reproductive age using a short-acting method on the
    /// period's last day (the denominator), those of them handed supplies (not reversed) in it.
    static func users(_ p: Period, _ policy: Policy) -> String {
        let d = p.end, ages = policy(.reproductiveAge, on: d)
        return """
            x.sex = '2' AND x.birth_date <= '\(d.lastBirthDay(forAge: ages.min).description)' AND x.birth_date > '\(d.lastBirthDay(forAge: ages.max + 1).description)' \
            AND x.status = 'active' AND x.marital_status LIKE '2%' AND EXISTS (SELECT 1 FROM method_uses m WHERE m.person_id = x.id \
            AND m.method IN ('condom', 'oral-pill', 'injectable', 'topical') AND m.started_on <= '\(d.description)' AND (m.stopped_on IS NULL OR m.stopped_on > '\(d.description)'))
            """
    }
    static func handed(_ p: Period, _ policy: Policy) -> String {
        """
        EXISTS (SELECT 1 FROM stock_events e WHERE e.person_id = x.id AND e.kind = 'dispense' AND e.occurred_on >= '\(p.start.description)' \
        AND e.occurred_on <= '\(p.end.description)' AND NOT EXISTS (SELECT 1 FROM stock_events r WHERE r.reverses = e.id))
        """
    }
    static let personRecord = "x.id AS id, x.name AS name, x.id_number AS id_number, '' AS detail, 'person' AS link"

    static var definitions: [IndicatorDefinition] {
        [IndicatorDefinition(SuppliesIndicator.booksMatch, from: "count_sheet_lines x JOIN count_sheets s ON s.id = x.sheet_id",
                             base: { p, _ in "s.state = 'signed' AND s.counted_on >= '\(p.start.description)' AND s.counted_on <= '\(p.end.description)'" },
                             numerator: { _, _ in "x.counted = x.book" }, key: "x.id",
                             record: "x.sheet_id AS id, (SELECT name FROM stock_locations l WHERE l.id = x.location_id) AS name, NULL AS id_number, s.counted_on AS detail, 'count-sheet' AS link"),
         IndicatorDefinition(SuppliesIndicator.distribution, from: "persons x", base: users, numerator: handed, key: "x.id", record: personRecord),
         // 流入已婚育龄群众避孕药具免费发放率: the same for the women registered as inflow (seeds 003/004)
         IndicatorDefinition(SuppliesIndicator.inflowDistribution, from: "persons x", base: { users($0, $1) + " AND x.category = 'inflow'" }, numerator: handed,
                             key: "x.id", record: personRecord)]
    }
}
