import RenkouCore

/// Every string the templates print through `{{t.key}}`, in zh-Hans and en: the shared ones below
/// and every module's own (`WebModule.strings`). A test checks that each key a template uses is defined.
public enum Strings {
    public static let all: [String: Text] = webModules.reduce(base) { table, module in
        table.merging(module.strings) { a, _ in a }
    }

    /// Keys that a module defines with other words than the table before it ("module key"): the
    /// earlier text wins, so such a module would print the wrong words. Empty in a sound build.
    public static var conflicts: [String] {
        var seen = base, found: [String] = []
        for module in webModules {
            for (key, text) in module.strings.sorted(by: { $0.key < $1.key }) {
                if let t = seen[key], t != text { found.append("\(module.name) \(key)") } else { seen[key] = text }
            }
        }
        return found
    }

    static let base: [String: Text] = [
        "app_name": Text("人口信息系统", "Renkou Population System"),
        "nav_label": Text("主导航", "Main navigation"),
        "menu": Text("菜单", "Menu"),
        "footer": Text("Renkou 人口 · 开源人口与计划生育服务信息系统", "Renkou · open-source population and family services system"),
        "sign_out": Text("退出", "Sign out"),
        "change_password": Text("修改密码", "Change password"),
        "tokens": Text("接口令牌", "API tokens"),
        "back_home": Text("返回首页", "Back to the start page"),
        "code": Text("代码", "Code"),
        "name": Text("名称/姓名", "Name"),
        "status": Text("状态", "Status"),
        "add": Text("添加", "Add"),
        "save": Text("保存", "Save"),
        "unit": Text("单位", "Unit"),
        "created_at": Text("创建时间", "Created"),
        "revoke": Text("吊销", "Revoke"),
        "previous": Text("上一页", "Previous"),
        "next": Text("下一页", "Next"),
        "persons": Text("人员", "People"),
        "search": Text("查询", "Search"),
        "id_number": Text("公民身份号码", "Citizen ID number"),
        "api_docs": Text("接口文档", "API reference"),
        "api_intro": Text("JSON 接口使用 Bearer 令牌认证；错误以 application/problem+json 返回，含中英文说明。机器可读的描述：",
                          "The JSON API takes bearer tokens; errors come as application/problem+json with Chinese and English messages. Machine-readable description:"),
        "parameters": Text("参数", "Parameters"),
        "address": Text("住址", "Address"),
        "column": Text("列", "Column"),
        "rows_read": Text("读取行数", "Rows read"),
        "row": Text("行号", "Row"),
        "value": Text("值", "Value"),
        "reason": Text("原因", "Reason"),
        "import_link": Text("导入", "Import"),
        "target": Text("目标", "Target"),
        "units_below": Text("下级单位", "Units below"),
        "kind": Text("类别", "Kind"),
        "responses": Text("响应", "Responses"),
        "rates": Text("工作指标", "Rates"),
        "gaps": Text("未达标的记录", "Records behind the gap"),
        "all_records": Text("全部记录", "All records"),
        "issued_on": Text("发证日期", "Issued on"),
        "side": Text("类别", "Side"),
        "spouse": Text("配偶", "Spouse"),
        "marital_status": Text("婚姻状况", "Marital status"),
        "note": Text("备注", "Note"),
        "masked_name": Text("姓名", "Name"),
        "masked_id": Text("公民身份号码", "ID number"),
        "agreement": Text("协议", "Agreement"),
        "no_agreement": Text("无有效协议", "No valid agreement"),
        "subject": Text("对象", "Subject"),
        "none": Text("无", "None"),
        "open_record": Text("查看", "Open"),
        "tasks": Text("任务", "Tasks"),
        "my_tasks": Text("我的任务", "My tasks"),
    ]

    /// The strings of one language, as the templates' `t` object.
    static func table(_ lang: Lang) -> [String: String] { lang == .zh ? zh : en }
    static let zh = all.mapValues { $0.zh }
    static let en = all.mapValues { $0.en }
}
