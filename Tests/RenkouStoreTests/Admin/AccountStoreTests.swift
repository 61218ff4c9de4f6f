import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import SQLKit
import Testing

@Suite struct AccountStoreTests {
    @Test(arguments: TestEngine.all) func loginLocksAfterFiveFailuresAndUnlocksLater(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            try await Fixture.account(stores, "wang", .community, Fixture.communityA1, password: "right-password")
            // act: five wrong passwords
            for _ in 0..<4 {
                await #expect(throws: AccountStore.LoginFailure.invalid) { try await stores.accounts.authenticate(username: "wang", password: "wrong", client: "t") }
            }
            await #expect(throws: AccountStore.LoginFailure.self) { try await stores.accounts.authenticate(username: "wang", password: "wrong", client: "t") }
            // assert: locked even with the right password, until the lockout has passed
            do {
                _ = try await stores.accounts.authenticate(username: "wang", password: "right-password", client: "t")
                Issue.record("a locked account signed in")
            } catch let failure as AccountStore.LoginFailure {
                guard case .locked = failure else { Issue.record("expected locked, got \(failure)"); return }
            }
            clock.advance(AccountStore.lockout + 1)
            let account = try await stores.accounts.authenticate(username: "wang", password: "right-password", client: "t")
            #expect(account.username == "wang")
            // every attempt is in the audit log
            let failed = try await stores.audit.search(AuditQuery(username: "wang", action: "login-failed"), in: .everything)
            #expect(failed.total == 6)
            #expect(try await stores.audit.search(AuditQuery(username: "wang", action: "login"), in: .everything).total == 1)
        }
    }

    /// Guessing is throttled beyond the account: a username that names nobody is refused like a locked
    /// account after as many failures (the answers do not tell which names exist), and one client
    /// address trying many names is refused, even the right password of another account, until its
    /// failures age out; another address is not.
    @Test(arguments: TestEngine.all) func unknownNamesAndOneAddressTryingManyAreThrottled(engine: TestEngine) async throws {
        let clock = TestClock()
        try await withTestStores(engine, clock: clock) { stores in
            try await Fixture.tree(stores)
            try await Fixture.account(stores, "zhao", .community, Fixture.communityA1, password: "right-password")
            func locked(_ username: String, _ password: String, client: String) async -> Bool {
                do { _ = try await stores.accounts.authenticate(username: username, password: password, client: client); return false }
                catch let failure as AccountStore.LoginFailure { if case .locked = failure { return true }; return false }
                catch { return false }
            }
            for _ in 0..<(AccountStore.maxFailures - 1) { #expect(await !locked("nobody", "x", client: "10.0.0.1")) }
            #expect(await locked("nobody", "x", client: "10.0.0.2"))
            // one address, many names: refused at the limit, even for a real account's right password
            for i in 0..<(AccountStore.maxClientFailures - AccountStore.maxFailures + 1) { _ = await locked("guess\(i)", "x", client: "10.0.0.1") }
            #expect(await locked("zhao", "right-password", client: "10.0.0.1"))
            let account = try await stores.accounts.authenticate(username: "zhao", password: "right-password", client: "10.0.0.9")
            #expect(account.username == "zhao")
            clock.advance(AccountStore.lockout + 1)
            #expect(try await stores.accounts.authenticate(username: "zhao", password: "right-password", client: "10.0.0.1").username == "zhao")
            #expect(try await stores.audit.search(AuditQuery(action: "login-failed"), in: .everything).total >= AccountStore.maxClientFailures)
        }
    }

    @Test(arguments: TestEngine.all) func disabledAccountsCannotSignInAndLoseTheirSessions(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let account = try await Fixture.account(stores, "liu", .street, Fixture.streetA)
            let secret = try await stores.accounts.startSession(for: account)
            #expect(try await stores.accounts.sessionAccount(secret)?.id == account.id)
            try await stores.accounts.setDisabled(account.id, true, in: .everything, by: .cli())
            #expect(try await stores.accounts.sessionAccount(secret) == nil)
            await #expect(throws: AccountStore.LoginFailure.disabled) { try await stores.accounts.authenticate(username: "liu", password: "password-123", client: "t") }
        }
    }

    @Test(arguments: TestEngine.all) func tokensWorkUntilRevokedAndAreStoredHashed(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            try await Fixture.account(stores, "api", .district, Fixture.district)
            let (token, secret) = try await stores.accounts.createToken(username: "api", label: "etl", in: .everything, by: .cli())
            #expect(try await stores.accounts.tokenAccount(secret)?.username == "api")
            let stored = try await stores.db.read { try await $0.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) } }
            #expect(!stored.contains(secret))
            try await stores.accounts.revokeToken(token.id, in: .everything, by: .cli())
            #expect(try await stores.accounts.tokenAccount(secret) == nil)
        }
    }

    @Test(arguments: TestEngine.all) func accountsAreBoundToUnitsOfTheRightLevelAndScope(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            // a street role on a community is refused
            let wrongLevel = await #expect { try await Fixture.account(stores, "st1", .street, Fixture.communityA1) }
                throws: { isRenkouError($0, field: "/role", code: "role-level") } as? RenkouError
            #expect(wrongLevel?.fields.first?.pointer == "/role")
            // an admin of street A cannot create accounts in street B, nor see B's accounts
            try await Fixture.account(stores, "b-worker", .community, Fixture.communityB1)
            let scopeA = try #require(try await stores.orgs.unit(code: Fixture.streetA, in: .everything)).path
            // (a username of at least 3 characters: "x1" was refused as username-format before the unit was looked at)
            await #expect {
                try await stores.accounts.create(username: "x01", displayName: nil, role: .community, unitCode: Fixture.communityB1, password: "password-123", in: Scope(path: scopeA), by: .cli())
            } throws: { isRenkouError($0, field: "/unit", code: "unknown-unit") }
            #expect(try await stores.accounts.list(in: Scope(path: scopeA)).isEmpty)
            // short passwords and odd usernames come back with both fields named
            let bad = await #expect {
                try await stores.accounts.create(username: "a b", displayName: nil, role: .community, unitCode: Fixture.communityA1, password: "short", in: .everything, by: .cli())
            } throws: { isRenkouError($0, field: "/username", code: "username-format") && isRenkouError($0, field: "/password", code: "password-short") } as? RenkouError
            #expect(Set(bad?.fields.map(\.pointer) ?? []) == ["/username", "/password"])
        }
    }
}

