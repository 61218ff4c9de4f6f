import RenkouCore

/// The population registry: persons, households, life events, data quality, imports.
public struct RegistryStoreModule: StoreModule {
    public init() {}
    public let name = "registry"
    public var migrations: [Migration] {
        [Migration004Persons.migration, Migration005PersonDetails.migration, Migration006Households.migration, Migration007LifeEvents.migration,
         Migration008ImportProvenance.migration, Migration009PersonMerges.migration, Migration012NameGrams.migration]
    }
    /// The synthetic population, unless the database has people already (then no later step runs either).
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard try await stores.persons.count(in: .everything) == 0 else { context.stopped = true; return }
            context.personsWritten = try await DemoPopulationWriter.write(stores, persons: context.persons, seed: context.seed,
                                                                          under: context.districtCode, progress: context.progress)
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
