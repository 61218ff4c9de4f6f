enum Migration013TaskObjects {
    /// A task names the record it concerns besides the person by type and id, so that any module's
    /// task can point at its own records (the landed `host_id` column is copied over and kept).
    static let migration = Migration(id: 13, name: "task objects") { engine in [
        "ALTER TABLE tasks ADD COLUMN object_type TEXT",
        "ALTER TABLE tasks ADD COLUMN object_id TEXT",
        "UPDATE tasks SET object_type = 'host', object_id = host_id WHERE host_id IS NOT NULL",
    ] }
}
