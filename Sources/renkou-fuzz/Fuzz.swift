// The file readers fuzzed (#18 part 6): every input goes through what a user's upload goes through —
// the encoding and separator detection, the CSV splitter (and the UTF-16 transcoder), `TableFile.read`
// (CSV or XLSX by content, ZIPFoundation underneath), and the cell readers an import applies to each
// cell (dates, text, names, ID numbers, the person-row parser). An input that is no archive is also
// wrapped, as the sheet, shared strings and styles, in a valid workbook (a mutated archive fails its
// CRC check and would never reach the XML readers). A crash, a hang or a memory fault is a finding:
// scripts/fuzz saves it in .build/fuzz/findings, and a copy in Tests/fuzz/findings becomes a test
// (RealWorldFilesTests replays that folder and the seeds through this program).
//
// Built two ways:
// - with libFuzzer (`scripts/fuzz`: `swift build --product renkou-fuzz -Xswiftc -sanitize=fuzzer,address
//   -Xswiftc -DFUZZING -Xswiftc -parse-as-library`), which supplies `main` and calls
//   `LLVMFuzzerTestOneInput` with generated and mutated inputs from the corpus (Tests/fuzz/corpus);
// - plainly (with the rest of the package), as `renkou-fuzz FILE...`, which runs files through the same
//   readers once each: how a finding is replayed.
import Foundation
import RenkouCore
import RenkouFiles
import ZIPFoundation

/// What one input goes through. Never throws: a refused file is a correct outcome, only a crash is not.
func exercise(_ bytes: [UInt8]) {
    let encoding = TableEncoding.detect(bytes)
    var text = bytes
    if var t = encoding.transcoder {
        // In two pieces, cut where the input says, so that the carry across chunks is exercised too.
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        text = t.feed(bytes[..<cut]) + t.feed(bytes[cut...], final: true)
    }
    var splitter = CSVSplitter(separator: FieldSeparator.detect(text))
    var cells: [String] = []
    let decode: TableEncoding = encoding == .gb18030 ? .gb18030 : .utf8
    // In two chunks, cut where the input's second byte says: a quote, a line break or a multi-byte
    // character across a chunk's end must read as in one piece.
    let split = text.count < 2 ? 0 : Int(bytes[1]) % (text.count + 1)
    splitter.feed(text[..<split]) { r in cells += r.fields.prefix(64).map { decode.decode($0) } }
    splitter.feed(text[split...]) { r in cells += r.fields.prefix(64).map { decode.decode($0) } }
    splitter.finish { r in cells += r.fields.prefix(64).map { decode.decode($0) } }
    for cell in cells.prefix(256) { readCell(cell) }

    // The whole reader, from a file, as an upload is read (XLSX when the bytes are a ZIP archive): every
    // archive, one text input in eight as it is (the splitter above has read the others the same way),
    // and one in four wrapped in a valid workbook.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-fuzz-\(getpid()).bin")
    defer { try? FileManager.default.removeItem(at: url) }
    if bytes.starts(with: [0x50, 0x4B]) || bytes.first.map({ $0 % 8 == 0 }) == true {
        guard (try? Data(bytes).write(to: url)) != nil else { return }
    } else if bytes.first.map({ $0 % 4 == 1 }) == true {
        guard workbook(around: bytes, date1904: bytes.count > 2 && bytes[2] & 1 == 1, at: url) else { return }
    } else {
        return
    }
    let done = DispatchSemaphore(value: 0)
    Task {
        _ = try? await TableFile.read(url) { row, _ in
            if let layout = try? PersonImportLayout(headers: row) { _ = layout.columns }
            for cell in row.prefix(64) { readCell(cell) }
        }
        done.signal()
    }
    done.wait()
}

/// A valid workbook whose sheet, shared strings and styles are all `xml` (the readers scan each for
/// their own elements), written to `url`.
func workbook(around xml: [UInt8], date1904: Bool, at url: URL) -> Bool {
    try? FileManager.default.removeItem(at: url)
    guard let archive = try? Archive(url: url, accessMode: .create) else { return false }
    let parts: [(String, Data)] = [
        ("[Content_Types].xml", Data("<Types/>".utf8)),
        ("xl/workbook.xml", Data("<workbook><workbookPr\(date1904 ? " date1904=\"1\"" : "")/><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
        ("xl/_rels/workbook.xml.rels", Data("<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
        ("xl/sharedStrings.xml", Data(xml)), ("xl/styles.xml", Data(xml)), ("xl/worksheets/sheet1.xml", Data(xml)),
    ]
    for (path, data) in parts {
        guard (try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none, provider: { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        })) != nil else { return false }
    }
    return true
}

/// The readers an import applies to one cell.
func readCell(_ cell: String) {
    _ = CellText.normalize(cell)
    _ = CellText.looksLikeFormula(cell)
    _ = CellDate.read(cell)
    _ = PersonName.normalize(cell)
    _ = CitizenID.check(cell, today: Day(year: 2026, month: 11, day: 30)!)
    _ = CSV.spreadsheetCell(cell)
    if let layout = try? PersonImportLayout(headers: ["姓名", "公民身份号码", "性别", "出生日期", "初婚日期", "户号", "与户主关系"]) {
        _ = PersonImportRow.parse([cell, cell, cell, cell, cell, cell, cell], row: 2, layout: layout, defaultUnit: "310114001001",
                                  today: Day(year: 2026, month: 11, day: 30)!, policy: .shipped)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver, for a program that has its own entry point.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The entry point SwiftPM links an executable target with (it renames `main` to `<module>_main`):
/// it hands the command line to libFuzzer.
@_cdecl("renkou_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
#else
/// `renkou-fuzz FILE...`: each file through the readers once (a finding replayed).
@main struct Replay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            FileHandle.standardError.write(Data("usage: renkou-fuzz FILE... (runs each file through the readers; scripts/fuzz fuzzes them)\n".utf8))
            exit(2)
        }
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else { print("\(path): unreadable"); exit(1) }
            exercise(Array(data))
            print("\(path): ok")
        }
    }
}
#endif
