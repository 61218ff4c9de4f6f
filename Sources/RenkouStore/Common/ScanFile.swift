import Foundation
import RenkouCore

/// A scanned paper kept with a record (an agreement, a signed consent): its file name, its type
/// (`application/pdf`, `image/png`, `image/jpeg`) and its bytes, at most `maxBytes`.
public struct ScanFile: Sendable {
    public let name: String
    public let type: String
    public let data: Data
    public init(name: String, type: String, data: Data) { self.name = name; self.type = type; self.data = data }
    /// A scan whose bytes are a PDF, a PNG or a JPEG (told by their first bytes); nil for anything else.
    public init?(name: String, data: Data) {
        guard let type = Self.type(of: data) else { return nil }
        self.init(name: name, type: type, data: data)
    }
    public static func type(of data: Data) -> String? {
        if data.starts(with: [0x25, 0x50, 0x44, 0x46]) { return "application/pdf" }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        return nil
    }
    /// The error for a file that is none of those, under `pointer`.
    public static func wrongType(_ pointer: String) -> RenkouError {
        RenkouError.invalid([FieldError(pointer, "scan-type", Text("扫描件应为 PDF、PNG 或 JPEG 文件。", "A scan is a PDF, PNG or JPEG file."))])
    }
    /// 4 MB: a scanned page or two.
    public static let maxBytes = 4 * 1024 * 1024
}
