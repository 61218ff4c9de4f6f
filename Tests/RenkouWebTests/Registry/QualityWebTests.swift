import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct QualityWebTests {
    @Test(arguments: TestEngine.all) func ratesLinkToTheRecordsAtFault(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            var bad = PersonInput(name: "性别错", idNumber: Fixture.idNumber(2), unit: Fixture.communityA1)
            bad.sex = "1"
            let p = try await web.stores.persons.create(bad, in: .everything, by: .cli())
            try await web.stores.persons.create(PersonInput(name: "别的街道", idNumber: Fixture.idNumber(4), unit: Fixture.communityB1), in: .everything, by: .cli())
            let browser = try await web.signIn("office-a")
            // the street's page: one record, 0% consistent, its communities below
            let page = try await browser.get("/quality")
            #expect(page.status == .ok && page.text.contains("新成路街道") && page.text.contains("0.0%"))
            #expect(page.text.contains(#"href="/quality?unit=310114001001""#))
            #expect(page.text.contains(#"/quality/records?unit=310114001&amp;check=Q01-sex-id"#))
            // the click-through lists exactly that record
            let records = try await browser.get("/quality/records?unit=310114001&check=Q01-sex-id")
            #expect(records.text.contains("性别错") && !records.text.contains("别的街道") && records.text.contains("共 1 人"))
            // the person page says what is wrong
            let person = try await browser.get("/persons/\(p.id.text)")
            #expect(person.text.contains(#"id="problems""#) && person.text.contains("<li>性别与身份号码不符</li>") && !person.text.contains("Q01-sex-id 性"))
            // the API gives the same figures
            let token = try await web.token("office-a")
            let api = try await web.call(.get, "/api/v1/quality", token: token).jsonObject()
            let unit = try #require(api["unit"] as? [String: Any])
            #expect(unit["records"] as? Int == 1 && unit["consistent"] as? Int == 0)
            let problems = try await web.call(.get, "/api/v1/persons/\(p.id.text)/problems", token: token)
            #expect(problems.text.contains("Q01-sex-id"))
            // an unknown check is named
            #expect(try await browser.get("/quality/records?check=Z99").status == .unprocessableContent)
        }
    }
}
