import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Account management for admins: list, create, edit, disable; API tokens.
enum AccountPages {
    struct Row { let username: String; let displayName: String; let role: String; let unit: String; let status: String; let href: String }
    struct Info { let label: String; let value: String }
    struct TokenRow { let username: String; let label: String; let prefix: String; let createdAt: String; let lastUsedAt: String; let status: String; let revokeAction: String? }

    static func roleOptions(_ selected: String, _ lang: Lang) -> [FormField.Option] {
        Role.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label(lang), selected: $0.rawValue == selected) }
    }

    static func accountFields(_ form: [String: String], creating: Bool, lang: Lang) -> [FormField] {
        var fields: [FormField] = []
        if creating { fields.append(FormField(name: "username", label: Text("用户名", "Username")(lang), value: form["username"] ?? "", required: true, autocomplete: "off")) }
        fields.append(FormField(name: "displayName", label: Text("显示名称", "Display name")(lang), value: form["displayName"] ?? ""))
        fields.append(FormField(name: "role", label: Text("角色", "Role")(lang), value: form["role"] ?? "community", options: roleOptions(form["role"] ?? "community", lang)))
        fields.append(FormField(name: "unit", label: Text("所属单位代码", "Unit code")(lang), value: form["unit"] ?? "", required: true,
                                hint: Text("账号只能查看该单位及其下级的数据。", "The account sees this unit and the units below it only.")(lang)))
        if creating { fields.append(FormField(name: "password", label: Text("初始密码（至少 8 位）", "Initial password (8 characters or more)")(lang), type: "password", required: true, autocomplete: "new-password")) }
        return fields
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.accounts)) { request, context -> Response in
            _ = try context.require(.admin(.administer))
            let rows = try await deps.stores.accounts.list(in: context.scope).map {
                Row(username: $0.username, displayName: $0.displayName, role: $0.role.label(context.lang), unit: "\($0.unitName) (\($0.unitCode))",
                    status: ($0.disabled ? Text("已停用", "Disabled") : Text("正常", "Active"))(context.lang), href: SitePath.account($0.id))
            }
            return deps.renderer.html("admin/accounts", title: Text("账号管理", "Accounts"), model: AccountsView(accounts: rows), context: context, request: request)
        }

        router.get(RouterPath(SitePath.newAccount)) { request, context -> Response in
            _ = try context.require(.admin(.administer))
            return deps.renderer.html("admin/account_form", title: Text("新建账号", "New account"),
                                      model: AccountFormView(heading: Text("新建账号", "New account")(context.lang), action: SitePath.newAccount,
                                                             fields: accountFields([:], creating: true, lang: context.lang)), context: context, request: request)
        }

        router.post(RouterPath(SitePath.newAccount)) { request, context -> Response in
            _ = try context.require(.admin(.administer))
            let form = try await Form.read(request, context: context)
            do {
                let created = try await deps.stores.accounts.create(
                    username: form["username"] ?? "", displayName: form["displayName"], role: Role(rawValue: form["role"] ?? "") ?? .viewer,
                    unitCode: form["unit"] ?? "", password: form.values["password"] ?? "", in: context.scope, by: context.actor)
                return Redirect.to(SitePath.account(created.id), notice: Text("账号已创建。", "The account is created."))
            } catch let error as RenkouError where error.kind == .invalid {
                return deps.renderer.html("admin/account_form", title: Text("新建账号", "New account"),
                                          model: AccountFormView(heading: Text("新建账号", "New account")(context.lang), action: SitePath.newAccount, message: error.message(context.lang),
                                                                 fields: FormField.attach(error.fields, to: accountFields(form.values, creating: true, lang: context.lang), lang: context.lang)),
                                          context: context, request: request, status: .unprocessableContent)
            }
        }

        @Sendable func editPage(_ target: Account, form: [String: String]?, error: RenkouError?, request: Request, context: AppContext) -> Response {
            let values = form ?? ["displayName": target.displayName, "role": target.role.rawValue, "unit": target.unitCode]
            let info = [Info(label: Text("用户名", "Username")(context.lang), value: target.username),
                        Info(label: Text("创建时间", "Created")(context.lang), value: target.createdAt),
                        Info(label: Text("状态", "Status")(context.lang), value: (target.disabled ? Text("已停用", "Disabled") : Text("正常", "Active"))(context.lang))]
            let model = AccountFormView(
                heading: target.username, action: SitePath.account(target.id), message: error?.message(context.lang),
                fields: FormField.attach(error?.fields ?? [], to: accountFields(values, creating: false, lang: context.lang), lang: context.lang),
                info: info, hasInfo: true, toggleAction: SitePath.account(target.id) + "/toggle", disabled: target.disabled,
                toggleLabel: (target.disabled ? Text("启用账号", "Enable account") : Text("停用账号", "Disable account"))(context.lang))
            return deps.renderer.html("admin/account_form", title: Text(target.username, target.username), model: model, context: context, request: request,
                                      status: error == nil ? .ok : error!.kind.status)
        }

        router.get("/accounts/{id}") { request, context -> Response in
            _ = try context.require(.admin(.administer))
            let id = try context.uuid("id", Text("账号", "account"))
            guard let target = try await deps.stores.accounts.account(id: id, in: context.scope)
            else { throw RenkouError.notFound(Text("账号", "account")) }
            return editPage(target, form: nil, error: nil, request: request, context: context)
        }

        router.post("/accounts/{id}") { request, context -> Response in
            _ = try context.require(.admin(.administer))
            let form = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("账号", "account"))
            guard let target = try await deps.stores.accounts.account(id: id, in: context.scope)
            else { throw RenkouError.notFound(Text("账号", "account")) }
            do {
                try await deps.stores.accounts.update(id, displayName: form["displayName"], role: form["role"].flatMap(Role.init(rawValue:)),
                                                      unitCode: form["unit"], in: context.scope, by: context.actor)
                return Redirect.to(SitePath.accounts, notice: Text("已保存。", "Saved."))
            } catch let error as RenkouError where error.kind == .invalid || error.kind == .conflict {
                return editPage(target, form: form.values, error: error, request: request, context: context)
            }
        }

        router.post("/accounts/{id}/toggle") { request, context -> Response in
            _ = try context.require(.admin(.administer))
            _ = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("账号", "account"))
            guard let target = try await deps.stores.accounts.account(id: id, in: context.scope)
            else { throw RenkouError.notFound(Text("账号", "account")) }
            try await deps.stores.accounts.setDisabled(id, !target.disabled, in: context.scope, by: context.actor)
            return Redirect.to(SitePath.account(id), notice: Text("已保存。", "Saved."))
        }

        @Sendable func tokensPage(secret: String?, error: RenkouError?, form: [String: String], request: Request, context: AppContext) async throws -> Response {
            _ = try context.require(.admin(.administer))
            let rows = try await deps.stores.accounts.tokens(in: context.scope).map {
                TokenRow(username: $0.username, label: $0.label, prefix: $0.prefix, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt ?? "—",
                         status: ($0.revokedAt == nil ? Text("有效", "Active") : Text("已吊销", "Revoked"))(context.lang),
                         revokeAction: $0.revokedAt == nil ? "/tokens/\($0.id.text)/revoke" : nil)
            }
            let fields = [FormField(name: "user", label: Text("用户名", "Username")(context.lang), value: form["user"] ?? "", required: true),
                          FormField(name: "label", label: Text("用途", "Label")(context.lang), value: form["label"] ?? "")]
            let model = TokensView(tokens: rows, secret: secret, fields: FormField.attach(error?.fields ?? [], to: fields, lang: context.lang))
            return deps.renderer.html("admin/tokens", title: Text("接口令牌", "API tokens"), model: model, context: context, request: request,
                                      status: error == nil ? .ok : .unprocessableContent)
        }

        router.get(RouterPath(SitePath.tokens)) { request, context -> Response in
            try await tokensPage(secret: nil, error: nil, form: [:], request: request, context: context)
        }

        router.post(RouterPath(SitePath.tokens)) { request, context -> Response in
            _ = try context.require(.admin(.administer))
            let form = try await Form.read(request, context: context)
            do {
                let (_, secret) = try await deps.stores.accounts.createToken(username: form["user"] ?? "", label: form["label"] ?? "", in: context.scope, by: context.actor)
                return try await tokensPage(secret: secret, error: nil, form: [:], request: request, context: context)
            } catch let error as RenkouError where error.kind == .invalid {
                return try await tokensPage(secret: nil, error: error, form: form.values, request: request, context: context)
            }
        }

        router.post("/tokens/{id}/revoke") { request, context -> Response in
            _ = try context.require(.admin(.administer))
            _ = try await Form.read(request, context: context)
            let id = try context.uuid("id", Text("令牌", "token"))
            try await deps.stores.accounts.revokeToken(id, in: context.scope, by: context.actor)
            return Redirect.to(SitePath.tokens)
        }
    }
}

/// The accounts of the scope.
struct AccountsView { let accounts: [AccountPages.Row] }

/// The new-account form, or one account's page with its facts and the enable/disable button.
struct AccountFormView {
    let heading: String
    let action: String
    var message: String? = nil
    let fields: [FormField]
    var info: [AccountPages.Info] = []
    var hasInfo = false
    var toggleAction: String? = nil
    var disabled = false
    var toggleLabel: String? = nil
}

/// The API tokens of the scope, with a new token's secret shown once.
struct TokensView { let tokens: [AccountPages.TokenRow]; let secret: String?; let fields: [FormField] }
