// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// `scripts/fuzz.sh` builds `chorus-fuzz` with CHORUS_FUZZ=1 and SwiftPM's fuzzer and address
// sanitizers in its own build folder. The benchmark plugin's tools cannot link against libFuzzer's
// `main`, so that build leaves the benchmarks out.
let fuzzing = Context.environment["CHORUS_FUZZ"] == "1"

let package = Package(
    name: "chorus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chorus", targets: ["chorus"]),
        .library(name: "ChorusProtocol", targets: ["ChorusProtocol"]),
        .library(name: "ChorusCore", targets: ["ChorusCore"]),
        .library(name: "ChorusServer", targets: ["ChorusServer"]),
        .library(name: "ChorusLoad", targets: ["ChorusLoad"]),
        .library(name: "ChorusConformance", targets: ["ChorusConformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Pusher wire types, channel names, signatures, error and close codes. No I/O.
        .target(
            name: "ChorusProtocol",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        // permessage-deflate (RFC 7692): the negotiation of its parameters, server frames compressed
        // once for every subscriber, and client messages inflated under a hard cap; zlib through
        // compress-nio.
        .target(
            name: "ChorusDeflate",
            dependencies: [
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The broadcast engine: per-loop channel shards, shared frames, outbound rings, presence.
        .target(
            name: "ChorusCore",
            dependencies: [
                "ChorusProtocol",
                "ChorusDeflate",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // History, versioned messages and annotations (seed 001) as values: the message object,
        // queries and cursors, mutations, annotation summaries, and the `HistoryStore` protocol. No I/O.
        .target(
            name: "ChorusHistory",
            dependencies: [
                "ChorusProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Push notifications (seed 001) as values: devices, channel subscriptions, credentials,
        // publishes and their recipients, and the `PushStore` and `PushProvider` protocols. No I/O.
        .target(
            name: "ChorusPush",
            dependencies: [
                "ChorusProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The clients of the real notification services behind `PushProvider`: APNs (HTTP/2, ES256
        // provider JWT), FCM HTTP v1 (RS256 service-account OAuth) and Web Push (VAPID, RFC 8291).
        .target(
            name: "ChorusPushProviders",
            dependencies: [
                "ChorusPush",
                "ChorusProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The history and push stores: memory, SQLite (GRDB) and PostgreSQL (postgres-nio), their
        // versioned schema migrations, the group-commit writer and the retention sweep.
        .target(
            name: "ChorusStorage",
            dependencies: [
                "ChorusHistory",
                "ChorusPush",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A small Redis client on NIO (RESP2 commands, pub/sub, reconnect with backoff): no Swift
        // Redis client is in the package mirror, and the cluster needs only this much.
        .target(
            name: "ChorusRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Scale-out: the messages nodes exchange over Redis pub/sub (events, presence, counts,
        // heartbeats) and the membership of the cluster's nodes. No sockets of its own.
        .target(
            name: "ChorusCluster",
            dependencies: [
                "ChorusProtocol",
                "ChorusCore",
                "ChorusRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // NIO HTTP/1.1 + WebSocket server, the signed HTTP API, apps, limits, metrics.
        .target(
            name: "ChorusServer",
            dependencies: [
                "ChorusProtocol",
                "ChorusCore",
                "ChorusHistory",
                "ChorusStorage",
                "ChorusPush",
                "ChorusPushProviders",
                "ChorusCluster",
                "ChorusRedis",
                "ChorusDeflate",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The debug console's page, compiled in: an installed binary needs no resource bundle.
            resources: [
                .embedInCode("Console/Assets/console.html"),
                .embedInCode("Console/Assets/console.js"),
                .embedInCode("Console/Assets/console.css"),
            ],
            swiftSettings: swiftSettings
        ),
        // A Pusher client over NIO (WebSocket + signed HTTP API), shared by the load generator and
        // the conformance runner; like them it speaks only ChorusProtocol, never the engine.
        .target(
            name: "ChorusClient",
            dependencies: [
                "ChorusProtocol",
                "ChorusDeflate",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // JUnit XML as CI systems read it, written by both tools (conformance cases, load thresholds).
        .target(
            name: "ChorusJUnit",
            swiftSettings: swiftSettings
        ),
        // HTML report pages, written by both tools (load runs and their index, conformance cases):
        // escaping, tables and a self-contained page.
        .target(
            name: "ChorusHTML",
            swiftSettings: swiftSettings
        ),
        // The load generator: judges a server from outside, through the wire.
        .target(
            name: "ChorusLoad",
            dependencies: [
                "ChorusProtocol",
                "ChorusClient",
                "ChorusJUnit",
                "ChorusHTML",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The named scenarios ship with the executable (`chorus load smoke` works from any directory).
            resources: [.copy("Scenarios")],
            swiftSettings: swiftSettings
        ),
        // The conformance runner: replays documented cases against any Pusher-compatible server.
        .target(
            name: "ChorusConformance",
            dependencies: [
                "ChorusProtocol",
                "ChorusClient",
                "ChorusJUnit",
                "ChorusHTML",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The cases ship with the executable (`chorus conform` works from any directory).
            resources: [.copy("Cases")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "chorus",
            dependencies: [
                "ChorusServer",
                "ChorusLoad",
                "ChorusConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The parsers Chorus exposes to untrusted bytes, as fuzz entry points (libFuzzer in
        // `scripts/fuzz.sh`, corpus replay in the tests).
        .target(
            name: "ChorusFuzzTargets",
            dependencies: [
                "ChorusDeflate",
                "ChorusProtocol",
                "ChorusCore",
                "ChorusHistory",
                "ChorusPush",
                "ChorusServer",
                "ChorusLoad",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // libFuzzer's driver in the fuzz build (`scripts/fuzz.sh`); otherwise
        // a replayer of inputs (`chorus-fuzz TARGET FILE...`).
        .executableTarget(
            name: "chorus-fuzz",
            dependencies: ["ChorusFuzzTargets"],
            swiftSettings: swiftSettings
        ),
        // What tests of Chorus need: a live `TestServer`, an in-memory `TestRouter`, EmbeddedChannel
        // helpers and a seeded generator. Shared by every test target instead of private copies.
        .target(
            name: "ChorusTesting",
            dependencies: [
                "ChorusServer",
                "ChorusHistory",
                "ChorusPush",
                "ChorusStorage",
                "ChorusClient",
                "ChorusProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Loopback stand-ins for APNs (HTTP/2 over TLS with a test CA), FCM (+ its OAuth token
        // endpoint) and a Web Push service, verifying what the real services verify. Tests and
        // benchmarks start them; the server never links them.
        .target(
            name: "ChorusPushFakes",
            dependencies: [
                "ChorusProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusPushTests",
            dependencies: [
                "ChorusPush",
                "ChorusPushProviders",
                "ChorusPushFakes",
                "ChorusProtocol",
                "ChorusTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // A plain client for the fakes' tests: HTTP/2 over TLS trusting the test CA.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // The providers' logger in the provider-against-fake tests.
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusProtocolTests",
            dependencies: ["ChorusProtocol", "ChorusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusHistoryTests",
            dependencies: ["ChorusHistory", "ChorusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusStorageTests",
            dependencies: [
                "ChorusStorage",
                "ChorusHistory",
                "ChorusPush",
                "ChorusTesting",
                // A fresh database per migration test, created through the test server.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusCoreTests",
            dependencies: [
                "ChorusCore", "ChorusDeflate", "ChorusTesting", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusDeflateTests",
            dependencies: ["ChorusDeflate", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusServerTests",
            dependencies: [
                "ChorusServer",
                "ChorusHistory",
                "ChorusStorage",
                "ChorusPush",
                "ChorusPushFakes",
                "ChorusTesting",
                "ChorusClient",
                "ChorusDeflate",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusRedisTests",
            dependencies: [
                "ChorusRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusClusterTests",
            dependencies: [
                "ChorusCluster",
                "ChorusCore",
                "ChorusProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusClientTests",
            dependencies: [
                "ChorusClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusLoadTests",
            dependencies: ["ChorusLoad", "ChorusServer", "ChorusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusConformanceTests",
            dependencies: [
                "ChorusConformance",
                "ChorusClient",
                "ChorusProtocol",
                "ChorusServer",
                "ChorusTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusHTMLTests",
            dependencies: ["ChorusHTML"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChorusFuzzTargetsTests",
            dependencies: ["ChorusFuzzTargets"],
            swiftSettings: swiftSettings
        ),
    ]
)

if !fuzzing {
    package.targets.append(
        // The benchmark suites (`scripts/benchmarks.sh`): built by the same release build as the tests.
        .executableTarget(
            name: "ChorusBenchmarks",
            dependencies: [
                "ChorusCluster",
                "ChorusCore",
                "ChorusDeflate",
                "ChorusProtocol",
                "ChorusHistory",
                "ChorusServer",
                "ChorusStorage",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Benchmarks/ChorusBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}
