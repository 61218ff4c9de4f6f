import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RenkouCore
import RenkouStore
import RenkouWeb
import RenkouTestSupport
import Testing

/// The leaders' account (viewer) walks every GET route the server answers, pages and API, each
/// route with every kind of record id the demo district holds: it reads the dashboards, the
/// indicators, the targets and the reports, and no page or answer shows a person — no registry name,
/// ID number or phone, in clear or masked. Its audit log holds no read of a person.
@Suite struct ViewerWalkTests {
    @Test(arguments: TestEngine.all) func aViewerIsRefusedEveryPersonPage(engine: TestEngine) async throws {
        try await withWeb(engine, tree: false) { web in
            _ = try await Demo.fill(web.stores, seed: 11, persons: 400)
            try await Fixture.account(web.stores, "leader-w", .viewer, "310114")
            let read = { (sql: String) in
                try await web.stores.db.read { db in try await db.raw("\(unsafeRaw: sql)").all().map { r in try r.decode(column: "v", as: String?.self) ?? "" } }
            }
            // what a leader must never see: names (not part of a place's name), ID numbers and phones, in clear and masked
            let places = try await read("SELECT name AS v FROM org_units").joined(separator: " ")
            let names = try await read("SELECT name AS v FROM persons").filter { $0.count >= 2 && !places.contains($0) }
            let numbers = try await read("SELECT id_number AS v FROM persons"), phones = try await read("SELECT phone AS v FROM persons WHERE phone IS NOT NULL")
            var secrets = Set(names + numbers + phones + numbers.map { Mask.idNumber($0) } + phones.map(Mask.phone))
            secrets.formUnion(names.filter { $0.count >= 3 }.map(Mask.name))
            secrets.remove("")
            #expect(secrets.count > 1000)

            // one id of each kind of record, and the codes the routes take
            var ids: [String] = []
            for table in ["persons", "households", "birth_registrations", "certificates", "hosts", "services", "stays", "complaints", "tasks", "benefit_runs", "benefit_lines",
                          "fee_cases", "special_families", "outreach_activities", "surveys", "associations", "spot_checks", "checkup_rounds", "pregnancies", "reports",
                          "supply_machines", "stock_locations", "count_sheets", "follow_ups", "warnings", "vetoes", "responsibility_agreements", "volunteer_reports",
                          "outreach_boards", "exchange_inbox", "proposals", "assessment_hand_scores", "board_notices", "life_events"] {
                ids += (try? await read("SELECT id AS v FROM \(table) ORDER BY id LIMIT 1")) ?? []
            }
            #expect(ids.count > 25)
            let codes = try await read("SELECT code AS v FROM org_units WHERE code LIKE '310114%' ORDER BY code LIMIT 3") + ["O02-knowledge", "M01-registration", "R01-completeness"]
                + (try await read("SELECT code AS v FROM service_guide ORDER BY code LIMIT 1"))
            let viewer = try await web.signIn("leader-w"), token = try await web.token("leader-w")
            var walked = 0, opened: [String] = []
            for route in web.pages where route.method == "GET" && !route.path.hasPrefix("/public") && !route.path.hasPrefix("/api/v1/public") {
                var uris = [route.path]
                for (capture, values) in [("{id}", ids), ("{code}", codes), ("{token}", ["x"]), ("{number}", ["x"])] where route.path.contains(capture) {
                    uris = uris.flatMap { u in values.map { u.replacingOccurrences(of: capture, with: $0) } }
                }
                for uri in uris where !uri.contains("{") {
                    let r = uri.hasPrefix("/api/") ? try await web.call(.get, uri, token: token) : try await viewer.get(uri)
                    walked += 1
                    if r.status == .ok { opened.append(route.path) }
                    let leaked = r.status == .ok ? secrets.filter { r.text.contains($0) } : []
                    #expect(leaked.isEmpty, "\(uri) shows \(leaked.prefix(3)) to a leader")
                }
            }
            #expect(walked > 500)
            // what leaders do see
            for page in ["/", "/dashboard", "/indicators", "/assessment", "/reports", "/reports/sheet", "/assessment/scores", "/assessment/two-way"] {
                #expect(try await viewer.get(page).status == .ok, "\(page)")
            }
            #expect(Set(opened).isSuperset(of: ["/dashboard", "/reports", "/api/v1/reports"]))
            // and what they do not: a person's page, the registry, the records behind a figure
            let person = try #require(ids.first), spot = try #require(try await read("SELECT id AS v FROM spot_checks").first)
            for page in ["/persons", "/persons/\(person)", "/tasks", "/migrants", "/indicators/O02-knowledge", "/assessment/spot-checks/\(spot)"] {
                #expect(try await viewer.get(page).status == .forbidden, "\(page)")
            }
            #expect(try await web.call(.get, "/api/v1/indicators/RP02-reports-complete/records", token: token).status == .forbidden)
            // nothing of a person was read in the leader's name
            let reads = try await web.stores.audit.search(AuditQuery(username: "leader-w", action: "read"), in: .everything)
            #expect(reads.total == 0)
        }
    }
}
