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
        .executable(name: "bilean-server", targets: ["bilean-server"]),
        .executable(name: "bilean", targets: ["bilean"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // The billing domain: money, time, plugins, rules, policies, users and the pure billing math. No I/O.
        .target(
            name: "BileanCore",
            dependencies: [.product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        // The system's SQLite 3 (libsqlite3-dev), for the SQLite driver.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The storage protocol, its migrations and its SQLite and PostgreSQL drivers.
        .target(
            name: "BileanStore",
            dependencies: [
                "BileanCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "CSQLite",
                .product(name: "NIOPosix", package: "swift-nio"),
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
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The AMQP 0-9-1 client on SwiftNIO (RabbitMQ's extensions included). No dependency on Bilean's modules.
        .target(
            name: "AMQP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Notifications in, billing facts out: the oslo envelope, the definitions file (globs, JSONPath), the
        // converter (all pure), and the listener Service that consumes with the AMQP client and bills through
        // `BillingEngine`.
        .target(
            name: "BileanNotification",
            dependencies: [
                "BileanCore",
                "BileanMessaging",
                "AMQP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The oslo.messaging envelope (written and parsed: notifications and RPC), the publisher of Bilean's own
        // notifications, and RPC on oslo's rabbit wire (client, and server Service).
        .target(
            name: "BileanMessaging",
            dependencies: [
                "BileanCore",
                "AMQP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The engine over oslo.messaging RPC: its namespaces served (IngestEndpoint, JobsEndpoint) and called
        // (RPCIngestService, RPCJobsService), with the exact JSON of every argument and result.
        .target(
            name: "BileanRPC",
            dependencies: ["BileanCore", "BileanMessaging"],
            swiftSettings: swiftSettings
        ),
        // The OpenStack APIs Bilean calls: Keystone v3 (service credentials, token validation, projects), Nova and
        // Cinder (freeze actions).
        .target(
            name: "BileanOpenStack",
            dependencies: [
                "BileanCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // bilean-scheduler: the per-user notify, freeze and daily jobs (leased, so that several schedulers may
        // share a database), the billing.notify outbox and the freeze actions.
        .target(
            name: "BileanScheduler",
            dependencies: [
                "BileanCore",
                "BileanMessaging",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The v1 JSON bodies, shared by the API and the client: amounts as exact decimal strings.
        .target(
            name: "BileanAPIModels",
            dependencies: ["BileanCore"],
            swiftSettings: swiftSettings
        ),
        // The REST API v1 on Hummingbird: routes, request ids, OpenStack errors, authorization.
        .target(
            name: "BileanAPI",
            dependencies: [
                "BileanCore",
                "BileanAPIModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP client of the API, used by the `bilean` CLI.
        .target(
            name: "BileanClient",
            dependencies: [
                "BileanCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // bilean.conf and the service graph of each role; the only target that knows every component.
        .target(
            name: "BileanServer",
            dependencies: [
                "BileanRPC",
                "BileanCore",
                "BileanStore",
                "BileanEngine",
                "BileanAPI",
                "BileanNotification",
                "BileanMessaging",
                "BileanOpenStack",
                "BileanScheduler",
                "AMQP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // `bilean-server [all|api|engine|scheduler|notification]`.
        .executableTarget(
            name: "bilean-server",
            dependencies: [
                "BileanServer",
                "BileanEngine",
                "BileanCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `bilean` CLI.
        .executableTarget(
            name: "bilean",
            dependencies: [
                "BileanCore",
                "BileanClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
                "BileanScheduler",
                "BileanNotification",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/BileanBenchmarks",
            swiftSettings: swiftSettings
        ),
        // The AMQP client's benchmark against pika: run with scripts/bench-amqp, in release.
        .executableTarget(
            name: "amqp-bench",
            dependencies: [
                "AMQP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/AMQPBenchmarks",
            swiftSettings: swiftSettings
        ),
        // Shared test code: environment-gated database URLs, temporary files, fixtures and samples, a seeded random
        // generator (SplitMix64), a fake OpenStack.
        .target(
            name: "BileanTestSupport",
            dependencies: [
                "BileanCore",
                "BileanStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanRPCTests",
            dependencies: ["BileanRPC", "BileanEngine", "BileanMessaging", "BileanCore", "BileanTestSupport", "AMQP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanCoreTests",
            dependencies: ["BileanCore", "BileanTestSupport"],
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
        .testTarget(
            name: "AMQPTests",
            dependencies: [
                "AMQP",
                "BileanTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanNotificationTests",
            dependencies: ["BileanNotification", "BileanCore", "AMQP", "BileanTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanAPITests",
            dependencies: [
                "BileanCore",
                "BileanStore",
                "BileanEngine",
                "BileanAPI",
                "BileanAPIModels",
                "BileanTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanClientTests",
            dependencies: ["BileanCore", "BileanClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanServerTests",
            dependencies: [
                "BileanServer", "BileanAPI", "BileanCore", "BileanEngine", "BileanNotification", "BileanOpenStack", "AMQP",
                "BileanTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanOpenStackTests",
            dependencies: [
                "BileanCore", "BileanOpenStack", "BileanTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // The oslo envelope and RPC: wire units, Swift client and server on RabbitMQ, interop with oslo.messaging.
        .testTarget(
            name: "BileanMessagingTests",
            dependencies: [
                "BileanMessaging",
                "BileanCore",
                "AMQP",
                "BileanTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BileanSchedulerTests",
            dependencies: [
                "BileanCore",
                "BileanStore",
                "BileanEngine",
                "BileanMessaging",
                "BileanScheduler",
                "BileanOpenStack",
                "BileanTestSupport",
                "AMQP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real `bilean-server` and `bilean` processes talking HTTP.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["BileanCore", "BileanTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
