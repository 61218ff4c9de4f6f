import Foundation
import RenkouCore

/// The demo district: 嘉定区 with two streets, six communities, two grids each, one account per
/// role, and a few people per community. Only ever written to an empty database.
public enum Demo {
    public struct Login: Sendable { public let username: String; public let role: Role; public let unit: String; public let password: String }

    public static let district = (code: "310114", name: "嘉定区")
    public static let streets: [(code: String, name: String, communities: [(String, String)])] = [
        ("310114001", "新成路街道", [("310114001001", "白银路社区"), ("310114001002", "金沙社区"), ("310114001003", "迎园社区")]),
        ("310114002", "真新街道", [("310114002001", "丰庄社区"), ("310114002002", "清涧社区"), ("310114002003", "金鹤社区")]),
    ]

    /// A small deterministic generator, so that the same seed gives the same people.
    public struct Random: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
        public mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let givenChars = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国建华文辉志强海燕小红春梅晓东丹宇欣怡子涵浩然梓萱俊杰思远佳怡雨桐").map(String.init)

    /// A plausible name for a person of the given sex.
    public static func name(_ rng: inout Random) -> String {
        let surname = surnames[Int(rng.next() % UInt64(surnames.count))]
        let length = rng.next() % 3 == 0 ? 1 : 2
        return surname + (0..<length).map { _ in givenChars[Int(rng.next() % UInt64(givenChars.count))] }.joined()
    }

    /// A valid 18-character citizen ID number for an address code and birth date.
    public static func idNumber(address: String, birth: Day, sequence: Int) -> String {
        let first17 = address + String(format: "%04d%02d%02d%03d", birth.year, birth.month, birth.day, sequence % 1000)
        return first17 + String(CitizenID.checkCharacter(first17)!)
    }

    /// Fills an empty database and returns the logins (printed once by the caller).
    public static func fill(_ stores: Stores, seed: UInt64 = 2026, personsPerCommunity: Int = 12) async throws -> [Login] {
        guard try await stores.db.isEmpty() else { return [] }
        let actor = Actor.cli("demo")
        try await stores.orgs.add(code: "310000", name: "上海市", level: .province, parentCode: nil, in: .everything, by: actor)
        try await stores.orgs.add(code: district.code, name: district.name, level: .district, parentCode: "310000", in: .everything, by: actor)
        var rng = Random(seed: seed)
        var sequence = 0
        for street in streets {
            try await stores.orgs.add(code: street.code, name: street.name, level: .street, parentCode: district.code, in: .everything, by: actor)
            for (code, communityName) in street.communities {
                try await stores.orgs.add(code: code, name: communityName, level: .community, parentCode: street.code, in: .everything, by: actor)
                for g in 1...2 {
                    try await stores.orgs.add(code: "\(code)-0\(g)", name: "\(communityName)第\(g == 1 ? "一" : "二")网格", level: .grid, parentCode: code, in: .everything, by: actor)
                }
                for i in 0..<personsPerCommunity {
                    let birth = Day(year: 1940 + Int(rng.next() % 80), month: 1 + Int(rng.next() % 12), day: 1 + Int(rng.next() % 28))!
                    sequence += 1
                    let unit = i % 3 == 0 ? code : "\(code)-0\(1 + i % 2)"
                    try await stores.persons.create(PersonInput(name: name(&rng), idNumber: idNumber(address: district.code, birth: birth, sequence: sequence), unit: unit),
                                                    in: .everything, by: actor)
                }
            }
        }
        let plan: [(String, Role, String)] = [
            ("admin", .admin, district.code), ("district", .district, district.code), ("street", .street, "310114001"),
            ("community", .community, "310114001001"), ("grid", .grid, "310114001001-01"), ("provider", .provider, "310114001"),
            ("viewer", .viewer, district.code),
        ]
        var logins: [Login] = []
        for (username, role, unit) in plan {
            let password = Secrets.random(bytes: 9)
            try await stores.accounts.create(username: username, displayName: role.label.zh, role: role, unitCode: unit, password: password, in: .everything, by: actor)
            logins.append(Login(username: username, role: role, unit: unit, password: password))
        }
        return logins
    }
}
