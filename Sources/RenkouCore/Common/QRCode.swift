/// A QR code (ISO/IEC 18004) in byte mode at error-correction level M, versions 1–10 (up to 213 bytes):
/// enough for a verification address. Written here because no QR package is on the machine; the browser
/// test decodes a printed certificate's code with zbar to prove it scans.
public struct QRCode: Sendable {
    /// Modules, row by row; true is dark.
    public let modules: [[Bool]]
    public let version: Int
    public var size: Int { modules.count }

    /// Per version (index 0 = version 1): total codewords, error-correction codewords per block, blocks.
    static let table: [(total: Int, ecPerBlock: Int, blocks: Int)] = [
        (26, 10, 1), (44, 16, 1), (70, 26, 1), (100, 18, 2), (134, 24, 2),
        (172, 16, 4), (196, 18, 4), (242, 22, 4), (292, 22, 5), (346, 26, 5),
    ]
    static let alignment: [[Int]] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]]

    public enum Failure: Error { case tooLong }

    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard let version = (1...10).first(where: { v in
            let t = Self.table[v - 1]
            return 4 + (v < 10 ? 8 : 16) + bytes.count * 8 <= (t.total - t.ecPerBlock * t.blocks) * 8
        }) else { throw Failure.tooLong }
        self.version = version
        var builder = Builder(version: version)
        builder.drawFunctionPatterns()
        builder.drawCodewords(Self.codewords(bytes, version: version))
        var best: [[Bool]] = [], bestPenalty = Int.max
        for mask in 0..<8 {
            var candidate = builder
            candidate.applyMask(mask)
            candidate.drawFormat(mask: mask)
            let penalty = candidate.penalty()
            if penalty < bestPenalty { bestPenalty = penalty; best = candidate.modules }
        }
        modules = best
    }

    /// Data bits, padding and Reed-Solomon error correction, interleaved by block.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let t = table[version - 1]
        let dataCount = t.total - t.ecPerBlock * t.blocks
        var bits: [Bool] = []
        func put(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        put(0b0100, 4)
        put(bytes.count, version < 10 ? 8 : 16)
        for b in bytes { put(Int(b), 8) }
        put(0, min(4, dataCount * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { i in bits[i..<i + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) } }
        var pad: UInt8 = 0xEC
        while data.count < dataCount { data.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        // Blocks: the short ones first, the long ones one codeword longer.
        let shortLength = dataCount / t.blocks, longBlocks = dataCount % t.blocks
        var blocks: [[UInt8]] = [], offset = 0
        for i in 0..<t.blocks {
            let length = shortLength + (i >= t.blocks - longBlocks ? 1 : 0)
            blocks.append(Array(data[offset..<offset + length])); offset += length
        }
        let divisor = ReedSolomon.divisor(degree: t.ecPerBlock)
        let ec = blocks.map { ReedSolomon.remainder($0, divisor) }
        var result: [UInt8] = []
        for i in 0..<(shortLength + 1) { for b in blocks where i < b.count { result.append(b[i]) } }
        for i in 0..<t.ecPerBlock { for e in ec { result.append(e[i]) } }
        return result
    }

    /// An SVG drawing with a quiet zone of four modules, `scale` pixels per module.
    public func svg(scale: Int = 4, label: String = "QR") -> String {
        let full = (size + 8) * scale
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\(x + 4),\(y + 4)h1v1h-1z" }
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="\(label)" width="\(full)" height="\(full)" viewBox="0 0 \(size + 8) \(size + 8)" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
        """
    }
}

extension QRCode {
    /// The matrix while it is being drawn: modules and which of them belong to function patterns.
    struct Builder {
        var modules: [[Bool]]
        var function: [[Bool]]
        let version: Int
        var size: Int { modules.count }

        init(version: Int) {
            self.version = version
            let size = version * 4 + 17
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            function = modules
        }

        mutating func set(_ x: Int, _ y: Int, _ dark: Bool) { modules[y][x] = dark; function[y][x] = true }

        mutating func drawFunctionPatterns() {
            for i in 0..<size { set(6, i, i % 2 == 0); set(i, 6, i % 2 == 0) }
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 { for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let d = max(abs(dx), abs(dy)); set(x, y, d != 2 && d != 4)
                } }
            }
            let positions = QRCode.alignment[version - 1], last = positions.count - 1
            for (i, ay) in positions.enumerated() { for (j, ax) in positions.enumerated() {
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 { for dx in -2...2 { set(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1) } }
            } }
            drawFormat(mask: 0)   // reserves the format area; drawn again with the chosen mask
            if version >= 7 {
                var rem = version
                for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
                let bits = version << 12 | rem
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1, a = size - 11 + i % 3, b = i / 3
                    set(a, b, bit); set(b, a, bit)
                }
            }
        }

        /// Format information for level M (bits 00) and a mask, both copies, plus the dark module.
        mutating func drawFormat(mask: Int) {
            let data = 0 << 3 | mask
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            let bits = (data << 10 | rem) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6)); set(8, 8, bit(7)); set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// Codewords in the zigzag order: two columns at a time from the right, up then down.
        mutating func drawCodewords(_ data: [UInt8]) {
            var i = 0, right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vert in 0..<size { for j in 0..<2 {
                    let x = right - j, upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    if !function[y][x] && i < data.count * 8 {
                        modules[y][x] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                } }
                right -= 2
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size { for x in 0..<size where !function[y][x] {
                let flip: Bool
                switch mask {
                case 0: flip = (x + y) % 2 == 0
                case 1: flip = y % 2 == 0
                case 2: flip = x % 3 == 0
                case 3: flip = (x + y) % 3 == 0
                case 4: flip = (x / 3 + y / 2) % 2 == 0
                case 5: flip = x * y % 2 + x * y % 3 == 0
                case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { modules[y][x].toggle() }
            } }
        }

        /// The standard's four penalty rules: runs, 2×2 blocks, finder-like patterns, dark balance.
        func penalty() -> Int {
            var score = 0
            let finderLike: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
            for transposed in [false, true] {
                for a in 0..<size {
                    let line = (0..<size).map { b in transposed ? modules[b][a] : modules[a][b] }
                    var run = 1
                    for b in 1..<size {
                        if line[b] == line[b - 1] { run += 1 } else { if run >= 5 { score += run - 2 }; run = 1 }
                    }
                    if run >= 5 { score += run - 2 }
                    for b in 0...(size - 11) {
                        let slice = Array(line[b..<b + 11])
                        if slice == finderLike || slice == finderLike.reversed() { score += 40 }
                    }
                }
            }
            for y in 0..<(size - 1) { for x in 0..<(size - 1) {
                let c = modules[y][x]
                if c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1] { score += 3 }
            } }
            let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
            let total = size * size
            score += max(0, (abs(dark * 20 - total * 10) + total - 1) / total - 1) * 10
            return score
        }
    }

    /// Reed-Solomon over GF(256) with the polynomial 0x11D.
    enum ReedSolomon {
        static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
            var z = 0
            for i in stride(from: 7, through: 0, by: -1) {
                z = (z << 1) ^ ((z >> 7) * 0x11D)
                z ^= Int((y >> i) & 1) * Int(x)
            }
            return UInt8(z & 0xFF)
        }
        static func divisor(degree: Int) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: degree); result[degree - 1] = 1
            var root: UInt8 = 1
            for _ in 0..<degree {
                for j in 0..<degree {
                    result[j] = multiply(result[j], root)
                    if j + 1 < degree { result[j] ^= result[j + 1] }
                }
                root = multiply(root, 0x02)
            }
            return result
        }
        static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: divisor.count)
            for b in data {
                let factor = b ^ result.removeFirst()
                result.append(0)
                for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
            }
            return result
        }
    }
}
