import RenkouCore

/// The strings of the task list.
enum TaskStrings {
    static let all: [String: Text] = [
        "due": Text("期限", "Due"),
        "overdue": Text("已逾期", "Overdue"),
        "close_task": Text("办结", "Close"),
        "outcome": Text("办理结果", "Outcome"),
        "no_tasks": Text("没有待办任务。", "Nothing to do."),
        "due_this_week": Text("本周到期", "Due this week"),
        "all_tasks": Text("全部任务", "All tasks"),
        "assignee": Text("指派给", "Assigned to"),
        "assign": Text("指派", "Assign"),
        "unassigned": Text("不指派", "Nobody"),
        "group_by_household": Text("按户分组", "By household"),
        "print_sheet": Text("打印入户清单", "Print a round sheet"),
        "weekly_report": Text("周汇报 / 月排查", "Weekly and monthly reports"),
        "signature": Text("签名", "Signature"),
        "previous_period": Text("上一期", "Previous"),
        "next_period": Text("下一期", "Next"),
    ]
}
