import Foundation
import RenkouCore
import ZIPFoundation

/// The parts of Office Open XML spreadsheets (ECMA-376) an import and an export need: the first
/// sheet's rows, shared and inline strings; and a one-sheet workbook of text cells.
public enum XLSX {
    static func read(_ url: URL, progress: (Double) -> Void, row: ([String], Int) async throws -> Void) async throws -> TableFile.Summary {
        // The sheet goes to a temporary file first: the archive hands out its bytes synchronously, the
        // rows are handled asynchronously (each batch writes to the database). A damaged archive is the
        // user's file at fault: it gets the same clear error as a file that is no workbook at all.
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temp) }
        let shared: [String], sheet: Entry, dates: DateCells
        do {
            let archive = try Archive(url: url, accessMode: .read)
            guard let entry = archive[try firstSheetPath(archive)] else { throw notWorkbook }
            sheet = entry
            shared = try archive["xl/sharedStrings.xml"].map { sharedStrings(try data(of: $0, in: archive)) } ?? []
            dates = DateCells(workbook: try archive["xl/workbook.xml"].map { try data(of: $0, in: archive) } ?? [],
                              styles: try archive["xl/styles.xml"].map { try data(of: $0, in: archive) } ?? [])
            _ = try archive.extract(sheet, to: temp, skipCRC32: false)
        } catch {
            throw notWorkbook
        }
        let handle = try FileHandle(forReadingFrom: temp)
        defer { try? handle.close() }
        let total = Double(max(1, sheet.uncompressedSize))
        var buffer: [UInt8] = [], read = 0.0, rows = 0, blank = 0
        let rowEnd = Array("</row>".utf8)
        while true {
            let chunk = try handle.read(upToCount: TableFile.chunkSize) ?? Data()
            if chunk.isEmpty { break }
            buffer.append(contentsOf: chunk)
            read += Double(chunk.count)
            var start = 0
            while let end = find(rowEnd, in: buffer, from: start) {
                if let (number, cells) = parseRow(buffer[start..<end], shared: shared, dates: dates) {
                    if TableFile.isBlank(cells) { blank += 1 } else {
                        rows += 1
                        try await row(cells, number)
                    }
                }
                start = end + rowEnd.count
            }
            buffer.removeFirst(start)
            progress(read / total)
        }
        progress(1)
        return TableFile.Summary(kind: .xlsx, encoding: nil, rows: rows, blank: blank)
    }

    static var notWorkbook: RenkouError {
        RenkouError(.invalid, "file-format", Text("文件不是有效的 XLSX 工作簿。", "The file is not a valid XLSX workbook."))
    }

    static func data(of entry: Entry, in archive: Archive) throws -> [UInt8] {
        var out: [UInt8] = []
        _ = try archive.extract(entry, skipCRC32: false) { out.append(contentsOf: $0) }
        return out
    }

    /// The path of the workbook's first sheet, from workbook.xml and its relationships.
    static func firstSheetPath(_ archive: Archive) throws -> String {
        guard let workbook = archive["xl/workbook.xml"] else { throw notWorkbook }
        let wb = try data(of: workbook, in: archive)
        guard let sheetTag = find(Array("<sheet ".utf8), in: wb, from: 0),
              let rid = attribute("r:id", in: wb[sheetTag..<(find([0x3E], in: wb, from: sheetTag) ?? wb.count)]),
              let rels = archive["xl/_rels/workbook.xml.rels"] else { return "xl/worksheets/sheet1.xml" }
        let r = try data(of: rels, in: archive)
        var at = 0
        while let tag = find(Array("<Relationship ".utf8), in: r, from: at) {
            let end = find([0x3E], in: r, from: tag) ?? r.count
            let element = r[tag..<end]
            if attribute("Id", in: element) == rid, let target = attribute("Target", in: element) {
                return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
            at = end
        }
        return "xl/worksheets/sheet1.xml"
    }

    /// The shared-string table: each `<si>` is the text of its `<t>` runs (phonetic `<rPh>` runs left out).
    static func sharedStrings(_ xml: [UInt8]) -> [String] {
        var out: [String] = []
        var at = 0
        let open = Array("<si>".utf8), openAlt = Array("<si ".utf8), close = Array("</si>".utf8)
        while true {
            let a = find(open, in: xml, from: at), b = find(openAlt, in: xml, from: at)
            guard let start = [a, b].compactMap({ $0 }).min(), let end = find(close, in: xml, from: start) else { break }
            out.append(texts(xml[start..<end]))
            at = end + close.count
        }
        return out
    }

    /// The text of the `<t>` elements in a fragment, outside `<rPh>` runs, unescaped.
    static func texts(_ fragment: ArraySlice<UInt8>) -> String {
        var result = ""
        var at = fragment.startIndex
        let rPh = Array("<rPh".utf8), rPhEnd = Array("</rPh>".utf8)
        let body = Array(fragment)
        var skipRanges: [Range<Int>] = []
        var s = 0
        while let p = find(rPh, in: body, from: s), let e = find(rPhEnd, in: body, from: p) { skipRanges.append(p..<(e + rPhEnd.count)); s = e + rPhEnd.count }
        at = 0
        while let t = find(Array("<t".utf8), in: body, from: at) {
            let next = t + 2 < body.count ? body[t + 2] : 0
            guard next == 0x3E || next == 0x20 || next == 0x2F else { at = t + 2; continue }
            guard let gt = find([0x3E], in: body, from: t) else { break }
            if body[gt - 1] == 0x2F { at = gt + 1; continue } // <t/>
            guard let close = find(Array("</t>".utf8), in: body, from: gt) else { break }
            if !skipRanges.contains(where: { $0.contains(t) }) { result += unescape(body[(gt + 1)..<close]) }
            at = close + 4
        }
        return result
    }

    /// Which cells hold dates, and from which day a workbook counts them. A spreadsheet stores a date as
    /// a number of days and tells it apart only by the cell's number format (styles.xml: a built-in
    /// date format, or a format code with `y`, `d` or `e` outside quotes and brackets); the count starts
    /// at 1899-12-30 (serials from 61: Excel's 1900 system counts a 29 February 1900 that never was),
    /// or at 1904-01-01 when the workbook says `date1904` (ECMA-376 §18.2.28; older Mac workbooks).
    struct DateCells: Sendable {
        var date1904 = false
        /// For each cell format (the `s` index of a cell), whether it shows a date.
        var isDateStyle: [Bool] = []

        /// Built-in number formats that show a date: 14–17 and 22 everywhere, 27–36 and 50–58 in Chinese,
        /// Japanese and Korean Excel (`yyyy年m月d日` and the like).
        static let builtInDates: Set<Int> = Set(14...17).union([22]).union(27...36).union(50...58)

        init() {}
        init(workbook: [UInt8], styles: [UInt8]) {
            if let tag = XLSX.find(Array("<workbookPr".utf8), in: workbook, from: 0) {
                let end = XLSX.find([0x3E], in: workbook, from: tag) ?? workbook.count
                let value = XLSX.attribute("date1904", in: workbook[tag..<end])
                date1904 = value == "1" || value == "true"
            }
            guard !styles.isEmpty else { return }
            var custom: [Int: Bool] = [:]
            var at = 0
            while let tag = XLSX.find(Array("<numFmt ".utf8), in: styles, from: at) {
                let end = XLSX.find([0x3E], in: styles, from: tag) ?? styles.count
                if let id = XLSX.attribute("numFmtId", in: styles[tag..<end]).flatMap(Int.init), let code = XLSX.attribute("formatCode", in: styles[tag..<end]) {
                    custom[id] = Self.showsDate(code)
                }
                at = end
            }
            guard let xfs = XLSX.find(Array("<cellXfs".utf8), in: styles, from: 0) else { return }
            let xfsEnd = XLSX.find(Array("</cellXfs>".utf8), in: styles, from: xfs) ?? styles.count
            at = xfs + 1
            while let tag = XLSX.find(Array("<xf ".utf8), in: styles, from: at), tag < xfsEnd {
                let end = XLSX.find([0x3E], in: styles, from: tag) ?? styles.count
                let id = XLSX.attribute("numFmtId", in: styles[tag..<end]).flatMap(Int.init) ?? 0
                isDateStyle.append(custom[id] ?? Self.builtInDates.contains(id))
                at = end
            }
        }

        /// True for a format code that shows a date: `yyyy-mm-dd`, `yyyy"年"m"月"d"日"`, `[$-804]e/m/d`;
        /// not `General` (which LibreOffice writes as a custom format), `0.00E+00`, `0.00`, `mm:ss` or `[Red]0`.
        static func showsDate(_ code: String) -> Bool {
            var quoted = false, bracket = false, escaped = false
            // The word General and a scientific exponent (E+, E-) hold an `e` that is no era year.
            let plain = code.lowercased().replacingOccurrences(of: "general", with: "").replacingOccurrences(of: "e+", with: "").replacingOccurrences(of: "e-", with: "")
            for c in plain {
                if escaped { escaped = false; continue }
                switch c {
                case "\\": escaped = true
                case "\"": quoted.toggle()
                case "[" where !quoted: bracket = true
                case "]" where !quoted: bracket = false
                case "y", "d", "e": if !quoted && !bracket { return true }
                default: break
                }
            }
            return false
        }

        /// The day a serial number in a date cell stands for, as `YYYY-MM-DD`; nil when it is none.
        func day(_ serial: String) -> String? {
            guard let value = Double(serial), value >= 0, value < 2_958_466 else { return nil }
            let n = Int(value.rounded(.down))
            if date1904 { return Day(year: 1904, month: 1, day: 1)!.adding(days: n).description }
            if n == 60 || n == 0 { return nil }
            return (n < 60 ? Day(year: 1899, month: 12, day: 31)! : Day(year: 1899, month: 12, day: 30)!).adding(days: n).description
        }
    }

    /// One `<row ...>...` fragment (without its `</row>`): its number and its cells, gaps filled with "".
    /// A number in a cell formatted as a date becomes that day (`YYYY-MM-DD`, see `DateCells`).
    static func parseRow(_ fragment: ArraySlice<UInt8>, shared: [String], dates: DateCells = DateCells()) -> (Int, [String])? {
        guard let rowTag = find(Array("<row".utf8), in: fragment, from: fragment.startIndex) else { return nil }
        let rowTagEnd = find([0x3E], in: fragment, from: rowTag) ?? fragment.endIndex
        let number = attribute("r", in: fragment[rowTag..<rowTagEnd]).flatMap(Int.init) ?? 0
        var cells: [String] = []
        var at = rowTagEnd
        let cOpen = Array("<c".utf8)
        while let c = find(cOpen, in: fragment, from: at) {
            let after = c + 2 < fragment.endIndex ? fragment[c + 2] : 0
            guard after == 0x20 || after == 0x3E || after == 0x2F else { at = c + 2; continue }
            guard let tagEnd = find([0x3E], in: fragment, from: c) else { break }
            let tag = fragment[c..<tagEnd]
            let selfClosing = fragment[tagEnd - 1] == 0x2F
            var bodyEnd = tagEnd + 1
            var value = ""
            if !selfClosing, let close = find(Array("</c>".utf8), in: fragment, from: tagEnd) {
                bodyEnd = close + 4
                let body = fragment[(tagEnd + 1)..<close]
                let type = attribute("t", in: tag) ?? "n"
                switch type {
                case "s":
                    if let v = element("v", in: body), let i = Int(v), shared.indices.contains(i) { value = shared[i] }
                case "inlineStr": value = texts(body)
                case "n":
                    value = element("v", in: body) ?? ""
                    if let style = attribute("s", in: tag).flatMap(Int.init), dates.isDateStyle.indices.contains(style), dates.isDateStyle[style],
                       let day = dates.day(value) { value = day }
                default: value = element("v", in: body) ?? ""
                }
            }
            if let ref = attribute("r", in: tag) {
                let column = ref.prefix { $0.isLetter }.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
                if column >= 0 && column < 16_384 { while cells.count < column { cells.append("") } }
            }
            cells.append(value)
            at = bodyEnd
        }
        return (number, cells)
    }

    static func element(_ name: String, in body: ArraySlice<UInt8>) -> String? {
        guard let open = find(Array("<\(name)".utf8), in: body, from: body.startIndex),
              let gt = find([0x3E], in: body, from: open),
              let close = find(Array("</\(name)>".utf8), in: body, from: gt) else { return nil }
        return unescape(body[(gt + 1)..<close])
    }

    static func attribute(_ name: String, in tag: ArraySlice<UInt8>) -> String? {
        let key = Array(" \(name)=\"".utf8)
        guard let at = find(key, in: tag, from: tag.startIndex) else { return nil }
        let start = at + key.count
        guard let end = find([0x22], in: tag, from: start) else { return nil }
        return unescape(tag[start..<end])
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? { find(needle, in: hay[...], from: from) }

    /// The index in `hay` (the slice's own indices) of the first `needle` at or after `from`, or nil.
    static func find(_ needle: [UInt8], in hay: ArraySlice<UInt8>, from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        let base = hay.startIndex, first = needle[0], last = hay.count - needle.count
        var i = max(0, from - base)
        return hay.withUnsafeBufferPointer { h in
            while i <= last {
                if h[i] == first {
                    var k = 1
                    while k < needle.count && h[i + k] == needle[k] { k += 1 }
                    if k == needle.count { return base + i }
                }
                i += 1
            }
            return nil
        }
    }

    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.contains("&") else { return s }
        var out = "", i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].firstIndex(of: ";"), s.distance(from: i, to: semi) <= 10 {
                let entity = s[s.index(after: i)..<semi]
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x"), let n = UInt32(entity.dropFirst(2), radix: 16), let u = UnicodeScalar(n) { replacement = String(u) }
                    else if entity.hasPrefix("#"), let n = UInt32(entity.dropFirst()), let u = UnicodeScalar(n) { replacement = String(u) }
                }
                if let replacement { out += replacement; i = s.index(after: semi); continue }
            }
            out.append(s[i]); i = s.index(after: i)
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                // Control characters are not allowed in XML 1.0.
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Writes a one-sheet workbook of text cells to `url`. `rows` is called until it returns nil, so
    /// the rows can come from the database batch by batch; the sheet is streamed through a temporary file.
    public static func write(to url: URL, sheetName: String = "Sheet1", rows next: () async throws -> [[String]]?) async throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("renkou-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temp) }
        _ = FileManager.default.createFile(atPath: temp.path, contents: nil)
        let handle = try FileHandle(forWritingTo: temp)
        try handle.write(contentsOf: Data("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            """.utf8))
        var number = 0
        while let batch = try await next() {
            var xml = ""
            for row in batch {
                number += 1
                xml += "<row r=\"\(number)\">"
                for (i, cell) in row.enumerated() where !cell.isEmpty {
                    xml += "<c r=\"\(columnName(i))\(number)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(cell))</t></is></c>"
                }
                xml += "</row>"
            }
            try handle.write(contentsOf: Data(xml.utf8))
        }
        try handle.write(contentsOf: Data("</sheetData></worksheet>".utf8))
        try handle.close()

        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", """
             <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
             <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
             """),
            ("_rels/.rels", """
             <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
             <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
             """),
            ("xl/workbook.xml", """
             <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
             <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\(escape(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>
             """),
            ("xl/_rels/workbook.xml.rels", """
             <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
             <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
             """),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: temp, compressionMethod: .deflate)
    }

    /// A, B, ..., Z, AA, AB, ...
    static func columnName(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(65 + r)!) + s; n = (n - 1) / 26 }
        return s
    }
}
