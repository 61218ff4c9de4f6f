/// The modules of the command line, lower ones first. A new module adds one line here.
let cliModules: [any CLIModule] = [
    AdminCLIModule(), RegistryCLIModule(), TasksCLIModule(), MigrantsCLIModule(), ServicesCLIModule(), BirthsCLIModule(), ExchangeCLIModule(), SuppliesCLIModule(), OutreachCLIModule(), SupervisionCLIModule(), AssessmentCLIModule(), ReportsCLIModule(),
]
