import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct MigrantStoreTests {
    /// A woman of reproductive age registered in community A1 (even sequence numbers are women).
    func woman(_ stores: Stores, _ name: String, _ n: Int, birth: String = "19950312", unit: String = Fixture.communityA1) async throws -> Person {
        var input = PersonInput(name: name, idNumber: Fixture.idNumber(n, birth: birth), unit: unit)
        input.hukouRegion = "510000"
        return try await stores.persons.create(input, in: .everything, by: .cli())
    }

    func scope(_ stores: Stores, _ code: String) async throws -> Scope {
        Scope(path: try #require(try await stores.orgs.unit(code: code, in: .everything)).path)
    }

    func landlord(_ stores: Stores, _ name: String, unit: String = Fixture.communityA1, kind: String = "landlord") async throws -> MigrantHost {
        var h = HostStore.Input(); h.kind = kind; h.name = name; h.unit = unit; h.address = "白银路 1 号"
        return try await stores.hosts.create(h, in: .everything, by: .cli())
    }

    func count(_ stores: Stores, _ sql: String) async throws -> Int {
        try await stores.db.read { try await $0.raw(SQLQueryString(sql)).first()!.decode(column: "n", as: Int.self) }
    }

    @Test(arguments: TestEngine.all) func aStayMakesAMigrantAndPutsHerOnTheRoster(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let p = try await woman(stores, "张晓明", 2)
            let host = try await landlord(stores, "李房东")
            // open: inflow from Sichuan, with the landlord
            var input = StayInput(); input.person = p.id.text; input.kind = "inflow"; input.since = "2026-03-01"; input.region = "510104"
            input.place = "成都市锦江区"; input.reason = "work"; input.host = host.id.text; input.address = "白银路 1 号 302 室"
            let stay = try await stores.stays.open(input, in: .everything, by: .cli("worker"))
            let after = try await stores.persons.read(p.id, in: .everything, by: .cli())
            #expect(after.category == "inflow" && after.address == "白银路 1 号 302 室")
            #expect(try await stores.rosters.roster(of: host.id, in: .everything, by: .cli()).map(\.personID) == [p.id])
            #expect(try await count(stores, "SELECT COUNT(*) AS n FROM domain_events WHERE type = 'stay-opened'") == 1)
            // a second open stay is refused and changes nothing
            let refused = await #expect { try await stores.stays.open(input, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "stay-open") } as? RenkouError
            #expect(refused?.code == "stay-open")
            #expect(try await count(stores, "SELECT COUNT(*) AS n FROM stays") == 1)
            // bad input: every field reported at once
            var bad = StayInput(); bad.kind = "abroad"; bad.since = "2099-01-01"; bad.region = "51"
            let invalid = await #expect { try await stores.stays.open(bad, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "validation") } as? RenkouError
            #expect(Set(invalid?.fields.map(\.pointer) ?? []) == ["/person", "/kind", "/since", "/region"])
            #expect(Set(invalid?.fields.map { "\($0.pointer) \($0.code)" } ?? []) == ["/person required", "/kind code-unknown", "/since future-date", "/region region-code"])
            // another community's worker cannot see or close it
            let other = try await scope(stores, Fixture.communityB1)
            #expect(try await stores.stays.stays(of: p.id, in: other).isEmpty)
            await #expect { try await stores.stays.close(stay.id, on: Day(year: 2026, month: 10, day: 1)!, endPlace: nil, in: other, by: .cli()) }
                throws: { isRenkouError($0, code: "not-found") }
            // close: she has left; the roster entry ends with her stay
            try await stores.stays.close(stay.id, on: Day(year: 2026, month: 10, day: 1)!, endPlace: "苏州", in: .everything, by: .cli())
            #expect(try await stores.persons.read(p.id, in: .everything, by: .cli()).status == "moved-away")
            #expect(try await stores.rosters.roster(of: host.id, in: .everything, by: .cli()).isEmpty)
            let history = try await stores.stays.stays(of: p.id, in: .everything)
            #expect(history.count == 1 && history[0].until == "2026-10-01" && history[0].endPlace == "苏州" && history[0].hostName == "李房东")
        }
    }

    @Test(arguments: TestEngine.all) func certificatesAreVersionedAndThePublicSeesOnlyMaskedFacts(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(engine, clock: clock, policy: Fixture.stillIssuingCertificates) { stores in
            try await Fixture.tree(stores)
            let p = try await woman(stores, "张晓明", 4)
            let today = Day(clock.now)
            // issue: number generated, three years of validity (the rule in force), snapshot of her record
            var input = CertificateInput(); input.person = p.id.text; input.contraception = "iud"
            // she lives at home: issued here only when she is about to leave
            await #expect { try await stores.certificates.create(.issued, input, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/leaving", code: "not-away") }
            input.leaving = true
            let c = try await stores.certificates.create(.issued, input, in: .everything, by: .cli("worker"))
            #expect(c.version == 1 && c.number.hasPrefix(Fixture.communityA1 + "-\(today.year)-") && c.name == "张晓明")
            #expect(c.validUntil == today.adding(years: 3).adding(days: -1).description && c.state(on: today) == .valid)
            #expect(c.token.count >= 22)
            // a second one while the first is valid is refused; a man gets none
            await #expect { try await stores.certificates.create(.issued, input, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "certificate-valid") }
            let man = try await stores.persons.create(PersonInput(name: "王强", idNumber: Fixture.idNumber(5, birth: "19900101"), unit: Fixture.communityA1), in: .everything, by: .cli())
            var forMan = CertificateInput(); forMan.person = man.id.text
            let notWRA = await #expect { try await stores.certificates.create(.issued, forMan, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/person", code: "not-wra") } as? RenkouError
            #expect(notWRA?.fields.first?.code == "not-wra")
            // the public lookup: masked name and ID number, counted
            let view = try #require(try await stores.certificates.publicLookup(token: c.token))
            #expect(view.maskedName == "张*明" && view.maskedIDNumber == Mask.idNumber(p.idNumber!) && !view.maskedIDNumber.contains(p.idNumber!.dropFirst(4).prefix(10)))
            #expect(view.state == .valid)
            #expect(try await stores.certificates.publicLookup(token: "not-a-real-token") == nil)
            #expect(try await stores.certificates.certificate(c.id, in: .everything, by: .cli()).lookups == 1)
            let counts = try await stores.certificates.lookupCounts()
            #expect(counts.count == 1 && counts[0].found == 1 && counts[0].notFound == 1)
            // a reissue with a negative number of children is refused and writes nothing
            await #expect { try await stores.certificates.reissue(c.id, contraception: nil, children: -1, reason: "x", in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/children", code: "negative") }
            #expect(try await stores.certificates.list(person: p.id, in: .everything, by: .cli()).total == 1)
            // reissue after a change: version 2, same number; the old one says replaced
            let v2 = try await stores.certificates.reissue(c.id, contraception: "condom", children: nil, reason: "更换避孕方式", in: .everything, by: .cli())
            #expect(v2.version == 2 && v2.number == c.number && v2.contraception == "condom" && v2.token != c.token)
            #expect(try await stores.certificates.publicLookup(token: c.token)?.state == .replaced)
            // revoke with a reason
            await #expect { try await stores.certificates.revoke(v2.id, reason: " ", in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/reason", code: "required") }
            try await stores.certificates.revoke(v2.id, reason: "信息有误", in: .everything, by: .cli())
            #expect(try await stores.certificates.publicLookup(token: v2.token)?.state == .revoked)
            // a registered certificate from elsewhere expires when its validity ends
            let q = try await woman(stores, "李四妹", 6)
            var registered = CertificateInput(); registered.person = q.id.text; registered.number = "510104-2024-00077"; registered.office = "成都市锦江区卫健局"
            registered.issuedOn = "2024-01-10"; registered.validUntil = today.adding(days: 5).description
            let r = try await stores.certificates.create(.registered, registered, in: .everything, by: .cli())
            try await stores.certificates.verify(r.id, on: today, result: "genuine", note: nil, in: .everything, by: .cli("checker"))
            #expect(try await stores.certificates.checks(of: r.id, in: .everything).first?.checkedBy == "checker")
            clock.advance(6 * 86_400)
            #expect(try await stores.certificates.publicLookup(token: r.token)?.state == .expired)
        }
    }

    @Test(arguments: TestEngine.all) func rosterUploadMatchesTheRegistryAndTurnsGapsIntoTasks(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let known = try await woman(stores, "赵敏", 8)
            let host = try await landlord(stores, "钱老板", kind: "employer")
            let unknownID = Fixture.idNumber(10, birth: "19980101")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try "姓名,身份证号,部门,入职日期\n赵敏,\(known.idNumber!),车间,2026-01-05\n孙新,\(unknownID),仓库,2026/2/1\n周错,31011419900101,仓库,\n孙新,\(unknownID),仓库,\n".write(to: file, atomically: true, encoding: .utf8)
            let first = try await stores.rosters.importRoster(file: file, host: host.id, in: .everything, by: .cli("worker"))
            #expect(first.read == 4 && first.added == 1 && first.unregistered == 1 && first.rejected == 2 && first.kept == 0)
            #expect(first.read == first.kept + first.added + first.unregistered + first.rejected)
            #expect(first.problems.map(\.row) == [4, 5] && first.problems[1].reason.en.contains("row 3"))
            var tasks = try await stores.tasks.list(on: Day(stores.env.now()), in: .everything, by: .cli())
            #expect(tasks.map(\.kind) == [.register] && tasks[0].idNumber == unknownID && tasks[0].note?.contains("钱老板") == true)
            // the same file again changes nothing and adds no second task
            let again = try await stores.rosters.importRoster(file: file, host: host.id, in: .everything, by: .cli())
            #expect(again.kept == 2 && again.added == 0 && again.departures == 0)
            #expect(try await stores.tasks.list(on: Day(stores.env.now()), in: .everything, by: .cli()).count == 1)
            // registering the unknown person with a stay at this employer settles the registration task
            let sun = try await stores.persons.create(PersonInput(name: "孙新", idNumber: unknownID, unit: Fixture.communityA1), in: .everything, by: .cli())
            var stay = StayInput(); stay.person = sun.id.text; stay.kind = "inflow"; stay.since = "2026-02-01"; stay.host = host.id.text
            try await stores.stays.open(stay, in: .everything, by: .cli())
            #expect(try await stores.tasks.list(on: Day(stores.env.now()), in: .everything, by: .cli()).isEmpty)
            #expect(try await stores.rosters.roster(of: host.id, in: .everything, by: .cli()).count == 2)
            // a roster without 赵敏: she leaves it and a departure check is due
            try "姓名,身份证号\n孙新,\(unknownID)\n".write(to: file, atomically: true, encoding: .utf8)
            let third = try await stores.rosters.importRoster(file: file, host: host.id, in: .everything, by: .cli())
            #expect(third.kept == 1 && third.departures == 1)
            tasks = try await stores.tasks.list(on: Day(stores.env.now()), in: .everything, by: .cli())
            #expect(tasks.map(\.kind) == [.departure] && tasks[0].personID == known.id)
            // a file without the ID-number column is refused whole
            try "姓名,房号\n某某,101\n".write(to: file, atomically: true, encoding: .utf8)
            await #expect { try await stores.rosters.importRoster(file: file, host: host.id, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/header", code: "column-missing") }
            #expect(try await stores.rosters.roster(of: host.id, in: .everything, by: .cli()).count == 1)
            // a roster names people: each look at it is in the audit log, like a person list
            let reads = try await stores.audit.search(AuditQuery(entity: "roster", action: "read"), in: .everything)
            #expect(reads.total >= 2 && reads.items.first?.entityID == host.id.text)
        }
    }

    @Test(arguments: TestEngine.all) func ratesCountLiveAndClickThroughToTheGaps(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let today = Day(clock.now)
            let signed = try await landlord(stores, "有协议房东")
            _ = try await landlord(stores, "无协议房东")
            _ = try await landlord(stores, "另一街道房东", unit: Fixture.communityB1)
            try await stores.hosts.addAgreement(host: signed.id, signedOn: today.adding(days: -10), expiresOn: today.adding(years: 1), scan: nil, in: .everything, by: .cli())
            // two inflow women of reproductive age; one holds a verified certificate
            var women: [Person] = []
            for (i, name) in ["甲女", "乙女"].enumerated() {
                let w = try await woman(stores, name, 20 + 2 * i)
                var s = StayInput(); s.person = w.id.text; s.kind = "inflow"; s.since = "2026-01-01"; s.host = signed.id.text
                try await stores.stays.open(s, in: .everything, by: .cli())
                women.append(w)
            }
            var ci = CertificateInput(); ci.person = women[0].id.text; ci.number = "X-1"; ci.office = "外地"; ci.issuedOn = "2025-06-01"
            let cert = try await stores.certificates.create(.registered, ci, in: .everything, by: .cli())
            let street = Fixture.streetA
            func figure(_ code: String) async throws -> RateFigure {
                try #require(try await stores.migrantRates.summary(unitCode: street, on: today, in: .everything).unit.figures.first { $0.code == code })
            }
            #expect(try await figure(MigrantIndicator.landlordAgreements.code) == RateFigure(code: MigrantIndicator.landlordAgreements.code, numerator: 1, denominator: 2, target: 0.95))
            #expect(try await figure(MigrantIndicator.certificateHolding.code).rate == 0.5)
            #expect(try await figure(MigrantIndicator.certificateVerification.code).rate == 0)
            #expect(try await figure(MigrantIndicator.registration.code).rate == 1)
            // the click-through names the landlord without an agreement, and the woman without a certificate
            let gaps = try await stores.migrantRates.records(MigrantIndicator.landlordAgreements.code, unitCode: street, on: today, in: .everything, by: .cli())
            #expect(gaps.items.map(\.name) == ["无协议房东"])
            let noCert = try await stores.migrantRates.records(MigrantIndicator.certificateHolding.code, unitCode: street, on: today, in: .everything, by: .cli())
            #expect(noCert.items.map(\.id) == [women[1].id] && noCert.items[0].link == "person")
            // a verification moves the rate in the next query
            try await stores.certificates.verify(cert.id, on: today, result: "genuine", note: nil, in: .everything, by: .cli())
            #expect(try await figure(MigrantIndicator.certificateVerification.code).rate == 1)
            // an unknown indicator is a clear error
            await #expect { try await stores.migrantRates.records("M99", unitCode: nil, on: today, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "not-found") }
        }
    }

    @Test(arguments: TestEngine.all) func theTaskListPutsOverdueFirstAndRemindsOfExpiries(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            let today = Day(clock.now)
            let p = try await woman(stores, "刘女", 30)
            let visit = try await stores.tasks.addHomeVisit(person: p.id, due: today.adding(days: -2), note: "派出所暂住登记不符", in: .everything, by: .cli())
            let host = try await landlord(stores, "王房东")
            try await stores.hosts.addAgreement(host: host.id, signedOn: today.adding(years: -1), expiresOn: today.adding(days: 10), scan: nil, in: .everything, by: .cli())
            var ci = CertificateInput(); ci.person = p.id.text; ci.number = "Y-1"; ci.office = "外地"; ci.issuedOn = "2024-01-01"; ci.validUntil = today.adding(days: 20).description
            try await stores.certificates.create(.registered, ci, in: .everything, by: .cli())
            let list = try await stores.tasks.list(on: today, in: .everything, by: .cli())
            #expect(list.map(\.kind) == [.homeVisit, .agreementExpiring, .certificateExpiring])
            #expect(list[0].isOverdue(on: today) && !list[1].isOverdue(on: today))
            // a renewed agreement takes the reminder away
            try await stores.hosts.addAgreement(host: host.id, signedOn: today, expiresOn: today.adding(years: 2), scan: nil, in: .everything, by: .cli())
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).map(\.kind) == [.homeVisit, .certificateExpiring])
            // another community sees none of it
            #expect(try await stores.tasks.list(on: today, in: try await scope(stores, Fixture.communityB1), by: .cli()).isEmpty)
            // closing records the outcome; an unknown outcome is refused
            await #expect { try await stores.tasks.close(visit.id, outcome: "maybe", note: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/outcome", code: "code-unknown") }
            let closed = try await stores.tasks.close(visit.id, outcome: "no-change", note: "已核实", in: .everything, by: .cli("grid"))
            #expect(!closed.open && closed.outcome == "no-change" && closed.closedBy == "grid")
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).map(\.kind) == [.certificateExpiring])
            await #expect { try await stores.tasks.close(visit.id, outcome: "done", note: nil, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, code: "task-closed") }
        }
    }
}

