import Foundation
import RenkouCore

/// The whole configuration: flags first, then `RENKOU_*` environment variables, then these defaults.
/// Environment variable names are written here and nowhere else.
public struct AppConfig: Sendable, Codable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var databaseURL = "sqlite:renkou.sqlite"
    /// A PostgreSQL streaming replica (`postgres://…`) that serves searches, lists, rates and exports while
    /// writes and audit rows go to `databaseURL`; nil: reads go to the primary's own read pool.
    public var readDatabaseURL: String?
    /// Cookies carry `Secure` when the server sits behind TLS.
    public var secureCookies = false
    public var logLevel = "info"
    public var bcryptCost: UInt8 = 12
    /// The address residents' phones reach the server at (`https://renkou.example.gov.cn`), printed in
    /// certificates' QR codes; when nil, the address the page was asked at.
    public var publicURL: String?
    /// A JSON file of dated rules that override or add to the shipped policy (see `Policy`).
    public var policyFile: String?
    /// Requests a minute one client may make to the public site's forms and look-ups (30; more for
    /// a deployment whose residents come through one address, a test that reads every public page).
    public var publicRatePerMinute = 30

    public init() {}

    /// The policy in force: the shipped rules, overridden by `policyFile` when one is set. Throws
    /// `policy-file` naming every problem of the file (unknown rule, bad date, wrong shape), or when it cannot be read.
    public func policy() throws -> Policy {
        guard let policyFile else { return .shipped }
        guard let data = FileManager.default.contents(atPath: policyFile) else {
            throw RenkouError(.invalid, "policy-file", Text("无法读取政策文件 \(policyFile)。", "Cannot read the policy file \(policyFile)."))
        }
        return try Policy.shipped.overriding(with: data, file: policyFile)
    }

    /// Reads `RENKOU_DATABASE_URL`, `RENKOU_READ_DATABASE_URL`, `RENKOU_HOST`, `RENKOU_PORT`, `RENKOU_SECURE_COOKIES`, `RENKOU_LOG_LEVEL`, `RENKOU_BCRYPT_COST`, `RENKOU_POLICY_FILE`, `RENKOU_PUBLIC_URL`, `RENKOU_PUBLIC_RATE_LIMIT`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        var c = AppConfig()
        if let v = env["RENKOU_DATABASE_URL"], !v.isEmpty { c.databaseURL = v }
        if let v = env["RENKOU_READ_DATABASE_URL"], !v.isEmpty { c.readDatabaseURL = v }
        if let v = env["RENKOU_HOST"], !v.isEmpty { c.host = v }
        if let v = env["RENKOU_PORT"].flatMap(Int.init) { c.port = v }
        if let v = env["RENKOU_SECURE_COOKIES"] { c.secureCookies = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = env["RENKOU_LOG_LEVEL"], !v.isEmpty { c.logLevel = v }
        if let v = env["RENKOU_BCRYPT_COST"].flatMap(UInt8.init) { c.bcryptCost = min(max(v, 4), 16) }
        if let v = env["RENKOU_POLICY_FILE"], !v.isEmpty { c.policyFile = v }
        if let v = env["RENKOU_PUBLIC_URL"], !v.isEmpty { c.publicURL = v.hasSuffix("/") ? String(v.dropLast()) : v }
        if let v = env["RENKOU_PUBLIC_RATE_LIMIT"].flatMap(Int.init), v > 0 { c.publicRatePerMinute = v }
        return c
    }
}
