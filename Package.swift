// swift-tools-version: 6.0
import PackageDescription

// No package dependencies by design: Foundation, Dispatch, Synchronization and the system's zlib,
// SQLite and libcrypto (SHA-256 for content fingerprints), through system-library targets, only.
let package = Package(
    name: "ContactMetrics",
    products: [
        .library(name: "ContactMetrics", targets: ["ContactMetrics"]),
        .executable(name: "contact-metrics", targets: ["contact-metrics"]),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .target(
            name: "ContactMetrics",
            dependencies: ["CZlib", "CSQLite", "CCrypto"],
            path: "Sources/ContactMetrics"
        ),
        .executableTarget(
            name: "contact-metrics",
            dependencies: ["ContactMetrics"],
            path: "Sources/contact-metrics"
        ),
        .executableTarget(
            name: "ContactMetricsBenchmarks",
            dependencies: ["ContactMetrics"],
            path: "Benchmarks/ContactMetricsBenchmarks"
        ),
        // Unit, property and golden tests of the library: the fast edit-test loop
        // (`swift test --filter ContactMetricsTests`).
        .testTarget(
            name: "ContactMetricsTests",
            dependencies: ["ContactMetrics"],
            path: "Tests/ContactMetricsTests",
            exclude: ["Fixtures", "Golden"]
        ),
        // Tests that run the built `contact-metrics` binary (exit statuses, outputs, the store on disk).
        .testTarget(
            name: "ContactMetricsCLITests",
            dependencies: ["ContactMetrics", "contact-metrics"],
            path: "Tests/ContactMetricsCLITests",
            exclude: ["Fixtures", "Golden"]
        ),
    ]
)
