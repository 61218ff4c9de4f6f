/// 工作日历: which days are working days. Monday to Friday, less the public holidays, plus the
/// adjusted working days (调休上班) that fall on a weekend. Every deadline counted in working days
/// uses it.
///
/// Shipped for 2024–2026 from the State Council General Office's yearly holiday notices
/// (国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 〔2025〕7号 for 2026); check a new year
/// against its notice and add it through the policy file's `calendar` section.
public struct WorkingDayCalendar: Sendable, Equatable {
    /// Days off that would otherwise be working days (and the weekend days of a holiday block).
    public private(set) var holidays: Set<Day>
    /// Weekend days that are working days.
    public private(set) var workdays: Set<Day>
    /// The years the calendar knows; outside them only weekends are days off.
    public private(set) var years: Set<Int>

    public init(holidays: [Day], workdays: [Day]) {
        self.holidays = Set(holidays); self.workdays = Set(workdays)
        self.years = Set(holidays.map(\.year) + workdays.map(\.year))
    }

    /// The calendar with one year's days replaced.
    public func replacing(year: Int, holidays: [Day], workdays: [Day]) -> WorkingDayCalendar {
        var c = self
        c.holidays = c.holidays.filter { $0.year != year }.union(holidays)
        c.workdays = c.workdays.filter { $0.year != year }.union(workdays)
        c.years.insert(year)
        return c
    }

    public func isWorkingDay(_ day: Day) -> Bool {
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return !day.isWeekend
    }

    /// The day `n` working days after `day` (the day itself does not count): a 7-working-day limit
    /// from a Monday application ends on the next Wednesday when nothing intervenes.
    public func adding(workingDays n: Int, to day: Day) -> Day {
        precondition(n >= 0, "working days are counted forward")
        var d = day, left = n
        while left > 0 {
            d = d.adding(days: 1)
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(from start: Day, to end: Day) -> Int {
        guard start < end else { return 0 }
        var n = 0, d = start
        while d < end {
            d = d.adding(days: 1)
            if isWorkingDay(d) { n += 1 }
        }
        return n
    }

    /// 2024–2026 as published by the State Council General Office.
    public static let shipped: WorkingDayCalendar = {
        func days(_ list: [String]) -> [Day] {
            list.flatMap { item -> [Day] in
                let parts = item.split(separator: "/")
                let first = Day(String(parts[0]))!
                let last = parts.count > 1 ? Day(String(parts[1]))! : first
                return (0...first.days(until: last)).map { first.adding(days: $0) }
            }
        }
        return WorkingDayCalendar(
            holidays: days([
                // 2024: 国办发明电〔2023〕7号
                "2024-01-01", "2024-02-10/2024-02-17", "2024-04-04/2024-04-06", "2024-05-01/2024-05-05",
                "2024-06-10", "2024-09-15/2024-09-17", "2024-10-01/2024-10-07",
                // 2025: 国办发明电〔2024〕12号
                "2025-01-01", "2025-01-28/2025-02-04", "2025-04-04/2025-04-06", "2025-05-01/2025-05-05",
                "2025-05-31/2025-06-02", "2025-10-01/2025-10-08",
                // 2026: 国办发明电〔2025〕7号
                "2026-01-01/2026-01-03", "2026-02-15/2026-02-23", "2026-04-04/2026-04-06", "2026-05-01/2026-05-05",
                "2026-06-19/2026-06-21", "2026-09-25/2026-09-27", "2026-10-01/2026-10-07",
            ]),
            workdays: days([
                "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
                "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
                "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
            ]))
    }()
}

extension Day {
    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public var weekday: Int { ((ordinal % 7) + 7 + 4) % 7 }
    public var isWeekend: Bool { weekday == 0 || weekday == 6 }
}
