import RenkouCore

/// The population registry: persons, households, life events, data quality, imports.
public struct RegistryStoreModule: StoreModule {
    public init() {}
    public let name = "registry"
    public var migrations: [Migration] {
        [Migration004Persons.migration, Migration005PersonDetails.migration, Migration006Households.migration, Migration007LifeEvents.migration,
         Migration008ImportProvenance.migration, Migration009PersonMerges.migration, Migration012NameGrams.migration,
         Migration014QualityVerdicts.migration, Migration026PendingIDNumbers.migration, Migration051NamesInOneForm.migration,
         Migration053WomenOfReproductiveAge.migration, Migration054IDChecksumCountsAsInconsistent.migration,
         Migration055MovesKeepWhereFrom.migration, Migration056PopulationCounts.migration]
    }
    public var contributions: [Contribution] {
        QualityVerdicts.indicators.map { ExtensionPoint.indicators($0) } + RegistryMeasures.all.map { ExtensionPoint.reportMeasures($0) }
            + [ExtensionPoint.dailyJobs(DailyJob("registry.population-counts") { stores, _ in try await PopulationCounts.compact(stores.db) }),
               ExtensionPoint.peopleMoved(LifeEventStore.peopleMoved)]
    }
    public var pathTables: [String] { ["persons", "households", "life_events", "life_events.from_path", "person_checks"] }
    /// The population counts the move appended (two per person moved, on SQLite) are summed at once.
    public var afterTreeMove: (@Sendable (Database) async throws -> Void)? { { db in _ = try await PopulationCounts.compact(db) } }
    /// The synthetic population, unless the database has people already (then no later step runs either).
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard try await stores.persons.count(in: .everything) == 0 else { context.stopped = true; return }
            context.personsWritten = try await DemoPopulationWriter.write(stores, persons: context.persons, seed: context.seed,
                                                                          under: context.districtCode, progress: context.progress)
            try await stores.quality.rebuildVerdicts()
            _ = try await PopulationCounts.compact(stores.db)
            try await stores.db.refreshStatistics()
            try await DemoPopulationWriter.moves(stores, seed: context.seed, communities: context.communities)
        }
    }
}

extension Stores {
    public var persons: PersonStore { PersonStore(db: db, env: env, bus: bus) }
    public var households: HouseholdStore { HouseholdStore(db: db, env: env) }
    public var events: LifeEventStore { LifeEventStore(db: db, env: env, bus: bus) }
    public var quality: QualityStore { QualityStore(db: db, env: env) }
    public var importer: PersonImporter { PersonImporter(db: db, env: env) }
}
