enum Migration029LegacyApprovals {
    /// 再生育审批 of an older birth: the approval's reference and day, which make a child of an order the
    /// policy of its date allowed only with one count as within policy.
    static let migration = Migration(id: 29, name: "legacy additional-child approvals") { _ in [
        "ALTER TABLE birth_registrations ADD COLUMN approval_number TEXT",
        "ALTER TABLE birth_registrations ADD COLUMN approved_on TEXT",
    ] }
}
