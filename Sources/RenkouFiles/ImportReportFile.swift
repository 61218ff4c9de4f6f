import Foundation
import RenkouCore

/// The report file of an import: one CSV line per problem (row, column, value, kind, reason in zh and
/// en), written as the problems are found so that memory stays flat.
public final class ImportReportFile: @unchecked Sendable {
    public let url: URL
    private let handle: FileHandle
    private let lock = NSLock()
    private var buffer = ""
    private var closed = false

    public init(url: URL) throws {
        self.url = url
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        buffer = ImportProblem.reportHeader
    }

    public func write(_ p: ImportProblem) {
        lock.lock(); defer { lock.unlock() }
        guard !closed else { return }
        buffer += p.reportLine
        if buffer.utf8.count > 64 * 1024 { flushLocked() }
    }

    private func flushLocked() {
        try? handle.write(contentsOf: Data(buffer.utf8)); buffer = ""
    }

    /// Writes what is buffered and closes the file; closing again does nothing.
    public func close() {
        lock.lock(); defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        flushLocked()
        try? handle.close()
    }
}
