import Foundation
import RenkouCore
import SQLKit

/// 药具出入库: the catalogue, the lots, the stock locations of the tree, and the immutable stock
/// events. Every event line is posted to its stock card (a location's lot) in the event's
/// transaction: the card's balance is read, never replayed; a line dated before others moves the
/// later balances along (a count found on a day is the balance from that day until the next count),
/// and the whole event is refused if any balance would go below zero.
public struct SupplyStore: Sendable {
    let db: Database
    let env: RenkouCore.Environment
    public init(db: Database, env: RenkouCore.Environment) { self.db = db; self.env = env }

    // MARK: Catalogue

    /// Adds or updates a product. Throws `invalid` (`/code` `required`, `/name` `required`, `/unit`
    /// `required`, `/category` `code-unknown`, `/packSize` `out-of-range`: 1–10,000).
    @discardableResult
    public func saveProduct(_ p: Product, by actor: Actor) async throws -> Product {
        var errors = FieldErrors()
        if p.code.trimmed.isEmpty { errors.add("/code", "required", "请填写品种代码。", "Give the product's code.") }
        if p.name.trimmed.isEmpty { errors.add("/name", "required", "请填写品名。", "Give the product's name.") }
        if p.unit.trimmed.isEmpty { errors.add("/unit", "required", "请填写计量单位（如 只、板）。", "Give the unit it is counted in (piece, blister …).") }
        if !(1...10_000).contains(p.packSize) { errors.add("/packSize", "out-of-range", "每盒数量应为 1–10000。", "A pack holds 1 to 10,000 units.") }
        try errors.throwIfAny()
        let env = self.env
        try await db.transaction { db in
            let old = try await db.raw("SELECT code FROM supply_products WHERE code = \(bind: p.code.trimmed)").first()
            if old == nil {
                try await db.raw("""
                    INSERT INTO supply_products (code, name, category, unit, pack_size) VALUES (\(bind: p.code.trimmed), \(bind: p.name.trimmed), \(bind: p.category.rawValue), \(bind: p.unit.trimmed), \(bind: p.packSize))
                    """).run()
            } else {
                try await db.raw("UPDATE supply_products SET name = \(bind: p.name.trimmed), category = \(bind: p.category.rawValue), unit = \(bind: p.unit.trimmed), pack_size = \(bind: p.packSize) WHERE code = \(bind: p.code.trimmed)").run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: old == nil ? .create : .update, entity: "supply_product", entityID: p.code, path: "/", after: AuditLog.json(p))
        }
        return p
    }

    /// The catalogue, by code.
    public func products() async throws -> [Product] {
        try await db.read { db in
            try await db.raw("SELECT * FROM supply_products ORDER BY code").all().map {
                Product(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                        category: ProductCategory(rawValue: try $0.decode(column: "category", as: String.self)) ?? .condom,
                        unit: try $0.decode(column: "unit", as: String.self), packSize: try $0.decode(column: "pack_size", as: Int.self))
            }
        }
    }

    // MARK: Locations

