/// The modules of the persistence layer, lower ones first. A new module adds one line here.
public let storeModules: [any StoreModule] = [
    AdminStoreModule(), RegistryStoreModule(), TasksStoreModule(), MigrantsStoreModule(), ServicesStoreModule(), BirthsStoreModule(), ExchangeStoreModule(), SuppliesStoreModule(), OutreachStoreModule(), SupervisionStoreModule(), AssessmentStoreModule(), ReportsStoreModule(),
]
