import Foundation
import RenkouCore

/// Supplies in the demo district: five products, the district's store, a service point in each
/// community and a dispensing machine in the first; a year of receipts (one lot near its expiry),
/// transfers to the points, hand-outs and vends, and a count that found fewer than the books; pill
/// and condom users handed three months' supplies (their next resupply visits follow), and the
/// machine's own log of refills and a fault, with last month's count: a month that does not add up.
enum DemoSupplies {
    static let catalogue = [
        Product(code: "BYT-01", name: "天然胶乳橡胶避孕套（中号）", category: .condom, unit: "只", packSize: 10),
        Product(code: "KF-01", name: "复方左炔诺孕酮片", category: .oralPill, unit: "板", packSize: 1),
        Product(code: "JJ-01", name: "左炔诺孕酮肠溶胶囊", category: .emergencyPill, unit: "盒", packSize: 1),
        Product(code: "WY-01", name: "壬苯醇醚栓", category: .topical, unit: "枚", packSize: 10),
        Product(code: "BYZ-01", name: "醋酸甲羟孕酮注射液", category: .injectable, unit: "支", packSize: 1),
    ]

    static func fill(_ stores: Stores, districtCode: String, communities: [String]) async throws {
        let actor = Actor.cli("demo-supplies"), supplies = stores.supplies, today = Day(stores.env.now())
        for p in catalogue { try await supplies.saveProduct(p, by: actor) }
        let store = try await supplies.addLocation(name: "区药具库", kind: "warehouse", unitCode: districtCode, in: .everything, by: actor)
        var points: [StockLocation] = []
        for c in communities.prefix(3) { points.append(try await supplies.addLocation(name: "社区药具发放点", kind: "service-point", unitCode: c, in: .everything, by: actor)) }
        let machine = try await supplies.addLocation(name: "自助发放机 1 号", kind: "machine", unitCode: communities[0], slots: 4, capacity: 200, in: .everything, by: actor)
        func event(_ kind: String, _ at: StockLocation, _ product: String, _ quantity: Int, daysAgo: Int, to: StockLocation? = nil, lotCode: String? = nil,
                   expires: Day? = nil, document: String? = nil, reason: String? = nil, lot: String? = nil) async throws {
            var e = StockEventInput(kind: kind, location: at.id.text, destination: to?.id.text, product: product, lot: lot, lotCode: lotCode,
                                    expiresOn: expires?.description, quantity: quantity, occurredOn: today.adding(days: -daysAgo).description, reason: reason, document: document)
            if kind == "receive" { e.manufacturedOn = today.adding(days: -daysAgo - 120).description }
            _ = try await supplies.record(e, in: .everything, by: actor)
        }
        // a year ago and three months ago: the older condoms expire within four months
        for (i, p) in catalogue.enumerated() {
            try await event("receive", store, p.code, 2000, daysAgo: 360, lotCode: "2025\(String(format: "%02d", i + 1))A", expires: today.adding(days: 120), document: "RK-2025-\(i + 1)")
            try await event("receive", store, p.code, 3000, daysAgo: 90, lotCode: "2026\(String(format: "%02d", i + 1))B", expires: today.adding(years: 2), document: "RK-2026-\(i + 1)")
        }
        // monthly transfers to the points (the first-to-expire lot goes first), hand-outs at each point
        for month in stride(from: 330, through: 30, by: -60) {
            for point in points {
                try await event("transfer", store, "BYT-01", 100, daysAgo: month, to: point)
                try await event("transfer", store, "KF-01", 30, daysAgo: month, to: point)
                try await event("dispense", point, "BYT-01", 60, daysAgo: month - 20)
                try await event("dispense", point, "KF-01", 18, daysAgo: month - 25)
            }
            try await event("transfer", store, "BYT-01", 50, daysAgo: month, to: machine)
            try await event("vend", machine, "BYT-01", 35, daysAgo: month - 15)
        }
        // the first point's month-end count, signed: ten condoms fewer than its books on one lot, the rest as booked
        let sheet = try await supplies.openSheet(location: points[0].id, on: today.adding(days: -3).description, in: .everything, by: actor)
        var counts: [UUID: Int] = [:]
        for (i, line) in sheet.lines.enumerated() { counts[line.lotID] = i == 0 && line.book >= 10 ? line.book - 10 : line.book }
        _ = try await supplies.enterCounts(sheet.id, counts: counts, in: .everything, by: actor)
        _ = try await supplies.sign(sheet.id, document: "PD-\(today.year)-01", in: .everything, by: actor)
        // the second point's sheet is still open
        _ = try await supplies.openSheet(location: points[1].id, in: .everything, by: actor)
        try await event("adjust", store, "JJ-01", 5, daysAgo: 40, reason: "damaged", lot: try await supplies.stock(location: store.id, in: .everything).first { $0.product == "JJ-01" }?.lotID.text)
        // women on the pill or condoms in the points' communities, handed three months' supplies ten days ago
        for point in points {
            let users = try await stores.db.read { db in
                try await db.raw("""
                    SELECT m.person_id, m.method FROM method_uses m JOIN persons p ON p.id = m.person_id
                    WHERE m.stopped_on IS NULL AND m.method IN ('oral-pill', 'condom') AND p.unit_id = \(bind: point.unitID.text) AND p.status = 'active'
                    AND m.started_on <= \(bind: today.adding(days: -10).description) ORDER BY m.person_id LIMIT 3
                    """).all().map { (try $0.decode(column: "person_id", as: String.self), try $0.decode(column: "method", as: String.self)) }
            }
            for (person, method) in users {
                _ = try await supplies.record(StockEventInput(kind: "dispense", location: point.id.text, product: method == "oral-pill" ? "KF-01" : "BYT-01",
                                                              quantity: method == "oral-pill" ? 3 : 30, occurredOn: today.adding(days: -10).description, person: person), in: .everything, by: actor)
            }
        }
        // the machine's log: a refill with each transfer (last month's says 60 where the books moved 50), a fault last month
        let monthStart = Day(year: today.year, month: today.month, day: 1)!, lastMonthEnd = monthStart.adding(days: -1)
        var log = "time,event,product,quantity,check\n"
        for month in stride(from: 330, through: 30, by: -60) {
            let day = today.adding(days: -month)
            let short = day <= lastMonthEnd && lastMonthEnd.days(until: day) > -31
            log += "\(day.description) 09:30,refill,BYT-01,\(short ? 60 : 50),\n"
        }
        log += "\(today.adding(days: -50).description) 21:05,fault,,,\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-demo-machine-\(UUID().uuidString).csv")
        try Data(log.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await supplies.uploadLog(machine: machine.id, token: nil, file: file, in: .everything, by: actor)
        // last month's count at the machine: two fewer than the books
        let machineSheet = try await supplies.openSheet(location: machine.id, on: lastMonthEnd.description, in: .everything, by: actor)
        var machineCounts: [UUID: Int] = [:]
        for (i, line) in machineSheet.lines.enumerated() { machineCounts[line.lotID] = i == machineSheet.lines.count - 1 && line.book >= 2 ? line.book - 2 : line.book }
        _ = try await supplies.enterCounts(machineSheet.id, counts: machineCounts, in: .everything, by: actor)
        _ = try await supplies.sign(machineSheet.id, document: "PD-JQ-\(lastMonthEnd.description.prefix(7))", in: .everything, by: actor)
    }
}
