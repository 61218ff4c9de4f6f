import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import RenkouWeb
import Testing

@Suite struct PageTests {
    @Test(arguments: TestEngine.all) func signInShowsErrorsNextToFieldsAndRequiresCSRF(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            // pages need a session
            let anonymous = try await web.call(.get, "/units")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login?next=%2Funits")
            // a wrong password: the login page again, the error next to the password field
            let wrong = try await web.call(.post, "/login", cookies: "renkou_csrf=x1", form: ["_csrf": "x1", "username": "worker", "password": "nope-nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains(#"id="e-password""#))
            #expect(wrong.text.contains("用户名或密码错误"))
            #expect(wrong.text.contains(#"value="worker""#))
            // a form without the CSRF token is refused
            let noCSRF = try await web.call(.post, "/login", form: ["username": "worker", "password": "password-123"])
            #expect(noCSRF.status == .forbidden)
            // sign in, see the start page, sign out
            let browser = try await web.signIn("worker")
            let home = try await browser.get("/")
            #expect(home.status == .ok && home.text.contains("白银路社区"))
            let out = try await browser.post("/logout", [:])
            #expect(out.status == .seeOther)
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test(arguments: TestEngine.all) func languageSwitchIsRemembered(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let browser = try await web.signIn("worker")
            #expect(try await browser.get("/").text.contains(#"<html lang="zh-Hans">"#))
            let switched = try await browser.get("/lang/en?back=%2Funits")
            #expect(switched.status == .seeOther && switched.headers[.location] == "/units")
            let lang = try #require(Web.cookie("renkou_lang", in: switched))
            let english = try await web.call(.get, "/", cookies: browser.cookies + "; renkou_lang=\(lang)")
            #expect(english.text.contains(#"<html lang="en">"#))
            #expect(english.text.contains("Workbench") && english.text.contains("Sign out"))
            // an open redirect is not possible
            #expect(try await browser.get("/lang/en?back=https%3A%2F%2Fevil.example").headers[.location] == "/")
        }
    }

    @Test func errorPagesSpeakBothLanguages() async throws {
        try await withWeb(.sqlite) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let browser = try await web.signIn("worker")
            let missing = try await browser.get("/no/such/page")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("页面不存在") && missing.text.contains("This page does not exist"))
            let api = try await web.call(.get, "/api/v1/nothing")
            #expect(api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(try await web.call(.get, "/healthz").text.contains("\"status\":\"ok\""))
        }
    }

