enum Migration044TaskRequires {
    /// A stored task may name the permission a role needs to see it (`services.see-rh`: a volunteer's
    /// report of a pregnancy is for the service roles only), as the reminders of a follow-up do.
    static let migration = Migration(id: 44, name: "the permission a stored task requires") { _ in [
        "ALTER TABLE tasks ADD COLUMN requires TEXT",
        // the outreach reminders and reports are found by their object
        "CREATE INDEX tasks_object ON tasks (object_id)",
    ] }
}
