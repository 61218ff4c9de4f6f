import RenkouCore

enum Migration014QualityVerdicts {
    /// The quality checks each active record fails (`QualityVerdicts`), filled here for the records
    /// already registered, with the indexes that make a unit's rates indexed counts: failing rows by
    /// check and unit path, active records by unit path, spouses (a refresh looks them up), and inflow
    /// women by birth date (the migrant rates count them on a day).
    static let migration = Migration(id: 14, name: "quality verdicts and rate indexes") { engine in
        [
            "CREATE TABLE person_checks (person_id TEXT NOT NULL, code TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (person_id, code))",
            "CREATE INDEX person_checks_code_path ON person_checks (code, path\(engine.prefixIndexOps))",
            "CREATE INDEX persons_status_path ON persons (status, path\(engine.prefixIndexOps))",
            "CREATE INDEX persons_spouse ON persons (spouse_id)",
            "CREATE INDEX persons_category_sex_birth ON persons (category, sex, birth_date)",
        ] + QualityVerdicts.rebuildStatements(rules: QualityRules(policy: .shipped, today: Day(year: 2026, month: 1, day: 1)!))
    }
}
