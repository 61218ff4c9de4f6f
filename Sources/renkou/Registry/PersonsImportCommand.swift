import ArgumentParser
import Foundation
import RenkouCore
import RenkouFiles
import RenkouStore

extension ImportCommand {
    struct Persons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "persons",
            abstract: "Import people (姓名, 公民身份号码, 性别, 出生日期, ... 户号, 与户主关系 ...) into a unit. Ends with one JSON line.",
            discussion: """
            CSV (UTF-8 with or without BOM, or GB18030/GBK, detected) or XLSX. Without --valid-only the file is imported \
            all or nothing: one rejected row keeps every row out. A person already registered (same ID number) is \
            updated from the non-empty cells of the row, or counted unchanged. Exit code 1 when an all-or-nothing import was refused.
            """)
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The CSV or XLSX file.") var file: String
        @Option(help: "The unit (community or grid code) the people belong to; rows may name units below it in a 单位代码 column.") var org: String
        @Flag(help: "Check every row and report; write nothing.") var dryRun = false
        @Flag(help: "Import the valid rows and report the others (default: all or nothing).") var validOnly = false
        @Option(help: "Write every rejected row and warning to this CSV file.") var report: String?
        @Flag(help: "No progress bar on standard error.") var quiet = false

        func validate() throws {
            if dryRun && validOnly { throw ValidationError("--dry-run and --valid-only exclude each other.") }
        }

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw fail(RenkouError.invalid([FieldError("/file", "file-missing", Text("无法读取文件 \(file)。", "Cannot read the file \(file)."))]))
            }
            let mode: ImportMode = dryRun ? .dryRun : validOnly ? .validOnly : .allOrNothing
            let reportFile = try report.map { try ImportReportFile(url: URL(fileURLWithPath: $0)) }
            // Closed whatever happens: a file refused as a whole (no headers) leaves its reasons in the report.
            defer { reportFile?.close() }
            let bar = ProgressBar(enabled: !quiet)
            var refused = false
            try await withStores(db) { stores in
                let result = try await stores.importer.run(file: url, fileName: url.lastPathComponent, unitCode: org, mode: mode, in: .everything, by: .cli("import"),
                                                           progress: { bar.show($0) }, problem: { reportFile?.write($0) })
                reportFile?.close()   // before the summary, so that a script reading it finds the report whole
                bar.done()
                for p in result.problems.prefix(20) {
                    FileHandle.standardError.write(Data("\(p.isError ? "错误 error" : "警告 warning") row \(p.row) \(p.column)=\(p.value): \(p.reason.zh) / \(p.reason.en)\n".utf8))
                }
                if result.problems.count > 20, let report { FileHandle.standardError.write(Data("… see \(report)\n".utf8)) }
                if mode == .allOrNothing && !result.committed {
                    FileHandle.standardError.write(Data("未导入：有 \(result.rejected) 行被拒绝，全部未写入（可用 --valid-only 只导入有效行）。 / Nothing was imported: \(result.rejected) rows were rejected (use --valid-only to import the valid rows).\n".utf8))
                    refused = true
                } else if mode == .dryRun {
                    FileHandle.standardError.write(Data("试运行，未写入任何数据。 / Dry run: nothing was written.\n".utf8))
                }
                print(result.summaryJSON)
            }
            if refused { throw ExitCode(1) }
        }
    }
}

/// A progress bar on standard error, redrawn at most every 1% (and only on a terminal, or when asked).
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var shown = -1
    init(enabled: Bool) { self.enabled = enabled && isatty(2) == 1 }

    func show(_ fraction: Double) {
        guard enabled else { return }
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
        lock.lock(); defer { lock.unlock() }
        guard percent != shown else { return }
        shown = percent
        let filled = percent * 30 / 100
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: 30 - filled))] \(percent)%".utf8))
    }

    func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
