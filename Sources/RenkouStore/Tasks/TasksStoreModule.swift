import RenkouCore

/// The field task list.
public struct TasksStoreModule: StoreModule {
    public init() {}
    public let name = "tasks"
    public var migrations: [Migration] { [Migration013TaskObjects.migration] }
    public var pathTables: [String] { ["tasks"] }
    /// A merged record's tasks follow the kept record.
    public var subscribers: [Subscription] {
        [Subscription.on(RegistryEvent.self, "tasks.merge") { event, ctx in
            guard case .merged(let kept, let merged) = event else { return }
            try await ctx.db.raw("UPDATE tasks SET person_id = \(bind: kept.text) WHERE person_id = \(bind: merged.text)").run()
        }]
    }
}

extension Stores {
    public var tasks: TaskStore { TaskStore(db: db, env: env, sources: extensions.all(.taskSources)) }
}
