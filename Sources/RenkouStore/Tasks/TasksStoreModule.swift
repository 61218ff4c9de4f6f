import RenkouCore

/// The field task list.
public struct TasksStoreModule: StoreModule {
    public init() {}
    public let name = "tasks"
    public var migrations: [Migration] { [Migration013TaskObjects.migration] }
    public var pathTables: [String] { ["tasks"] }
}

extension Stores {
    public var tasks: TaskStore { TaskStore(db: db, env: env, sources: extensions.all(.taskSources)) }
}
