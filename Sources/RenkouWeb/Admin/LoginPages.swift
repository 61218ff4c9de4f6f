import Foundation
import Hummingbird
import RenkouCore
import RenkouStore

/// Sign in and out, the start page, and changing one's own password.
enum LoginPages {
    static func loginFields(username: String = "", lang: Lang) -> [FormField] {
        [FormField(name: "username", label: Text("用户名", "Username")(lang), value: username, required: true, autocomplete: "username"),
         FormField(name: "password", label: Text("密码", "Password")(lang), type: "password", required: true, autocomplete: "current-password")]
    }

    /// Only local paths are followed after sign-in.
    static func safeNext(_ next: String?) -> String {
        guard let next = SitePath.sameSite(next), !next.hasPrefix(SitePath.login) else { return SitePath.home }
        return next
    }

    static func register(_ router: Router<AppContext>, _ deps: AppDeps) {
        router.get(RouterPath(SitePath.login)) { request, context -> Response in
            if context.account != nil { return Redirect.to(SitePath.home) }
            let model = LoginView(fields: loginFields(lang: context.lang), next: safeNext(request.query("next")), message: nil)
            return deps.renderer.html("login", title: Text("登录", "Sign in"), model: model, context: context, request: request)
        }

        router.post(RouterPath(SitePath.login)) { request, context -> Response in
            let form = try await Form.read(request, context: context)
            let username = form["username"] ?? ""
            do {
                var errors = FieldErrors()
                errors.required("/username", form["username"])
                errors.required("/password", form["password"])
                try errors.throwIfAny()
                let account = try await deps.stores.accounts.authenticate(username: username, password: form.values["password"] ?? "",
                                                                          client: context.client, requestID: context.id)
                let secret = try await deps.stores.accounts.startSession(for: account)
                var response = Redirect.to(safeNext(form["next"]))
                response.setCookie(Cookie(name: SessionMiddleware.sessionCookie, value: secret, maxAge: Int(AccountStore.sessionLifetime), path: "/",
                                          secure: deps.config.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            } catch let failure as AccountStore.LoginFailure {
                return loginPage(failure.error, username: username, form: form, deps: deps, request: request, context: context)
            } catch let error as RenkouError where error.kind == .invalid {
                return loginPage(error, username: username, form: form, deps: deps, request: request, context: context)
            }
        }

        router.post(RouterPath(SitePath.logout)) { request, context -> Response in
            _ = try await Form.read(request, context: context)
            if let secret = context.sessionSecret {
                try await deps.stores.accounts.endSession(secret)
                try await deps.stores.audit.record(context.actor, .logout, entity: "user", entityID: context.account?.id.text ?? "", path: context.account?.unitPath ?? "/")
            }
            var response = Redirect.to(SitePath.login)
            response.setCookie(Cookie(name: SessionMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: deps.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }

        router.get(RouterPath(SitePath.password)) { request, context -> Response in
            _ = try context.requireAccount()
            return deps.renderer.html("admin/password", title: Text("修改密码", "Change password"), model: PasswordView(fields: passwordFields(context.lang), message: nil), context: context, request: request)
        }

        router.post(RouterPath(SitePath.password)) { request, context -> Response in
            let account = try context.requireAccount()
            let form = try await Form.read(request, context: context)
            do {
                try await deps.stores.accounts.changePassword(account, current: form.values["currentPassword"] ?? "", new: form.values["newPassword"] ?? "", by: context.actor)
                return deps.renderer.html("admin/password", title: Text("修改密码", "Change password"),
                                          model: PasswordView(fields: passwordFields(context.lang), message: Text("密码已修改。", "Your password has been changed.")(context.lang)),
                                          context: context, request: request)
            } catch let error as RenkouError where error.kind == .invalid {
                return deps.renderer.html("admin/password", title: Text("修改密码", "Change password"),
                                          model: PasswordView(fields: FormField.attach(error.fields, to: passwordFields(context.lang), lang: context.lang), message: nil),
                                          context: context, request: request, status: .unprocessableContent)
            }
        }
    }

    static func passwordFields(_ lang: Lang) -> [FormField] {
        [FormField(name: "currentPassword", label: Text("当前密码", "Current password")(lang), type: "password", required: true, autocomplete: "current-password"),
         FormField(name: "newPassword", label: Text("新密码（至少 8 位）", "New password (8 characters or more)")(lang), type: "password", required: true, autocomplete: "new-password")]
    }

    static func loginPage(_ error: RenkouError, username: String, form: Form, deps: AppDeps, request: Request, context: AppContext) -> Response {
        let fields = FormField.attach(error.fields, to: loginFields(username: username, lang: context.lang), lang: context.lang)
        let model = LoginView(fields: fields, next: safeNext(form["next"]), message: error.message(context.lang))
        return deps.renderer.html("login", title: Text("登录", "Sign in"), model: model, context: context, request: request, status: error.kind.status)
    }
}

/// The sign-in page.
struct LoginView { let fields: [FormField]; let next: String; let message: String? }
/// The start page: the caller's unit, role and head count.
/// The change-password page.
struct PasswordView { let fields: [FormField]; let message: String? }
