// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "daulat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "daulat", targets: ["daulat"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.1.0"),
    ],
    targets: [
        // Domain model, policy evaluation and the placement planner: Foundation only, no I/O.
        .target(name: "DaulatCore", swiftSettings: swiftSettings),
        // Numbered SQL migrations, carried as resources so the binary can apply them anywhere.
        .target(
            name: "DaulatMigrations",
            path: "Migrations",
            resources: [.copy("postgresql"), .copy("sqlite")],
            swiftSettings: swiftSettings
        ),
        // The example alliance used by `daulat dev` and the tests.
        .target(
            name: "DaulatExampleConfig",
            path: "Config",
            resources: [.copy("example")],
            swiftSettings: swiftSettings
        ),
        // Sealed objects, key splitting and wrapping: pure functions over bytes, no I/O.
        .target(
            name: "DaulatCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Small files written durably and privately (credentials, keys).
        .target(
            name: "DaulatFiles", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        // The custodian: key-encryption keys behind a keystore protocol, unwrapping under signed decisions.
        .target(
            name: "DaulatCustodian",
            dependencies: [
                "DaulatCore",
                "DaulatCrypto",
                "DaulatFiles",
                "DaulatPKI",
                "DaulatAgent",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DaulatStore",
            dependencies: [
                "DaulatCore",
                "DaulatMigrations",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The built-in certificate authority and agent identities.
        .target(
            name: "DaulatPKI",
            dependencies: [
                "DaulatCore",
                "DaulatCrypto",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DaulatControlPlane",
            dependencies: [
                "DaulatCore",
                "DaulatStore",
                "DaulatPKI",
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        // The agent daemon on a storage host: enrolment, reporting, certificate renewal.
        .target(
            name: "DaulatAgent",
            dependencies: [
                "DaulatCore",
                "DaulatPKI",
                "DaulatFiles",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DaulatCommands",
            dependencies: [
                "DaulatCore",
                "DaulatCrypto",
                "DaulatAgent",
                "DaulatCustodian",
                "DaulatFiles",
                "DaulatPKI",
                "DaulatStore",
                "DaulatControlPlane",
                "DaulatExampleConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real databases for tests: a fresh SQLite file, or a fresh database on the PostgreSQL that
        // `scripts/test` starts.
        .target(
            name: "DaulatTestSupport",
            dependencies: [
                "DaulatCore",
                "DaulatStore",
                "DaulatPKI",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "daulat",
            dependencies: ["DaulatCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DaulatCoreTests", dependencies: ["DaulatCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DaulatAgentTests",
            dependencies: ["DaulatCore", "DaulatAgent", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DaulatPKITests",
            dependencies: [
                "DaulatCore", "DaulatPKI",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DaulatStoreTests",
            dependencies: [
                "DaulatCore", "DaulatStore", "DaulatTestSupport", "DaulatExampleConfig", "DaulatControlPlane",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DaulatCryptoTests",
            dependencies: ["DaulatCrypto", "DaulatTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            // Read from the source tree: the test vectors of docs/format.md.
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DaulatCustodianTests",
            dependencies: [
                "DaulatCustodian", "DaulatAgent", "DaulatCrypto", "DaulatCore", "DaulatFiles", "DaulatPKI",
                "DaulatTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DaulatControlPlaneTests",
            dependencies: [
                "DaulatCore", "DaulatStore", "DaulatControlPlane", "DaulatExampleConfig", "DaulatTestSupport",
                "DaulatPKI", "DaulatAgent", "DaulatCrypto",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "DaulatCore", "DaulatCrypto", "DaulatTestSupport", "DaulatAgent", "DaulatPKI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
