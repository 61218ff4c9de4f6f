import Foundation
@testable import RenkouCore
import Testing

@Suite struct MigrantCoreTests {
    @Test func dayArithmeticMatchesTheCalendar() {
        let d = Day(year: 2024, month: 2, day: 29)!
        #expect(d.adding(years: 1).description == "2025-02-28" && d.adding(years: 4).description == "2028-02-29")
        #expect(d.adding(days: 1).description == "2024-03-01" && d.adding(days: -60).description == "2023-12-31")
        #expect(Day(year: 1970, month: 1, day: 1)!.ordinal == 0 && Day(ordinal: 20_000).description == "2024-10-04")
        #expect(Day(year: 2026, month: 1, day: 1)!.days(until: Day(year: 2027, month: 1, day: 1)!) == 365)
    }

    @Test func certificateValidityFollowsTheRuleOfTheIssueDate() throws {
        // a region that lengthens the validity from 2030 on, through its policy file
        let file = #"{"rules": [{"key": "migrants.certificate-validity-years", "from": "2030-01-01", "value": 5}]}"#
        let policy = try Policy.shipped.overriding(with: Data(file.utf8), file: "region.json")
        #expect(policy.certificateValidUntil(issuedOn: Day("2026-11-23")!).description == "2029-11-22")
        #expect(policy.certificateValidUntil(issuedOn: Day("2030-02-01")!).description == "2035-01-31")
        #expect(Policy.shipped.certificateValidUntil(issuedOn: Day("2020-03-01")!).description == "2023-02-28")
        #expect(Policy.shipped.certificateValidUntil(issuedOn: Day("2030-02-01")!).description == "2033-01-31")
    }

    @Test func thePublicViewIsMaskedInEveryState() {
        for state in Certificate.State.allCases {
            var c = Certificate(id: UUID(), number: "1", version: 1, side: .issued, personID: UUID(), name: "欧阳晓明", idNumber: "310114199503120024",
                                children: 1, office: "白银路社区", issuedOn: "2025-01-01", validUntil: state == .expired ? "2025-06-01" : "2027-12-31",
                                storedState: state == .expired ? .valid : state, token: "t", unitCode: "1", unitName: "u", createdBy: "x", createdAt: "x")
            c.contraception = "iud"
            let view = PublicCertificateView(c, on: Day("2026-01-01")!)
            #expect(view.state == state)
            let json = String(data: try! JSONEncoder().encode(view), encoding: .utf8)!
            #expect(view.maskedName == "欧**明" && view.maskedIDNumber == "3101**********0024")
            #expect(!json.contains("欧阳晓明") && !json.contains("199503") && !json.contains("iud"))
        }
    }

    @Test func aQRCodeHasTheStructureOfItsVersion() throws {
        let short = try QRCode("https://renkou.example/public/verify/AbCdEfGhIjKlMnOpQrStUv")
        #expect(short.version == 4 && short.size == 33)
        // finder patterns in three corners, timing pattern between them, the dark module
        for (x, y) in [(0, 0), (26, 0), (0, 26)] {
            #expect(short.modules[y][x] && short.modules[y + 6][x + 6] && short.modules[y + 3][x + 3] && !short.modules[y + 1][x + 1])
        }
        #expect((8...24).allSatisfy { short.modules[6][$0] == ($0 % 2 == 0) })
        #expect(short.modules[short.size - 8][8])
        // Reed-Solomon: the standard's example (version 1-M, "01234567") gives these ten EC codewords
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(QRCode.ReedSolomon.remainder(data, QRCode.ReedSolomon.divisor(degree: 10)) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        #expect(throws: QRCode.Failure.self) { try QRCode(String(repeating: "x", count: 300)) }
        #expect(try QRCode(String(repeating: "x", count: 200)).version == 10)
        #expect(short.svg().hasPrefix("<svg") && short.svg().contains("viewBox=\"0 0 41 41\""))
    }
}
