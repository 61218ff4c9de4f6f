import RenkouCore

/// The strings of the birth-registration pages.
enum BirthStrings {
    static let all: [String: Text] = [
        "births": Text("生育登记", "Birth registration"),
        "registration_number": Text("登记编号", "Number"),
        "mother": Text("女方", "Mother"),
        "father": Text("男方", "Father"),
        "child": Text("孩子", "Child"),
        "child_order": Text("孩次", "Child's order"),
        "expected_or_born": Text("预产期 / 出生日期", "Expected / born"),
        "registration_state": Text("状态", "State"),
        "time_limit": Text("办理期限", "Time limit"),
        "decided_on": Text("办结日期", "Decided on"),
        "new_registration": Text("新建生育登记", "New registration"),
        "no_registrations": Text("没有生育登记。", "No registrations."),
        "decide": Text("办理", "Handle"),
        "decision_note": Text("说明（补充材料或不予登记时必填）", "Note (needed to ask for information or to refuse)"),
        "print_voucher": Text("打印登记凭证", "Print the voucher"),
        "voucher_title": Text("生育登记凭证", "Birth registration voucher"),
        "voucher_hint": Text("本凭证用于证明已办理生育登记，不作为生育审批。扫码可核验。", "This voucher shows the birth is registered; it is not an approval. Scan to check it."),
        "within_policy": Text("政策内", "Within policy"),
        "outside_policy": Text("政策外", "Outside policy"),
        "public_apply_title": Text("网上生育登记", "Register a birth online"),
        "public_apply_intro": Text("夫妻双方任一方户籍地或现居住地均可登记；出生前、出生后均可。只需身份证或户口簿，其余以个人承诺代替。",
                                   "Register at either spouse's hukou place or residence, before or after the birth. The ID card or household booklet is all you need; a pledge stands in for anything else."),
        "pledge": Text("本人承诺所填信息真实、准确", "I pledge that what I give is true and correct"),
        "submit_application": Text("提交申请", "Submit"),
        "tracking_number": Text("请记下您的登记编号，凭编号和身份证号后 4 位查询办理进度：", "Keep your number: with it and the last 4 characters of an ID number you can follow the application:"),
        "public_status_title": Text("生育登记进度查询", "Birth registration status"),
        "id_last4": Text("女方或男方身份证号后 4 位", "Last 4 characters of either spouse's ID number"),
        "look_up": Text("查询", "Look up"),
        "status_not_found": Text("没有找到：请核对登记编号和身份证号后 4 位。", "Not found: check the number and the last 4 characters."),
        "check_status": Text("查询办理进度", "Follow an application"),
        "apply_online": Text("网上申请生育登记", "Apply online"),
        "public_services": Text("群众办事（无需登录）", "For residents (no account needed)"),
    ]
}
