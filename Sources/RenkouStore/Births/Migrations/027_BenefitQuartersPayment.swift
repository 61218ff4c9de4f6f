enum Migration027BenefitQuartersPayment {
    /// A childcare-subsidy year has its main list and a supplementary list each quarter (季度增补: the
    /// children who became eligible since), so a unit's runs are keyed by quarter too (0: the year's
    /// main list). A run's payment deadline is fixed at approval, and a line keeps the day its money arrived.
    static let migration = Migration(id: 27, name: "benefit quarters and payment days") { _ in [
        "ALTER TABLE benefit_runs ADD COLUMN quarter INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE benefit_runs ADD COLUMN pay_by TEXT",
        "ALTER TABLE benefit_lines ADD COLUMN paid_on TEXT",
        "DROP INDEX benefit_runs_one",
        "CREATE UNIQUE INDEX benefit_runs_one ON benefit_runs (programme, year, quarter, unit_id)",
        "CREATE INDEX benefit_runs_year ON benefit_runs (programme, year)",
    ] }
}
