enum Migration008ImportProvenance {
    /// Which import run last created or changed a record, and from which row: the person page shows
    /// where a record came from, and a second row with the same ID number in one file is caught.
    static let migration = Migration(id: 8, name: "import provenance on persons") { _ in [
        "ALTER TABLE persons ADD COLUMN import_run TEXT",
        "ALTER TABLE persons ADD COLUMN import_row INTEGER",
    ] }
}
