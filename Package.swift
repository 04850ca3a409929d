// swift-tools-version:6.0
import PackageDescription

// `make release` (which `make install` and the benchmarks use) turns off the runtime
// exclusivity checks of the library: a check is a call into the runtime at each access to
// a class's stored property, and they cost 12 % of a dense scan (BENCHMARKS.md). Debug
// builds, and so the tests, keep them. Off only on request, so that a package depending on
// EvoScan never sees an unsafe flag.
let exclusivity: [SwiftSetting] = Context.environment["EVOSCAN_UNCHECKED_EXCLUSIVITY"] == "1"
    ? [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))] : []

// `EVOSCAN_FUZZ=1` (scripts/fuzz.sh) adds the libFuzzer driver, which only links when built
// with `--sanitize=fuzzer` (its runtime brings `main`). The targets it runs are a library
// the tests use too, so every saved crash input is replayed by `swift test`.
let fuzzing = Context.environment["EVOSCAN_FUZZ"] == "1"

let package = Package(
    name: "evoscan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "evoscan", targets: ["evoscan"]),
        .library(name: "EvoScan", targets: ["EvoScan"]),
    ] + (fuzzing ? [.executable(name: "evoscan-fuzz", targets: ["EvoScanFuzz"])] : []),
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The config file (`--config`, `config --print-defaults`): TOML through toml++.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libpcre2-8 through a shim header that fixes the code-unit width (pcre2.h refuses
        // to compile without it, and a module map cannot pass -D).
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "EvoScan",
            dependencies: ["CPCRE2", "CZlib", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: exclusivity
        ),
        .executableTarget(
            name: "evoscan",
            dependencies: [
                "EvoScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "EvoScanFuzzTargets",
            dependencies: ["EvoScan"]
        ),
        .testTarget(
            name: "EvoScanTests",
            dependencies: ["EvoScan", "EvoScanFuzzTargets"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["EvoScan"]
        ),
    ] + (fuzzing ? [.executableTarget(name: "EvoScanFuzz", dependencies: ["EvoScanFuzzTargets"])] : [])
)
