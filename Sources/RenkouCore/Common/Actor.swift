import Foundation

/// Who acts, from where: every store call that changes or reads personal data takes one.
public struct Actor: Sendable, Equatable {
    public var userID: UUID?
    public var username: String
    public var client: String
    public var requestID: String
    /// The signed-in account's role; nil for the command line, the machines and the exchange.
    public var role: Role?
    public init(userID: UUID?, username: String, client: String = "", requestID: String = "", role: Role? = nil) {
        self.userID = userID; self.username = username; self.client = client; self.requestID = requestID; self.role = role
    }
    /// The command line, acting as the operating-system user.
    public static func cli(_ name: String = "cli") -> Actor { Actor(userID: nil, username: name, client: "cli") }
}
