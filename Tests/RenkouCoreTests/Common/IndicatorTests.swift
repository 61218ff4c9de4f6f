import RenkouCore
import Testing

@Suite struct IndicatorTests {
    func day(_ s: String) -> Day { Day(s)! }

    @Test func periodsContainTheirDay() {
        let d = day("2026-11-29")
        #expect(Period.containing(d, .day).start == d && Period.containing(d, .day).end == d)
        #expect(Period.containing(d, .month).start == day("2026-11-01") && Period.containing(d, .month).end == day("2026-11-30"))
        #expect(Period.containing(day("2024-02-10"), .month).end == day("2024-02-29"))
        #expect(Period.containing(d, .quarter).start == day("2026-10-01") && Period.containing(d, .quarter).end == day("2026-12-31"))
        #expect(Period.containing(day("2026-05-05"), .quarter).description == "2026-Q2")
        #expect(Period.containing(d, .year).start == day("2026-01-01") && Period.containing(d, .year).end == day("2026-12-31"))
        // 计划生育统计年度: 1 October to 30 September
        let late = Period.containing(d, .statisticalYear), early = Period.containing(day("2026-09-30"), .statisticalYear)
        #expect(late.start == day("2026-10-01") && late.end == day("2027-09-30"))
        #expect(early.start == day("2025-10-01") && early.end == day("2026-09-30"))
        #expect(Period.containing(day("2026-10-01"), .statisticalYear).start == day("2026-10-01"))
    }

    @Test func aTargetIsMetInTheIndicatorsDirection() {
        #expect(RateFigure(code: "x", numerator: 95, denominator: 100, target: 0.95).meetsTarget == true)
        #expect(RateFigure(code: "x", numerator: 94, denominator: 100, target: 0.95).meetsTarget == false)
        // lower is better (an error rate): 2 % against a 5 % ceiling meets it
        #expect(RateFigure(code: "x", numerator: 2, denominator: 100, target: 0.05, direction: .lower).meetsTarget == true)
        #expect(RateFigure(code: "x", numerator: 6, denominator: 100, target: 0.05, direction: .lower).meetsTarget == false)
        // nothing to count, or no target: no verdict
        #expect(RateFigure(code: "x", numerator: 0, denominator: 0, target: 0.9).meetsTarget == nil)
        #expect(RateFigure(code: "x", numerator: 1, denominator: 2, target: nil).meetsTarget == nil)
    }
}

@Suite struct DayParsingTests {
    @Test func aDayThatDoesNotExistIsNamedAsSuch() throws {
        #expect { try Day.parse("2026-02-30", field: "day", default: Day("2026-01-01")!) } throws: { error in
            guard let e = error as? RenkouError, let f = e.fields.first else { return false }
            return f.pointer == "/day" && f.code == "date-format" && f.message.en == "There is no such day as 2026-02-30."
        }
        #expect { try Day.parse("30.02.2026", field: "day", default: Day("2026-01-01")!) } throws: { error in
            (error as? RenkouError)?.fields.first?.message.en == "Write the date as YYYY-MM-DD."
        }
        #expect(try Day.parse("2024-02-29", field: "day", default: Day("2026-01-01")!) == Day("2024-02-29")!)
    }
}
