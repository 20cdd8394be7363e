public import ArgumentParser
public import Greenlight

/// `--patch auto|first|target|none`.
extension PatchMode: ExpressibleByArgument {}

/// `--compare-native auto|forbid|none`.
extension CompareSession.Native: ExpressibleByArgument {}

/// `--format text|json|sarif`.
extension ReportFormat: ExpressibleByArgument {}

/// `--watch on|off`.
enum WatchSwitch: String, CaseIterable, ExpressibleByArgument {
  case on
  case off
}

/// The run-time watch options shared by `run` and `test`.
struct WatchArguments: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The run-time watch after hand-off: hub stalls (GL501), blocking process calls (GL202),"
        + " OS threads (GL502), forks while OS threads are alive (GL503).", valueName: "on|off"))
  var watch: WatchSwitch = .on

  @Option(
    name: .customLong("hub-stall-ms"),
    help: ArgumentHelp("Report the hub making no progress for longer than this.", valueName: "ms"))
  var hubStallMilliseconds: Int = 200

  func validate() throws {
    guard (10...600_000).contains(hubStallMilliseconds) else {
      throw ValidationError("--hub-stall-ms must be between 10 and 600000.")
    }
  }

  var options: WatchOptions {
    WatchOptions(enabled: watch == .on, hubStallMilliseconds: hubStallMilliseconds)
  }
}
