import Foundation
import RenkouCore
import SQLKit

/// 盘点: a count sheet per location and day. Its lines are the lots the location's cards hold on that
/// day with their book balance; the counts are entered, then the sheet is signed with its document
/// number, which books each line as a count (the balance from that day on, later balances following).
extension SupplyStore {
    /// Opens a draft sheet for a location on a day (today by default; an earlier day takes the books
    /// as they stood then). Throws `invalid` (`/location` `unknown-location`, `/countedOn`
    /// `date-format`, `future-date`).
    public func openSheet(location: UUID, on text: String? = nil, in scope: Scope, by actor: Actor) async throws -> CountSheet {
        let engine = db.engine, env = self.env, today = Day(env.now())
        let day = try Day.parse(text, field: "countedOn", default: today)
        guard !(today < day) else { throw RenkouError.invalid([FieldError("/countedOn", "future-date", Text("日期不能晚于今天。", "The date cannot be in the future."))]) }
        let id = try await db.transaction { db -> UUID in
            let (place, path) = try await Self.requireLocation(location.text, field: "location", in: scope, engine: engine, db)
            let id = env.newID()
            try await db.raw("""
                INSERT INTO count_sheets (id, location_id, counted_on, state, path, created_by, created_at)
                VALUES (\(bind: id.text), \(bind: place.id.text), \(bind: day.description), 'draft', \(bind: path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                """).run()
            // each lot the location held on the day, with its book balance then
            try await Self.lock(locations: [place.id], db)
            for r in try await db.raw("""
                SELECT c.lot_id, c.product, (SELECT s.balance FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id AND s.occurred_on <= \(bind: day.description)
                                             ORDER BY s.occurred_on DESC, s.seq DESC LIMIT 1) AS book,
                       (SELECT MAX(s.seq) FROM stock_lines s WHERE s.location_id = c.location_id AND s.lot_id = c.lot_id) AS seq
                FROM stock_cards c WHERE c.location_id = \(bind: place.id.text)
                """).all() {
                guard let book = try r.decode(column: "book", as: Int?.self) else { continue }
                try await db.raw("""
                    INSERT INTO count_sheet_lines (id, sheet_id, location_id, lot_id, product, book, path, seq_at_open)
                    VALUES (\(bind: env.newID().text), \(bind: id.text), \(bind: place.id.text), \(bind: try r.decode(column: "lot_id", as: String.self)),
                            \(bind: try r.decode(column: "product", as: String.self)), \(bind: book), \(bind: path), \(bind: try r.decode(column: "seq", as: Int?.self) ?? 0))
                    """).run()
            }
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .create, entity: "count_sheet", entityID: id.text, path: path, after: AuditLog.json(["countedOn": day.description]))
            return id
        }
        return try await sheet(id, in: scope)
    }

    /// A count sheet with its lines. Throws `not-found`.
    public func sheet(_ id: UUID, in scope: Scope) async throws -> CountSheet {
        let engine = db.engine
        return try await db.read { db in
            guard let s = try await db.raw("""
                SELECT c.*, l.name AS location_name FROM count_sheets c JOIN stock_locations l ON l.id = c.location_id
                WHERE c.id = \(bind: id.text) AND \(engine.startsWith("c.path", scope.path))
                """).first() else { throw RenkouError.notFound(Text("盘点表", "count sheet")) }
            let lines = try await db.raw("""
                SELECT x.lot_id, l.lot_code, x.product, p.name AS product_name, x.book, x.counted FROM count_sheet_lines x
                JOIN supply_lots l ON l.id = x.lot_id JOIN supply_products p ON p.code = x.product
                WHERE x.sheet_id = \(bind: id.text) ORDER BY x.product, l.expires_on, l.lot_code
                """).all().map { r in
                CountSheet.Line(lotID: try r.decode(column: "lot_id", as: String.self).uuid, lotCode: try r.decode(column: "lot_code", as: String.self),
                                product: try r.decode(column: "product", as: String.self), productName: try r.decode(column: "product_name", as: String.self),
                                book: try r.decode(column: "book", as: Int.self), counted: try r.decode(column: "counted", as: Int?.self))
            }
            return CountSheet(id: id, locationID: try s.decode(column: "location_id", as: String.self).uuid, locationName: try s.decode(column: "location_name", as: String.self),
                              countedOn: try s.decode(column: "counted_on", as: String.self), state: try s.decode(column: "state", as: String.self),
                              document: try s.decode(column: "document", as: String?.self), lines: lines)
        }
    }

    /// Enters what was found, by lot (a lot may be entered again until the sheet is signed). Throws
    /// `not-found`, `conflict` (`signed`), `invalid` (`/counts/<lot>` `out-of-range` or `unknown-lot`).
    public func enterCounts(_ id: UUID, counts: [UUID: Int], in scope: Scope, by actor: Actor) async throws -> CountSheet {
        let current = try await sheet(id, in: scope)
        guard current.state != "signed" else { throw RenkouError(.conflict, "signed", Text("盘点表已签字，不能再改。", "The sheet is signed and cannot change.")) }
        var errors = FieldErrors()
        for (lot, n) in counts {
            if !current.lines.contains(where: { $0.lotID == lot }) { errors.add("/counts/\(lot.text)", "unknown-lot", "该批号不在盘点表上。", "This lot is not on the sheet.") }
            if n < 0 || n > 10_000_000 { errors.add("/counts/\(lot.text)", "out-of-range", "盘点数应为 0–10,000,000。", "A count is 0 to 10,000,000.") }
        }
        try errors.throwIfAny()
        let env = self.env
        try await db.transaction { db in
            try await Self.lock(locations: [current.locationID], db)
            // checked again under the lock: a sheet signed meanwhile stays signed
            guard try await db.raw("SELECT state FROM count_sheets WHERE id = \(bind: id.text)").first()!.decode(column: "state", as: String.self) != "signed" else {
                throw RenkouError(.conflict, "signed", Text("盘点表已签字，不能再改。", "The sheet is signed and cannot change."))
            }
            for (lot, n) in counts {
                try await db.raw("UPDATE count_sheet_lines SET counted = \(bind: n) WHERE sheet_id = \(bind: id.text) AND lot_id = \(bind: lot.text)").run()
            }
            let left = try await db.raw("SELECT COUNT(*) AS n FROM count_sheet_lines WHERE sheet_id = \(bind: id.text) AND counted IS NULL").first()!.decode(column: "n", as: Int.self)
            try await db.raw("UPDATE count_sheets SET state = \(bind: left == 0 ? "counted" : "draft") WHERE id = \(bind: id.text)").run()
            let path = try await db.raw("SELECT path FROM count_sheets WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "count_sheet", entityID: id.text, path: path,
                                     after: AuditLog.json(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.text, String($0.value)) })))
        }
        return try await sheet(id, in: scope)
    }

    /// 签字: books every line as a count on the sheet's day (the differences become the balances from
    /// then on) and closes the sheet. Throws `not-found`, `conflict` (`signed`, `not-counted`: a line
    /// has no count, `books-moved`: stock moved on or before the day since the sheet was opened),
    /// `invalid` (`/document` `required`).
    public func sign(_ id: UUID, document: String, in scope: Scope, by actor: Actor) async throws -> CountSheet {
        guard !document.trimmed.isEmpty else { throw RenkouError.invalid([FieldError("/document", "required", Text("请填写盘点单号。", "Give the sheet's document number."))]) }
        let current = try await sheet(id, in: scope)
        guard current.state != "signed" else { throw RenkouError(.conflict, "signed", Text("盘点表已签字。", "The sheet is signed already.")) }
        guard current.lines.allSatisfy({ $0.counted != nil }) else { throw RenkouError(.conflict, "not-counted", Text("还有批号未填盘点数。", "Some lots have no count yet.")) }
        let env = self.env
        try await db.transaction { db in
            try await Self.lock(locations: [current.locationID], db)
            guard try await db.raw("SELECT state FROM count_sheets WHERE id = \(bind: id.text)").first()!.decode(column: "state", as: String.self) != "signed" else {
                throw RenkouError(.conflict, "signed", Text("盘点表已签字。", "The sheet is signed already."))
            }
            // a movement on or before the count's day recorded since the sheet was opened would be swallowed by the count
            let moved = try await db.raw("""
                SELECT COUNT(*) AS n FROM count_sheet_lines x JOIN stock_lines s ON s.location_id = x.location_id AND s.lot_id = x.lot_id
                WHERE x.sheet_id = \(bind: id.text) AND s.seq > COALESCE(x.seq_at_open, 0) AND s.occurred_on <= \(bind: current.countedOn)
                """).first()!.decode(column: "n", as: Int.self)
            guard moved == 0 else {
                throw RenkouError(.conflict, "books-moved", Text("开表后该日及之前又有出入库，请重新建盘点表。", "Stock moved on or before the count's day since the sheet was opened: open a new sheet."))
            }
            let path = try await db.raw("SELECT path FROM count_sheets WHERE id = \(bind: id.text)").first()!.decode(column: "path", as: String.self)
            for (product, lines) in Dictionary(grouping: current.lines, by: \.product) {
                let event = env.newID()
                try await db.raw("""
                    INSERT INTO stock_events (id, kind, location_id, product, occurred_on, document, note, path, recorded_by, recorded_at)
                    VALUES (\(bind: event.text), 'count', \(bind: current.locationID.text), \(bind: product), \(bind: current.countedOn), \(bind: document.trimmed),
                            \(bind: "sheet \(id.text)"), \(bind: path), \(bind: actor.username), \(bind: Timestamp.string(env.now())))
                    """).run()
                for l in lines {
                    _ = try await Self.post(event: event, location: current.locationID, path: path, lot: l.lotID, code: l.lotCode, product: product, day: current.countedOn,
                                            delta: 0, counted: l.counted!, env: env, db)
                }
            }
            try await db.raw("""
                UPDATE count_sheets SET state = 'signed', document = \(bind: document.trimmed), signed_by = \(bind: actor.username), signed_at = \(bind: Timestamp.string(env.now()))
                WHERE id = \(bind: id.text)
                """).run()
            try await AuditLog.write(db, at: env.now(), actor: actor, action: .update, entity: "count_sheet", entityID: id.text, path: path, after: AuditLog.json(["signed": document.trimmed]))
        }
        return try await sheet(id, in: scope)
    }
}

