import Foundation
import Testing

/// A stand-in for `time.sleep` (a library's function in its place) is judged by calling it
/// once, not by identity: one that lets the hub run is info at its own line, one that blocks
/// is an error there (GL106 when it is the live `time.sleep`, GL107 when the patch replaced
/// it and modules still hold it). os_brick's `utils._sleep` is the real case.
@Suite("stand-ins for time.sleep")
struct SleepStandInTests {
  private static let folder = Paths.fixture("sleep")
  private static let sweep = Paths.root + "/.venv-sweep"
  private static let brickSleep = sweep + "/lib/python3.11/site-packages/os_brick/utils.py:39"

  private func check(_ venv: String, _ arguments: [String]) throws -> (ChildResult, String) {
    let result = try greenlight(
      ["check", "--python", venv] + arguments, workingDirectory: Self.folder)
    return (result, result.stderrText)
  }

  @Test(
    "os_brick's _sleep around the green sleep is GL106 info at its line, in first and target",
    arguments: [["-m", "os_brick.utils"], ["--patch", "target", "brick_after.py"]])
  func brickCooperative(_ target: [String]) throws {
    try #require(FileManager.default.fileExists(atPath: Self.sweep + "/bin/python"))
    let (result, text) = try check(Self.sweep, target)
    #expect(
      text.contains(
        "info GL106 patch-incomplete: time.sleep is os_brick.utils._sleep, not eventlet's green"
          + " object, but it waits cooperatively"), "\(text)")
    #expect(text.contains("  time.sleep at \(Self.brickSleep)\n"), "\(text)")
    #expect(!text.contains("error GL106"), "\(text)")
    #expect(!text.contains("location unknown"), "\(text)")
    if target.first == "-m" { #expect(result.status == 0, "\(text)") }
  }

  @Test("os_brick imported before the patch: its _sleep wraps the native sleep, GL107 error")
  func brickBlocking() throws {
    try #require(FileManager.default.fileExists(atPath: Self.sweep + "/bin/python"))
    let (result, text) = try check(Self.sweep, ["--patch", "target", "brick_before.py"])
    #expect(result.status == 1)
    #expect(
      text.contains(
        "error GL107 stale-original: time.sleep was os_brick.utils._sleep when eventlet patched,"
          + " not the native sleep, and it blocks"), "\(text)")
    #expect(text.contains("  os_brick.utils._sleep at \(Self.brickSleep)\n"), "\(text)")
  }

  @Test("a wrapper of the native sleep installed after the patch is GL106 error at its line")
  func nativeWrapper() throws {
    let (result, text) = try check(Paths.venv, ["--patch", "target", "native_wrapper.py"])
    #expect(result.status == 1)
    #expect(
      text.contains(
        "error GL106 patch-incomplete: time.sleep is native_wrapper.sleep, not eventlet's green"
          + " object, and it blocks"), "\(text)")
    #expect(text.contains("  time.sleep at native_wrapper.py:12\n"), "\(text)")
    #expect(text.hasSuffix("greenlight: 1 error\n"), "\(text)")
  }

  @Test("a green wrapper the patch replaced, held under two names, is one GL107 info finding")
  func replacedGreenWrapper() throws {
    let (result, text) = try check(Paths.venv, ["--patch", "target", "green_wrapper_before.py"])
    #expect(result.status == 0, "\(text)")
    #expect(
      text.contains(
        "info GL107 stale-original: time.sleep was green_wrapper_before.sleep when eventlet"
          + " patched, not the native sleep, and it waits cooperatively"), "\(text)")
    #expect(
      text.contains(
        "Held by green_wrapper_before.sleep, green_wrapper_before.pause"
          + " (green_wrapper_before.py:15)."), "\(text)")
    #expect(text.contains(" at green_wrapper_before.py:9\n"), "\(text)")
    #expect(text.hasSuffix("greenlight: 1 info\n"), "\(text)")
  }

  @Test("a function of its own under two patched names: one GL106, by identity, at its line")
  func identityOnly() throws {
    let (result, text) = try check(Paths.venv, ["--patch", "target", "lock_wrapper.py"])
    #expect(result.status == 1)
    #expect(text.components(separatedBy: "GL106").count == 2, "\(text)")
    #expect(
      text.contains(
        "error GL106 patch-incomplete: _thread.allocate, _thread.allocate_lock are"
          + " lock_wrapper.counting_allocate, not eventlet's green object"), "\(text)")
    #expect(text.contains(" at lock_wrapper.py:13\n"), "\(text)")
    #expect(!text.contains("counting_allocate.made = 1"), "\(text)")
  }
}
