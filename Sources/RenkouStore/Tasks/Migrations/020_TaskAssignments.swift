enum Migration020TaskAssignments {
    /// 指派: a task (stored or a reminder, by its id) assigned to an account.
    static let migration = Migration(id: 20, name: "task assignments") { engine in [
        """
        CREATE TABLE task_assignments (task_id TEXT PRIMARY KEY, assignee TEXT NOT NULL, assigned_by TEXT NOT NULL, assigned_at TEXT NOT NULL, path TEXT NOT NULL)
        """,
        "CREATE INDEX task_assignments_assignee ON task_assignments (assignee, path\(engine.prefixIndexOps))",
    ] }
}
