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
    ]
}
