/// The field task list: every module's tasks and reminders in one list per worker.
public struct TasksCoreModule: CoreModule {
    public init() {}
    public let name = "tasks"
    public var grants: [Grant] {
        [Grant(.tasks(.read), Role.personal),
         Grant(.tasks(.write), Role.registering)]
    }
    public var policy: [PolicyDeclaration] {
        [PolicyRule.reminderHorizon.declare([(Day(year: 2000, month: 1, day: 1)!, 30, "Renkou default: expiries within 30 days are listed")])]
    }
}

extension Permission {
    /// A permission of the task list.
    public static func tasks(_ action: Action) -> Permission { Permission("tasks", action) }
}

extension PolicyRule where Value == Int {
    /// How many days ahead an expiry (certificate, agreement) shows on the task list.
    public static let reminderHorizon = PolicyRule("tasks.reminder-horizon-days", Text("到期提醒提前天数", "Days ahead an expiry is listed"))
}
