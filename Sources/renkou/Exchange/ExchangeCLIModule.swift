import ArgumentParser
import Foundation
import RenkouCore
import RenkouStore

/// `renkou exchange identity|peer`: this node and the nodes it talks to.
struct ExchangeCLIModule: CLIModule {
    var commands: [any ParsableCommand.Type] { [ExchangeCommand.self] }
}

struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exchange", abstract: "The exchange between deployments (信息交换): this node and its peers.",
                                                    subcommands: [Identity.self, Peer.self, Send.self, Status.self, Retry.self, Close.self])

    /// An operator sends a refused or failed message again now.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a refused or failed message again now (audited).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The message id.") var id: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a message id: \(id)") }
            try await withStores(db) { try await $0.exchange.retryNow(uuid, by: .cli("exchange")) }
        }
    }

    /// An operator gives up on a refused or failed message.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a refused or failed message by hand, with the reason (audited).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The message id.") var id: String
        @Option(help: "Why it is closed.") var reason: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a message id: \(id)") }
            try await withStores(db) { try await $0.exchange.close(uuid, reason: reason, by: .cli("exchange")) }
        }
    }

    /// One pass of the sender (what `renkou serve` does every two seconds).
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send the outbox's due messages now; prints what happened (JSON).")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in print(String(decoding: try JSONEncoder.sorted.encode(try await stores.exchange.deliverDue()), as: UTF8.self)) }
        }
    }

    /// The outbox by state, and the inbox's size.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count the outbox by state and the messages received.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withStores(db) { stores in
                let counts = try await stores.exchange.counts()
                for state in ["pending", "delivered", "refused", "failed", "closed"] { print("out.\(state)\t\(counts.outbox[state] ?? 0)") }
                for (state, n) in counts.inbox.sorted(by: { $0.key < $1.key }) { print("in.\(state)\t\(n)") }
                print("in\t\(counts.inbox.values.reduce(0, +))")
            }
        }
    }

    /// Prints this node's code, URL and public key (JSON); sets the code or URL when given. The key
    /// pair is made on first use.
    struct Identity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print (or set) this node's code, URL and public key.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "This node's code (its area code).") var code: String?
        @Option(help: "The URL peers reach this node at.") var url: String?
        @Flag(inversion: .prefixedNo, help: "Forward messages for other nodes this node has a route for (a hub).") var hub: Bool?
        @Flag(help: "Make a new key pair (give peers the new public key).") var rotateKey = false
        func run() async throws {
            try await withStores(db) { stores in
                let node = try await stores.exchange.identity(code: code, url: url, hub: hub, rotateKey: rotateKey, by: .cli("exchange"))
                print(String(decoding: try JSONEncoder.sorted.encode(node), as: UTF8.self))
            }
        }
    }

    struct Peer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The peers: add (or replace, rotating the key), list, disable, enable.",
                                                        subcommands: [Add.self, List.self, Disable.self, Enable.self])
        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a peer, or replace one with the same code (a new key is a rotation).")
            @OptionGroup var db: DatabaseOptions
            @Option(help: "The peer's node code.") var code: String
            @Option(help: "Where it is reached.") var url: String
            @Option(help: "Its public key (base64).") var key: String
            @Option(help: "Area-code prefixes it serves, comma-separated.") var areas: String = ""
            @Flag(name: .customLong("default"), help: "The default route: the hub for every area no other peer serves.") var isDefault = false
            func run() async throws {
                try await withStores(db) { stores in
                    let p = try await stores.exchange.addPeer(code: code, url: url, key: key, areas: areas.split(separator: ",").map(String.init), isDefault: isDefault, by: .cli("exchange"))
                    print(String(decoding: try JSONEncoder.sorted.encode(p), as: UTF8.self))
                }
            }
        }
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the peers (JSON lines).")
            @OptionGroup var db: DatabaseOptions
            func run() async throws {
                try await withStores(db) { stores in
                    for p in try await stores.exchange.peers() { print(String(decoding: try JSONEncoder.sorted.encode(p), as: UTF8.self)) }
                }
            }
        }
        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop talking to a peer (its messages are refused).")
            @OptionGroup var db: DatabaseOptions
            @Argument(help: "The peer's code.") var code: String
            func run() async throws { try await withStores(db) { try await $0.exchange.setPeer(code, enabled: false, by: .cli("exchange")) } }
        }
        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Talk to a disabled peer again.")
            @OptionGroup var db: DatabaseOptions
            @Argument(help: "The peer's code.") var code: String
            func run() async throws { try await withStores(db) { try await $0.exchange.setPeer(code, enabled: true, by: .cli("exchange")) } }
        }
    }
}
