import FoundationEssentials
import PythonRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// The reports of a test run's processes: each process writes its own file in one folder,
/// and `greenlight test` reads them all once the runner has ended.
public enum ProcessReports {
  /// The file this process writes: its pid and its start time, so that a reused pid does
  /// not overwrite another process's report.
  static func path(in folder: String) -> String {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return "\(folder)/\(getpid())-\(time.tv_sec)\(time.tv_nsec).json"
  }

  /// Writes `report` to `path` through a temporary file and a rename, so that a reader
  /// never sees half a report. A folder that is gone (the run has ended) is not an error.
  static func write(_ report: Report, to path: String) {
    let temporary = path + ".partial"
    guard FileSystem.write(ReportRenderer.renderJSON(report), to: temporary) else { return }
    if rename(temporary, path) != 0 { unlink(temporary) }
  }

  /// Every complete report in `folder`; files that do not decode are counted apart.
  public static func read(_ folder: String) -> (reports: [Report], unreadable: Int) {
    var reports: [Report] = []
    var unreadable = 0
    for name in FileSystem.contents(of: folder) where name.hasSuffix(".json") {
      guard let text = FileSystem.readText(folder + "/" + name),
        let report = try? JSONDecoder().decode(Report.self, from: Data(text.utf8))
      else {
        unreadable += 1
        continue
      }
      reports.append(report)
    }
    return (reports, unreadable)
  }
}
