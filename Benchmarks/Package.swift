// swift-tools-version: 6.1
import PackageDescription

// The benchmarks live in their own package so that building and testing Chorus never compiles the
// benchmark harness. Run them with `scripts/benchmarks.sh` (see docs/fanout.md).
let package = Package(
    name: "ChorusBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "chorus", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "ChorusBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChorusCore", package: "chorus"),
                .product(name: "ChorusProtocol", package: "chorus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "ChorusBenchmarks",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
