enum Migration018PrevalenceIndex {
    /// Contraceptive prevalence counts the married women of reproductive age of a subtree: an index
    /// holding everything that condition reads (and the id) counts them without reading the table
    /// (a district of 1,000,000: 1.5 s → 0.2 s per unit on SQLite).
    static let migration = Migration(id: 18, name: "prevalence index") { engine in [
        "CREATE INDEX persons_women ON persons (sex, status, path\(engine.prefixIndexOps), birth_date, marital_status, id)",
    ] }
}
