import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

@Suite struct MigrantWebTests {
    static func woman(_ stores: Stores, _ name: String, _ n: Int) async throws -> Person {
        try await stores.persons.create(PersonInput(name: name, idNumber: Fixture.idNumber(n, birth: "19950312"), unit: Fixture.communityA1), in: .everything, by: .cli())
    }

    static func multipart(_ browser: Browser, _ uri: String, fields: [String: String], file: (field: String, name: String, data: Data)?) async throws -> TestResponse {
        let boundary = "----renkou-migrant-boundary"
        var body = Data()
        for (k, v) in fields.merging(["_csrf": browser.csrf], uniquingKeysWith: { a, _ in a }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        if let file {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return try await browser.web.client.execute(uri: uri, method: .post, headers: [.cookie: browser.cookies, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                    body: ByteBuffer(data: body))
    }

    @Test(arguments: TestEngine.all) func thePublicPageNeverShowsANameOrIDNumberInAnyState(engine: TestEngine) async throws {
        try await withWeb(engine, policy: Fixture.stillIssuingCertificates) { web in
            let stores = web.stores, today = Day(stores.env.now())
            // one certificate in each state: valid, replaced, revoked, expired
            var tokens: [Certificate.State: String] = [:]
            var people: [Person] = []
            for (i, name) in ["欧阳晓明", "王秀兰", "李春花"].enumerated() {
                let p = try await Self.woman(stores, name, 2 * i + 2); people.append(p)
                var input = CertificateInput(); input.person = p.id.text; input.contraception = "iud"; input.leaving = true
                if i == 2 { input.number = "外-1"; input.office = "成都市锦江区"; input.issuedOn = "2022-01-01"; input.validUntil = today.adding(days: -1).description }
                let c = try await stores.certificates.create(i == 2 ? .registered : .issued, input, in: .everything, by: .cli())
                switch i {
                case 0:
                    let v2 = try await stores.certificates.reissue(c.id, contraception: "condom", children: nil, reason: "变更", in: .everything, by: .cli())
                    tokens[.replaced] = c.token; tokens[.valid] = v2.token
                case 1:
                    try await stores.certificates.revoke(c.id, reason: "错发", in: .everything, by: .cli()); tokens[.revoked] = c.token
                default: tokens[.expired] = c.token
                }
            }
            #expect(tokens.count == Certificate.State.allCases.count)
            for (state, token) in tokens {
                // no login, no cookie: the page answers with the state and masked facts only
                let page = try await web.call(.get, "/public/verify/\(token)")
                let holder = people.first { page.text.contains(Mask.name($0.name)) }
                #expect(page.status == .ok, "\(state)")
                #expect(page.text.contains("state-\(state.rawValue)"), "\(state)")
                let p = try #require(holder, "\(state): no masked name on the page")
                #expect(page.text.contains(Mask.idNumber(p.idNumber)))
                for q in people {
                    #expect(!page.text.contains(q.name) && !page.text.contains(q.idNumber!) && !page.text.contains(String(q.idNumber!.dropFirst(6).prefix(8))), "\(state) leaks \(q.name)")
                }
                #expect(!page.text.contains("上环") && !page.text.contains("避孕"), "\(state) shows contraception")
                let json = try await web.call(.get, "/api/v1/public/certificates/\(token)")
                #expect(json.status == .ok && !json.text.contains(p.name) && !json.text.contains(p.idNumber!) && json.text.contains("\"state\":\"\(state.rawValue)\""))
            }
            // an unknown token: 404, nothing more; every lookup was counted
            let unknown = try await web.call(.get, "/public/verify/AAAAAAAAAAAAAAAAAAAAAA")
            #expect(unknown.status == .notFound && unknown.text.contains("未找到该证明"))
            let counts = try await stores.certificates.lookupCounts()
            #expect(counts.reduce(0) { $0 + $1.found } == 8 && counts.reduce(0) { $0 + $1.notFound } == 1)
            // the page is rate-limited per client
            var last = unknown
            for _ in 0..<40 { last = try await web.call(.get, "/public/verify/\(tokens[.valid]!)"); if last.status == .tooManyRequests { break } }
            #expect(last.status == .tooManyRequests)
        }
    }

    @Test(arguments: TestEngine.all) func aWorkerRecordsAStayIssuesACertificateAndUploadsARoster(engine: TestEngine) async throws {
        try await withWeb(engine, policy: Fixture.stillIssuingCertificates) { web in
            let stores = web.stores
            try await Fixture.account(stores, "worker-a1", .community, Fixture.communityA1)
            try await Fixture.account(stores, "leader", .viewer, Fixture.district)
            let browser = try await web.signIn("worker-a1")
            let p = try await Self.woman(stores, "张晓明", 2)
            // a landlord through the form
            let created = try await browser.post("/hosts/new", ["kind": "landlord", "name": "李房东", "unit": Fixture.communityA1, "address": "白银路 9 号"])
            #expect(created.status == .seeOther)
            let hostPath = try #require(created.headers[.location])
            // a stay with that landlord: the person page shows it and the roster has her
            let hostID = String(hostPath.dropFirst("/hosts/".count))
            let stay = try await browser.post("/persons/\(p.id.text)/stays", ["kind": "inflow", "since": "2026-03-01", "region": "510104", "place": "成都", "reason": "work", "host": hostID])
            #expect(stay.status == .seeOther)
            let personPage = try await browser.get("/persons/\(p.id.text)")
            #expect(personPage.text.contains("id=\"stays\"") && personPage.text.contains("李房东") && personPage.text.contains("流入人口"))
            // a bad stay (future date, bad kind) comes back with the fields marked and nothing saved
            let bad = try await browser.post("/persons/\(p.id.text)/stays", ["kind": "abroad", "since": "2099-01-01"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("e-kind") && bad.text.contains("e-since"))
            // issuing asks to check her facts and to confirm; without the confirmation nothing is issued
            let form = try await browser.get("/certificates/new?person=\(p.id.text)&side=issued")
            #expect(form.text.contains(#"id="holder-facts""#) && form.text.contains(#"id="f-confirm""#))
            let unconfirmed = try await Self.multipart(browser, "/certificates/new?person=\(p.id.text)&side=issued", fields: ["issuedOn": Day(stores.env.now()).description, "leaving": "1"], file: nil)
            #expect(unconfirmed.status == .unprocessableContent && unconfirmed.text.contains(#"id="e-confirm""#))
            #expect(try await stores.certificates.list(person: p.id, limit: 5, in: .everything, by: .cli()).total == 0)
            // issue a certificate: the page shows the QR code and her contraception to the community worker
            let issue = try await Self.multipart(browser, "/certificates/new?person=\(p.id.text)&side=issued", fields: ["issuedOn": Day(stores.env.now()).description, "contraception": "iud", "leaving": "1", "confirm": "1"], file: nil)
            #expect(issue.status == .seeOther)
            let certPath = try #require(issue.headers[.location])
            let cert = try await browser.get(certPath)
            #expect(cert.status == .ok && cert.text.contains("<svg") && cert.text.contains("/public/verify/") && cert.text.contains("上环"))
            // a leader (read only) sees no person's certificate, and cannot verify
            let leader = try await web.signIn("leader")
            let seen = try await leader.get(certPath)
            #expect(seen.status == .forbidden && !seen.text.contains("上环") && !seen.text.contains("verify-form"))
            #expect(try await leader.post(certPath + "/checks", ["result": "genuine"]).status == .forbidden)
            // verify: the rate page counts it
            #expect(try await browser.post(certPath + "/checks", ["result": "genuine", "checkedOn": Day(stores.env.now()).description]).status == .seeOther)
            let rates = try await browser.get("/migrants")
            #expect(rates.status == .ok && rates.text.contains("婚育证明验证率") && rates.text.contains("100.0%"))
            // print views
            #expect(try await browser.get(certPath + "/print?format=card").text.contains("card-size"))
            // roster upload with one unknown tenant and one bad row
            let csv = "姓名,公民身份号码,房号\n张晓明,\(p.idNumber!),302\n陈新来,\(Fixture.idNumber(40, birth: "19990101")),303\n坏行,123,304\n"
            let upload = try await Self.multipart(browser, hostPath + "/roster/upload", fields: [:], file: ("file", "花名册.csv", Data(csv.utf8)))
            #expect(upload.status == .ok)
            #expect(upload.text.contains("id=\"r-read\">3<") && upload.text.contains("id=\"r-kept\">1<") && upload.text.contains("id=\"r-unregistered\">1<") && upload.text.contains("id=\"r-rejected\">1<"))
            // the unknown tenant is a registration task on the list, with a link to register her: the
            // person form, filled in from the roster and the landlord
            let tasks = try await browser.get("/tasks")
            let registerLink = "\(hostPath)/register?idNumber=\(Fixture.idNumber(40, birth: "19990101"))"
            #expect(tasks.text.contains("陈新来") && tasks.text.contains("task-register") && tasks.text.contains(registerLink))
            let prefill = try await browser.get(registerLink)
            #expect(prefill.status == .ok && prefill.text.contains(#"id="form-intro""#) && prefill.text.contains(#"action="/persons/new""#))
            #expect(prefill.text.contains(#"<option value="inflow" selected>"#) && prefill.text.contains(#"name="room" type="text" value="303""#))
            // an agreement with a scan; the landlord leaves the "without agreement" list
            #expect(try await browser.get("/hosts?without=1").text.contains("李房东"))
            let agreement = try await Self.multipart(browser, hostPath + "/agreements", fields: ["signedOn": Day(stores.env.now()).description, "expiresOn": "2028-12-31"],
                                                     file: ("scan", "协议.pdf", Data("%PDF-1.4 test".utf8)))
            #expect(agreement.status == .seeOther)
            let host = try await browser.get(hostPath)
            #expect(host.text.contains("2028-12-31") && host.text.contains("协议.pdf"))
            #expect(!(try await browser.get("/hosts?without=1")).text.contains("李房东"))
            // another community's worker gets 404 for the landlord and the certificate
            try await Fixture.account(stores, "worker-b1", .community, Fixture.communityB1)
            let other = try await web.signIn("worker-b1")
            #expect(try await other.get(hostPath).status == .notFound)
            #expect(try await other.get(certPath).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.all) func theAPICoversStaysCertificatesHostsTasksAndRates(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let stores = web.stores
            try await Fixture.account(stores, "office-a", .street, Fixture.streetA)
            try await Fixture.account(stores, "doctor", .provider, Fixture.streetA)
            let token = try await web.token("office-a"), doctor = try await web.token("doctor")
            let p = try await Self.woman(stores, "赵敏", 8)
            let host = try await web.call(.post, "/api/v1/hosts", token: token, json: #"{"kind":"employer","name":"某电子厂","unit":"\#(Fixture.communityA1)","staffCount":150}"#)
            #expect(host.status == .created)
            let hostID = try #require(try host.jsonObject()["id"] as? String)
            let stay = try await web.call(.post, "/api/v1/stays", token: token, json: #"{"person":"\#(p.id.text)","kind":"inflow","since":"2026-05-01","host":"\#(hostID)"}"#)
            #expect(stay.status == .created)
            let detail = try await web.call(.get, "/api/v1/hosts/\(hostID)", token: token).jsonObject()
            #expect((detail["roster"] as? [[String: Any]])?.count == 1)
            // a certificate: the street office (not a service role) gets no contraception; the provider does
            let cert = try await web.call(.post, "/api/v1/certificates", token: token, json: #"{"side":"registered","person":"\#(p.id.text)","number":"川-2025-1","office":"成都","issuedOn":"2025-01-01","contraception":"iud"}"#)
            #expect(cert.status == .created)
            let certID = try #require((try cert.jsonObject()["certificate"] as? [String: Any])?["id"] as? String)
            let stored = try await stores.certificates.certificate(UUID(uuidString: certID)!, in: .everything, by: .cli())
            #expect(stored.contraception == nil)   // the street office may not record it either
            // validation: every bad field at once, problem+json
            let bad = try await web.call(.post, "/api/v1/certificates", token: token, json: #"{"side":"registered","person":"\#(p.id.text)","issuedOn":"2099-01-01"}"#)
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(bad.text.contains("/number") && bad.text.contains("/office") && bad.text.contains("/issuedOn"))
            #expect(try await web.call(.post, "/api/v1/certificates/\(certID)/checks", token: token, json: #"{"result":"genuine"}"#).status == .created)
            // rates and the records behind them
            let rates = try await web.call(.get, "/api/v1/migrants/rates?unit=\(Fixture.streetA)", token: token).jsonObject()
            let figures = (rates["unit"] as? [String: Any])?["figures"] as? [[String: Any]] ?? []
            let verification = figures.first { $0["code"] as? String == MigrantIndicator.certificateVerification.code }
            #expect(verification?["numerator"] as? Int == 1 && verification?["denominator"] as? Int == 1)
            let gaps = try await web.call(.get, "/api/v1/migrants/rates/\(MigrantIndicator.employerAgreements.code)/records?unit=\(Fixture.streetA)", token: token).jsonObject()
            #expect((gaps["items"] as? [[String: Any]])?.first?["name"] as? String == "某电子厂")
            // tasks: a home visit, closed with its outcome
            let task = try await web.call(.post, "/api/v1/tasks", token: token, json: #"{"person":"\#(p.id.text)","note":"核实暂住登记"}"#)
            #expect(task.status == .created)
            let taskID = try #require(try task.jsonObject()["id"] as? String)
            let list = try await web.call(.get, "/api/v1/tasks", token: token)
            #expect(list.text.contains(taskID))
            let closed = try await web.call(.post, "/api/v1/tasks/\(taskID)/close", token: token, json: #"{"outcome":"no-change"}"#).jsonObject()
            #expect(closed["open"] as? Bool == false)
            // the provider reads the certificate; the employer is flagged for a staff association (≥ 100)
            #expect(try await web.call(.get, "/api/v1/certificates/\(certID)", token: doctor).status == .ok)
            #expect(MigrantHost.Kind.employer == .employer && (detail["host"] as? [String: Any])?["staffCount"] as? Int == 150)
            // the roster file through the API
            let roster = try await web.client.execute(uri: "/api/v1/hosts/\(hostID)/roster/import", method: .post, headers: [.authorization: "Bearer \(token)"],
                                                      body: ByteBuffer(string: "姓名,身份证号\n赵敏,\(p.idNumber!)\n"))
            let r = try roster.jsonObject()
            #expect((r["read"] as? Int, r["kept"] as? Int, r["departures"] as? Int) == (1, 1, 0))
        }
    }
}

@Suite struct DepartmentFileWebTests {
    @Test(arguments: TestEngine.all) func aPoliceFileThroughThePageProposesAndTheWorkerAccepts(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let stores = web.stores
            try await Fixture.account(stores, "worker-a1", .community, Fixture.communityA1)
            let browser = try await web.signIn("worker-a1")
            let p = try await stores.persons.create(PersonInput(name: "新来者", idNumber: Fixture.idNumber(2, birth: "19950101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let csv = "类型,姓名,公民身份号码,暂住地址,日期\n登记,新来者,\(p.idNumber!),白银路 5 号,2026-10-01\n登记,陌生人,\(Fixture.idNumber(4, birth: "19960101")),白银路 6 号,2026-10-02\n登记,坏行,1,,2026-10-02\n"
            let page = try await MigrantWebTests.multipart(browser, "/migrants/files", fields: ["kind": "police", "unit": Fixture.communityA1], file: ("file", "暂住.csv", Data(csv.utf8)))
            #expect(page.status == .ok)
            for (id, n) in [("d-read", 3), ("d-matched", 0), ("d-proposed", 1), ("d-tasks", 1), ("d-rejected", 1)] {
                #expect(page.text.contains("id=\"\(id)\">\(n)<"), "\(id)")
            }
            #expect(page.text.contains("id=\"proposals\"") && page.text.contains("新来者"))
            // accepting through the page records the stay
            let proposal = try #require(try await stores.departmentFiles.proposals(in: .everything, by: .cli()).first)
            #expect(try await browser.post("/proposals/\(proposal.id.text)/accept", [:]).status == .seeOther)
            #expect(try await stores.persons.read(p.id, in: .everything, by: .cli()).category == "inflow")
            // the API refuses an unknown kind, with problem details
            let token = try await web.token("worker-a1")
            let bad = try await web.client.execute(uri: "/api/v1/department-files?kind=tax&unit=\(Fixture.communityA1)", method: .post,
                                                   headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: csv))
            #expect(bad.status == .unprocessableContent && bad.text.contains("/kind"))
            let ok = try await web.client.execute(uri: "/api/v1/department-files?kind=police&unit=\(Fixture.communityA1)", method: .post,
                                                  headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: csv))
            let r = try ok.jsonObject()
            #expect((r["read"] as? Int, r["matched"] as? Int, r["tasks"] as? Int, r["rejected"] as? Int) == (3, 1, 1, 1))
        }
    }
}
