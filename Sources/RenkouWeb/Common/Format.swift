import Foundation

/// How figures print on pages.
enum Format {
    /// A rate as "97.5%", "—" when there is none (nothing to count).
    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
}
