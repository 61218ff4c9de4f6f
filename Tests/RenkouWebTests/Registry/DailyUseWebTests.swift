import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// What the workers of the units do every day: correct the records they see flagged, find people by
/// part of an ID number or a unit's name, register a tenant from a roster task, and start from a
/// workbench that gives them work.
@Suite struct DailyUseWebTests {
    @Test(arguments: TestEngine.all) func aCommunityWorkerCorrectsAFlaggedRecord(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker-a1", .community, Fixture.communityA1)
            var input = PersonInput(name: "沈丽华", idNumber: Fixture.idNumber(21, birth: "19880303"), unit: Fixture.communityA1)
            input.maritalStatus = "20"; input.ethnicGroup = "01"
            let p = try await web.stores.persons.create(input, in: .everything, by: .cli("admin"))
            let worker = try await web.signIn("worker-a1")

            // the page lists the problems in words and offers the correction; deleting is not the worker's
            let page = try await worker.get("/persons/\(p.id.text)")
            #expect(page.text.contains("<li>已婚但缺初婚日期</li>") && page.text.contains("<li>缺户口性质</li>") && !page.text.contains("K09"))
            #expect(page.text.contains(#"id="fix-problems""#) && !page.text.contains(#"id="delete-person""#))
            // the form opens on the fields that clear them, the problems beside it, the rest folded
            let form = try await worker.get("/persons/\(p.id.text)/edit")
            #expect(form.status == .ok)
            let open = form.text.components(separatedBy: #"id="other-fields""#)
            #expect(open.count == 2 && open[0].contains(#"id="f-firstMarriageDate""#) && open[0].contains(#"id="f-hukouType""#))
            #expect(!open[0].contains(#"id="f-phone""#) && open[1].contains(#"id="f-phone""#))
            #expect(form.text.contains(#"id="form-problems""#))

            // a bad value loses nothing and says where
            var values = ["name": "沈丽华", "idNumber": p.idNumber!, "unit": Fixture.communityA1, "sex": "2", "birthDate": "1988-03-03",
                          "ethnicGroup": "01", "maritalStatus": "20", "hukouType": "resident", "firstMarriageDate": "2012-02-30"]
            let bad = try await worker.post("/persons/\(p.id.text)/edit", values)
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="e-firstMarriageDate""#))
            #expect(try await web.stores.persons.read(p.id, in: .everything, by: .cli()).hukouType == nil)

            // the save confirms itself on the page it lands on, once; the problems are gone; the audit keeps the old values
            values["firstMarriageDate"] = "2012-10-01"
            let saved = try await worker.post("/persons/\(p.id.text)/edit", values)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/persons/\(p.id.text)")
            let notice = try #require(Web.cookie("renkou_notice", in: saved))
            let landed = try await web.call(.get, "/persons/\(p.id.text)", cookies: worker.cookies + "; renkou_notice=\(notice)")
            #expect(landed.text.contains(#"id="notice""#) && landed.text.contains("旧值记入审计日志"))
            #expect(!landed.text.contains("已婚但缺初婚日期") && !landed.text.contains("缺户口性质"))
            #expect(Web.cookie("renkou_notice", in: landed) == "")   // cleared: shown once
            let audit = try #require(try await web.stores.audit.search(AuditQuery(entityID: p.id.text, action: "update"), in: .everything).items.first)
            #expect(audit.username == "worker-a1" && audit.before?.contains("\"firstMarriageDate\"") == false && audit.after?.contains("2012-10-01") == true)
            // a record of another community is not the worker's to correct
            let other = try await web.stores.persons.create(PersonInput(name: "外社区", idNumber: Fixture.idNumber(22), unit: Fixture.communityA2), in: .everything, by: .cli())
            #expect(try await worker.get("/persons/\(other.id.text)/edit").status == .notFound)
            #expect(try await worker.post("/persons/\(p.id.text)/delete", [:]).status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.all) func peopleAreFoundByPartOfTheIDNumberOrTheUnitName(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            let id = Fixture.idNumber(31, birth: "19900115")
            try await web.stores.persons.create(PersonInput(name: "钱多多", idNumber: id, unit: Fixture.communityA1), in: .everything, by: .cli())
            try await web.stores.persons.create(PersonInput(name: "孙少少", idNumber: Fixture.idNumber(32), unit: Fixture.communityA2), in: .everything, by: .cli())
            let office = try await web.signIn("office-a")
            for q in [String(id.suffix(6)), String(id.prefix(14)), "钱多", id] {
                let page = try await office.get("/persons?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect(page.text.contains("钱多多") && !page.text.contains("孙少少") && page.text.contains("共 1 人"), "\(q)")
            }
            let short = try await office.get("/persons?q=123")
            #expect(short.status == .unprocessableContent && short.text.contains(#"id="e-q""#))
            let api = try await web.call(.get, "/api/v1/persons?id=12", token: try await web.token("office-a"))
            #expect(api.status == .unprocessableContent && api.text.contains("id-partial"))
            // the unit by its name (or part of it), with what lies below
            let byName = try await office.get("/persons?unit=%E9%87%91%E6%B2%99")
            #expect(byName.text.contains("孙少少") && !byName.text.contains("钱多多"))
            #expect(try await office.get("/persons?unit=%E4%B8%B0%E5%BA%84").status == .unprocessableContent)   // 丰庄 is another street's
        }
    }

    @Test(arguments: TestEngine.all) func theWorkbenchGivesTheGridWorkerTheirTasksAndTheLeaderFigures(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "grid-a1", .grid, Fixture.gridA1)
            try await Fixture.account(web.stores, "leader", .viewer, Fixture.district)
            var h = HostStore.Input(); h.kind = "landlord"; h.name = "袁家出租屋"; h.unit = Fixture.gridA1; h.address = "白银路 120 号"
            let host = try await web.stores.hosts.create(h, in: .everything, by: .cli())
            let tenant = Fixture.idNumber(41, birth: "19950412")
            _ = try await web.stores.rosters.add(host: host.id, name: "袁小梅", idNumber: tenant, room: "502", since: nil, in: .everything, by: .cli())

            let grid = try await web.signIn("grid-a1")
            let home = try await grid.get("/")
            #expect(home.text.contains(#"id="home-tasks""#) && home.text.contains("袁小梅") && home.text.contains("/hosts/\(host.id.text)/register?idNumber=\(tenant)"))
            #expect(home.text.contains(#"id="home-rates""#) && home.text.contains("流动人口信息登记率"))
            #expect(!home.text.contains("接口文档"))   // the API docs are for administrators
            #expect(home.text.contains(#"id="home-registry""#) && home.text.contains(#"id="records-with-problems">0<"#))
            // the tasks come first
            #expect(home.text.range(of: #"id="home-tasks""#)!.lowerBound < home.text.range(of: #"id="home-registry""#)!.lowerBound)
            let leader = try await (try await web.signIn("leader")).get("/")
            #expect(!leader.text.contains(#"id="home-tasks""#) && !leader.text.contains(#"id="home-registry""#) && leader.text.contains(#"id="home-rates""#))
            // each figure opens its dashboard, never the people behind it
            #expect(leader.text.contains("/dashboard?code=O02-knowledge&amp;unit=310114") && !leader.text.contains("/quality?unit=310114") && !leader.text.contains("/migrants/rates/"))
        }
    }

    @Test(arguments: TestEngine.all) func householdsArePagedWithTheirHeadAndAddress(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            var headInput = PersonInput(name: "户主甲", idNumber: Fixture.idNumber(61), unit: Fixture.communityA1); headInput.address = "白银路 7 号"
            let head = try await web.stores.persons.create(headInput, in: .everything, by: .cli())
            for i in 0..<51 {
                let h = try await web.stores.households.create(number: String(format: "H%03d", i), unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
                if i == 0 { try await web.stores.households.addMember(h.id, person: head.id, relation: "02", on: Day(year: 2020, month: 1, day: 1)!, in: .everything, by: .cli()) }
            }
            let office = try await web.signIn("office-a")
            let first = try await office.get("/households")
            #expect(first.text.contains("共 51 户") && first.text.contains("户主甲") && first.text.contains("白银路 7 号"))
            #expect(first.text.contains(#"href="/households?offset=50""#) && !first.text.contains("H050"))
            let second = try await office.get("/households?offset=50")
            #expect(second.text.contains("H050") && !second.text.contains("H000") && second.text.contains(#"id="prev-page""#))
        }
    }

    @Test(arguments: TestEngine.all) func timesAreShownInTheDeploymentsZone(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            let p = try await web.stores.persons.create(PersonInput(name: "时区", idNumber: Fixture.idNumber(51), unit: Fixture.communityA1), in: .everything, by: .cli())
            let page = try await (try await web.signIn("office-a")).get("/persons/\(p.id.text)")
            #expect(!page.text.contains(p.createdAt))
            #expect(page.text.contains(Timestamp.local(p.createdAt)))
            // stored UTC, read in Beijing time
            #expect(Timestamp.local("2026-11-29T09:13:47.000Z") == "2026-11-29 17:13")
            #expect(Timestamp.local("2026-11-29T20:00:00.000Z") == "2026-11-30 04:00")
        }
    }
}
