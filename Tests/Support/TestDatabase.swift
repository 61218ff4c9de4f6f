import Foundation
import RenkouCore
import RenkouStore
import SQLKit

/// The engines a store test runs on: SQLite always, PostgreSQL when `RENKOU_TEST_POSTGRES_URL`
/// is set (the project's test script always sets it, after starting a throw-away cluster).
public enum TestEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public static var all: [TestEngine] {
        if let url = ProcessInfo.processInfo.environment["RENKOU_TEST_POSTGRES_URL"], !url.isEmpty { return [.sqlite, .postgres] }
        if ProcessInfo.processInfo.environment["RENKOU_REQUIRE_POSTGRES"] == "1" {
            fatalError("RENKOU_REQUIRE_POSTGRES=1 but RENKOU_TEST_POSTGRES_URL is not set")
        }
        return [.sqlite]
    }
    public var description: String { rawValue }
}

/// Test time: fixed and movable, so deadline and lockout tests can move the calendar.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    /// The clock's own UUIDv7 sequence: ids made on it sort in the order made, whatever other tests do.
    public let ids = V7Sequence()
    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }
    public var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    public func advance(_ seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}

/// Opens a fresh, migrated database on the engine, runs `body`, and throws everything away afterwards.
/// `subscribers` run after the modules' own on every domain event (to watch or fail a transaction).
public func withTestStores<R>(_ engine: TestEngine, clock: TestClock = TestClock(), policy: Policy = .shipped, subscribers: [Subscription] = [],
                              _ body: (Stores) async throws -> R) async throws -> R {
    let env = RenkouCore.Environment(now: { clock.now }, newID: { UUID.v7(at: clock.now, sequence: clock.ids) }, policy: policy)
    switch engine {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try await Database.open(url: "sqlite:" + dir.appendingPathComponent("test.sqlite").path)
        try await db.migrate()
        do { let r = try await body(Stores(db: db, env: env, bcryptCost: 4, extraSubscribers: subscribers)); await db.close(); return r }
        catch { await db.close(); throw error }
    case .postgres:
        let url = ProcessInfo.processInfo.environment["RENKOU_TEST_POSTGRES_URL"]!
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        // The schema is made by a pool that closes at once, and dropped by the test's own pool: each
        // test holds one pool, so that tests running side by side stay under the server's connections.
        let admin = try await Database.open(url: url, poolSize: 2)
        do { try await admin.write { try await $0.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run() } } catch { await admin.close(); throw error }
        await admin.close()
        let db = try await Database.open(url: url, poolSize: 2, searchPath: String(schema))
        func cleanup() async {
            try? await db.write { try await $0.raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
            await db.close()
        }
        do {
            try await db.migrate()
            let r = try await body(Stores(db: db, env: env, bcryptCost: 4, extraSubscribers: subscribers))
            await cleanup(); return r
        } catch { await cleanup(); throw error }
    }
}

/// The small tree most tests use: district 310114 with two streets, two communities each, one grid.
public enum Fixture {
    /// The repository's root folder (the one holding Package.swift).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The historical GB/T 2260 table the repository ships (CC0, `Sources/RenkouStore/Admin/Resources`).
    public static var areaCodes: String { repository.appendingPathComponent("Sources/RenkouStore/Admin/Resources/areacodes.csv").path }

    public static let district = "310114"
    public static let streetA = "310114001", streetB = "310114002"
    public static let communityA1 = "310114001001", communityA2 = "310114001002"
    public static let communityB1 = "310114002001"
    public static let gridA1 = "310114001001-01"

    /// The policy of a deployment that still issues 婚育证明 (a policy file turns issuing back on after
    /// the 2021 repeal), for the tests of issuing.
    public static let stillIssuingCertificates: Policy = try! Policy.shipped.overriding(
        with: Data(#"{"rules": [{"key": "migrants.certificate-issuing", "from": "2021-09-26", "value": true, "source": "test deployment"}]}"#.utf8), file: "issuing.json")

    public static func tree(_ stores: Stores) async throws {
        let cli = Actor.cli("test")
        try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: cli)
        try await stores.orgs.add(code: district, name: "嘉定区", level: .district, parentCode: "310000", in: .everything, by: cli)
        try await stores.orgs.add(code: streetA, name: "新成路街道", level: .street, parentCode: district, in: .everything, by: cli)
        try await stores.orgs.add(code: streetB, name: "真新街道", level: .street, parentCode: district, in: .everything, by: cli)
        try await stores.orgs.add(code: communityA1, name: "白银路社区", level: .community, parentCode: streetA, in: .everything, by: cli)
        try await stores.orgs.add(code: communityA2, name: "金沙社区", level: .community, parentCode: streetA, in: .everything, by: cli)
        try await stores.orgs.add(code: communityB1, name: "丰庄社区", level: .community, parentCode: streetB, in: .everything, by: cli)
        try await stores.orgs.add(code: gridA1, name: "白银路第一网格", level: .grid, parentCode: communityA1, in: .everything, by: cli)
    }

    /// A valid ID number, different for each `n`.
    public static func idNumber(_ n: Int, birth: String = "19850312") -> String {
        let first17 = "310114" + birth + String(format: "%03d", n % 1000)
        return first17 + String(CitizenID.checkCharacter(first17)!)
    }

    @discardableResult
    public static func account(_ stores: Stores, _ username: String, _ role: Role, _ unit: String, password: String = "password-123") async throws -> Account {
        try await stores.accounts.create(username: username, displayName: username, role: role, unitCode: unit, password: password, in: .everything, by: .cli("test"))
    }
}

/// For `#expect { ... } throws: { isRenkouError($0, code: "not-found") }`: true when `error` is a
/// `RenkouError` with that top-level code. With `field`, true when it is a validation failure (code
/// "validation") holding a field error with that pointer and that code, e.g.
/// `isRenkouError($0, field: "/reason", code: "required")`.
public func isRenkouError(_ error: any Error, field: String? = nil, code: String) -> Bool {
    guard let e = error as? RenkouError else { return false }
    guard let field else { return e.code == code }
    return e.code == "validation" && e.fields.contains { $0.pointer == field && $0.code == code }
}

/// For errors the database raises itself (a trigger, a constraint), which are not `RenkouError`s and
/// have no code of ours: true when the driver's error text names `text`. `String(reflecting:)` because
/// PostgresNIO keeps the server's message out of `description` and puts it in `debugDescription`.
public func isDatabaseError(_ error: any Error, mentioning text: String) -> Bool {
    !(error is RenkouError) && String(reflecting: error).contains(text)
}
