/// 导入计数: how the data rows of an import ended. Every row an import reads ends in exactly one
/// outcome, so the rows read are the sum of the outcomes: that rule is stated here, once, for every
/// import (people, rosters, departmental files, the unit table), and `ImportPipeline.check` holds each
/// run to the rows the file reader handed on.
public struct ImportTally<Outcome: Hashable & Sendable>: Sendable, Equatable {
    public private(set) var counts: [Outcome: Int] = [:]
    public init() {}
    /// The rows read: the sum of every outcome.
    public var read: Int { counts.values.reduce(0, +) }
    public subscript(_ outcome: Outcome) -> Int { counts[outcome] ?? 0 }
    /// Counts `n` rows (one by default) as ending in `outcome`.
    public mutating func count(_ outcome: Outcome, _ n: Int = 1) { counts[outcome, default: 0] += n }
}
