import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
@testable import RenkouWeb
import RenkouTestSupport
import Testing

/// Browser-facing security (issue 18, part 9): after signing in, or switching the language, only a
/// path of this site is followed — never `//host`, `/\host`, a tab or line break that a browser
/// drops, nor another scheme; every response, page, file, API answer and error, carries a strict
/// Content-Security-Policy with `frame-ancestors 'none'`, `nosniff`, a frame ban and a Referrer-Policy.
@Suite struct BrowserSecurityTests {
    @Test func onlyPathsOfThisSiteAreFollowed() {
        for bad in ["/\\evil.example", "//evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example", "evil.example", "/\\/evil.example", " /x", "/x y"] {
            #expect(SitePath.sameSite(bad) == nil, "\(bad.debugDescription)")
        }
        for good in ["/", "/persons?name=%E5%BC%A0&sex=1", "/reports/sheet?unit=310114001001", "/a\\b"] {
            #expect(SitePath.sameSite(good) == good)
        }
    }

    /// No template holds what the policy blocks: an inline script, an event-handler attribute, a style attribute or element.
    @Test func noTemplateHoldsInlineScriptOrStyle() throws {
        let folder = Fixture.repository.appendingPathComponent("Sources/RenkouWeb/Resources/Templates")
        let inline = try NSRegularExpression(pattern: #"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style"#, options: [.caseInsensitive])
        var offenders: [String] = [], read = 0
        for case let file as String in FileManager.default.enumerator(atPath: folder.path)! where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            read += 1
            if inline.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { offenders.append(file) }
        }
        #expect(read > 50 && offenders.isEmpty, "\(offenders)")
    }

    @Test(arguments: TestEngine.all) func redirectsStayOnTheSiteAndEveryAnswerCarriesTheHeaders(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "sec", .district, Fixture.district)
            let csrf = "csrf-token-for-tests"
            for (next, expected) in [("/\\evil.example", "/"), ("//evil.example", "/"), ("/\t/evil.example", "/"), ("https://evil.example/", "/"), ("/reports?month=2026-10", "/reports?month=2026-10")] {
                let r = try await web.call(.post, "/login", cookies: "renkou_csrf=\(csrf)", form: ["_csrf": csrf, "username": "sec", "password": "password-123", "next": next])
                #expect(r.status == .seeOther && r.headers[.location] == expected, "\(next.debugDescription) → \(r.headers[.location] ?? "")")
            }
            let lang = try await web.call(.get, "/lang/en?back=%2F%5Cevil.example")
            #expect(lang.status == .seeOther && lang.headers[.location] == "/")
            #expect(try await web.call(.get, "/lang/en?back=%2Fpersons").headers[.location] == "/persons")

            let browser = try await web.signIn("sec")
            let answers = [try await web.call(.get, "/login"), try await browser.get("/reports"), try await web.call(.get, "/assets/app.css"),
                           try await web.call(.get, "/api/v1/persons"), try await web.call(.get, "/no-such-page"), try await web.call(.get, "/public/guide"),
                           try await browser.get("/persons/export.csv")]
            for r in answers {
                let csp = r.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(r.status)")
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff" && r.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin"
                        && r.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(r.status)")
            }
            // the pages hold no inline script or style the policy would block
            for page in [try await browser.get("/reports"), try await web.call(.get, "/login")] {
                #expect(!page.text.contains("onclick=") && !page.text.contains(" style=\"") && !page.text.contains("<script>"))
            }
        }
    }
}
