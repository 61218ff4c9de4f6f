import Crypto
import Foundation
import HummingbirdBcrypt

/// Random secrets and their hashes: session ids, API tokens, passwords.
public enum Secrets {
    /// A number the public keeps to follow a case: `<prefix>-<year>-` and `letters` letters and digits
    /// without 0/O and 1/I (hard to guess: 5 bits each; easy to read out on the phone).
    public static func trackingCode(_ prefix: String, year: Int, letters: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return "\(prefix)-\(year)-" + String((0..<letters).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    /// 32 random bytes, URL-safe base64 without padding.
    public static func random(bytes: Int = 32) -> String {
        var rng = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &rng) })
        // base64url (RFC 4648 §5): "+" → "-", "/" → "_", no "=" padding
        let url = data.base64EncodedData().compactMap { c -> UInt8? in
            switch c { case UInt8(ascii: "+"): UInt8(ascii: "-"); case UInt8(ascii: "/"): UInt8(ascii: "_"); case UInt8(ascii: "="): nil; default: c }
        }
        return String(decoding: url, as: UTF8.self)
    }

    /// SHA-256 in hex: what the database keeps of a session id or token, never the secret itself.
    public static func sha256(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) { hex.append(digits[Int(byte >> 4)]); hex.append(digits[Int(byte & 0x0f)]) }
        return String(decoding: hex, as: UTF8.self)
    }

    public static func hashPassword(_ password: String, cost: UInt8) -> String { Bcrypt.hash(password, cost: cost) }
    public static func verifyPassword(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}
