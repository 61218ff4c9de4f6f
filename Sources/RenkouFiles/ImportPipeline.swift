import Foundation
import RenkouCore

/// The one import pipeline: a file read row by row (`TableFile`: CSV in any encoding and with any
/// separator it detects, or XLSX), its header row found and turned into a layout by the importer,
/// every later row handed on with its row number, and at the end a check that every row handed on
/// ended in exactly one outcome. Memory holds what the importer keeps (a batch), never the file.
public enum ImportPipeline {
    /// What a run read: the file's kind, text encoding and separator, the row that held the headers
    /// (rows above it, a sheet's title, were skipped), how many data rows it handed on and how many
    /// blank rows it skipped.
    public struct Reading: Sendable {
        public let kind: TableFile.Kind
        public let encoding: TableEncoding?
        public var separator: FieldSeparator? = nil
        public var headerRow: Int = 1
        public let rows: Int
        public var blank: Int = 0
        public init(kind: TableFile.Kind, encoding: TableEncoding?, rows: Int) { self.kind = kind; self.encoding = encoding; self.rows = rows }
    }

    /// How many rows from the top may come before the headers (a title, a date line, a merged banner).
    public static let headerSearchRows = 5

    /// Reads `file`: `header` gets each of the first rows until one makes a layout (the first five; a
    /// row it refuses with a field error is a title above the headers), `row` gets every later row.
    /// Throws `file-empty` for a file without rows, `header-not-found` (with what was found: encoding,
    /// separator, the first row, and what the most header-like row lacked) when none of them is one.
    public static func read<Layout>(_ file: URL, progress: @escaping (Double) -> Void = { _ in },
                                    header: ([String], Int) throws -> Layout,
                                    row: (Layout, [String], Int) async throws -> Void) async throws -> (Layout, Reading) {
        var layout: Layout?
        var rows = 0, headerRow = 1
        var refused: [(cells: [String], number: Int, error: RenkouError)] = []
        do {
            let summary = try await TableFile.read(file, progress: progress) { cells, number in
                if let l = layout {
                    rows += 1
                    try await row(l, cells, number)
                    return
                }
                do {
                    layout = try header(cells, number)
                    headerRow = number
                } catch let e as RenkouError where e.kind == .invalid && !e.fields.isEmpty {
                    refused.append((cells, number, e))
                    if refused.count == headerSearchRows { throw HeaderSearch.exhausted }
                }
            }
            guard let layout else {
                if refused.isEmpty {
                    throw RenkouError.invalid([FieldError("/file", "file-empty", Text("文件是空的：没有表头，也没有数据。", "The file is empty: no headers and no data."))])
                }
                throw try headerNotFound(file, refused)
            }
            var reading = Reading(kind: summary.kind, encoding: summary.encoding, rows: rows)
            reading.separator = summary.separator; reading.headerRow = headerRow; reading.blank = summary.blank
            return (layout, reading)
        } catch HeaderSearch.exhausted {
            throw try headerNotFound(file, refused)
        }
    }

    enum HeaderSearch: Error { case exhausted }

    /// The error for a file whose first rows hold no headers: what the file was read as, its first row,
    /// and the problems of the row that came closest (the fewest of them).
    static func headerNotFound(_ file: URL, _ refused: [(cells: [String], number: Int, error: RenkouError)]) throws -> RenkouError {
        let format = try TableFile.format(of: file)
        let read: Text
        switch format.kind {
        case .xlsx: read = Text("XLSX 工作簿", "an XLSX workbook")
        case .csv:
            let encoding = format.encoding?.rawValue ?? "UTF-8", separator = (format.separator ?? .comma).label
            read = Text("\(encoding) 文本、以\(separator.zh)分隔", "\(encoding) text separated by \(separator.en)")
        }
        let first = refused[0].cells.map(CellText.normalize).filter { !$0.isEmpty }.prefix(8).joined(separator: " | ")
        let closest = refused.min { $0.error.fields.count < $1.error.fields.count }!
        let summary = FieldError("/header", "header-not-found", Text(
            "前 \(refused.count) 行都不是表头（文件读作\(read.zh)；第 \(refused[0].number) 行为“\(first.prefix(120))”）。最接近表头的第 \(closest.number) 行：",
            "None of the first \(refused.count) rows holds the headers (the file was read as \(read.en); row \(refused[0].number) reads \"\(first.prefix(120))\"). The closest, row \(closest.number):"))
        return RenkouError.invalid([summary] + closest.error.fields)
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
