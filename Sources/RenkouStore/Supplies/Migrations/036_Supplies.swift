enum Migration036Supplies {
    /// 药具: the catalogue, lots with their expiry, stock locations in the tree, immutable stock events
    /// and their lines (each with the card's balance after it), and the cards themselves (a location's
    /// lot: its balance read, not replayed).
    static let migration = Migration(id: 36, name: "contraceptive supplies: products, lots, locations, stock events and cards") { engine in [
        "CREATE TABLE supply_products (code TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, unit TEXT NOT NULL, pack_size INTEGER NOT NULL)",
        """
        CREATE TABLE supply_lots (id TEXT PRIMARY KEY, product TEXT NOT NULL REFERENCES supply_products(code), lot_code TEXT NOT NULL, manufactured_on TEXT,
            expires_on TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX supply_lots_code ON supply_lots (product, lot_code)",
        """
        CREATE TABLE stock_locations (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL,
            slots INTEGER, capacity INTEGER, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX stock_locations_path ON stock_locations (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE stock_events (id TEXT PRIMARY KEY, kind TEXT NOT NULL, location_id TEXT NOT NULL REFERENCES stock_locations(id), destination_id TEXT,
            product TEXT NOT NULL, occurred_on TEXT NOT NULL, reason TEXT, document TEXT, person_id TEXT, reverses TEXT UNIQUE, note TEXT, path TEXT NOT NULL,
            recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX stock_events_path ON stock_events (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE stock_lines (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES stock_events(id), location_id TEXT NOT NULL, lot_id TEXT NOT NULL,
            product TEXT NOT NULL, occurred_on TEXT NOT NULL, seq INTEGER NOT NULL, delta INTEGER NOT NULL, counted INTEGER, balance INTEGER NOT NULL, path TEXT NOT NULL)
        """,
        "CREATE INDEX stock_lines_card ON stock_lines (location_id, lot_id, occurred_on, seq)",
        "CREATE INDEX stock_lines_event ON stock_lines (event_id)",
        """
        CREATE TABLE stock_cards (location_id TEXT NOT NULL, lot_id TEXT NOT NULL, product TEXT NOT NULL, balance INTEGER NOT NULL, path TEXT NOT NULL,
            updated_at TEXT NOT NULL, PRIMARY KEY (location_id, lot_id))
        """,
        "CREATE INDEX stock_cards_path ON stock_cards (path\(engine.prefixIndexOps))",
    ] }
}
