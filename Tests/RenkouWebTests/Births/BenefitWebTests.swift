import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Benefits through pages and API: the street draws and posts a list, the public board shows it
/// masked and takes an objection, only the district approves, and the bank files go through the API.
@Suite struct BenefitWebTests {
    static func id(_ birth: String, _ seq: String) -> String { let f = "310114" + birth + seq; return f + String(CitizenID.checkCharacter(f)!) }

    @Test(arguments: TestEngine.all) func aStreetPostsItsListAndOnlyTheDistrictApproves(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let year = Day(web.stores.env.now()).year
            var m = PersonInput(name: "林静", idNumber: Self.id("19930415", "002"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"
            let mother = try await web.stores.persons.create(m, in: .everything, by: .cli())
            let born = Day(year: year - 1, month: 6, day: 1)!
            var child = PersonInput(name: "许安", idNumber: Self.id(born.description.replacingOccurrences(of: "-", with: ""), "551")); child.hukouRegion = "310114"
            _ = try await web.stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: born.description, child: child), in: .everything, by: .cli())
            try await Fixture.account(web.stores, "street-c", .street, Fixture.streetA)
            try await Fixture.account(web.stores, "district-c", .district, Fixture.district)
            let street = try await web.signIn("street-c")
            let bad = try await street.post("/benefits", ["programme": "", "year": String(year), "unit": Fixture.streetA])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="e-programme""#))
            let drawn = try await street.post("/benefits", ["programme": "childcare-subsidy", "year": String(year), "unit": Fixture.streetA])
            #expect(drawn.status == .seeOther)
            let run = try #require(try await web.stores.benefits.runs(in: .everything).first)
            let page = try await street.get("/benefits/\(run.id.text)")
            #expect(page.text.contains("许安") && page.text.contains("3,600 元") && page.text.contains(#"id="post-run""#) && !page.text.contains(#"id="approve-run""#))
            #expect(try await street.post("/benefits/\(run.id.text)/post", [:]).status == .seeOther)
            // the public board: masked, and it takes an objection
            let anonymous = web.anonymous()
            let board = try await anonymous.get("/public/benefits")
            #expect(board.status == .ok && board.text.contains("许*") && !board.text.contains("许安") && !board.text.contains(child.idNumber!))
            let objected = try await anonymous.post("/public/benefits/\(run.id.text)/object", ["number": "1", "text": "不符合条件"])
            #expect(objected.status == .seeOther)
            #expect(try await web.stores.benefits.lines(run.id, in: .everything, by: .cli()).first?.held == true)
            // the street cannot approve; the district can, once the posting period is over
            #expect(try await street.post("/benefits/\(run.id.text)/approve", [:]).status == .forbidden)
            let district = try await web.signIn("district-c")
            let early = try await district.post("/benefits/\(run.id.text)/approve", [:])
            #expect(early.status == .conflict && early.text.contains("公示期至"))
            // the API gives the list with its lines; the bank file waits for approval
            let token = try await web.token("street-c")
            let api = try await web.call(.get, "/api/v1/benefits/runs/\(run.id.text)", token: token)
            #expect(api.status == .ok && api.text.contains("\"held\":true") && api.text.contains("\"source\":\"public\""))
            #expect(try await web.call(.post, "/api/v1/benefits/runs/\(run.id.text)/payment-file", token: token).status == .conflict)
            // the board refuses an objection to a line it does not show, and says why
            let wrong = try await anonymous.post("/public/benefits/\(run.id.text)/object", ["number": "99", "text": "x"])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"id="board-error""#))
            // a community reads its street's list but does not act on it
            try await Fixture.account(web.stores, "community-c", .community, Fixture.communityA1)
            #expect(try await web.call(.get, "/api/v1/benefits/runs/\(run.id.text)", token: try await web.token("community-c")).status == .ok)
            #expect(try await web.call(.post, "/api/v1/benefits/runs/\(run.id.text)/post", token: try await web.token("community-c")).status == .forbidden)
            #expect(try await web.call(.get, "/api/v1/public/benefits").text.contains("许*"))
        }
    }

    @Test(arguments: TestEngine.all) func specialAssistanceSuggestsListingTheFamily(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let year = Day(web.stores.env.now()).year
            var m = PersonInput(name: "丙妈", idNumber: Self.id("19700101", "006"), unit: Fixture.communityA1); m.sex = "2"; m.maritalStatus = "20"
            let mother = try await web.stores.persons.create(m, in: .everything, by: .cli())
            let child = try await web.stores.events.record(LifeEventInput(type: "birth", person: mother.id.text, day: "1995-05-01",
                                                                         child: PersonInput(name: "丙子", idNumber: Self.id("19950501", "013"))), in: .everything, by: .cli()).personID
            try await web.stores.events.record(LifeEventInput(type: "death", person: child.text, day: "2020-01-01"), in: .everything, by: .cli())
            let run = try await web.stores.benefits.draw(.specialAssistance, year: year, unitCode: Fixture.streetA, in: .everything, by: .cli())
            try await Fixture.account(web.stores, "street-s", .street, Fixture.streetA)
            let street = try await web.signIn("street-s")
            let href = "/families?person="
            let page = try await street.get("/benefits/\(run.id.text)").text
            #expect(page.contains(href))
            _ = try await web.stores.families.add(person: mother.id, situation: "child-died", communityContact: "street-s", associationContact: "协会 王", associationPhone: nil,
                                                  in: .everything, by: .cli())
            #expect(!(try await street.get("/benefits/\(run.id.text)").text.contains(href)))
        }
    }
}