@Suite struct AuditLogTests {
    @Test(arguments: TestEngine.all) func auditRowsCannotBeChangedOrDeleted(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let before = try await stores.audit.search(AuditQuery(), in: .everything).total
            #expect(before > 0)
            // refused by the database's own append-only triggers, not by Renkou code: no RenkouError and no code
            // of ours, but both engines' triggers raise "<table> is append-only"
            await #expect { try await stores.db.write { try await $0.raw("UPDATE audit_log SET username = 'x'").run() } }
                throws: { isDatabaseError($0, mentioning: "audit_log is append-only") }
            await #expect { try await stores.db.write { try await $0.raw("DELETE FROM audit_log").run() } }
                throws: { isDatabaseError($0, mentioning: "audit_log is append-only") }
            #expect(try await stores.audit.search(AuditQuery(), in: .everything).total == before)
        }
    }

    @Test(arguments: TestEngine.all) func auditSearchIsScopedAndFiltered(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            let a = try await stores.persons.create(PersonInput(name: "甲", idNumber: Fixture.idNumber(11), unit: Fixture.communityA1), in: .everything, by: .cli("worker-a"))
            try await stores.persons.create(PersonInput(name: "乙", idNumber: Fixture.idNumber(12), unit: Fixture.communityB1), in: .everything, by: .cli("worker-b"))
            let streetA = Scope(path: "/310000/310114/310114001/")
            let page = try await stores.audit.search(AuditQuery(entity: "person"), in: streetA)
            #expect(page.items.map(\.entityID) == [a.id.text])
            let created = try #require(page.items.first)
            #expect(created.action == "create" && created.username == "worker-a")
            #expect(created.after?.contains("甲") == true)
        }
    }
}
