import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// Every public page and every public API route, over the demo district (people, landlords,
/// certificates, birth registrations, benefit postings, complaints named and anonymous, boards and
/// the guide): none shows a registry person's or a complainant's name, ID number or phone unmasked,
/// and an anonymous complaint keeps nothing of where it came from. The printed QR codes carry
/// `RENKOU_PUBLIC_URL`.
@Suite struct PublicRoutesTests {
    @Test(arguments: TestEngine.all) func noPublicRouteShowsANameAnIDNumberOrAPhone(engine: TestEngine) async throws {
        var config = AppConfig()
        config.publicURL = "https://renkou.example.gov.cn"
        // every page in turn from one test client: more than a resident's 30 a minute
        config.publicRatePerMinute = 100_000
        try await withWeb(engine, config: config, tree: false) { web in
            _ = try await Demo.fill(web.stores, seed: 7, persons: 600)
            let read = { (sql: String) in
                try await web.stores.db.read { db in try await db.raw("\(unsafeRaw: sql)").all().map { r in try r.decode(column: "v", as: String?.self) ?? "" } }
            }
            // what must never appear: the registry's names, ID numbers and phones, the complainants' and the landlords'
            var secrets = Set(try await read("SELECT id_number AS v FROM persons") + read("SELECT phone AS v FROM persons WHERE phone IS NOT NULL")
                              + read("SELECT name AS v FROM complaints WHERE name IS NOT NULL") + read("SELECT phone AS v FROM complaints WHERE phone IS NOT NULL")
                              + read("SELECT contact_name AS v FROM hosts WHERE contact_name IS NOT NULL") + read("SELECT phone AS v FROM hosts WHERE phone IS NOT NULL"))
            // names of two characters or more that are not part of any place's or office's name
            let places = try await read("SELECT name AS v FROM org_units").joined(separator: " ")
            secrets.formUnion(try await read("SELECT name AS v FROM persons").filter { $0.count >= 2 && !places.contains($0) })
            secrets.remove("")
            #expect(secrets.count > 600)

            var uris = ["/public", "/public/guide", "/public/board", "/public/complaints", "/public/benefits", "/public/births/apply"]
            let boards = try await read("SELECT code AS v FROM org_units WHERE level IN ('street', 'community')")
            let guide = try await read("SELECT code AS v FROM service_guide")
            let codes = try await read("SELECT tracking_code AS v FROM complaints")
            let certificates = try await read("SELECT token AS v FROM certificates")
            let vouchers = try await read("SELECT voucher_token AS v FROM birth_registrations WHERE voucher_token IS NOT NULL")
            let births = try await web.stores.db.read { db in
                try await db.raw("SELECT number, mother_id_number FROM birth_registrations").all().map { (try $0.decode(column: "number", as: String.self), try $0.decode(column: "mother_id_number", as: String.self)) }
            }
            #expect(!boards.isEmpty && !guide.isEmpty && codes.count >= 5 && !births.isEmpty)
            uris += boards.map { "/public/board/\($0)" } + guide.flatMap { ["/public/guide/\($0)", "/public/guide/\($0)/board"] }
            uris += codes.map { "/public/complaints/track?code=\($0)" } + certificates.map { "/public/verify/\($0)" } + vouchers.map { "/public/births/voucher/\($0)" }
            uris += births.map { "/public/births/status?number=\($0.0)&id4=\($0.1.suffix(4))" }
            // every public GET of the API, with each code it takes
            for route in web.api.registered where route.method == "get" && route.path.contains("/public/") {
                if route.path.contains("{code}") {
                    let values = route.path.contains("/complaints/") ? codes : route.path.contains("/guide/") ? guide : boards
                    uris += values.map { route.path.replacingOccurrences(of: "{code}", with: $0) }
                } else if route.path.contains("{token}") {
                    uris += certificates.map { route.path.replacingOccurrences(of: "{token}", with: $0) }
                } else if route.path.hasSuffix("/births/status") {
                    uris += births.map { "\(route.path)?number=\($0.0)&id4=\($0.1.suffix(4))" }
                } else {
                    uris.append(route.path)
                }
            }
            let visitor = web.anonymous()
            var checked = 0
            for uri in uris {
                let r = try await visitor.get(uri)
                #expect(r.status == .ok, "\(uri) → \(r.status)")
                let leaked = secrets.filter { r.text.contains($0) }
                #expect(leaked.isEmpty, "\(uri) shows \(leaked.prefix(3))")
                checked += 1
            }
            #expect(checked > 40)
            // the printed boards carry the deployment's public address, not the request's host
            let guideBoard = try await visitor.get("/public/guide/\(guide[0])/board")
            #expect(guideBoard.text.contains("https://renkou.example.gov.cn/public/guide/\(guide[0])</span>"))
            // an anonymous complaint keeps nothing of where it came from
            let filed = try await web.call(.post, "/api/v1/public/complaints", json: """
                {"category": "service", "unit": "\(boards[0])", "subject": "窗口无人", "body": "上午无人办理。", "anonymous": true}
                """, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.77", .userAgent: "Mozilla/5.0 (Phone) UA-MARK"])
            #expect(filed.status == .created)
            let stored = try await web.stores.db.read { db in
                var text = ""
                for table in ["complaints", "complaint_steps", "complaint_rounds", "audit_log", "tasks"] {
                    for row in try await db.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                        for column in row.allColumns { text += (try? row.decode(column: column, as: String?.self)).flatMap { $0 } ?? "" }
                    }
                }
                return text
            }
            #expect(!stored.contains("203.0.113.77") && !stored.contains("UA-MARK"))
        }
    }
}
