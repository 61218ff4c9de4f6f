import Foundation

extension JSONEncoder {
    /// Sorted keys and unescaped slashes: the stable JSON of payloads, policy values and command output.
    public static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
