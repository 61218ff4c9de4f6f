import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct LifeEventWebTests {
    @Test(arguments: TestEngine.all) func birthFromTheMothersPage(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let mother = try await web.stores.persons.create(PersonInput(name: "陈静", idNumber: Fixture.idNumber(2, birth: "19920615"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let h = try await web.stores.households.create(number: "A7", unitCode: Fixture.communityA1, address: nil, in: .everything, by: .cli())
            try await web.stores.households.addMember(h.id, person: mother.id, relation: "02", on: Day(year: 2020, month: 1, day: 1)!, in: .everything, by: .cli())
            let browser = try await web.signIn("worker")
            // each kind of event has its own form: a marriage asks for the spouse, not for a newborn or a place
            let marriageForm = try await browser.get("/persons/\(mother.id.text)?event=marriage")
            #expect(marriageForm.text.contains(#"id="f-otherIdNumber""#) && !marriageForm.text.contains(#"id="f-childName""#) && !marriageForm.text.contains(#"id="f-place""#))
            #expect(marriageForm.text.contains(#"<input type="hidden" name="type" value="marriage">"#))
            let plain = try await browser.get("/persons/\(mother.id.text)")
            #expect(plain.text.contains(#"id="event-birth""#) && !plain.text.contains(#"id="f-day""#))
            // a marriage to an unknown ID number: the error next to that field
            let bad = try await browser.post("/persons/\(mother.id.text)/events", ["type": "marriage", "day": "2021-01-01", "otherIdNumber": Fixture.idNumber(77)])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="e-otherIdNumber""#))
            // a birth: straight to the child's page, which names the mother; the household has a daughter
            let birth = try await browser.post("/persons/\(mother.id.text)/events",
                                               ["type": "birth", "day": "2024-03-01", "source": "hospital", "childName": "陈小雨", "childIdNumber": Fixture.idNumber(4, birth: "20240301")])
            #expect(birth.status == .seeOther)
            let child = try await browser.get(try #require(birth.headers[.location]))
            #expect(child.text.contains("陈小雨") && child.text.contains("母亲：陈静") && child.text.contains("A7"))
            #expect(try await web.stores.households.detail(h.id, in: .everything, by: .cli()).current.contains { $0.name == "陈小雨" && $0.relation == "30" })
            // the household's timeline shows the birth too
            let household = try await browser.get("/households/\(h.id.text)")
            #expect(household.text.contains(#"id="household-timeline""#) && household.text.contains("出生</strong> 陈小雨"))
            // the mother's page lists the birth; revoking it from there keeps it, struck through, with the reason
            let motherPage = try await browser.get("/persons/\(mother.id.text)")
            #expect(motherPage.text.contains("孩子：陈小雨"))
            let event = try #require(try await web.stores.events.timeline(of: mother.id, in: .everything).first)
            let revoked = try await browser.post("/life-events/\(event.id.text)/revoke", ["reason": "录错了", "back": "/persons/\(mother.id.text)"])
            #expect(revoked.status == .seeOther && revoked.headers[.location] == "/persons/\(mother.id.text)")
            #expect(try await browser.get("/persons/\(mother.id.text)").text.contains("已撤销：录错了"))
            // a move within the district says from where to where
            let moved = try await browser.post("/persons/\(mother.id.text)/events", ["type": "move-within", "day": "2024-05-01", "unit": Fixture.gridA1])
            #expect(moved.status == .seeOther)
            #expect(try await browser.get("/persons/\(mother.id.text)").text.contains("白银路社区 → 白银路第一网格"))
            // a newborn before its hukou registration: no number, the sex from the form; without the sex, the error beside it
            let noSex = try await browser.post("/persons/\(mother.id.text)/events", ["type": "birth", "day": "2026-10-01", "childName": "陈小溪"])
            #expect(noSex.status == .unprocessableContent && noSex.text.contains(#"id="e-childSex""#))
            let pending = try await browser.post("/persons/\(mother.id.text)/events", ["type": "birth", "day": "2026-10-01", "childName": "陈小溪", "childSex": "2"])
            #expect(pending.status == .seeOther)
            let page = try await browser.get(try #require(pending.headers[.location]))
            #expect(page.text.contains("陈小溪") && page.text.contains("尚无（待户口登记）") && page.text.contains("缺身份号码"))
        }
    }

    @Test(arguments: TestEngine.all) func eventsThroughTheAPI(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            try await Fixture.account(web.stores, "office-b", .street, Fixture.streetB)
            let a = try await web.token("office-a"), b = try await web.token("office-b")
            let p = try await web.stores.persons.create(PersonInput(name: "郑强", idNumber: Fixture.idNumber(3), unit: Fixture.communityA1), in: .everything, by: .cli())
            // a move within the street
            let moved = try await web.call(.post, "/api/v1/life-events", token: a, json: #"{"type":"move-within","person":"\#(p.id.text)","day":"2024-01-01","unit":"\#(Fixture.communityA2)"}"#)
            #expect(moved.status == .created)
            #expect(try await web.stores.persons.read(p.id, in: .everything, by: .cli()).unitCode == Fixture.communityA2)
            // the other street can neither record events for him nor see his timeline
            let foreign = try await web.call(.post, "/api/v1/life-events", token: b, json: #"{"type":"death","person":"\#(p.id.text)","day":"2024-01-02"}"#)
            #expect(foreign.status == .unprocessableContent && foreign.text.contains("/person"))
            #expect(try await web.call(.get, "/api/v1/persons/\(p.id.text)/events", token: b).status == .notFound)
            // bad input is named field by field
            let badInput = try await web.call(.post, "/api/v1/life-events", token: a, json: #"{"type":"wedding","day":"2099-01-01"}"#)
            let pointers = Set(((try badInput.jsonObject()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["pointer"] as? String })
            #expect(pointers == ["/type", "/person", "/day"])
            let timeline = try await web.call(.get, "/api/v1/persons/\(p.id.text)/events", token: a)
            #expect(timeline.status == .ok && timeline.text.contains("move-within"))
        }
    }
}