@Suite struct MigrantMergeTests {
    @Test(arguments: TestEngine.all) func aMergedRecordsStaysAndTasksFollowTheKeptRecord(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            // setup: the same woman twice; the second record has an open stay and a home-visit task
            try await Fixture.tree(stores)
            let keep = try await stores.persons.create(PersonInput(name: "周红", idNumber: Fixture.idNumber(11, birth: "19930303"), unit: Fixture.communityA1), in: .everything, by: .cli())
            let drop = try await stores.persons.create(PersonInput(name: "周红", idNumber: Fixture.idNumber(12, birth: "19930303"), unit: Fixture.communityA1), in: .everything, by: .cli())
            var stay = StayInput(); stay.person = drop.id.text; stay.kind = "inflow"; stay.since = "2026-01-01"; stay.region = "510104"
            try await stores.stays.open(stay, in: .everything, by: .cli())
            try await stores.tasks.addHomeVisit(person: drop.id, due: Day("2026-12-01")!, note: nil, in: .everything, by: .cli())
            // act
            try await stores.persons.merge(keep: keep.id, drop: drop.id, in: .everything, by: .cli())
            // assert: nothing was lost with the merged record
            #expect(try await stores.stays.stays(of: keep.id, in: .everything).count == 1)
            let tasks = try await stores.tasks.list(on: Day("2026-11-29")!, in: .everything, by: .cli())
            #expect(tasks.count == 1 && tasks[0].personID == keep.id)
            try await QualityVerdictTests.expectVerdictsCurrent(stores)
        }
    }

    /// The shipped policy follows the 2021 repeal: no certificate is issued here any more, while one
    /// issued elsewhere is still registered.
    @Test(arguments: TestEngine.all) func noCertificateIsIssuedAfterTheRepeal(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let p = try await MigrantStoreTests().woman(stores, "周晓", 6)
            var input = CertificateInput(); input.person = p.id.text; input.leaving = true
            await #expect { try await stores.certificates.create(.issued, input, in: .everything, by: .cli()) }
                throws: { isRenkouError($0, field: "/issuedOn", code: "not-in-force") }
            input.number = "外-9"; input.office = "成都市锦江区卫生健康局"; input.issuedOn = "2021-03-01"
            let registered = try await stores.certificates.create(.registered, input, in: .everything, by: .cli())
            #expect(registered.side == .registered)
        }
    }
}
