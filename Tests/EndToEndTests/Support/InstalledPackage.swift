import Foundation

/// The Debian package `make deb` built, extracted with `dpkg-deb -x` into a scratch root
/// once for every test that looks at it as installed.
enum InstalledPackage {
  /// The version of the binary under test, which names the package.
  static let version: String = {
    (try? greenlight(["--version"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
      ?? ""
  }()

  /// `.build/deb/greenlight_<version>-1_amd64.deb`, or `GREENLIGHT_DEB`.
  static let deb: String =
    ProcessInfo.processInfo.environment["GREENLIGHT_DEB"]
    ?? "\(Paths.root)/.build/deb/greenlight_\(version)-1_amd64.deb"

  /// The scratch root, or nil when there is no package to extract.
  static let root: String? = {
    guard FileManager.default.fileExists(atPath: deb),
      let folder = try? Paths.temporaryFolder()
    else { return nil }
    let result = try? run("/usr/bin/dpkg-deb", ["-x", deb, folder])
    return result?.status == 0 ? folder : nil
  }()

  /// Why there is no root, for the failure message.
  static let missing = "no package at \(deb) to extract: run make deb (make test does)"

  /// The installed binary in the scratch root.
  static func binary(_ root: String) -> String { root + "/usr/bin/greenlight" }

  /// The fields of the package's control file.
  static func field(_ name: String) throws -> String {
    try run("/usr/bin/dpkg-deb", ["-f", deb, name]).stdoutText
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// Runs a program with its arguments, VIRTUAL_ENV removed.
func run(
  _ executable: String, _ arguments: [String], workingDirectory: String? = nil,
  environment: [String: String] = [:], seconds: Double = 120
) throws -> ChildResult {
  try ChildProcess.run(
    executable, arguments.map { Array($0.utf8) }, workingDirectory: workingDirectory,
    environment: environment, removing: ["VIRTUAL_ENV"], seconds: seconds)
}
