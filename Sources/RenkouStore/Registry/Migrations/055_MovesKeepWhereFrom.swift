enum Migration055MovesKeepWhereFrom {
    /// A move within the district (区内迁移) keeps the path the person left (`from_path`), so that a
    /// past period's figures count her in the unit that held her at the period's end
    /// (`IndicatorStore`: persons are attributed to their unit at the end of the period). Moves
    /// recorded before this migration have none: they keep counting where the person is now.
    /// The partial index holds the moves only, by day: the moves after a period's end are few.
    static let migration = Migration(id: 55, name: "moves within the district keep where from") { _ in [
        "ALTER TABLE life_events ADD COLUMN from_path TEXT",
        "CREATE INDEX life_events_moves ON life_events (day) WHERE from_path IS NOT NULL",
    ] }
}
