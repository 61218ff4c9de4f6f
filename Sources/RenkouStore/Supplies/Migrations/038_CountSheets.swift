enum Migration038CountSheets {
    /// 盘点表: a location's count sheet (draft, counted, signed with its document number) and its lines:
    /// each lot's book balance on the day and what was found.
    static let migration = Migration(id: 38, name: "stock count sheets") { engine in [
        """
        CREATE TABLE count_sheets (id TEXT PRIMARY KEY, location_id TEXT NOT NULL REFERENCES stock_locations(id), counted_on TEXT NOT NULL, state TEXT NOT NULL,
            document TEXT, path TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, signed_by TEXT, signed_at TEXT)
        """,
        "CREATE INDEX count_sheets_path ON count_sheets (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE count_sheet_lines (id TEXT PRIMARY KEY, sheet_id TEXT NOT NULL REFERENCES count_sheets(id), location_id TEXT NOT NULL, lot_id TEXT NOT NULL,
            product TEXT NOT NULL, book INTEGER NOT NULL, counted INTEGER, path TEXT NOT NULL)
        """,
        "CREATE INDEX count_sheet_lines_sheet ON count_sheet_lines (sheet_id)",
    ] }
}
