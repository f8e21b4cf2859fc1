// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // NonisolatedNonsendingByDefault (STYLE.md) is left off: with Swift 6.3.1 it miscompiled the engine's
    // transaction closures here (the recharge tests jumped to a heap address, SIGSEGV); without it they pass.
]

let package = Package(
    name: "bilean",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bilean-demo", targets: ["bilean-demo"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The billing domain: money, time, plugins, rules, policies, users and the pure billing math. No I/O.
        .target(
            name: "BileanCore",
            swiftSettings: swiftSettings
        ),
        // The storage protocol, its migrations and its SQLite and PostgreSQL drivers.
        .target(
            name: "BileanStore",
            dependencies: [
                "BileanCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The billing engine: every operation of the REST API, each one store transaction.
        .target(
            name: "BileanEngine",
            dependencies: [
                "BileanCore",
                "BileanStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A short demonstration of the engine on SQLite (replaced by bilean-server in the API issue).
        .executableTarget(
            name: "bilean-demo",
            dependencies: [
                "BileanCore",
                "BileanStore",
                "BileanEngine",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks (not tests): run with scripts/bench, in release.
        .executableTarget(
            name: "bilean-bench",
            dependencies: [
                "BileanCore",
                "BileanStore",
                "BileanEngine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/BileanBenchmarks",
            swiftSettings: swiftSettings
        ),
        // Shared test code: environment-gated database URLs, temporary files, fixtures.
        .target(
            name: "BileanTestSupport",
            dependencies: [
                "BileanCore",
                "BileanStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanCoreTests",
            dependencies: ["BileanCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanStoreTests",
            dependencies: ["BileanCore", "BileanStore", "BileanTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanEngineTests",
            dependencies: [
                "BileanCore",
                "BileanStore",
                "BileanEngine",
                "BileanTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
