import Foundation
import RenkouCore

/// The demo district: 嘉定区 with two streets, six communities, two grids each, one account per
/// role, then each module's demo step (the registry's synthetic population first). Never written over existing people.
public enum Demo {
    public struct Login: Sendable { public let username: String; public let role: Role; public let unit: String; public let password: String }

    public static let district = (code: "310114", name: "嘉定区")
    public static let streets: [(code: String, name: String, communities: [(String, String)])] = [
        ("310114001", "新成路街道", [("310114001001", "白银路社区"), ("310114001002", "金沙社区"), ("310114001003", "迎园社区")]),
        ("310114002", "真新街道", [("310114002001", "丰庄社区"), ("310114002002", "清涧社区"), ("310114002003", "金鹤社区")]),
    ]

    /// What `fill` did: the logins created (printed once by the caller) and the people generated.
    public struct Result: Sendable { public let logins: [Login]; public let persons: Int }

    /// Fills the demo district: the tree and one account per role when the database is empty, then
    /// each module's demo step in module order (the registry's population of `persons` people first).
    /// A database that has people already is not touched.
    public static func fill(_ stores: Stores, seed: UInt64 = 2026, persons: Int = 2000, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Result {
        var logins: [Login] = []
        if try await stores.db.isEmpty() { logins = try await tree(stores) }
        guard try await stores.orgs.unit(code: district.code, in: .everything) != nil else { return Result(logins: logins, persons: 0) }
        let context = DemoContext(seed: seed, persons: persons, districtCode: district.code,
                                  communities: streets.flatMap { $0.communities.map(\.0) }, progress: progress)
        for module in storeModules {
            guard !context.stopped, let step = module.demo else { continue }
            try await step.run(stores, context)
        }
        return Result(logins: logins, persons: context.personsWritten)
    }

    /// The demo tree and its accounts.
    static func tree(_ stores: Stores) async throws -> [Login] {
        let actor = Actor.cli("demo")
        try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: actor)
        try await stores.orgs.add(code: district.code, name: district.name, level: .district, parentCode: "310000", in: .everything, by: actor)
        for street in streets {
            try await stores.orgs.add(code: street.code, name: street.name, level: .street, parentCode: district.code, in: .everything, by: actor)
            for (code, communityName) in street.communities {
                try await stores.orgs.add(code: code, name: communityName, level: .community, parentCode: street.code, in: .everything, by: actor)
                for g in 1...2 {
                    try await stores.orgs.add(code: "\(code)-0\(g)", name: "\(communityName)第\(g == 1 ? "一" : "二")网格", level: .grid, parentCode: code, in: .everything, by: actor)
                }
            }
        }
        let plan = Self.accounts(district: district.code)
        var logins: [Login] = []
        for (username, role, unit) in plan {
            let password = Secrets.random(bytes: 9)
            try await stores.accounts.create(username: username, displayName: role.label.zh, role: role, unitCode: unit, password: password, in: .everything, by: actor)
            logins.append(Login(username: username, role: role, unit: unit, password: password))
        }
        return logins
    }

    /// The demo's accounts: one per role, username = role.
    static func accounts(district: String) -> [(String, Role, String)] {
        [("admin", .admin, district), ("district", .district, district), ("street", .street, "310114001"),
         ("community", .community, "310114001001"), ("grid", .grid, "310114001001-01"), ("provider", .provider, "310114001"),
         ("storekeeper", .storekeeper, district), ("viewer", .viewer, district)]
    }

    /// New passwords for the demo's accounts that still exist with their demo role and unit (the logins
    /// are printed once when the demo is loaded; this prints a fresh set). Accounts changed since are left alone.
    public static func renewLogins(_ stores: Stores) async throws -> [Login] {
        var logins: [Login] = []
        for (username, role, unit) in accounts(district: "310114") {
            guard let a = try await stores.accounts.account(username: username, in: .everything), a.role == role, a.unitCode == unit else { continue }
            let password = Secrets.random(bytes: 9)
            try await stores.accounts.resetPassword(username: username, to: password, in: .everything, by: .cli("demo"))
            logins.append(Login(username: username, role: role, unit: unit, password: password))
        }
        return logins
    }
}
