import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
@testable import RenkouWeb
import Testing

@Suite struct ModuleWebTests {
    @Test func theWebLayerListsTheSameModulesAsTheOthers() throws {
        #expect(webModules.map(\.name) == coreModules.map(\.name))
        #expect(webModules.map(\.name) == storeModules.map(\.name))
        // every module's part of the API description is shipped and merged
        let doc = try OpenAPIDocument.load()
        for prefix in ["/api/v1/org-units", "/api/v1/persons", "/api/v1/tasks", "/api/v1/stays"] {
            #expect(doc.operations.contains { $0.path.hasPrefix(prefix) }, "\(prefix)")
        }
    }

    @Test func navigationFollowsThePermissionTable() {
        func account(_ role: Role) -> Account {
            Account(id: UUID(), username: role.rawValue, displayName: role.rawValue, role: role, unitID: UUID(), unitCode: "310114", unitName: "嘉定区",
                    unitPath: "/310000/310114/", disabled: false, createdAt: "")
        }
        let admin = Renderer.nav(for: account(.admin), path: "/persons", lang: .zh).map(\.href)
        #expect(admin == ["/", "/units", "/persons", "/households", "/quality", "/migrants", "/certificates", "/hosts", "/tasks", "/followups", "/checkups", "/outreach", "/association", "/prepregnancy", "/births", "/benefits", "/families", "/supplies", "/accounts", "/exchange", "/complaints", "/board", "/guide", "/dashboard", "/indicators", "/assessment", "/reports", "/audit", "/api/docs"])
        let viewer = Renderer.nav(for: account(.viewer), path: "/", lang: .en)
        #expect(!viewer.contains { $0.href == "/accounts" || $0.href == "/audit" || $0.href == "/api/docs" })
        #expect(viewer.first { $0.href == "/persons" }?.label == "People")
        #expect(Renderer.nav(for: account(.district), path: "/", lang: .zh).contains { $0.href == "/audit" })
        #expect(Renderer.nav(for: nil, path: "/", lang: .zh).isEmpty)
    }
}

@Suite struct HeadRequestTests {
    @Test(arguments: TestEngine.all) func headAnswersWhatGetWouldWithoutTheBody(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let getRoot = try await web.call(.get, "/"), headRoot = try await web.call(.head, "/")
            #expect(getRoot.status == .seeOther && headRoot.status == .seeOther)
            #expect(headRoot.headers[.location] == getRoot.headers[.location])
            let health = try await web.call(.head, "/healthz")
            #expect(health.status == .ok && health.body.readableBytes == 0)
            #expect(try await web.call(.head, "/no-such-page").status == .notFound)
        }
    }
}
