import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct HouseholdWebTests {
    @Test(arguments: TestEngine.all) func householdFromThePages(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let head = try await web.stores.persons.create(PersonInput(name: "王建国", idNumber: Fixture.idNumber(1, birth: "19600101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let browser = try await web.signIn("worker")
            // open a household
            let created = try await browser.post("/households/new", ["number": "A0001", "unit": Fixture.communityA1, "address": "白银路 1 号", "type": "family"])
            #expect(created.status == .seeOther)
            let path = try #require(created.headers[.location])
            // an ID number nobody in the area has: the error next to the field
            let unknown = try await browser.post(path + "/members", ["idNumber": Fixture.idNumber(99), "relation": "02", "joinedOn": "2020-01-01"])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains(#"id="e-idNumber""#))
            // add the head; the household page lists him and the person page links back
            #expect(try await browser.post(path + "/members", ["idNumber": head.idNumber!, "relation": "02", "joinedOn": "2020-01-01"]).status == .seeOther)
            let page = try await browser.get(path)
            #expect(page.text.contains("王建国") && page.text.contains("户主") && !page.text.contains("本户没有户主"))
            let person = try await browser.get("/persons/\(head.id.text)")
            #expect(person.text.contains(#"id="person-household""#) && person.text.contains("A0001"))
            // he leaves: former members keep him, with the dates
            #expect(try await browser.post(path + "/members/\(head.id.text)/leave", ["leftOn": "2024-02-01"]).status == .seeOther)
            let after = try await browser.get(path)
            #expect(after.text.contains("曾经的成员") && after.text.contains("2020-01-01 – 2024-02-01"))
            #expect(try await web.stores.households.membership(of: head.id, in: .everything) == nil)
        }
    }

    @Test(arguments: TestEngine.all) func householdAPIIsScoped(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            try await Fixture.account(web.stores, "office-b", .street, Fixture.streetB)
            let a = try await web.token("office-a"), b = try await web.token("office-b")
            let person = try await web.stores.persons.create(PersonInput(name: "李娜", idNumber: Fixture.idNumber(2), unit: Fixture.communityA2), in: .everything, by: .cli())
            let created = try await web.call(.post, "/api/v1/households", token: a, json: #"{"number":"A0100","unit":"\#(Fixture.communityA2)"}"#)
            #expect(created.status == .created)
            let id = try #require(try created.jsonObject()["id"] as? String)
            let added = try await web.call(.post, "/api/v1/households/\(id)/members", token: a, json: #"{"person":"\#(person.id.text)","relation":"02","joinedOn":"2021-05-01"}"#)
            #expect(added.status == .ok && added.text.contains("李娜"))
            // the other street sees nothing of it
            #expect(try await web.call(.get, "/api/v1/households/\(id)", token: b).status == .notFound)
            #expect(try await web.call(.post, "/api/v1/households/\(id)/members/\(person.id.text)/leave", token: b, json: "{}").status == .notFound)
            #expect(!(try await web.call(.get, "/api/v1/households", token: b).text.contains("A0100")))
            // a bad relation code is named
            let bad = try await web.call(.post, "/api/v1/households", token: a, json: #"{"number":"A0101","unit":"\#(Fixture.communityA2)","type":"tent"}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("/type"))
        }
    }
}
