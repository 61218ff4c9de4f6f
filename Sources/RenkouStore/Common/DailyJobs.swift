import Foundation
import RenkouCore

/// Work that follows the calendar rather than a user's action (a visit that expired unmade schedules
/// the next one). Modules contribute jobs to `ExtensionPoint.dailyJobs`; the server runs them at start
/// and every hour, `renkou jobs run` runs them once. A job must be idempotent: running it twice on a
/// day changes nothing the second time.
public struct DailyJob: Sendable {
    public let name: String
    /// Runs the job as of `day`; returns how many records it changed.
    public let run: @Sendable (Stores, Day) async throws -> Int
    public init(_ name: String, run: @escaping @Sendable (Stores, Day) async throws -> Int) { self.name = name; self.run = run }
}

extension ExtensionPoint where Item == DailyJob {
    /// Where modules add their calendar work.
    public static var dailyJobs: ExtensionPoint<DailyJob> { ExtensionPoint("store.daily-jobs") }
}

extension Stores {
    /// Runs every module's daily jobs as of `day` (today when nil), in module order; returns each
    /// job's name and count. A failing job throws after the ones before it have run.
    @discardableResult
    public func runDailyJobs(on day: Day? = nil) async throws -> [(name: String, changed: Int)] {
        let day = day ?? Day(env.now())
        var done: [(String, Int)] = []
        for job in extensions.all(.dailyJobs) { done.append((job.name, try await job.run(self, day))) }
        return done
    }
}
