enum Migration025BenefitCorrections {
    /// 更正: a change to an approved line (its amount, or taking it off) is an entry, never an edit.
    static let migration = Migration(id: 25, name: "benefit corrections") { engine in [
        """
        CREATE TABLE benefit_corrections (id TEXT PRIMARY KEY, line_id TEXT NOT NULL REFERENCES benefit_lines(id), amount_before INTEGER NOT NULL, amount_after INTEGER NOT NULL,
            reason TEXT NOT NULL, by_user TEXT NOT NULL, day TEXT NOT NULL, path TEXT NOT NULL)
        """,
        "CREATE INDEX benefit_corrections_line ON benefit_corrections (line_id)",
    ] }
}
