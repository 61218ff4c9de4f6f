import RenkouCore

/// The administrative tree, accounts and the audit log.
public struct AdminStoreModule: StoreModule {
    public init() {}
    public let name = "admin"
    public var migrations: [Migration] { [Migration001AdminTree.migration, Migration002Accounts.migration, Migration003Audit.migration, Migration050LoginFailures.migration, Migration052PublicRateWindows.migration] }
    public var pathTables: [String] { ["org_units"] }
    /// At start and every hour, the planner's statistics of the tables that changed much
    /// (`Database.optimizeStatistics`); its count is the tables analyzed. It never fails the jobs after
    /// it: SQLite busy with another process's long write for longer than its timeout is tried next hour.
    public var contributions: [Contribution] {
        [ExtensionPoint.dailyJobs(DailyJob("database.statistics") { stores, _ in (try? await stores.db.optimizeStatistics()) ?? 0 })]
    }
}

extension Stores {
    public var orgs: OrgStore { OrgStore(db: db, env: env) }
    public var accounts: AccountStore { AccountStore(db: db, env: env, bcryptCost: bcryptCost) }
    public var audit: AuditStore { AuditStore(db: db, env: env) }
}
