enum Migration053WomenOfReproductiveAge {
    /// 育龄妇女: contraceptive prevalence, certificate holding and verification and the supplies rates
    /// all count the active women born in a window of 35 years (married, or of the inflow). Read for a
    /// whole district at once (the dashboards' tree, `IndicatorStore.figures(_:units:on:period:grouped:)`), the
    /// path no longer narrows them: this index finds them by sex, status and birth date and holds
    /// everything those conditions and their numerators read (marital status, category, path, the
    /// husband's id, the id), so the table is not read. A district of 1,000,000 on SQLite: prevalence
    /// 1.36 s → about 0.3 s for every unit of the tree. The population pyramid (sex and birth date of
    /// everyone active) reads it too, in its order.
    static let migration = Migration(id: 53, name: "women of reproductive age index") { _ in [
        "CREATE INDEX persons_wra ON persons (sex, status, birth_date, marital_status, category, path, spouse_id, id)",
    ] }
}
