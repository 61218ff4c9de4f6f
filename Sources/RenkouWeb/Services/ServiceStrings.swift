import RenkouCore

/// The strings of the services' pages.
enum ServiceStrings {
    static let all: [String: Text] = [
        "services": Text("生殖健康服务", "Reproductive-health services"),
        "current_method": Text("目前使用的方法", "Method in use"),
        "no_method": Text("无记录", "None recorded"),
        "no_services": Text("无服务记录。", "No services recorded."),
        "service_date": Text("日期", "Date"),
        "service": Text("服务", "Service"),
        "method": Text("方法", "Method"),
        "informed_choice": Text("知情选择", "Informed choice"),
        "service_provider": Text("机构与服务者", "Facility and provider"),
        "follow_ups": Text("随访", "Follow-ups"),
        "visit": Text("随访内容", "Visit"),
        "done": Text("已随访", "Done"),
        "record_visit": Text("记录随访", "Record the visit"),
        "new_service": Text("记录服务", "Record a service"),
        "methods_explained": Text("向她介绍过的方法（至少 3 种及紧急避孕）", "Methods explained to her (at least 3 and emergency contraception)"),
        "visits_open_hint": Text("有待办的随访。随访内容仅服务人员可见。", "Visits are open. What they are for is shown to the service staff only."),
    ]
}
