import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Users of sibling communities and streets try to read, list, change and delete each other's rows
/// through the API and the pages, and are refused every time.
@Suite struct ScopeMatrixTests {
    @Test(arguments: TestEngine.all) func siblingsAreRefusedEverywhere(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            // setup: one account per place, one person in community A1 and one in B1
            let s = web.stores
            try await Fixture.account(s, "worker-a1", .community, Fixture.communityA1)
            try await Fixture.account(s, "worker-a2", .community, Fixture.communityA2)
            try await Fixture.account(s, "office-a", .street, Fixture.streetA)
            try await Fixture.account(s, "office-b", .street, Fixture.streetB)
            try await Fixture.account(s, "admin-b", .admin, Fixture.streetB)
            try await Fixture.account(s, "bureau", .district, Fixture.district)
            let a1 = try await web.token("worker-a1")
            let created = try await web.call(.post, "/api/v1/persons", token: a1, json: #"{"name":"张三明","idNumber":"\#(Fixture.idNumber(1))","unit":"\#(Fixture.communityA1)"}"#)
            #expect(created.status == .created)
            let personA = try #require(try created.jsonObject()["id"] as? String)
            let b = try await web.token("office-b")
            let createdB = try await web.call(.post, "/api/v1/persons", token: b, json: #"{"name":"李四海","idNumber":"\#(Fixture.idNumber(2))","unit":"\#(Fixture.communityB1)"}"#)
            let personB = try #require(try createdB.jsonObject()["id"] as? String)

            // act and assert: each outsider, through the API
            let outsiders: [(user: String, person: String, name: String, unit: String)] = [
                ("worker-a2", personA, "张三明", Fixture.communityA1), ("office-b", personA, "张三明", Fixture.communityA1),
                ("admin-b", personA, "张三明", Fixture.communityA1), ("worker-a1", personB, "李四海", Fixture.communityB1),
                ("office-a", personB, "李四海", Fixture.communityB1),
            ]
            for o in outsiders {
                let token = try await web.token(o.user)
                let read = try await web.call(.get, "/api/v1/persons/\(o.person)", token: token)
                #expect(read.status == .notFound, "\(o.user) read")
                #expect(!read.text.contains(o.name))
                let list = try await web.call(.get, "/api/v1/persons", token: token)
                #expect(!list.text.contains(o.name), "\(o.user) list")
                let byUnit = try await web.call(.get, "/api/v1/persons?unit=\(o.unit)", token: token)
                #expect(byUnit.status == .unprocessableContent, "\(o.user) list by unit")
                #expect(!byUnit.text.contains("total"))
                let patch = try await web.call(.patch, "/api/v1/persons/\(o.person)", token: token, json: #"{"name":"改名"}"#)
                // every outsider here may correct records of their own area: the other area's record is not found
                #expect(patch.status == .notFound, "\(o.user) patch")
                let delete = try await web.call(.delete, "/api/v1/persons/\(o.person)", token: token)
                #expect(delete.status == (o.user == "admin-b" ? .notFound : .forbidden), "\(o.user) delete")

                // and through the pages
                let browser = try await web.signIn(o.user)
                let page = try await browser.get("/persons/\(o.person)")
                #expect(page.status == .notFound, "\(o.user) page")
                #expect(!page.text.contains(o.name))
                let listPage = try await browser.get("/persons")
                #expect(listPage.status == .ok)
                #expect(!listPage.text.contains(o.name), "\(o.user) list page")
                if o.user == "admin-b" {
                    let edit = try await browser.post("/persons/\(o.person)/edit", ["name": "改名", "idNumber": Fixture.idNumber(1), "unit": Fixture.communityB1])
                    #expect(edit.status == .notFound)
                    let del = try await browser.post("/persons/\(o.person)/delete", [:])
                    #expect(del.status == .notFound)
                }
            }
            // nothing changed
            #expect(try await s.persons.count(in: .everything) == 2)
            let stillA = try await s.persons.read(UUID(uuidString: personA)!, in: .everything, by: .cli())
            #expect(stillA.name == "张三明")

            // the street sees all of its communities, the district sees everything
            let street = try await web.call(.get, "/api/v1/persons", token: try await web.token("office-a"))
            #expect(street.text.contains("张三明") && !street.text.contains("李四海"))
            let district = try await web.call(.get, "/api/v1/persons", token: try await web.token("bureau"))
            #expect(district.text.contains("张三明") && district.text.contains("李四海"))
            #expect(try await web.call(.get, "/api/v1/persons/\(personB)", token: try await web.token("bureau")).status == .ok)
        }
    }

    @Test(arguments: TestEngine.all) func adminsCorrectAndDeleteInsideTheirScope(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "admin-a", .admin, Fixture.streetA)
            let token = try await web.token("admin-a")
            let created = try await web.call(.post, "/api/v1/persons", token: token, json: #"{"name":"王芳","idNumber":"\#(Fixture.idNumber(3))","unit":"\#(Fixture.gridA1)"}"#)
            let id = try #require(try created.jsonObject()["id"] as? String)
            let patched = try await web.call(.patch, "/api/v1/persons/\(id)", token: token, json: #"{"name":"王芳芳"}"#)
            #expect(patched.status == .ok)
            #expect(try patched.jsonObject()["name"] as? String == "王芳芳")
            #expect(try await web.call(.delete, "/api/v1/persons/\(id)", token: token).status == .noContent)
            #expect(try await web.call(.get, "/api/v1/persons/\(id)", token: token).status == .notFound)
            // the audit log keeps the whole story: create, update (before and after), delete
            let audit = try await web.call(.get, "/api/v1/audit?entity=person&entityId=\(id)", token: token)
            let actions = (try audit.jsonObject()["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions == ["delete", "update", "create"])
        }
    }
}
