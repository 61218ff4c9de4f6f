enum Migration016FollowUpAnchor {
    /// A visit keeps the day its schedule started: a child's visits go by age, counted from the birth.
    static let migration = Migration(id: 16, name: "follow-up anchor") { _ in [
        "ALTER TABLE follow_ups ADD COLUMN anchor TEXT",
    ] }
}
