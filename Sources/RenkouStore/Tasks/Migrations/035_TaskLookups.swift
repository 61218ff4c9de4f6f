enum Migration035TaskLookups {
    /// A task is added only when the same open task is not there yet (kind, ID number, object), and
    /// a person's tasks of a kind are settled by ID number: both look-ups go through this index
    /// instead of reading every task (the exchange adds thousands a minute; a big district's list
    /// holds hundreds of thousands).
    static let migration = Migration(id: 35, name: "task look-ups by ID number") { _ in [
        "CREATE INDEX tasks_number ON tasks (id_number, kind)",
    ] }
}
