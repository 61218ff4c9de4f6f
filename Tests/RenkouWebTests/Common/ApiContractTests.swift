import Foundation
import HTTPTypes
import RenkouCore
import RenkouStore
import RenkouTestSupport
import RenkouWeb
import Testing

@Suite struct ApiContractTests {
    @Test(arguments: TestEngine.all) func badInputGetsProblemDetailsAndWritesNothing(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let token = try await web.token("worker")
            let auditBefore = try await web.stores.audit.search(AuditQuery(), in: .everything).total
            let cases: [(body: String, status: Int, code: String, pointers: Set<String>)] = [
                ("{not json", 422, "bad-json", []),
                (#"{"name":5,"idNumber":"\#(Fixture.idNumber(1))","unit":"\#(Fixture.communityA1)"}"#, 422, "validation", ["/name"]),
                (#"{"unit":"\#(Fixture.communityA1)"}"#, 422, "validation", ["/name", "/idNumber"]),
                (#"{"name":"甲","idNumber":"\#(Fixture.idNumber(1))","unit":"999999"}"#, 422, "validation", ["/unit"]),
                (#"{"name":"甲","idNumber":"\#(Fixture.idNumber(1))","unit":"\#(Fixture.communityB1)"}"#, 422, "validation", ["/unit"]),
                (#"{"name":"甲","idNumber":"310114198503120010","unit":"\#(Fixture.communityA1)"}"#, 422, "validation", ["/idNumber"]),
                (#"{"name":""# + String(repeating: "长", count: 70_000) + #""}"#, 413, "too-large", []),
            ]
            for c in cases {
                let response = try await web.call(.post, "/api/v1/persons", token: token, json: c.body)
                #expect(response.status.code == c.status, "\(c.code) \(c.pointers)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let problem = try response.jsonObject()
                #expect(problem["code"] as? String == c.code)
                let messages = problem["messages"] as? [String: String]
                #expect(messages?["zh-Hans"]?.isEmpty == false && messages?["en"]?.isEmpty == false)
                let pointers = Set((problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
                #expect(pointers == c.pointers)
                for e in problem["errors"] as? [[String: Any]] ?? [] {
                    let m = e["messages"] as? [String: String]
                    #expect(m?["zh-Hans"]?.isEmpty == false && m?["en"]?.isEmpty == false)
                }
            }
            #expect(try await web.stores.persons.count(in: .everything) == 0)
            #expect(try await web.stores.audit.search(AuditQuery(), in: .everything).total == auditBefore)
        }
    }

    @Test(arguments: TestEngine.all) func tokensAreRequiredAndRevocable(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            #expect(try await web.call(.get, "/api/v1/persons").status == .unauthorized)
            #expect(try await web.call(.get, "/api/v1/persons", token: "rk_forged").status == .unauthorized)
            let (token, secret) = try await web.stores.accounts.createToken(username: "worker", label: "t", in: .everything, by: .cli())
            #expect(try await web.call(.get, "/api/v1/me", token: secret).status == .ok)
            try await web.stores.accounts.revokeToken(token.id, in: .everything, by: .cli())
            let revoked = try await web.call(.get, "/api/v1/me", token: secret)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            // the viewer reads but does not write
            try await Fixture.account(web.stores, "leader", .viewer, Fixture.district)
            let viewer = try await web.token("leader")
            #expect(try await web.call(.get, "/api/v1/persons", token: viewer).status == .forbidden)   // leaders see figures, not people
            let write = try await web.call(.post, "/api/v1/persons", token: viewer, json: #"{"name":"甲","idNumber":"\#(Fixture.idNumber(9))","unit":"\#(Fixture.communityA1)"}"#)
            #expect(write.status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.all) func readingAPersonIsAuditedAndSearchable(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "bureau", .district, Fixture.district)
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let worker = try await web.token("worker")
            let created = try await web.call(.post, "/api/v1/persons", token: worker, json: #"{"name":"赵敏","idNumber":"\#(Fixture.idNumber(4))","unit":"\#(Fixture.communityA1)"}"#)
            let id = try #require(try created.jsonObject()["id"] as? String)
            #expect(try await web.call(.get, "/api/v1/persons/\(id)", token: worker).status == .ok)
            let browser = try await web.signIn("worker")
            #expect(try await browser.get("/persons/\(id)").status == .ok)
            // the district's audit view shows two reads by the worker, and the worker may not read the audit log
            let bureau = try await web.token("bureau")
            let audit = try await web.call(.get, "/api/v1/audit?entity=person&entityId=\(id)&action=read", token: bureau)
            let items = try audit.jsonObject()["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            #expect(items.allSatisfy { $0["username"] as? String == "worker" })
            #expect(try await web.call(.get, "/api/v1/audit", token: worker).status == .forbidden)
            // the audit page filters the same way
            let page = try await (try await web.signIn("bureau")).get("/audit?entity=person&entityId=\(id)&action=read")
            #expect(page.status == .ok)
            #expect(page.text.contains("共 2 条"))
        }
    }

    @Test func openAPIDocumentMatchesTheRegisteredRoutes() async throws {
        try await withWeb(.sqlite) { web in
            let response = try await web.call(.get, "/api/openapi.json")
            let doc = try response.jsonObject()
            #expect(doc["openapi"] as? String == "3.1.0")
            var documented = Set<APIRoutes.Route>(), needsQuery = Set<String>()
            for (path, item) in doc["paths"] as? [String: [String: Any]] ?? [:] {
                for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert(APIRoutes.Route(method: method, path: path))
                    let parameters = (item[method] as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
                    if method == "get", parameters.contains(where: { $0["in"] as? String == "query" && $0["required"] as? Bool == true }) { needsQuery.insert(path) }
                }
            }
            let registered = Set(web.api.registered)
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented))")
            #expect(documented.subtracting(registered).isEmpty, "documented but missing: \(documented.subtracting(registered))")
            #expect(registered.count >= 10)
            // every documented route answers with something other than "no such route"
            let admin = try await Fixture.account(web.stores, "admin", .admin, Fixture.district)
            let token = try await web.token(admin.username)
            for route in registered where route.method == "get" {
                let uri = route.path.replacingOccurrences(of: "{id}", with: UUID().uuidString).replacingOccurrences(of: "{code}", with: Fixture.district)
                let r = try await web.call(.get, uri, token: token)
                if r.status != .ok {
                    let code = try r.jsonObject()["code"] as? String
                    // asked without the query parameters its document requires: refused before the handler, naming them
                    if needsQuery.contains(route.path) { #expect(r.status.code == 422 && code == "validation", "\(uri) → \(r.status)"); continue }
                    // an unknown record, (reproductive-health details: a person's services, pre-pregnancy checks) a permission the administrator
                    // lacks, or the legacy fee ledger this deployment does not keep
                    #expect(code == "not-found" || (code == "forbidden" && (uri.hasSuffix("/services") || uri.hasSuffix("/prepregnancy-checks")))
                            || (code == "ledger-off" && uri.hasPrefix("/api/v1/fees")), "\(uri) → \(r.status)")
                }
            }
        }
    }
}

@Suite struct IDNumberAPITests {
    @Test(arguments: TestEngine.all) func idNumbersAreCheckedAgainstTheLoadedCodeTable(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let token = try await web.token("worker")
            // before a code table is loaded: no address warnings
            let plain = try await web.call(.get, "/api/v1/id-numbers/11010519491231002X", token: token).jsonObject()
            #expect(plain["valid"] as? Bool == true)
            #expect((plain["warnings"] as? [Any])?.isEmpty == true)
            // load the table
            let report = try await web.stores.orgs.importFile(at: Fixture.areaCodes, in: .everything, by: .cli())
            #expect(report.rejected == 0)
            let known = try await web.call(.get, "/api/v1/id-numbers/11010519491231002X", token: token).jsonObject()
            #expect(known["addressName"] as? String == "朝阳区")
            #expect(known["birthDate"] as? String == "1949-12-31" && known["sex"] as? Int == 2)
            // 362324 was abandoned in 2000 but still stands in real numbers: valid, named, no error
            let old = "36232419700101001"
            let oldCheck = try await web.call(.get, "/api/v1/id-numbers/\(old)\(CitizenID.checkCharacter(old)!)", token: token).jsonObject()
            #expect(oldCheck["valid"] as? Bool == true && oldCheck["addressName"] as? String == "铅山县")
            // a 15-digit number is upgraded; a code the table lacks only warns; a bad check character is an error
            let fifteen = try await web.call(.get, "/api/v1/id-numbers/110105491231002", token: token).jsonObject()
            #expect(fifteen["normalized"] as? String == "11010519491231002X")
            let unknownBase = "31999919800101001"
            let unknown = try await web.call(.get, "/api/v1/id-numbers/\(unknownBase)\(CitizenID.checkCharacter(unknownBase)!)", token: token).jsonObject()
            #expect(unknown["valid"] as? Bool == true)
            #expect(((unknown["warnings"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String } == ["id-address-unknown"])
            let wrong = try await web.call(.get, "/api/v1/id-numbers/110105194912310021", token: token).jsonObject()
            #expect(wrong["valid"] as? Bool == false)
            #expect(((wrong["errors"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String } == ["id-checksum"])
            // it needs an account like every API call
            #expect(try await web.call(.get, "/api/v1/id-numbers/11010519491231002X").status == .unauthorized)
        }
    }
}

@Suite struct PersonExportTests {
    @Test(arguments: TestEngine.all) func exportsAreScopedMaskableAndAudited(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "office-a", .street, Fixture.streetA)
            var a = PersonInput(name: "张三明", idNumber: Fixture.idNumber(1), unit: Fixture.communityA1)
            a.phone = "13812345678"; a.address = "白银路 1 号, 3 室"
            try await web.stores.persons.create(a, in: .everything, by: .cli())
            try await web.stores.persons.create(PersonInput(name: "李四海", idNumber: Fixture.idNumber(3), unit: Fixture.communityB1), in: .everything, by: .cli())
            let token = try await web.token("office-a")
            // by default masked: no name, ID number or phone in clear, the street's people only
            let masked = try await web.call(.get, "/api/v1/persons/export", token: token)
            #expect(masked.status == .ok && masked.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(masked.text.contains("张*明") && masked.text.contains("3101**********") && masked.text.contains("138****5678"))
            #expect(!masked.text.contains("张三明") && !masked.text.contains(Fixture.idNumber(1)) && !masked.text.contains("13812345678"))
            #expect(!masked.text.contains("李*海"))
            // in clear only with a stated purpose
            let noReason = try await web.call(.get, "/api/v1/persons/export?full=1", token: token)
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("reason-required"))
            let plain = try await web.call(.get, "/api/v1/persons/export?full=1&reason=%E6%8A%A5%E9%80%81%E5%8C%BA%E7%BB%9F%E8%AE%A1%E5%B1%80", token: token)
            #expect(plain.status == .ok)
            let lines = plain.text.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines[0] == "\u{FEFF}姓名,公民身份号码,性别,出生日期,民族,户口性质,婚姻状况,初婚日期,现居住地址,联系电话,单位代码,单位,人口类别,人员状态")
            // long numbers as ="…", which a spreadsheet keeps as text (and saves back as the plain digits)
            #expect(lines[1].hasPrefix("张三明,=\"\(Fixture.idNumber(1))\",男,1985-03-12,") && lines[1].contains("\"白银路 1 号, 3 室\"") && lines[1].contains("13812345678"))
            #expect(!plain.text.contains("李四海"))
            // a community worker and a leader may not have it in clear, reason or not
            for (user, role, unit) in [("worker-x", Role.community, Fixture.communityA1), ("leader-x", Role.viewer, Fixture.district)] {
                try await Fixture.account(web.stores, user, role, unit)
                let refused = try await web.call(.get, "/api/v1/persons/export?full=1&reason=x", token: try await web.token(user))
                #expect(refused.status == .forbidden, "\(user)")
            }
            // a unit outside the scope is refused before anything is sent
            let outside = try await web.call(.get, "/api/v1/persons/export?unit=\(Fixture.communityB1)", token: token)
            #expect(outside.status == .unprocessableContent)
            // each export is in the audit log: masked or not, the purpose, how many rows
            let exports = try await web.stores.audit.search(AuditQuery(action: "export"), in: .everything)
            #expect(exports.total == 2)
            #expect(exports.items.map { $0.after?.contains("\"masked\":\"1\"") == true } == [false, true])
            #expect(exports.items[0].after?.contains("报送区统计局") == true && exports.items[0].after?.contains("\"shown\":\"1\"") == true)
            // the page's export keeps the current filters, masked; the form for names in clear carries them too
            let page = try await (try await web.signIn("office-a")).get("/persons?name=%E5%BC%A0&sex=1")
            #expect(page.text.contains("/persons/export.csv?name=%E5%BC%A0&amp;sex=1\""))
            #expect(page.text.contains(#"id="export-full""#) && page.text.contains(#"<input type="hidden" name="sex" value="1">"#))
            #expect(page.text.contains("将导出 1 行"))
        }
    }

    /// The API answers as its OpenAPI document says before any handler runs: a method the document does not
    /// give a path is 405 with `Allow`; a query parameter that breaks its schema is 422 naming it, in both
    /// languages; an id in the path that is not a UUID names nothing (404); a required body field left out
    /// is "required" at its pointer, not "bad JSON".
    @Test(arguments: TestEngine.all) func requestsAreHeldToTheDocument(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            try await Fixture.account(web.stores, "worker", .community, Fixture.communityA1)
            let token = try await web.token("worker")
            for method in [HTTPRequest.Method.delete, .put, .trace] {
                let r = try await web.call(method, "/api/v1/persons", token: token)
                #expect(r.status.code == 405, "\(method)")
                #expect(r.headers[.allow] == "GET, HEAD, POST")
                #expect(try r.jsonObject()["code"] as? String == "method-not-allowed")
            }
            let cases: [(query: String, pointer: String, code: String)] = [
                ("limit=abc", "/limit", "wrong-type"), ("limit=0", "/limit", "range"), ("limit=501", "/limit", "range"),
                ("offset=-1", "/offset", "range"), ("limit=5&limit=6", "/limit", "repeated"), ("ageMin=200", "/ageMin", "range"),
            ]
            for c in cases {
                let r = try await web.call(.get, "/api/v1/persons?\(c.query)", token: token)
                #expect(r.status.code == 422, "\(c.query)")
                let errors = try r.jsonObject()["errors"] as? [[String: Any]] ?? []
                #expect(errors.map { $0["pointer"] as? String } == [c.pointer], "\(c.query)")
                #expect(errors.first?["code"] as? String == c.code, "\(c.query)")
                let m = errors.first?["messages"] as? [String: String]
                #expect(m?["zh-Hans"]?.contains("参数") == true && m?["en"]?.contains("parameter") == true)
            }
            #expect(try await web.call(.get, "/api/v1/persons?limit=5&offset=0", token: token).status == .ok)
            #expect(try await web.call(.get, "/api/v1/reports?month=2026-13", token: token).status.code == 422)
            #expect(try await web.call(.get, "/api/v1/persons/not-an-id", token: token).status == .notFound)
            // U+0000 in a text (which PostgreSQL cannot store) is refused at its place, in a body and in a query
            let nul = try await web.call(.post, "/api/v1/persons", token: token,
                                         json: #"{"name":"甲\u0000乙","idNumber":"\#(Fixture.idNumber(1))","unit":"\#(Fixture.communityA1)"}"#)
            #expect(nul.status.code == 422)
            let nulErrors = try nul.jsonObject()["errors"] as? [[String: Any]] ?? []
            #expect(nulErrors.first?["pointer"] as? String == "/name" && nulErrors.first?["code"] as? String == "nul-character")
            #expect(try await web.call(.get, "/api/v1/persons?name=%E7%94%B2%00", token: token).status.code == 422)
            #expect(try await web.stores.persons.count(in: .everything) == 0)
            // a number past PostgreSQL's integer columns is refused on both engines alike, at its place
            let big = try await web.call(.post, "/api/v1/hosts", token: token,
                                         json: #"{"kind":"employer","name":"甲厂","unit":"\#(Fixture.communityA1)","staffCount":3000000000}"#)
            #expect(big.status.code == 422)
            let bigErrors = try big.jsonObject()["errors"] as? [[String: Any]] ?? []
            #expect(bigErrors.first?["pointer"] as? String == "/staffCount" && bigErrors.first?["code"] as? String == "number-out-of-range")
            // a body without its required list: the field is named, nothing is written
            let missing = try await web.call(.post, "/api/v1/outreach/activities/\(UUID().uuidString)/attendees", token: token, json: "{}")
            #expect(missing.status.code == 422)
            let errors = try missing.jsonObject()["errors"] as? [[String: Any]] ?? []
            #expect(errors.first?["pointer"] as? String == "/attendees" && errors.first?["code"] as? String == "required")
        }
    }
}
