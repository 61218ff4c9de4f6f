import Foundation

/// A scanned paper kept with a record (an agreement, a signed consent): its file name, its type
/// (`application/pdf`, `image/png`, `image/jpeg`) and its bytes, at most `maxBytes`.
public struct ScanFile: Sendable {
    public let name: String
    public let type: String
    public let data: Data
    public init(name: String, type: String, data: Data) { self.name = name; self.type = type; self.data = data }
    /// The bytes told apart by their first ones: PDF, PNG, else JPEG.
    public init(name: String, data: Data) {
        self.init(name: name, type: data.starts(with: [0x25, 0x50, 0x44, 0x46]) ? "application/pdf" : data.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : "image/jpeg", data: data)
    }
    /// 4 MB: a scanned page or two.
    public static let maxBytes = 4 * 1024 * 1024
}
