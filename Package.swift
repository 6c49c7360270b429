// swift-tools-version:6.0
import PackageDescription

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioEmbedded = Target.Dependency.product(name: "NIOEmbedded", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "hotfix-audit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hotfix-audit", targets: ["hotfix-audit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Values and verdict rules: no I/O, no dependencies.
        .target(name: "AuditCore"),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // SHA-256 and HMAC from the system's libcrypto (no BoringSSL to compile on every clean build).
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "Digest", dependencies: ["CLibCrypto"]),
        // Line-buffered stdout for the CLI (the C `stdout` global, which Swift 6 will not touch).
        .systemLibrary(name: "CStdio"),
        // Text decoding, CSV and field parsers shared by every importer.
        .target(name: "ImportSupport", dependencies: ["AuditCore", "Digest"]),
        .target(name: "ManifestImport", dependencies: ["AuditCore", "ImportSupport"]),
        .target(name: "InventoryImport", dependencies: ["AuditCore", "ImportSupport", "CLibXML2"]),
        .target(name: "FeedImport", dependencies: ["AuditCore", "ImportSupport", "CLibXML2"]),
        // The assessor: per-host evidence in, typed results out (no SQL, no I/O).
        .target(name: "AuditEngine", dependencies: ["AuditCore"]),
        // The store protocol and the values it carries, whatever the backend.
        .target(name: "AuditStore", dependencies: ["AuditCore", "AuditEngine"]),
        // The embedded default backend (SQLite through GRDB).
        .target(name: "AuditStoreSQLite", dependencies: ["AuditCore", "AuditEngine", "AuditStore", grdb, logging]),
        // PostgreSQL through the system's libpq (no BoringSSL to compile on every clean build, unlike postgres-nio).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "AuditStorePostgres", dependencies: ["AuditCore", "AuditEngine", "AuditStore", "CLibPQ"]),
        // SMTP protocol core against NIOCore alone: codecs, state machines, classifier, tokens, the responder handler.
        .target(name: "SMTPProbe", dependencies: ["AuditCore", nioCore, "Digest", logging]),
        // Sockets (NIOPosix): the responder server, the trigger, campaigns.
        .target(name: "SMTPProbeServer", dependencies: ["AuditCore", "SMTPProbe", nioCore, nioPosix, logging]),
        // Simulated relays for the lab, demo and tests: never part of a production probe.
        .target(name: "SMTPLab", dependencies: ["AuditCore", "SMTPProbe", "SMTPProbeServer", nioCore, nioPosix, logging]),
        // Synthetic fleets (inventories and matching manifests) for benchmarks: lab tooling, Foundation only.
        .target(name: "FleetLab"),
        .target(name: "AuditReport", dependencies: ["AuditCore", "AuditEngine", "AuditStore", "CLibXML2", mustache]),
        .executableTarget(
            name: "hotfix-audit",
            dependencies: ["AuditCore", "ManifestImport", "InventoryImport", "AuditEngine", "AuditStore", "AuditStoreSQLite", "AuditStorePostgres", "SMTPProbe", "SMTPProbeServer", "SMTPLab", "FleetLab", "AuditReport", "FeedImport",
                           argumentParser, logging, nioPosix, "Digest", "CStdio", "ImportSupport"]
        ),

        // libFuzzer entry points for the importers (scripts/fuzz builds it with -DFUZZING); a corpus replayer otherwise.
        .executableTarget(name: "hotfix-audit-fuzz", dependencies: ["AuditCore", "ManifestImport", "InventoryImport", "SMTPProbe", nioCore, nioEmbedded]),

        // Shared by the test targets: the gate that keeps load tests apart from timing-sensitive ones.
        .target(name: "TestHarness", path: "Tests/TestHarness"),

        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "ImportSupportTests", dependencies: ["ImportSupport"]),
        .testTarget(name: "TestHarnessTests", dependencies: ["TestHarness"]),
        .testTarget(name: "AuditCoreTests", dependencies: ["AuditCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ManifestImportTests", dependencies: ["TestHarness", "ManifestImport", "FleetLab"], exclude: ["Fixtures"]),
        .testTarget(name: "InventoryImportTests", dependencies: ["TestHarness", "InventoryImport", "Digest"], exclude: ["Fixtures"]),
        .testTarget(name: "FeedImportTests", dependencies: ["FeedImport", "AuditCore", "AuditEngine", "AuditStore", "AuditStoreSQLite"]),
        .testTarget(name: "AuditEngineTests", dependencies: ["AuditEngine"]),
        .testTarget(name: "AuditStoreTests", dependencies: ["AuditStore", "AuditEngine", "AuditStoreSQLite", "ManifestImport", "InventoryImport", grdb], exclude: ["Fixtures"]),
        .testTarget(name: "SMTPProbeTests", dependencies: ["TestHarness", "SMTPProbe", "SMTPProbeServer", "SMTPLab", nioCore, nioPosix, nioEmbedded], exclude: ["Fixtures"]),
        .testTarget(name: "AuditReportTests", dependencies: ["TestHarness", "AuditReport", "AuditEngine", "AuditStore", "AuditStoreSQLite", "ManifestImport", "InventoryImport"], exclude: ["Fixtures"]),
        .testTarget(name: "FleetLabTests", dependencies: ["FleetLab"]),
        .testTarget(name: "AuditStorePostgresTests", dependencies: ["AuditStorePostgres", "AuditReport", "AuditStore", "AuditEngine", "AuditStoreSQLite", "FeedImport", "InventoryImport", "ManifestImport", "SMTPLab", "SMTPProbe", "hotfix-audit", grdb]),
        .testTarget(name: "CLITests", dependencies: ["TestHarness", "hotfix-audit"], exclude: ["Fixtures"]),
    ]
)