    @Test(arguments: TestEngine.all) func adminsManageTheTreeAndAccountsFromThePages(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "admin", .admin, Fixture.district)
            let browser = try await web.signIn("admin")
            let tree = try await browser.get("/units/\(Fixture.streetA)")
            #expect(tree.status == .ok && tree.text.contains("白银路社区") && tree.text.contains("金沙社区"))
            // a bad community code comes back with the error next to the code field
            let bad = try await browser.post("/units/\(Fixture.streetA)/children", ["code": "310114002777", "childName": "错社区", "level": "community"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"id="e-code""#))
            let good = try await browser.post("/units/\(Fixture.streetA)/children", ["code": "310114001003", "childName": "迎园社区", "level": "community"])
            #expect(good.status == .seeOther && good.headers[.location] == "/units/310114001003")
            // rename keeps history on the unit page
            #expect(try await browser.post("/units/310114001003/rename", ["name": "迎园新社区"]).status == .seeOther)
            let renamed = try await browser.get("/units/310114001003")
            #expect(renamed.text.contains("迎园社区 → 迎园新社区"))
            // an account with a bad unit is refused next to the unit field; a good one is created and can be disabled
            let badAccount = try await browser.post("/accounts/new", ["username": "new-worker", "role": "community", "unit": "999", "password": "password-123"])
            #expect(badAccount.status == .unprocessableContent && badAccount.text.contains(#"id="e-unit""#))
            let created = try await browser.post("/accounts/new", ["username": "new-worker", "role": "community", "unit": "310114001003", "password": "password-123"])
            #expect(created.status == .seeOther)
            let account = try #require(try await web.stores.accounts.account(username: "new-worker", in: .everything))
            #expect(try await browser.post("/accounts/\(account.id.text)/toggle", [:]).status == .seeOther)
            await #expect(throws: AccountStore.LoginFailure.disabled) {
                try await web.stores.accounts.authenticate(username: "new-worker", password: "password-123", client: "t")
            }
            // non-admins do not get the account pages
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            #expect(try await (try await web.signIn("worker")).get("/accounts").status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.all) func healthzAnswersOnlyWhenTheDatabaseDoes(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            #expect(try await web.call(.get, "/healthz").status == .ok)
            await web.stores.db.close()
            let down = try await web.call(.get, "/healthz")
            #expect(down.status == .serviceUnavailable)
            #expect(try down.jsonObject()["code"] as? String == "db-down")
        }
    }

    @Test(arguments: TestEngine.all) func passwordChangeChecksTheCurrentPassword(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let browser = try await web.signIn("worker")
            let wrong = try await browser.post("/password", ["currentPassword": "not-it", "newPassword": "new-password-1"])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"id="e-currentPassword""#))
            let short = try await browser.post("/password", ["currentPassword": "password-123", "newPassword": "short"])
            #expect(short.text.contains(#"id="e-newPassword""#))
            #expect(try await browser.post("/password", ["currentPassword": "password-123", "newPassword": "new-password-1"]).status == .ok)
            _ = try await web.signIn("worker", password: "new-password-1")
            // signIn throws the harness's TestError when the login page does not redirect: here 401, a wrong password
            await #expect { try await web.signIn("worker", password: "password-123") }
                throws: { ($0 as? TestError)?.description == "sign-in as worker failed with 401 Unauthorized" }
        }
    }

    @Test(arguments: TestEngine.all) func tokensAreCreatedShownOnceAndRevokedFromThePage(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "admin", .admin, Fixture.district)
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let browser = try await web.signIn("admin")
            let created = try await browser.post("/tokens", ["user": "worker", "label": "etl"])
            let secret = try #require(created.text.range(of: #"rk_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(created.text[$0]) })
            #expect(try await web.call(.get, "/api/v1/me", token: secret).status == .ok)
            // the list shows the prefix only, never the secret again
            let list = try await browser.get("/tokens")
            #expect(!list.text.contains(secret) && list.text.contains(String(secret.prefix(10))))
            let token = try #require(try await web.stores.accounts.tokens(in: .everything).first)
            #expect(try await browser.post("/tokens/\(token.id.text)/revoke", [:]).status == .seeOther)
            #expect(try await web.call(.get, "/api/v1/me", token: secret).status == .unauthorized)
        }
    }

    @Test(arguments: TestEngine.all) func registeringAPersonFromThePage(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let browser = try await web.signIn("worker")
            let form = try await browser.get("/persons/new")
            #expect(form.text.contains(#"name="ethnicGroup""#) && form.text.contains("基诺族") && form.text.contains(#"value="310114001001-01""#))
            // a wrong check character: refused, the error next to the ID field, the values kept
            let good = Fixture.idNumber(4, birth: "19920310")
            let bad = String(good.dropLast()) + (good.last == "0" ? "1" : "0")
            let fields = ["name": "刘丹", "idNumber": bad, "unit": Fixture.gridA1, "maritalStatus": "21", "ethnicGroup": "01", "phone": "13912345678"]
            let refused = try await browser.post("/persons/new", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="e-idNumber""#) && refused.text.contains(#"value="13912345678""#))
            // with a reason it is saved, flagged, and birth date and sex follow the number
            var confirmed = fields; confirmed["idConfirmReason"] = "已核对原件"
            let saved = try await browser.post("/persons/new", confirmed)
            #expect(saved.status == .seeOther)
            let page = try await browser.get(try #require(saved.headers[.location]))
            #expect(page.text.contains("1992-03-10") && page.text.contains("<dd>女</dd>") && page.text.contains("初婚"))
            #expect(page.text.contains("身份号码校验位错误（已确认）"))
            #expect(page.text.contains("育龄妇女") && page.text.contains("是（已婚）"))
        }
    }

    @Test func everyStringATemplateUsesExistsInBothLanguages() throws {
        let dir = Fixture.repository.appendingPathComponent("Sources/RenkouWeb/Resources/Templates")
        let files = FileManager.default.enumerator(atPath: dir.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
        #expect(files.count >= 10)
        let pattern = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([a-z_]+)\}\}"#)
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        let missing = used.filter { Strings.all[$0] == nil }
        #expect(missing.isEmpty, "missing strings: \(missing.sorted())")
        for (key, text) in Strings.all { #expect(!text.zh.isEmpty && !text.en.isEmpty, "\(key)") }
        // One key, one text: a module that reuses another's key with its own words would silently lose them.
        #expect(Strings.conflicts.isEmpty, "\(Strings.conflicts)")
    }
}

@Suite struct RendererTests {
    @Test func absentValuesNeverPrintAsNil() async throws {
        try await withWeb(.sqlite) { web in
            try await Fixture.account(web.stores, "admin", .admin, Fixture.district)
            let browser = try await web.signIn("admin")
            let p = try await web.stores.persons.create(PersonInput(name: "甲", idNumber: Fixture.idNumber(1), unit: Fixture.communityA1), in: .everything, by: .cli())
            for path in ["/persons", "/persons/new", "/persons/\(p.id.text)", "/households", "/households/new", "/accounts/new", "/tokens", "/audit", "/api/docs", "/units/\(Fixture.district)"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains(">nil<") && !page.text.contains("\"nil\""), "\(path) prints nil")
            }
        }
    }
}
