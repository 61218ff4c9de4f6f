enum Migration039SupplyOrder {
    /// A card's lines are in one order (no two share a place), and a count sheet's line remembers
    /// where its card stood when the sheet was opened (a movement since stops the signing).
    static let migration = Migration(id: 39, name: "stock line order and count sheet positions") { _ in [
        "CREATE UNIQUE INDEX stock_lines_seq ON stock_lines (location_id, lot_id, seq)",
        "ALTER TABLE count_sheet_lines ADD COLUMN seq_at_open INTEGER",
    ] }
}
