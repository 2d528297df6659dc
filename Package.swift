// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "teampulse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "teampulse", targets: ["teampulse"]),
        .library(name: "TeamPulse", targets: ["TeamPulse"]),
        .library(name: "TeamPulseSamples", targets: ["TeamPulseSamples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Debian's libcsv-dev, linked as a system library (see Sources/CLibCSV/module.modulemap).
        .systemLibrary(
            name: "CLibCSV",
            path: "Sources/CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // Debian's zlib1g-dev, for gzip-compressed inputs.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Debian's libxlsxwriter-dev, for summary.xlsx (only Output/Workbook.swift imports it).
        .systemLibrary(
            name: "CXLSXWriter",
            path: "Sources/CXLSXWriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Debian's libsqlite3-dev, for the partial-state files of a partitioned run (only
        // ScaleOut/SQLiteDatabase.swift imports it).
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "TeamPulse",
            dependencies: [
                "CLibCSV",
                "CZlib",
                "CXLSXWriter",
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Synthetic, deterministic export sets (`teampulse generate`), built on TeamPulse's public API.
        .target(
            name: "TeamPulseSamples",
            dependencies: ["TeamPulse"]
        ),
        .executableTarget(
            name: "teampulse",
            dependencies: [
                "TeamPulse",
                "TeamPulseSamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer target over the ingest: `make fuzz` builds it with -sanitize=fuzzer,address -DFUZZING;
        // a normal build compiles a stub (no sanitizer needed).
        .executableTarget(
            name: "teampulse-fuzz",
            dependencies: ["TeamPulse"]
        ),
        .testTarget(
            name: "TeamPulseTests",
            dependencies: ["TeamPulse"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["teampulse"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
