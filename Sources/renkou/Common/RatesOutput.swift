import Foundation
import RenkouCore
import RenkouStore

/// Prints a unit's rates and the units below it: one JSON line per unit and indicator
/// (`renkou indicators`, `renkou migrants rates`).
enum RatesOutput {
    struct Line: Encodable { let unit: String; let name: String; let day: String; let code: String; let numerator: Int; let denominator: Int; let rate: Double?; let target: Double? }

    static func print(_ summary: (unit: UnitRates, children: [UnitRates]), day: Day) throws {
        for u in [summary.unit] + summary.children {
            for f in u.figures {
                let line = Line(unit: u.code, name: u.name, day: day.description, code: f.code, numerator: f.numerator, denominator: f.denominator, rate: f.rate, target: f.target)
                Swift.print(String(decoding: try JSONEncoder.sorted.encode(line), as: UTF8.self))
            }
        }
    }
}
