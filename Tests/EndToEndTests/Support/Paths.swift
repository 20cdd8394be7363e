import Foundation

/// Where the end-to-end tests find the project, the built binary and the venv.
enum Paths {
  /// The repository root, from this file's location.
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// The greenlight binary under test: `GREENLIGHT_BINARY`, else the debug build that
  /// `swift test` has just built.
  static let greenlight: String =
    ProcessInfo.processInfo.environment["GREENLIGHT_BINARY"] ?? root + "/.build/debug/greenlight"

  /// The venv `make test` creates with /usr/bin/python3 and eventlet pinned.
  static let venv = root + "/.venv"
  static let venvPython = venv + "/bin/python"

  static let fixtures = root + "/Tests/EndToEndTests/Fixtures"
  static let examples = root + "/Examples"

  static func fixture(_ name: String) -> String { fixtures + "/" + name }

  /// A fresh temporary folder.
  static func temporaryFolder() throws -> String {
    let folder = NSTemporaryDirectory() + "greenlight-e2e-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }
}

/// Runs greenlight with the venv selected explicitly.
func greenlight(
  _ arguments: [String], stdin: [UInt8] = [], workingDirectory: String? = nil,
  environment: [String: String] = [:], removing: Set<String> = [], mergeOutput: Bool = false,
  seconds: Double = 120
) throws -> ChildResult {
  try greenlight(
    bytes: arguments.map { Array($0.utf8) }, stdin: stdin, workingDirectory: workingDirectory,
    environment: environment, removing: removing, mergeOutput: mergeOutput, seconds: seconds)
}

/// Runs greenlight with arguments given as bytes (which need not be UTF-8).
func greenlight(
  bytes arguments: [[UInt8]], stdin: [UInt8] = [], workingDirectory: String? = nil,
  environment: [String: String] = [:], removing: Set<String> = [], mergeOutput: Bool = false,
  seconds: Double = 120
) throws -> ChildResult {
  try ChildProcess.run(
    Paths.greenlight, arguments, stdin: stdin, workingDirectory: workingDirectory,
    environment: environment, removing: removing.union(["VIRTUAL_ENV"]),
    mergeOutput: mergeOutput, seconds: seconds)
}

/// Runs the venv's python.
func python(
  _ arguments: [String], stdin: [UInt8] = [], workingDirectory: String? = nil,
  environment: [String: String] = [:], mergeOutput: Bool = false, seconds: Double = 120
) throws -> ChildResult {
  try python(
    bytes: arguments.map { Array($0.utf8) }, stdin: stdin, workingDirectory: workingDirectory,
    environment: environment, mergeOutput: mergeOutput, seconds: seconds)
}

/// Runs the venv's python with arguments given as bytes.
func python(
  bytes arguments: [[UInt8]], stdin: [UInt8] = [], workingDirectory: String? = nil,
  environment: [String: String] = [:], mergeOutput: Bool = false, seconds: Double = 120
) throws -> ChildResult {
  try ChildProcess.run(
    Paths.venvPython, arguments, stdin: stdin, workingDirectory: workingDirectory,
    environment: environment, removing: ["VIRTUAL_ENV"], mergeOutput: mergeOutput,
    seconds: seconds)
}
