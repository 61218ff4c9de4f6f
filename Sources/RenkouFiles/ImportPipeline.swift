import Foundation
import RenkouCore

/// The one import pipeline: a file read row by row (`TableFile`: CSV in any encoding it detects, or
/// XLSX), its first row turned into a layout by the importer, every later row handed on with its row
/// number, and at the end a check that every row handed on ended in exactly one outcome. Memory holds
/// what the importer keeps (a batch), never the file.
public enum ImportPipeline {
    /// What a run read: the file's kind and text encoding, and how many data rows it handed on.
    public struct Reading: Sendable {
        public let kind: TableFile.Kind
        public let encoding: TableEncoding?
        public let rows: Int
        public init(kind: TableFile.Kind, encoding: TableEncoding?, rows: Int) { self.kind = kind; self.encoding = encoding; self.rows = rows }
    }

    /// Reads `file`: `header` gets the first row and returns the layout (or throws a field error that
    /// names what is wrong with it); `row` gets every later row. Throws `file-empty` for a file without
    /// a header row.
    public static func read<Layout>(_ file: URL, progress: @escaping (Double) -> Void = { _ in },
                                    header: ([String], Int) throws -> Layout,
                                    row: (Layout, [String], Int) async throws -> Void) async throws -> (Layout, Reading) {
        var layout: Layout?
        var rows = 0
        let summary = try await TableFile.read(file, progress: progress) { cells, number in
            guard let l = layout else { layout = try header(cells, number); return }
            rows += 1
            try await row(l, cells, number)
        }
        guard let layout else {
            throw RenkouError.invalid([FieldError("/file", "file-empty", Text("文件是空的：第 1 行应为表头。", "The file is empty: row 1 must hold the headers."))])
        }
        return (layout, Reading(kind: summary.kind, encoding: summary.encoding, rows: rows))
    }

    /// Holds a run to the rule of `ImportTally`: the outcomes add up to the rows read. A run that lost
    /// or double-counted a row is a fault of the importer, reported as `import-count` (nothing is kept:
    /// the caller throws inside its transaction).
    public static func check<Outcome>(_ tally: ImportTally<Outcome>, against reading: Reading) throws {
        guard tally.read == reading.rows else {
            throw RenkouError(.invalid, "import-count", Text("导入计数不符：读入 \(reading.rows) 行，结果合计 \(tally.read) 行。",
                                                           "The import's counts do not add up: \(reading.rows) rows read, \(tally.read) accounted for."))
        }
    }
}
