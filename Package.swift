// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "renkou",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "renkou", targets: ["renkou"]),
        // The file readers under libFuzzer (scripts/fuzz), or a replay of files through them.
        .executable(name: "renkou-fuzz", targets: ["renkou-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
    ],
    targets: [
        // Pure domain: values, codes, validation, rules. Foundation only, no I/O.
        .target(name: "RenkouCore"),
        // Files users hand in and take away: CSV (any encoding) and XLSX read row by row, XLSX and
        // report files written, and the one import pipeline (header layout, rows, batches, outcomes).
        .target(
            name: "RenkouFiles",
            dependencies: ["RenkouCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .executableTarget(name: "renkou-fuzz", dependencies: ["RenkouCore", "RenkouFiles", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Persistence: connection, migrations, stores, scope filter, audit.
        .target(
            name: "RenkouStore",
            dependencies: [
                "RenkouCore", "RenkouFiles",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncKit", package: "async-kit"),
                // AsyncChannel: an import's reading task hands parsed batches to its writing task, waiting while one is written.
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // BulkInsert steps a prepared statement through the C interface (module VaporCSQLite) this product brings.
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            // The default GB/T 2260 code table (CC0), with its source and licence.
            resources: [.copy("Admin/Resources")]
        ),
        // HTTP: app builder, middleware, JSON API, HTML pages, templates, assets.
        .target(
            name: "RenkouWeb",
            dependencies: [
                "RenkouCore", "RenkouFiles", "RenkouStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "renkou",
            dependencies: [
                "RenkouCore", "RenkouFiles", "RenkouStore", "RenkouWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // `renkou bench rates` times real HTTP requests against an in-process server.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Helpers shared by every test target: throw-away databases on both engines.
        .target(
            name: "RenkouTestSupport",
            dependencies: ["RenkouCore", "RenkouStore", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/Support"
        ),
        .testTarget(name: "RenkouCoreTests", dependencies: ["RenkouCore"]),
        .testTarget(
            name: "RenkouStoreTests",
            dependencies: ["RenkouCore", "RenkouFiles", "RenkouStore", "RenkouTestSupport", .product(name: "SQLKit", package: "sql-kit"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(
            name: "RenkouWebTests",
            dependencies: [
                "RenkouCore", "RenkouStore", "RenkouWeb", "RenkouTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
