// swift-tools-version: 6.1
import PackageDescription

/// Debian's CPython 3.11 (`libpython3-dev`, pkg-config `python3-embed`), installed at
/// `pythonPrefix`. Only the C shim sees its headers; everything else links against the shim.
/// The prefix is also compiled in: preflight refuses a venv of another build.
let pythonPrefix = "/usr"
let pythonInclude = "-I\(pythonPrefix)/include/python3.11"

let strictSwift: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .unsafeFlags(["-warnings-as-errors"]),
]

let package = Package(
  name: "greenlight",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "greenlight", targets: ["greenlight"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    .target(
      name: "CPythonShims",
      path: "Shims/CPythonShims",
      cSettings: [
        .define("GL_PYTHON_PREFIX", to: "\"\(pythonPrefix)\""),
        .unsafeFlags([pythonInclude, "-Wall", "-Werror"]),
      ],
      linkerSettings: [.linkedLibrary("python3.11")]
    ),
    .target(
      name: "PythonRuntime",
      dependencies: ["CPythonShims"],
      swiftSettings: strictSwift
    ),
    .target(
      name: "Greenlight",
      dependencies: [
        "CPythonShims", "PythonRuntime", .product(name: "TOMLKit", package: "TOMLKit"),
      ],
      // greenlight's Python, embedded in the binary at build time as
      // PackageResources.<file>_py: the glue it runs (PythonGlue.swift), and test_outcomes.py,
      // which the suite's own python runs (CompareSession.swift).
      resources: [.embedInCode("Python")],
      swiftSettings: strictSwift,
      // The same pieces compiled at build time (GlueBytecode, marshalled code objects), so
      // that a start runs them without compiling.
      plugins: ["GlueBytecode"]
    ),
    .plugin(name: "GlueBytecode", capability: .buildTool()),
    .executableTarget(
      name: "greenlight",
      dependencies: [
        "CPythonShims", "Greenlight",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "GreenlightTests",
      dependencies: [
        "greenlight", "Greenlight", "PythonRuntime",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["greenlight"],
      exclude: ["Fixtures"],
      swiftSettings: strictSwift
    ),
  ],
  swiftLanguageModes: [.v6]
)
