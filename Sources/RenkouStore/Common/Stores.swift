import RenkouCore

/// Every store of the application, built once on one database.
public struct Stores: Sendable {
    public let db: Database
    public let env: RenkouCore.Environment
    public let orgs: OrgStore
    public let accounts: AccountStore
    public let audit: AuditStore
    public let persons: PersonStore
    public let households: HouseholdStore
    public let events: LifeEventStore
    public let quality: QualityStore
    public let importer: PersonImporter
    public let stays: StayStore
    public let certificates: CertificateStore
    public let hosts: HostStore
    public let rosters: RosterStore
    public let tasks: TaskStore
    public let migrantRates: MigrantRateStore
    public let departmentFiles: DepartmentFileStore

    public init(db: Database, env: RenkouCore.Environment = .live, bcryptCost: UInt8 = 12) {
        self.db = db; self.env = env
        orgs = OrgStore(db: db, env: env)
        accounts = AccountStore(db: db, env: env, bcryptCost: bcryptCost)
        audit = AuditStore(db: db, env: env)
        persons = PersonStore(db: db, env: env)
        households = HouseholdStore(db: db, env: env)
        events = LifeEventStore(db: db, env: env)
        quality = QualityStore(db: db, env: env)
        importer = PersonImporter(db: db, env: env)
        stays = StayStore(db: db, env: env)
        certificates = CertificateStore(db: db, env: env)
        hosts = HostStore(db: db, env: env)
        rosters = RosterStore(db: db, env: env)
        tasks = TaskStore(db: db, env: env)
        migrantRates = MigrantRateStore(db: db, env: env)
        departmentFiles = DepartmentFileStore(db: db, env: env)
    }
}
