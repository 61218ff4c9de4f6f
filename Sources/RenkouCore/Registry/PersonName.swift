/// 姓名 as the registry stores and searches it. Names reach the system typed on phones, pasted from
/// other systems and read from spreadsheets, and the same name arrives in look-alike forms that a
/// search or a duplicate check would tell apart: `阿依古丽•买买提` (a bullet) for `阿依古丽·买买提` (the
/// middle dot 间隔号 of GB/T 15834 that separates the parts of a transliterated name), `陈　一` (an
/// ideographic space), `王\u{200B}芳` (a zero-width space). One form is kept.
public enum PersonName {
    /// Characters that stand for the middle dot U+00B7 in a name wherever they appear: the bullet,
    /// the hyphenation point, the katakana middle dot (full and half width), the bullet and dot
    /// operators, the Greek ano teleia, the runic and the word-separator middle dots.
    static let dotLookalikes: Set<UInt32> = [0x2022, 0x2027, 0x30FB, 0xFF65, 0x2219, 0x22C5, 0x0387, 0x16EB, 0x2E31, 0x00B7]
    /// Full stops typed for the middle dot: counted as one only between two Chinese characters
    /// (`J. Smith` keeps its full stop).
    static let stops: Set<UInt32> = [0x2E, 0xFF0E, 0x3002]

    /// The name in its one stored form: invisible format characters (Unicode Cf) dropped, every look-alike
    /// of the middle dot made U+00B7 (a full stop too, between Chinese characters), white space of any
    /// kind made one plain space and dropped next to a Chinese character or a middle dot (Chinese names
    /// carry no spaces; `John Smith` keeps its one), the ends trimmed.
    public static func normalize(_ raw: String) -> String {
        var scalars: [Unicode.Scalar] = []
        for s in raw.unicodeScalars {
            if s.value >= 0x80 && s.properties.generalCategory == .format { continue }
            if dotLookalikes.contains(s.value) { scalars.append("\u{B7}"); continue }
            if s.properties.isWhitespace { scalars.append(" "); continue }
            scalars.append(s)
        }
        func isHan(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF, 0x3007: return true
            default: return false
            }
        }
        // Stops between two Chinese characters (spaces around them aside) become middle dots.
        for i in scalars.indices where stops.contains(scalars[i].value) {
            let before = scalars[..<i].last { $0 != " " }, after = scalars[(i + 1)...].first { $0 != " " }
            if let before, let after, isHan(before), isHan(after) { scalars[i] = "\u{B7}" }
        }
        var out = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            if s == " " {
                let before = out.last, after = scalars[(i + 1)...].first { $0 != " " }
                guard let before, let after, before != " " else { continue }
                if isHan(before) || isHan(after) || before == "\u{B7}" || after == "\u{B7}" { continue }
            }
            out.append(s)
        }
        return String(out)
    }
}
