enum Migration005PersonDetails {
    static let columns = [
        "sex TEXT NOT NULL DEFAULT '0'", "birth_date TEXT", "ethnic_group TEXT", "education TEXT", "occupation TEXT",
        "hukou_type TEXT", "hukou_region TEXT", "hukou_address TEXT", "address TEXT", "building TEXT", "room TEXT", "phone TEXT",
        "marital_status TEXT", "first_marriage_date TEXT", "status TEXT NOT NULL DEFAULT 'active'",
        "category TEXT NOT NULL DEFAULT 'registered'", "flags TEXT NOT NULL DEFAULT ''",
    ]
    static let migration = Migration(id: 5, name: "person details") { _ in
        columns.map { "ALTER TABLE persons ADD COLUMN \($0)" } + [
            "CREATE INDEX persons_birth ON persons (birth_date)",
        ]
    }
}
