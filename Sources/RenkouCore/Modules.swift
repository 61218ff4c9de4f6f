/// The modules of the domain layer, lower ones first. A new module adds one line here.
public let coreModules: [any CoreModule] = [
    AdminCoreModule(), RegistryCoreModule(), TasksCoreModule(), MigrantsCoreModule(), ServicesCoreModule(), BirthsCoreModule(), ExchangeCoreModule(), SuppliesCoreModule(), OutreachCoreModule(), SupervisionCoreModule(), AssessmentCoreModule(), ReportsCoreModule(),
]
