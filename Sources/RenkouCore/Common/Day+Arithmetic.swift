extension Day {
    /// Days since 1970-01-01 (civil calendar, no time zone involved).
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year, m = month <= 2 ? month + 9 : month - 3
        let era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400
        let doy = (153 * m + 2) / 5 + day - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(ordinal: Int) {
        let z = ordinal + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    public func adding(years: Int) -> Day {
        Day(year: year + years, month: month, day: min(day, Day.daysIn(month: month, year: year + years)))!
    }

    public func days(until other: Day) -> Int { other.ordinal - ordinal }

    /// 周岁: the age on `day`, in whole years, of someone born on this day. The one age function of the
    /// system (search, rates, rules, certificates, machines). A year is complete on the birthday; one
    /// born on 29 February completes it on 1 March in a common year (on 28 February she is still younger).
    public func age(on day: Day) -> Int {
        day.year - year - ((day.month, day.day) < (month, self.day) ? 1 : 0)
    }

    /// The last birth day of someone who is at least `age` years old on this day: the same day `age`
    /// years earlier, 28 February for 29 February in a common year. `birth <= lastBirthDay(forAge: a)`
    /// exactly when `birth.age(on: self) >= a`; `birth > lastBirthDay(forAge: b + 1)` exactly when it is at most `b`.
    public func lastBirthDay(forAge age: Int) -> Day { adding(years: -age) }
}
