import Foundation
import RenkouCore

/// Reads a spreadsheet a user uploads, CSV or XLSX, one row at a time, so memory does not grow with
/// the file. The kind is told by the content (an XLSX file is a ZIP archive), not by the name.
public enum TableFile {
    public enum Kind: String, Sendable { case csv, xlsx }

    /// What a read found: the kind, the text encoding and field separator of a CSV file, how many rows
    /// it passed on and how many blank ones (nothing but separators and white space) it skipped.
    public struct Summary: Sendable {
        public var kind: Kind
        public var encoding: TableEncoding?
        public var separator: FieldSeparator? = nil
        public var rows: Int
        public var blank: Int = 0
    }

    /// True for a row with nothing but empty cells and white space (what a spreadsheet writes for
    /// formatted empty rows: `,,,`): skipped and counted as blank, never read as data.
    static func isBlank(_ cells: [String]) -> Bool { cells.allSatisfy { CellText.normalize($0).isEmpty } }

    static let chunkSize = 256 * 1024

    public static func kind(of url: URL) throws -> Kind {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let magic = try handle.read(upToCount: 4) ?? Data()
        return magic.elementsEqual([0x50, 0x4B, 0x03, 0x04]) ? .xlsx : .csv
    }

    /// What `read` would take a file for (kind; a CSV file's encoding and separator), from its first
    /// bytes, for a message that says what was found.
    public static func format(of url: URL) throws -> Summary {
        guard try kind(of: url) == .csv else { return Summary(kind: .xlsx, encoding: nil, rows: 0) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let format = csvFormat(Array(try handle.read(upToCount: chunkSize) ?? Data()))
        return Summary(kind: .csv, encoding: format.encoding, separator: format.separator, rows: 0)
    }

    /// How a CSV file's first chunk says to read the file: its encoding, the transcoder UTF-16 needs (fed
    /// the chunk already, carrying what it cut), its separator (tab for Excel's "Unicode text", whatever
    /// commas its cells hold), and the chunk as the splitter takes it.
    static func csvFormat(_ first: [UInt8]) -> (encoding: TableEncoding, transcoder: UTF16Transcoder?, separator: FieldSeparator, bytes: [UInt8]) {
        let encoding = TableEncoding.detect(first)
        guard var transcoder = encoding.transcoder else { return (encoding, nil, FieldSeparator.detect(first), first) }
        let bytes = transcoder.feed(first)
        return (encoding, transcoder, bytes.contains(0x09) ? .tab : FieldSeparator.detect(bytes), bytes)
    }

    /// Calls `row` with each non-blank row's cells and its 1-based row number (the line number in a
    /// CSV file, the row number in the sheet), and `progress` with the share of the file read (0...1).
    /// A CSV file's encoding (`TableEncoding.detect`) and separator (`FieldSeparator.detect`) are
    /// told from its first 256 KB.
    @discardableResult
    public static func read(_ url: URL, progress: @escaping (Double) -> Void = { _ in },
                            row: ([String], Int) async throws -> Void) async throws -> Summary {
        switch try kind(of: url) {
        case .csv: return try await readCSV(url, progress: progress, row: row)
        case .xlsx: return try await XLSX.read(url, progress: progress, row: row)
        }
    }

    static func readCSV(_ url: URL, progress: (Double) -> Void, row: ([String], Int) async throws -> Void) async throws -> Summary {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let total = Double(max(1, (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 1))
        var splitter: CSVSplitter?
        var encoding: TableEncoding?, separator: FieldSeparator?
        // UTF-16 reaches the splitter as UTF-8; its fields are then decoded as UTF-8.
        var transcoder: UTF16Transcoder?
        var read = 0.0, rows = 0, blank = 0
        var pending: [CSVSplitter.Record] = []
        func hand(_ records: [CSVSplitter.Record]) async throws {
            let fields = transcoder == nil ? encoding ?? .utf8 : .utf8
            for r in records {
                let cells = r.fields.map { fields.decode($0) }
                if isBlank(cells) { blank += 1; continue }
                rows += 1
                try await row(cells, r.line)
            }
        }
        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { break }
            var bytes = Array(chunk)
            if splitter == nil {
                let format = csvFormat(bytes)
                (encoding, transcoder, separator, bytes) = (format.encoding, format.transcoder, format.separator, format.bytes)
                splitter = CSVSplitter(separator: format.separator)
            } else if transcoder != nil {
                bytes = transcoder!.feed(bytes)
            }
            read += Double(chunk.count)
            splitter!.feed(bytes) { pending.append($0) }
            try await hand(pending)
            pending.removeAll(keepingCapacity: true)
            progress(read / total)
        }
        var last = splitter ?? CSVSplitter()
        if transcoder != nil { last.feed(transcoder!.feed([], final: true)) { pending.append($0) } }
        last.finish { pending.append($0) }
        try await hand(pending)
        progress(1)
        return Summary(kind: .csv, encoding: encoding ?? .utf8, separator: separator ?? .comma, rows: rows, blank: blank)
    }
}
