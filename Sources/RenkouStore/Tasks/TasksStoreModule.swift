import RenkouCore

/// The field task list.
public struct TasksStoreModule: StoreModule {
    public init() {}
    public let name = "tasks"
    public var migrations: [Migration] { [Migration013TaskObjects.migration, Migration020TaskAssignments.migration, Migration035TaskLookups.migration, Migration044TaskRequires.migration] }
    public var pathTables: [String] { ["tasks", "task_assignments"] }
    /// A merged record's tasks follow the kept record.
    public var subscribers: [Subscription] {
        [Subscription.on(RegistryEvent.self, "tasks.merge") { event, ctx in
            switch event {
            case .merged(let kept, let merged):
                try await ctx.db.raw("UPDATE tasks SET person_id = \(bind: kept.text) WHERE person_id = \(bind: merged.text)").run()
            case .deleted(let person):
                // A deleted record's tasks end with it.
                try await ctx.db.raw("DELETE FROM task_assignments WHERE task_id IN (SELECT id FROM tasks WHERE person_id = \(bind: person.text))").run()
                try await ctx.db.raw("DELETE FROM tasks WHERE person_id = \(bind: person.text)").run()
            default: break
            }
        }]
    }
}

extension Stores {
    public var tasks: TaskStore { TaskStore(db: db, env: env, sources: extensions.all(.taskSources), summaries: extensions.all(.workSummary)) }
}
