import Foundation
import RenkouCore

/// Supplies in the demo district: five products, the district's store, a service point in each
/// community and a dispensing machine in the first; a year of receipts (one lot near its expiry),
/// transfers to the points, hand-outs and vends, and a count that found fewer than the books.
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
    }
}
