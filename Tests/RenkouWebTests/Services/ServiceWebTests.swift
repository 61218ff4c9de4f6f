import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Services through pages and API: a provider records an insertion with informed choice, a grid
/// worker records the visit, and no role outside the service roles reads a method anywhere.
@Suite struct ServiceWebTests {
    static func woman(_ stores: Stores, unit: String) async throws -> Person {
        let first17 = "310114" + "19920304" + "022"
        var input = PersonInput(name: "孙丽", idNumber: first17 + String(CitizenID.checkCharacter(first17)!), unit: unit)
        input.sex = "2"; input.maritalStatus = "20"; input.firstMarriageDate = "2015-05-01"
        return try await stores.persons.create(input, in: .everything, by: .cli())
    }

    @Test(arguments: TestEngine.all) func aProviderRecordsAnInsertionAndAGridWorkerTheVisit(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "provider-a", .provider, Fixture.streetA)
            try await Fixture.account(web.stores, "grid-a1", .grid, Fixture.gridA1)
            let w = try await Self.woman(web.stores, unit: Fixture.gridA1)
            let today = Day(web.stores.env.now()), day = today.adding(days: -35)
            let provider = try await web.signIn("provider-a")
            let form = try await provider.get("/persons/\(w.id.text)/services/new")
            #expect(form.status == .ok && form.text.contains(#"id="explained-iud""#) && form.text.contains(#"id="f-mec""#))
            // without the informed choice's methods the form comes back with the boxes marked, nothing saved
            let bad = try await provider.post("/persons/\(w.id.text)/services/new", ["kind": "iud-insertion", "date": day.description, "counselledOn": day.description,
                                                                                    "explained-iud": "1", "mec": "1"])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="e-methodsExplained""#) && bad.text.contains(#"name="explained-iud" value="1" id="explained-iud" checked"#))
            var values = ["kind": "iud-insertion", "date": day.description, "counselledOn": day.description, "counsellor": "王医生", "mec": "1", "spouseTookPart": "1"]
            for m in ["iud", "implant", "oral-pill", "condom", "emergency-pill"] { values["explained-\(m)"] = "1" }
            let saved = try await provider.post("/persons/\(w.id.text)/services/new", values)
            #expect(saved.status == .seeOther)
            let page = try await provider.get("/persons/\(w.id.text)")
            #expect(page.text.contains("放置宫内节育器") && page.text.contains("咨询 \(day.description) · 介绍 5 种 · 选择 宫内节育器 · MEC 1 · 配偶参与"))
            // the grid worker finds the visit on the task list, without its reason, and records it
            let grid = try await web.signIn("grid-a1")
            let tasks = try await grid.get("/tasks")
            let visit = try #require(try await web.stores.services.followUps(personID: w.id, on: today, in: .everything).first)
            #expect(tasks.text.contains("孙丽") && tasks.text.contains("/followups/\(visit.id.text)/visit") && !tasks.text.contains("宫内"))
            // the API's one list, for a unit of the caller's area (one outside it reads as unknown)
            let gridToken = try await web.token("grid-a1")
            let list = try await web.call(.get, "/api/v1/tasks?unit=\(Fixture.gridA1)", token: gridToken)
            #expect(list.status == .ok && list.text.contains("\"kind\":\"follow-up\"") && list.text.lowercased().contains(visit.id.text) && !list.text.contains("iud"))
            #expect(try await web.call(.get, "/api/v1/tasks?unit=\(Fixture.communityB1)", token: gridToken).status == .unprocessableContent)
            let visitForm = try await grid.get("/followups/\(visit.id.text)/visit")
            #expect(visitForm.status == .ok && !visitForm.text.contains("宫内") && visitForm.text.contains(#"id="f-findings""#))
            let recorded = try await grid.post("/followups/\(visit.id.text)/visit", ["date": today.description, "findings": "normal"])
            #expect(recorded.status == .seeOther && recorded.headers[.location] == "/tasks")
            #expect(try await web.stores.services.followUp(visit.id, in: .everything).doneOn == today.description)
            #expect(!(try await grid.get("/tasks")).text.contains("/followups/\(visit.id.text)/visit"))
        }
    }

    @Test(arguments: TestEngine.all) func noRoleOutsideTheServiceRolesReadsAMethod(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let w = try await Self.woman(web.stores, unit: Fixture.gridA1)
            let day = Day(web.stores.env.now()).adding(days: -35)
            var s = ServiceInput(); s.person = w.id.text; s.kind = "iud-insertion"; s.date = day.description
            s.informedChoice = InformedChoice(counselledOn: day.description, methodsExplained: ["iud", "implant", "oral-pill", "condom", "emergency-pill"], chosen: "iud", mec: 1)
            try await web.stores.services.record(s, in: .everything, by: .cli("provider"))
            let outsiders: [(String, Role, String)] = [("admin-x", .admin, Fixture.district), ("district-x", .district, Fixture.district), ("street-x", .street, Fixture.streetA),
                                                       ("grid-x", .grid, Fixture.gridA1), ("viewer-x", .viewer, Fixture.district)]
            // the method, the service and the counselling, in either language
            let secrets = ["宫内", "IUD", "iud", "放置", "MEC", "介绍 5 种"]
            for (user, role, unit) in outsiders {
                try await Fixture.account(web.stores, user, role, unit)
                let browser = try await web.signIn(user)
                let token = try await web.token(user)
                for path in ["/persons/\(w.id.text)", "/followups", "/tasks", "/", "/persons/export.csv", "/api/v1/followups"] {
                    let r = path.hasPrefix("/api") ? try await web.call(.get, path, token: token) : try await browser.get(path)
                    // the leaders' account sees no person records at all (its workbench has figures only)
                    #expect(r.status == (role == .viewer && path != "/" ? .forbidden : .ok), "\(user) \(path)")
                    #expect(!secrets.contains { r.text.contains($0) }, "\(user) reads a method on \(path)")
                }
                if role != .viewer {
                    #expect(try await browser.get("/persons/\(w.id.text)").text.contains("随访内容仅服务人员可见"), "\(user)")
                    // nor the window's days, whose spacing would tell the service
                    let visits = try await web.call(.get, "/api/v1/followups?status=due", token: token).text
                    #expect(visits.contains("\"due\"") && !visits.contains("\"opens\"") && !visits.contains("\"expires\""), "\(user)")
                }
                for path in ["/api/v1/persons/\(w.id.text)/services", "/api/v1/indicators/S02-follow-up/records", "/api/v1/indicators/S03-contraceptive-prevalence/records"] {
                    #expect(try await web.call(.get, path, token: token).status == .forbidden, "\(user) \(path)")
                }
                #expect(try await browser.get("/indicators/S01-informed-choice").status == .forbidden, "\(user)")
                #expect(try await browser.get("/persons/\(w.id.text)/services/new").status == .forbidden, "\(user)")
                let post = try await web.call(.post, "/api/v1/services", token: token, json: #"{"person":"\#(w.id.text)","kind":"method-stop","date":"\#(day.description)","method":"iud"}"#)
                #expect(post.status == .forbidden, "\(user) records a service")
            }
            // the service roles do read it, and the read is audited
            for (user, role, unit) in [("provider-x", Role.provider, Fixture.streetA), ("community-x", Role.community, Fixture.communityA1)] {
                try await Fixture.account(web.stores, user, role, unit)
                let r = try await web.call(.get, "/api/v1/persons/\(w.id.text)/services", token: try await web.token(user))
                #expect(r.status == .ok && r.text.contains("\"iud-insertion\""), "\(user)")
                let visits = try await web.call(.get, "/api/v1/followups?unit=\(Fixture.communityA1)", token: try await web.token(user))
                #expect(visits.text.contains("\"kind\":\"iud-insertion\"") && visits.text.contains("\"status\":\"due\""), "\(user)")
            }
            #expect(try await web.stores.audit.search(AuditQuery(entity: "services", action: "read"), in: .everything).total >= 1)
            // the audit row of the service names the record, not the method (its readers are not all service roles)
            let created = try #require(try await web.stores.audit.search(AuditQuery(entity: "service", action: "create"), in: .everything).items.first)
            #expect(!(created.after ?? "").contains("iud"))
        }
    }
}
