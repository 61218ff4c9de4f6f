import Foundation

/// Server-drawn SVG charts (no script, no external resource): each bar or point may link to the
/// records behind it. Our own, small: no Swift library on this machine draws SVG charts on the server.
enum Charts {
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    static func num(_ v: Double) -> String { String(format: "%.1f", v) }

    /// One bar: its label, its value (0…1 for a rate), its text, whether it falls short, where it leads.
    struct Bar { let label: String; let value: Double; let text: String; let short: Bool; let href: String? }

    /// Horizontal bars (a ranking), with a target line when given (0…1).
    static func bars(_ bars: [Bar], target: Double?, title: String, max: Double = 1) -> String {
        let rowH = 26.0, labelW = 130.0, width = 560.0, barW = width - labelW - 70, height = Double(bars.count) * rowH + 24
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(esc(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" class=\"chart\"><title>\(esc(title))</title>"
        for (i, b) in bars.enumerated() {
            let y = Double(i) * rowH + 4, w = Swift.max(0, Swift.min(1, b.value / max)) * barW
            var bar = "<rect x=\"\(num(labelW))\" y=\"\(num(y))\" width=\"\(num(w))\" height=\"\(num(rowH - 8))\" class=\"\(b.short ? "bar short" : "bar")\"><title>\(esc(b.label)) \(esc(b.text))</title></rect>"
            if let href = b.href { bar = "<a href=\"\(esc(href))\">\(bar)</a>" }
            out += "<text x=\"\(num(labelW - 6))\" y=\"\(num(y + rowH / 2))\" text-anchor=\"end\" class=\"label\">\(esc(b.label))</text>" + bar
            out += "<text x=\"\(num(labelW + w + 4))\" y=\"\(num(y + rowH / 2))\" class=\"value\">\(esc(b.text))</text>"
        }
        if let target {
            let x = labelW + Swift.min(1, target / max) * barW
            out += "<line x1=\"\(num(x))\" y1=\"0\" x2=\"\(num(x))\" y2=\"\(num(height - 18))\" class=\"target\"/><text x=\"\(num(x))\" y=\"\(num(height - 4))\" text-anchor=\"middle\" class=\"label\">\(esc(String(format: "%.0f%%", target * 100)))</text>"
        }
        return out + "</svg>"
    }

    /// A line over the months (nil: nothing counted that month), with the target line.
    static func trend(_ points: [(label: String, value: Double?, text: String, href: String?)], target: Double?, title: String) -> String {
        let width = 560.0, height = 220.0, left = 40.0, right = 10.0, top = 10.0, bottom = 30.0
        let plotW = width - left - right, plotH = height - top - bottom
        let step = points.count > 1 ? plotW / Double(points.count - 1) : 0
        func y(_ v: Double) -> Double { top + (1 - Swift.max(0, Swift.min(1, v))) * plotH }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(esc(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" class=\"chart\"><title>\(esc(title))</title>"
        for v in [0.0, 0.5, 1.0] {
            out += "<line x1=\"\(num(left))\" y1=\"\(num(y(v)))\" x2=\"\(num(width - right))\" y2=\"\(num(y(v)))\" class=\"grid\"/><text x=\"\(num(left - 4))\" y=\"\(num(y(v) + 4))\" text-anchor=\"end\" class=\"label\">\(Int(v * 100))%</text>"
        }
        if let target { out += "<line x1=\"\(num(left))\" y1=\"\(num(y(target)))\" x2=\"\(num(width - right))\" y2=\"\(num(y(target)))\" class=\"target\"/>" }
        let drawn = points.enumerated().compactMap { i, p in p.value.map { (left + Double(i) * step, y($0)) } }
        if drawn.count > 1 { out += "<polyline points=\"" + drawn.map { "\(num($0.0)),\(num($0.1))" }.joined(separator: " ") + "\" class=\"line\"/>" }
        for (i, p) in points.enumerated() {
            let x = left + Double(i) * step
            out += "<text x=\"\(num(x))\" y=\"\(num(height - 10))\" text-anchor=\"middle\" class=\"label\">\(esc(p.label))</text>"
            guard let v = p.value else { continue }
            var dot = "<circle cx=\"\(num(x))\" cy=\"\(num(y(v)))\" r=\"5\" class=\"\((target.map { v < $0 - 1e-9 } ?? false) ? "dot short" : "dot")\"><title>\(esc(p.label)) \(esc(p.text))</title></circle>"
            if let href = p.href { dot = "<a href=\"\(esc(href))\">\(dot)</a>" }
            out += dot
        }
        return out + "</svg>"
    }

    /// 人口金字塔: men to the left, women to the right, by age band (youngest at the bottom).
    static func pyramid(_ bands: [(label: String, male: Int, female: Int)], title: String, maleLabel: String, femaleLabel: String) -> String {
        let rowH = 14.0, mid = 280.0, half = 200.0, height = Double(bands.count) * rowH + 30
        let most = Double(Swift.max(1, bands.map { Swift.max($0.male, $0.female) }.max() ?? 1))
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(esc(title))\" viewBox=\"0 0 560 \(Int(height))\" class=\"chart\"><title>\(esc(title))</title>"
        for (i, b) in bands.reversed().enumerated() {
            let y = Double(i) * rowH + 4, m = Double(b.male) / most * half, f = Double(b.female) / most * half
            out += "<rect x=\"\(num(mid - 30 - m))\" y=\"\(num(y))\" width=\"\(num(m))\" height=\"\(num(rowH - 2))\" class=\"bar male\"><title>\(esc(b.label)) \(esc(maleLabel)) \(b.male)</title></rect>"
            out += "<rect x=\"\(num(mid + 30))\" y=\"\(num(y))\" width=\"\(num(f))\" height=\"\(num(rowH - 2))\" class=\"bar female\"><title>\(esc(b.label)) \(esc(femaleLabel)) \(b.female)</title></rect>"
            out += "<text x=\"\(num(mid))\" y=\"\(num(y + rowH - 4))\" text-anchor=\"middle\" class=\"label\">\(esc(b.label))</text>"
        }
        out += "<text x=\"\(num(mid - 40))\" y=\"\(num(height - 6))\" text-anchor=\"end\" class=\"label\">\(esc(maleLabel))</text><text x=\"\(num(mid + 40))\" y=\"\(num(height - 6))\" class=\"label\">\(esc(femaleLabel))</text>"
        return out + "</svg>"
    }
}
