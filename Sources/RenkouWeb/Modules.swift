/// The modules of the HTTP layer, lower ones first. A new module adds one line here.
let webModules: [any WebModule] = [
    AdminWebModule(), RegistryWebModule(), TasksWebModule(), MigrantsWebModule(), ServicesWebModule(), BirthsWebModule(), ExchangeWebModule(), SuppliesWebModule(), OutreachWebModule(), SupervisionWebModule(), AssessmentWebModule(), ReportsWebModule(),
]
