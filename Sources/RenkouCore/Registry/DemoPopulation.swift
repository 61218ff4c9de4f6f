import Foundation

/// A synthetic population for demos and benchmarks: households of a realistic make-up, an age
/// pyramid shaped like an urban Chinese district, marriages, twenty years of births, deaths, migrants in
/// and out, and people registered here but living elsewhere in the district. The same seed gives the same people.
public struct DemoPopulation {
    /// One generated household: its members with their relation to the head, and their life events.
    public struct Family: Sendable {
        public var id: UUID
        public var number: String
        public var unitIndex: Int
        public var members: [(person: Person, relation: String)]
        public var events: [(type: LifeEventType, person: UUID, other: UUID?, day: String)]
    }

    public struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
        public mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
        public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func uuid(at day: Day) -> UUID {
            // Time-ordered like UUID v7, from the generator: the same seed gives the same ids.
            let ms = UInt64(max(0, Day.calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!.timeIntervalSince1970 * 1000))
            let r1 = next(), r2 = next()
            var b = [UInt8](repeating: 0, count: 16)
            for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - UInt64(i)))) }
            for i in 6..<16 { b[i] = UInt8(truncatingIfNeeded: (i < 11 ? r1 : r2) >> (8 * UInt64(i % 8))) }
            b[6] = (b[6] & 0x0F) | 0x70; b[8] = (b[8] & 0x3F) | 0x80
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let maleChars = Array("伟强磊军洋勇杰涛明超刚辉鹏华飞斌宇浩俊峰建国志文博凯晨阳").map(String.init)
    static let femaleChars = Array("芳娜敏静丽艳娟霞秀英玲桂兰萍燕红梅琳雪婷颖欣怡涵萱佳悦").map(String.init)
    /// Hukou regions of inflow migrants (county codes in use).
    static let origins = ["340122", "341221", "320382", "410526", "420117", "430124", "510121", "362330", "330327", "370125"]

    public let today: Day
    let localCode: String
    var rng: SplitMix
    var usedIDs = Set<String>()
    var householdCount = 0

    public init(seed: UInt64, today: Day, districtCode: String) {
        rng = SplitMix(seed: seed); self.today = today; localCode = districtCode
    }

    mutating func name(_ sex: String, surname: String? = nil) -> String {
        let chars = sex == "1" ? Self.maleChars : Self.femaleChars
        return (surname ?? rng.pick(Self.surnames)) + (rng.chance(0.3) ? rng.pick(chars) : rng.pick(chars) + rng.pick(chars))
    }

    /// A unique, valid 18-character ID number.
    mutating func idNumber(address: String, birth: Day, sex: String) -> String {
        var seq = rng.int(0...499) * 2 + (sex == "1" ? 1 : 0)
        while true {
            let first17 = address + String(format: "%04d%02d%02d%03d", birth.year, birth.month, birth.day, seq % 1000)
            let n = first17 + String(CitizenID.checkCharacter(first17)!)
            if usedIDs.insert(n).inserted { return n }
            seq += 2
        }
    }

    mutating func day(inYear year: Int) -> Day { Day(year: year, month: rng.int(1...12), day: rng.int(1...28))! }

    mutating func person(_ sex: String, born: Day, hukou: String, surname: String? = nil) -> Person {
        var p = Person(id: rng.uuid(at: born), name: name(sex, surname: surname), idNumber: idNumber(address: hukou, birth: born, sex: sex),
                       unitID: UUID(), unitCode: "", unitName: "", path: "", createdAt: "", updatedAt: "")
        p.sex = sex; p.birthDate = born.description
        p.ethnicGroup = rng.chance(0.96) ? "01" : rng.pick(["02", "03", "05", "08", "10", "11"])
        p.hukouType = hukou == localCode ? (rng.chance(0.9) ? "resident" : "non-agricultural") : "agricultural"
        p.hukouRegion = hukou
        p.education = rng.pick(["小学", "初中", "高中", "大专", "本科", "研究生"])
        p.maritalStatus = "10"
        return p
    }

    /// The next household, with the household number it gets.
    public mutating func next(units: Int) -> Family {
        householdCount += 1
        let unitIndex = rng.int(0...(units - 1))
        // Who lives here: 80 % registered residents, 15 % inflow migrants, the rest outflow or separated.
        let roll = rng.int(0...99)
        let category = roll < 80 ? "registered" : roll < 95 ? "inflow" : roll < 98 ? "outflow" : "separated"
        let hukou = category == "inflow" ? rng.pick(Self.origins) : localCode
        // The head's age follows the adult pyramid: most heads 30–65.
        let headAge = rng.chance(0.15) ? rng.int(20...29) : rng.chance(0.75) ? rng.int(30...64) : rng.int(65...92)
        let headSex = rng.chance(0.7) ? "1" : "2"
        var head = person(headSex, born: day(inYear: today.year - headAge), hukou: hukou)
        var members: [(Person, String)] = []
        var events: [(LifeEventType, UUID, UUID?, String)] = []
        let married = headAge >= 23 && rng.chance(headAge < 30 ? 0.5 : 0.88)
        var spouse: Person?
        if married {
            let spouseSex = headSex == "1" ? "2" : "1"
            let spouseAge = max(21, headAge + (headSex == "1" ? -rng.int(0...5) : rng.int(0...5)))
            var s = person(spouseSex, born: day(inYear: today.year - spouseAge), hukou: hukou)
            let marriageYear = max(today.year - min(headAge, spouseAge) + 23 + rng.int(0...6), today.year - 60)
            let marriedOn = day(inYear: min(marriageYear, today.year - 1)).description
            for i in 0..<2 {
                var x = i == 0 ? head : s
                x.maritalStatus = rng.chance(0.95) ? "21" : "22"; x.firstMarriageDate = marriedOn
                x.spouseID = i == 0 ? s.id : head.id
                if i == 0 { head = x } else { s = x }
            }
            events.append((.marriage, head.id, s.id, marriedOn))
            spouse = s
        } else if headAge > 40 && rng.chance(0.5) {
            head.maritalStatus = rng.pick(["30", "40"])
            head.firstMarriageDate = day(inYear: today.year - headAge + 25).description
        }
        members.append((head, Household.headRelation))
        if let s = spouse { members.append((s, "10")) }
        // Children: 0–3, born after the marriage; those of the last twenty years carry a birth event.
        if let s = spouse, let marriedOn = head.firstMarriageDate.flatMap(Day.init) {
            let mother = head.sex == "2" ? head : s, father = head.sex == "1" ? head : s
            let motherBirth = Day(mother.birthDate!)!
            let count = rng.chance(0.15) ? 0 : rng.chance(0.55) ? 1 : rng.chance(0.8) ? 2 : 3
            var year = marriedOn.year + rng.int(1...3)
            for order in 1...max(1, count) where count > 0 {
                guard year <= today.year - 1, year - motherBirth.year <= 45 else { break }
                let sex = rng.chance(0.52) ? "1" : "2"
                var c = person(sex, born: day(inYear: year), hukou: hukou, surname: String(father.name.prefix(1)))
                c.motherID = mother.id; c.fatherID = father.id; c.birthOrder = order
                let bornIn = year
                year += rng.int(2...6)
                if today.year - bornIn >= 24 && rng.chance(0.4) { continue }   // grown up and gone
                members.append((c, sex == "1" ? "20" : "30"))
                if today.year - bornIn <= 20 { events.append((.birth, c.id, mother.id, c.birthDate!)) }
            }
        }
        // Sometimes a widowed parent lives with them.
        if headAge >= 35 && headAge <= 60 && rng.chance(0.12) {
            var parent = person(rng.chance(0.6) ? "2" : "1", born: day(inYear: today.year - headAge - rng.int(22...32)), hukou: hukou)
            parent.maritalStatus = "30"; parent.firstMarriageDate = day(inYear: Day(parent.birthDate!)!.year + 24).description
            members.append((parent, "50"))
        }
        // Deaths of the last twenty years among the old; movers out.
        for i in members.indices {
            var p = members[i].0
            p.category = category
            if category == "outflow" { p.status = rng.chance(0.5) ? "moved-away" : "active" }
            if let born = p.birthDate.flatMap(Day.init), today.year - born.year >= 75, rng.chance(0.08) {
                p.status = "deceased"
                let year = max(born.year + 75, today.year - rng.int(0...19))
                let died = day(inYear: min(year, today.year - 1)).description
                events.append((.death, p.id, nil, died))
            }
            members[i].0 = p
        }
        return Family(id: rng.uuid(at: today), number: String(format: "H%08d", householdCount), unitIndex: unitIndex, members: members,
                      events: events.map { (type: $0.0, person: $0.1, other: $0.2, day: $0.3) })
    }
}
