enum Migration042ServiceGuide {
    /// 办事指南: one row per service (documents and steps one a line).
    static let migration = Migration(id: 42, name: "service guide") { _ in [
        """
        CREATE TABLE service_guide (code TEXT PRIMARY KEY, name TEXT NOT NULL, summary TEXT NOT NULL, eligibility TEXT NOT NULL, documents TEXT NOT NULL, steps TEXT NOT NULL,
            place TEXT NOT NULL, fee TEXT NOT NULL, time_limit_days INTEGER NOT NULL, legal_basis TEXT NOT NULL, position INTEGER NOT NULL, updated_on TEXT NOT NULL, updated_by TEXT NOT NULL)
        """,
    ] }
}