    /// Adds a stock location in a unit of the scope. Throws `invalid` (`/name` `required`, `/kind`
    /// `code-unknown`, `/unit` `unknown-unit`).
    public func addLocation(name: String, kind: String, unitCode: String, slots: Int? = nil, capacity: Int? = nil, in scope: Scope, by actor: Actor) async throws -> StockLocation {
        var errors = FieldErrors()
        if name.trimmed.isEmpty { errors.add("/name", "required", "请填写存放点名称。", "Give the location's name.") }
        if LocationKind(rawValue: kind) == nil { errors.add("/kind", "code-unknown", "类型应为 warehouse、service-point 或 machine。", "The kind is warehouse, service-point or machine.") }
        try errors.throwIfAny()
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            let unit = try await PersonStore.requireUnit(unitCode, scope: scope, engine: engine, db)
            let location = StockLocation(id: env.newID(), name: name.trimmed, kind: LocationKind(rawValue: kind)!, unitID: unit.id, unitName: unit.name, slots: slots, capacity: capacity)
            try await db.raw("""
                INSERT INTO stock_locations (id, name, kind, unit_id, path, slots, capacity, created_at)
                VALUES (\(bind: location.id.text), \(bind: location.name), \(bind: kind), \(bind: unit.id.text), \(bind: unit.path), \(bind: slots), \(bind: capacity), \(bind: Timestamp.string(env.now())))
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "stock_location", entityID: location.id.text, path: unit.path, after: AuditLog.json(location))
            return location
        }
    }

    /// The stock locations of the scope, by unit path and name.
    public func locations(in scope: Scope) async throws -> [StockLocation] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT l.*, u.name AS unit_name FROM stock_locations l JOIN org_units u ON u.id = l.unit_id
                WHERE \(engine.startsWith("l.path", scope.path)) ORDER BY l.path, l.name
                """).all().map(Self.decodeLocation)
        }
    }

    static func decodeLocation(_ r: any SQLRow) throws -> StockLocation {
        StockLocation(id: try r.decode(column: "id", as: String.self).uuid, name: try r.decode(column: "name", as: String.self),
                      kind: LocationKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .warehouse,
                      unitID: try r.decode(column: "unit_id", as: String.self).uuid, unitName: try r.decode(column: "unit_name", as: String.self),
                      slots: try r.decode(column: "slots", as: Int?.self), capacity: try r.decode(column: "capacity", as: Int?.self))
    }

    static func requireLocation(_ text: String?, field: String, in scope: Scope, engine: Engine, _ db: any SQLDatabase) async throws -> (StockLocation, String) {
        guard let id = text.flatMap(UUID.init(uuidString:)), let r = try await db.raw("""
            SELECT l.*, u.name AS unit_name FROM stock_locations l JOIN org_units u ON u.id = l.unit_id
            WHERE l.id = \(bind: id.text) AND \(engine.startsWith("l.path", scope.path))
            """).first() else {
            throw RenkouError.invalid([FieldError("/\(field)", "unknown-location", Text("存放点不存在或不在您的管辖范围内。", "The location does not exist or is outside your area."))])
        }
        return (try decodeLocation(r), try r.decode(column: "path", as: String.self))
    }

    // MARK: Stock on hand

    /// Stock on hand in the scope (or one location): each location's lots with a balance (or every
    /// card, with `includeEmpty`), read from their cards, the expired and the near-expiry (policy `supplies.near-expiry-months`) flagged;
    /// by location, product and expiry.
    public func stock(location: UUID? = nil, includeEmpty: Bool = false, in scope: Scope) async throws -> [StockOnHand] {
        let engine = db.engine, today = Day(env.now())
        let months = env.policy(.nearExpiryMonths, on: today)
        let soon = Day(year: today.year + (today.month - 1 + months) / 12, month: (today.month - 1 + months) % 12 + 1, day: 1)!.adding(days: today.day - 1)
        return try await db.read { db in
            try await db.raw("""
                SELECT c.location_id, s.name AS location_name, c.product, p.name AS product_name, c.lot_id, l.lot_code, l.expires_on, c.balance
                FROM stock_cards c JOIN stock_locations s ON s.id = c.location_id JOIN supply_lots l ON l.id = c.lot_id JOIN supply_products p ON p.code = c.product
                WHERE \(engine.startsWith("c.path", scope.path)) \(unsafeRaw: includeEmpty ? "" : "AND c.balance <> 0") \(unsafeRaw: location == nil ? "" : "AND c.location_id = ")\(location.map { "\(bind: $0.text)" as SQLQueryString } ?? "")
                ORDER BY s.path, s.name, c.product, l.expires_on, l.lot_code
                """).all().map { r in
                let expires = try r.decode(column: "expires_on", as: String.self)
                return StockOnHand(locationID: try r.decode(column: "location_id", as: String.self).uuid, locationName: try r.decode(column: "location_name", as: String.self),
                                   product: try r.decode(column: "product", as: String.self), productName: try r.decode(column: "product_name", as: String.self),
                                   lotID: try r.decode(column: "lot_id", as: String.self).uuid, lotCode: try r.decode(column: "lot_code", as: String.self),
                                   expiresOn: expires, balance: try r.decode(column: "balance", as: Int.self),
                                   expired: expires < today.description, nearExpiry: expires >= today.description && expires < soon.description)
            }
        }
    }

    /// A stock card: the lines of a location's lot in date order with the balance after each.
    public func card(location: UUID, lot: UUID, in scope: Scope) async throws -> [StockLine] {
        let engine = db.engine
        return try await db.read { db in
            try await db.raw("""
                SELECT s.event_id, e.kind, s.occurred_on, s.delta, s.balance, e.reason, e.document,
                       (SELECT COUNT(*) FROM stock_events r WHERE r.reverses = s.event_id) AS reversed
                FROM stock_lines s JOIN stock_events e ON e.id = s.event_id
                WHERE s.location_id = \(bind: location.text) AND s.lot_id = \(bind: lot.text) AND \(engine.startsWith("s.path", scope.path))
                ORDER BY s.occurred_on, s.seq
                """).all().map { r in
                StockLine(eventID: try r.decode(column: "event_id", as: String.self).uuid, kind: StockEventKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .adjust,
                          occurredOn: try r.decode(column: "occurred_on", as: String.self), delta: try r.decode(column: "delta", as: Int.self),
                          balance: try r.decode(column: "balance", as: Int.self), reason: try r.decode(column: "reason", as: String?.self),
                          document: try r.decode(column: "document", as: String?.self), reversed: try r.decode(column: "reversed", as: Int.self) > 0)
            }
        }
    }

    // MARK: Events

    /// What an event did: its id and the lines posted (location, lot, change).
    public struct Posted: Sendable, Codable, Equatable {
        public var eventID: UUID
        public var lines: [Line]
        /// A hand-out to a method user: when her next supplies fall due (her resupply visit).
        public var resupplyDue: String? = nil
        public struct Line: Sendable, Codable, Equatable { public var location: UUID; public var lot: UUID; public var lotCode: String; public var delta: Int }
    }

    /// Records a stock event (receive, transfer, dispense, vend, adjust, count) in one transaction:
    /// its lines posted to their cards, later balances moved along. An issue without a lot takes the
    /// lots that expire first (近效期先出). Throws `invalid` with every problem by field: `/kind`
    /// `code-unknown`; `/location`, `/destination` `unknown-location`; `/product` `unknown-product`;
    /// `/lot` `unknown-lot`, `lot-expired` (an issue on or after the expiry day, or a receipt of an
    /// expired lot); `/quantity` `out-of-range`; `/occurredOn` `date-format`, `future-date`;
    /// `/reason` `code-unknown`; `/quantity` `quota-exceeded` (a hand-out to a person over the yearly
    /// quota of the product's category, policy `supplies.yearly-quota`); `/document` `required` (a receipt's delivery note); `/expiresOn`
    /// `required`, `/manufacturedOn` `after-expiry`; `/person` `unknown-person`; `/destination`
    /// `same-location`; `/location` `not-a-machine` (a vend). `conflict` `insufficient-stock` when a
    /// balance would go below zero (nothing is written).
    @discardableResult
    public func record(_ input: StockEventInput, in scope: Scope, by actor: Actor) async throws -> Posted {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in try await Self.record(input, in: scope, by: actor, env: env, engine: engine, db) }
    }

    /// Records several stock events in one transaction, in the order given: all or none (the first
    /// refused one throws, with its index as `/events/N` before each field's pointer). For an
    /// offline point catching up, or a load. Throws what `record` throws.
    @discardableResult
    public func record(batch inputs: [StockEventInput], in scope: Scope, by actor: Actor) async throws -> [Posted] {
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            var posted: [Posted] = []
            posted.reserveCapacity(inputs.count)
            for (i, input) in inputs.enumerated() {
                do { posted.append(try await Self.record(input, in: scope, by: actor, env: env, engine: engine, db)) } catch var e as RenkouError {
                    e.fields = e.fields.map { FieldError("/events/\(i)" + $0.pointer, $0.code, $0.message) }
                    if e.fields.isEmpty { e.fields = [FieldError("/events/\(i)", e.code, e.message)] }
                    throw e
                }
            }
            return posted
        }
    }

    /// 同一存放点的事件依次入账: on PostgreSQL (transactions side by side) the locations an event
    /// touches are locked for the rest of the transaction, in one order (no deadlock); SQLite has one
    /// writer already.
    static func lock(locations: [UUID], _ db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        for id in Set(locations).map(\.text).sorted() {
            try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "stock:" + id)))").run()
        }
    }

    /// `record` inside the caller's transaction.
    static func record(_ input: StockEventInput, in scope: Scope, by actor: Actor, env: RenkouCore.Environment, engine: Engine, _ db: any SQLDatabase) async throws -> Posted {
        let today = Day(env.now())
        var errors = FieldErrors()
        let kind = input.kind.flatMap(StockEventKind.init(rawValue:))
        if kind == nil || kind == .reversal { errors.add("/kind", "code-unknown", "事件类型应为 receive、transfer、dispense、vend、adjust 或 count。", "The kind is receive, transfer, dispense, vend, adjust or count.") }
        let quantity = input.quantity ?? -1
        if kind == .count ? quantity < 0 || quantity > 10_000_000 : quantity < 1 || quantity > 10_000_000 {
            errors.add("/quantity", "out-of-range", "数量应为正整数（盘点可为 0）。", "The quantity is a whole number above zero (a count may be zero).")
        }
        var day = today
        do { day = try Day.parse(input.occurredOn, field: "occurredOn", default: today) } catch let e as RenkouError { for f in e.fields { errors.add(f.pointer, f.code, f.message.zh, f.message.en) } }
        if today < day { errors.add("/occurredOn", "future-date", "日期不能晚于今天。", "The date cannot be in the future.") }
        let reason = input.reason.flatMap(AdjustmentReason.init(rawValue:))
        if kind == .adjust && reason == nil { errors.add("/reason", "code-unknown", "请选择调整原因：damaged、expired、lost、found、write-off。", "Choose the reason: damaged, expired, lost, found or write-off.") }
        if kind == .receive && (input.document ?? "").trimmed.isEmpty { errors.add("/document", "required", "请填写入库单号（两查七对）。", "Give the delivery note's number.") }
        try errors.throwIfAny()
        let k = kind!, occurred = day.description, eventDay = day
        do {
            var errors = FieldErrors()
            let (location, path) = try await Self.requireLocation(input.location, field: "location", in: scope, engine: engine, db)
            var destination: (StockLocation, String)?
            if k == .transfer {
                destination = try await Self.requireLocation(input.destination, field: "destination", in: scope, engine: engine, db)
                if destination?.0.id == location.id { errors.add("/destination", "same-location", "调出和调入不能是同一存放点。", "The destination is the location itself.") }
            }
            try await Self.lock(locations: [location.id] + (destination.map { [$0.0.id] } ?? []), db)
            if k == .vend && location.kind != .machine { errors.add("/location", "not-a-machine", "只有自助发放机记录自助发放。", "Only a dispensing machine vends.") }
            guard let product = input.product?.trimmed, try await db.raw("SELECT code FROM supply_products WHERE code = \(bind: product)").first() != nil else {
                throw RenkouError.invalid([FieldError("/product", "unknown-product", Text("药具品种不存在。", "No such product."))])
            }
            var person: Person?
            if k == .dispense, let p = input.person?.trimmed, !p.isEmpty {
                // the registry's id, or her ID number as the worker reads it off the card
                let unknown = RenkouError.invalid([FieldError("/person", "unknown-person", Text("该人员不存在或不在您的管辖范围内。", "This person does not exist or is outside your area."))])
                guard let found = try await PersonStore.resolve(p, in: scope, engine: engine, db) else { throw unknown }
                person = found
            }
            // 每人每年限量: what she was handed this year in the category, reversals left out
            if let person, let category = try await db.raw("SELECT category FROM supply_products WHERE code = \(bind: product)").first()?.decode(column: "category", as: String.self),
               let quota = env.policy(.yearlyQuota, on: eventDay)[category] {
                let year = String(eventDay.year)
                let had = try await db.raw("""
                    SELECT COALESCE(SUM(-s.delta), 0) AS n FROM stock_events e JOIN stock_lines s ON s.event_id = e.id JOIN supply_products p ON p.code = e.product
                    WHERE e.person_id = \(bind: person.id.text) AND e.kind = 'dispense' AND p.category = \(bind: category) AND SUBSTR(e.occurred_on, 1, 4) = \(bind: year)
                    AND NOT EXISTS (SELECT 1 FROM stock_events r WHERE r.reverses = e.id)
                    """).first()!.decode(column: "n", as: Int.self)
                if had + quantity > quota {
                    throw RenkouError.invalid([FieldError("/quantity", "quota-exceeded", Text("超过每人每年限量 \(quota)：今年已领 \(had)，还可领 \(max(0, quota - had))。",
                                                                                             "Over the yearly quota of \(quota): \(had) handed out this year, \(max(0, quota - had)) left."))])
                }
            }
            // the lots: a receipt's (found or made), the one given, or the first to expire
            var takes: [(lot: UUID, code: String, quantity: Int)] = []
            if k == .receive {
                let lot = try await Self.receiptLot(input, product: product, day: eventDay, env: env, db)
                takes = [(lot.id, lot.lotCode, quantity)]
            } else if let given = input.lot?.trimmed, !given.isEmpty {
                guard let id = UUID(uuidString: given), let r = try await db.raw("SELECT lot_code, expires_on FROM supply_lots WHERE id = \(bind: id.text) AND product = \(bind: product)").first() else {
                    throw RenkouError.invalid([FieldError("/lot", "unknown-lot", Text("批号不存在或不是该品种的。", "No such lot of this product."))])
                }
                if [.transfer, .dispense, .vend].contains(k), try r.decode(column: "expires_on", as: String.self) <= occurred {
                    errors.add("/lot", "lot-expired", "该批号已过期，不能发出。", "This lot has expired and cannot be issued.")
                }
                takes = [(id, try r.decode(column: "lot_code", as: String.self), quantity)]
            } else if [.transfer, .dispense, .vend].contains(k) {
                takes = try await Self.firstExpiring(product: product, location: location.id, quantity: quantity, day: occurred, db)
            } else {
                errors.add("/lot", "unknown-lot", "调整和盘点须指明批号。", "An adjustment or a count names its lot.")
            }
            try errors.throwIfAny()
            let event = env.newID()
            try await db.raw("""
                INSERT INTO stock_events (id, kind, location_id, destination_id, product, occurred_on, reason, document, person_id, note, path, recorded_by, recorded_at)
                VALUES (\(bind: event.text), \(bind: k.rawValue), \(bind: location.id.text), \(bind: destination?.0.id.text), \(bind: product), \(bind: occurred),
                        \(bind: reason?.rawValue), \(bind: input.document?.trimmed.nilIfBlank), \(bind: person?.id.text), \(bind: input.note?.trimmed.nilIfBlank), \(bind: path),
                        \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            var lines: [Posted.Line] = []
            for t in takes {
                switch k {
                case .receive: lines.append(try await Self.post(event: event, location: location.id, path: path, lot: t.lot, code: t.code, product: product, day: occurred, delta: t.quantity, env: env, db))
                case .transfer:
                    lines.append(try await Self.post(event: event, location: location.id, path: path, lot: t.lot, code: t.code, product: product, day: occurred, delta: -t.quantity, env: env, db))
                    lines.append(try await Self.post(event: event, location: destination!.0.id, path: destination!.1, lot: t.lot, code: t.code, product: product, day: occurred, delta: t.quantity, env: env, db))
                case .dispense, .vend: lines.append(try await Self.post(event: event, location: location.id, path: path, lot: t.lot, code: t.code, product: product, day: occurred, delta: -t.quantity, env: env, db))
                case .adjust: lines.append(try await Self.post(event: event, location: location.id, path: path, lot: t.lot, code: t.code, product: product, day: occurred, delta: reason!.sign * t.quantity, env: env, db))
                case .count: lines.append(try await Self.post(event: event, location: location.id, path: path, lot: t.lot, code: t.code, product: product, day: occurred, delta: 0, counted: t.quantity, env: env, db))
                case .reversal: break
                }
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "stock_event", entityID: event.text, path: path,
                                     after: AuditLog.json(["kind": k.rawValue, "product": product, "quantity": String(quantity), "occurredOn": occurred]))
            // 按周期发放: a user of the product's method is due again when what she took runs out
            var due: Day?
            if let person, let category = ProductCategory(rawValue: try await db.raw("SELECT category FROM supply_products WHERE code = \(bind: product)").first()!.decode(column: "category", as: String.self)),
               let method = category.method, let perUnit = env.policy(.resupplyDays, on: eventDay)[category.rawValue] {
                due = try await ServiceStore.resupplied(person, method: method, on: eventDay, covering: quantity * perUnit,
                                                        note: "发放 \(quantity)（\(product)）", env: env, actor: actor, db)
            }
            return Posted(eventID: event, lines: lines, resupplyDue: due?.description)
        }
    }

    /// 冲销: undoes an event with a new one dated the same day, each of its lines negated (later
    /// balances move along); the original stays, marked reversed. A count is not reversed (count
    /// again). Throws `not-found`, `conflict` (`already-reversed`, `count-not-reversible`,
    /// `insufficient-stock`), `invalid` (`/reason` `required`).
    @discardableResult
    public func reverse(_ id: UUID, reason: String, in scope: Scope, by actor: Actor) async throws -> Posted {
        guard !reason.trimmed.isEmpty else { throw RenkouError.invalid([FieldError("/reason", "required", Text("请填写冲销原因。", "Give the reason for the reversal."))]) }
        let engine = db.engine, env = self.env
        return try await db.transaction { db in
            guard let e = try await db.raw("SELECT * FROM stock_events WHERE id = \(bind: id.text) AND \(engine.startsWith("path", scope.path))").first() else {
                throw RenkouError.notFound(Text("出入库事件", "stock event"))
            }
            let kind = try e.decode(column: "kind", as: String.self)
            if kind == StockEventKind.count.rawValue { throw RenkouError(.conflict, "count-not-reversible", Text("盘点不能冲销，请重新盘点。", "A count is not reversed: count again.")) }
            // every card it touched must be in the caller's area (a transfer into another area is reversed by someone over both)
            let original = try await db.raw("SELECT s.location_id, s.lot_id, s.delta, s.path, s.product, l.lot_code FROM stock_lines s JOIN supply_lots l ON l.id = s.lot_id WHERE s.event_id = \(bind: id.text) ORDER BY s.seq").all()
            guard try original.allSatisfy({ scope.contains(try $0.decode(column: "path", as: String.self)) }) else { throw RenkouError.notFound(Text("出入库事件", "stock event")) }
            try await Self.lock(locations: try original.map { try $0.decode(column: "location_id", as: String.self).uuid }, db)
            let reversedAlready = try await db.raw("SELECT id FROM stock_events WHERE reverses = \(bind: id.text)").first() != nil
            if kind == StockEventKind.reversal.rawValue || reversedAlready {
                throw RenkouError(.conflict, "already-reversed", Text("该事件已冲销（或本身是冲销）。", "This event is reversed already (or is a reversal)."))
            }
            let event = env.newID(), day = try e.decode(column: "occurred_on", as: String.self), path = try e.decode(column: "path", as: String.self)
            try await db.raw("""
                INSERT INTO stock_events (id, kind, location_id, destination_id, product, occurred_on, reason, document, person_id, reverses, note, path, recorded_by, recorded_at)
                VALUES (\(bind: event.text), 'reversal', \(bind: try e.decode(column: "location_id", as: String.self)), \(bind: try e.decode(column: "destination_id", as: String?.self)),
                        \(bind: try e.decode(column: "product", as: String.self)), \(bind: day), NULL, NULL, NULL, \(bind: id.text), \(bind: reason.trimmed), \(bind: path),
                        \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            var lines: [Posted.Line] = []
            for l in original {
                lines.append(try await Self.post(event: event, location: try l.decode(column: "location_id", as: String.self).uuid, path: try l.decode(column: "path", as: String.self),
                                                 lot: try l.decode(column: "lot_id", as: String.self).uuid, code: try l.decode(column: "lot_code", as: String.self),
                                                 product: try l.decode(column: "product", as: String.self), day: day, delta: -(try l.decode(column: "delta", as: Int.self)), env: env, db))
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "stock_event", entityID: event.text, path: path,
                                     after: AuditLog.json(["kind": "reversal", "reverses": id.text, "reason": reason.trimmed]))
            return Posted(eventID: event, lines: lines)
        }
    }

    /// A receipt's lot: the one given by id, or the product's lot with this code (its expiry must
    /// agree), or a new one. Refuses an expired lot (`lot-expired`).
    static func receiptLot(_ input: StockEventInput, product: String, day: Day, env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> Lot {
        var errors = FieldErrors()
        if let id = input.lot.flatMap(UUID.init(uuidString:)), let r = try await db.raw("SELECT * FROM supply_lots WHERE id = \(bind: id.text) AND product = \(bind: product)").first() {
            let lot = Lot(id: id, product: product, lotCode: try r.decode(column: "lot_code", as: String.self), manufacturedOn: try r.decode(column: "manufactured_on", as: String?.self),
                          expiresOn: try r.decode(column: "expires_on", as: String.self))
            if lot.expiresOn <= day.description { errors.add("/lot", "lot-expired", "该批号已过期，不能入库。", "This lot has expired and cannot be received.") }
            try errors.throwIfAny()
            return lot
        }
        let code = (input.lotCode ?? "").trimmed
        if code.isEmpty { errors.add("/lotCode", "required", "请填写批号。", "Give the lot number.") }
        let expires = try? Day.parse(input.expiresOn, field: "expiresOn", default: Day(year: 1, month: 1, day: 1)!)
        if (input.expiresOn ?? "").trimmed.isEmpty || expires == nil { errors.add("/expiresOn", "required", "请填写有效期至（YYYY-MM-DD）。", "Give the expiry day (YYYY-MM-DD).") }
        let made = (input.manufacturedOn ?? "").trimmed.isEmpty ? nil : try? Day.parse(input.manufacturedOn, field: "manufacturedOn", default: day)
        if let expires, let made, expires < made { errors.add("/manufacturedOn", "after-expiry", "生产日期晚于有效期。", "The manufacture day is after the expiry.") }
        if let expires, expires <= day { errors.add("/expiresOn", "lot-expired", "该批号已过期，不能入库。", "This lot has expired and cannot be received.") }
        try errors.throwIfAny()
        if let r = try await db.raw("SELECT * FROM supply_lots WHERE product = \(bind: product) AND lot_code = \(bind: code)").first() {
            let existing = try r.decode(column: "expires_on", as: String.self)
            guard existing == expires!.description else {
                throw RenkouError.invalid([FieldError("/expiresOn", "lot-mismatch", Text("批号 \(code) 已登记的有效期是 \(existing)，与本次不符（两查七对）。", "Lot \(code) is on record expiring \(existing), not this day."))])
            }
            return Lot(id: try r.decode(column: "id", as: String.self).uuid, product: product, lotCode: code, manufacturedOn: try r.decode(column: "manufactured_on", as: String?.self), expiresOn: existing)
        }
        let lot = Lot(id: env.newID(), product: product, lotCode: code, manufacturedOn: made?.description, expiresOn: expires!.description)
        // two receipts of a new lot at once (two locations): the second finds the first's
        try await db.raw("""
            INSERT INTO supply_lots (id, product, lot_code, manufactured_on, expires_on, created_at)
            VALUES (\(bind: lot.id.text), \(bind: product), \(bind: code), \(bind: lot.manufacturedOn), \(bind: lot.expiresOn), \(bind: Timestamp.string(env.now())))
            ON CONFLICT (product, lot_code) DO NOTHING
            """).run()
        let stored = try await db.raw("SELECT id, expires_on FROM supply_lots WHERE product = \(bind: product) AND lot_code = \(bind: code)").first()!
        guard try stored.decode(column: "expires_on", as: String.self) == lot.expiresOn else {
            throw RenkouError.invalid([FieldError("/expiresOn", "lot-mismatch", Text("批号 \(code) 已登记的有效期与本次不符（两查七对）。", "Lot \(code) is on record with another expiry."))])
        }
        var taken = lot; taken.id = try stored.decode(column: "id", as: String.self).uuid
        return taken
    }

    /// 近效期先出: the location's lots of a product that have not expired on `day`, first to expire
    /// first, taken until `quantity`. Throws `conflict` `insufficient-stock` when they do not hold it.
    static func firstExpiring(product: String, location: UUID, quantity: Int, day: String, _ db: any SQLDatabase) async throws -> [(lot: UUID, code: String, quantity: Int)] {
        var left = quantity, takes: [(lot: UUID, code: String, quantity: Int)] = []
        for r in try await db.raw("""
            SELECT c.lot_id, c.balance, l.lot_code FROM stock_cards c JOIN supply_lots l ON l.id = c.lot_id
            WHERE c.location_id = \(bind: location.text) AND c.product = \(bind: product) AND c.balance > 0 AND l.expires_on > \(bind: day)
            ORDER BY l.expires_on, l.lot_code
            """).all() where left > 0 {
            let take = min(left, try r.decode(column: "balance", as: Int.self))
            takes.append((try r.decode(column: "lot_id", as: String.self).uuid, try r.decode(column: "lot_code", as: String.self), take))
            left -= take
        }
        guard left == 0 else { throw insufficient(quantity - left) }
        return takes
    }

    static func insufficient(_ available: Int?) -> RenkouError {
        RenkouError(.conflict, "insufficient-stock", Text("库存不足\(available.map { "（可发 \($0)）" } ?? "")：余额不能小于零。", "Not enough stock\(available.map { " (\($0) available)" } ?? ""): a balance cannot go below zero."))
    }

    /// Posts one line to a card in the caller's transaction: its balance from the line before it in
    /// date order (a count's line sets the balance to what was counted), then every later line
    /// again (a later count absorbs the change), the card's balance the last. Throws `conflict`
    /// `insufficient-stock` if any balance would go below zero.
    static func post(event: UUID, location: UUID, path: String, lot: UUID, code: String, product: String, day: String, delta: Int, counted: Int? = nil,
                     env: RenkouCore.Environment, _ db: any SQLDatabase) async throws -> Posted.Line {
        let card = "location_id = \(bind: location.text) AND lot_id = \(bind: lot.text)" as SQLQueryString
        // the card's next place and the balance before the line, in one statement
        let place = try await db.raw("""
            SELECT (SELECT COALESCE(MAX(seq), 0) + 1 FROM stock_lines WHERE \(card)) AS n,
                   (SELECT balance FROM stock_lines WHERE \(card) AND occurred_on <= \(bind: day) ORDER BY occurred_on DESC, seq DESC LIMIT 1) AS before
            """).first()!
        let seq = try place.decode(column: "n", as: Int.self), before = try place.decode(column: "before", as: Int?.self) ?? 0
        let change = counted.map { $0 - before } ?? delta
        var running = before + change
        guard running >= 0 else { throw insufficient(before) }
        try await db.raw("""
            INSERT INTO stock_lines (id, event_id, location_id, lot_id, product, occurred_on, seq, delta, counted, balance, path)
            VALUES (\(bind: env.newID().text), \(bind: event.text), \(bind: location.text), \(bind: lot.text), \(bind: product), \(bind: day), \(bind: seq), \(bind: change), \(bind: counted), \(bind: running), \(bind: path))
            """).run()
        // the lines dated after it follow
        for r in try await db.raw("SELECT id, delta, counted FROM stock_lines WHERE \(card) AND occurred_on > \(bind: day) ORDER BY occurred_on, seq").all() {
            let id = try r.decode(column: "id", as: String.self)
            if let c = try r.decode(column: "counted", as: Int?.self) {
                try await db.raw("UPDATE stock_lines SET delta = \(bind: c - running) WHERE id = \(bind: id)").run()
                running = c
            } else {
                running += try r.decode(column: "delta", as: Int.self)
                guard running >= 0 else { throw insufficient(nil) }
                try await db.raw("UPDATE stock_lines SET balance = \(bind: running) WHERE id = \(bind: id)").run()
            }
        }
        let now = Timestamp.string(env.now())
        try await db.raw("""
            INSERT INTO stock_cards (location_id, lot_id, product, balance, path, updated_at) VALUES (\(bind: location.text), \(bind: lot.text), \(bind: product), \(bind: running), \(bind: path), \(bind: now))
            ON CONFLICT (location_id, lot_id) DO UPDATE SET balance = excluded.balance, updated_at = excluded.updated_at
            """).run()
        return Posted.Line(location: location, lot: lot, lotCode: code, delta: change)
    }
}

extension Stores {
    public var supplies: SupplyStore { SupplyStore(db: db, env: env) }
}
