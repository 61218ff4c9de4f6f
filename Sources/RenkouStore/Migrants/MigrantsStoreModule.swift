import RenkouCore

/// Floating population: stays, certificates, landlords and employers, rosters, departmental files.
public struct MigrantsStoreModule: StoreModule {
    public init() {}
    public let name = "migrants"
    public var migrations: [Migration] { [Migration010Migrants.migration, Migration011Proposals.migration] }
    public var pathTables: [String] { ["stays", "certificates", "certificate_checks", "hosts", "agreements", "roster_entries", "proposals"] }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoMigrants.fill(stores, seed: context.seed, communities: context.communities)
        }
    }
    /// A merged record's stays, certificates, roster lines and proposals move to the kept record; a
    /// person registered from a landlord's roster gets the roster line, the stay and the task settled.
    public var subscribers: [Subscription] {
        [Subscription.on(RegistryEvent.self, "migrants.registered") { event, ctx in
            guard case .registered(let person, let idNumber?) = event else { return }
            try await StayStore.registered(person, idNumber: idNumber, ctx)
         },
         // A record deleted as a mistake takes its stays and proposals; its roster lines stay, unlinked;
         // one that holds a certificate is refused (merge it into the right record instead).
         Subscription.on(RegistryEvent.self, "migrants.delete") { event, ctx in
            guard case .deleted(let person) = event else { return }
            if try await ctx.db.raw("SELECT id FROM certificates WHERE person_id = \(bind: person.text)").first() != nil {
                throw RenkouError(.conflict, "has-certificates", Text("此人有婚育证明记录，不能删除；如系重复记录请合并。", "This person holds certificates and cannot be deleted; merge a duplicate record instead."))
            }
            try await ctx.db.raw("DELETE FROM stays WHERE person_id = \(bind: person.text)").run()
            try await ctx.db.raw("DELETE FROM proposals WHERE person_id = \(bind: person.text)").run()
            try await ctx.db.raw("UPDATE roster_entries SET person_id = NULL WHERE person_id = \(bind: person.text)").run()
         },
         Subscription.on(RegistryEvent.self, "migrants.merge") { event, ctx in
            guard case .merged(let kept, let merged) = event else { return }
            for table in ["stays", "certificates", "roster_entries", "proposals"] {
                try await ctx.db.raw("UPDATE \(unsafeRaw: table) SET person_id = \(bind: kept.text) WHERE person_id = \(bind: merged.text)").run()
            }
        }]
    }
    public var contributions: [Contribution] {
        [ExtensionPoint.taskSources(CertificateExpirySource()), ExtensionPoint.taskSources(AgreementExpirySource()), ExtensionPoint.workSummary(MigrantWorkSummary())]
            + MigrantRateStore.definitions.map { ExtensionPoint.indicators($0) } + MigrantMeasures.all.map { ExtensionPoint.reportMeasures($0) }
    }
}

extension Stores {
    public var stays: StayStore { StayStore(db: db, env: env, bus: bus) }
    public var certificates: CertificateStore { CertificateStore(db: db, env: env, bus: bus) }
    public var hosts: HostStore { HostStore(db: db, env: env) }
    public var rosters: RosterStore { RosterStore(db: db, env: env) }
    public var migrantRates: MigrantRateStore { MigrantRateStore(db: db, env: env, moved: extensions.all(.peopleMoved).first) }
    public var departmentFiles: DepartmentFileStore { DepartmentFileStore(db: db, env: env, bus: bus) }
}
