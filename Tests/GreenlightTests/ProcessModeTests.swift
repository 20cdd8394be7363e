import FoundationEssentials
import Testing

@testable import Greenlight

private let servicePatch = ProcessMode(
  concurrency: .eventlet, patchedBy: .service,
  patchCall: ProcessMode.Call(
    location: SourceLocation(file: "nova/monkey_patch.py", line: 94),
    call: "eventlet.monkey_patch()"))
private let greenlightPatch = ProcessMode(concurrency: .eventlet, patchedBy: .greenlight)

private func report(_ process: ProcessMode?, findings: [Finding] = []) -> Report {
  Report(
    version: "0.1.0", mode: "target", target: "--entry nova.cmd.novncproxy:main",
    findings: findings, process: process)
}

/// The process's mode in every format: which concurrency the process ran in, and who decided.
@Suite("the process's mode in reports")
struct ProcessModeTests {
  @Test(
    "text says the mode in one line just before the summary",
    arguments: [
      (
        servicePatch,
        "greenlight: eventlet, patched by the service at nova/monkey_patch.py:94"
          + " (eventlet.monkey_patch())"
      ),
      (greenlightPatch, "greenlight: eventlet, patched by greenlight before the service's code"),
      (ProcessMode.native, "greenlight: native threads: nothing patched"),
    ])
  func textLine(_ process: ProcessMode, _ expected: String) {
    let finding = Finding(.nativeLock, message: "m", subject: "s", location: nil)
    let text = ReportRenderer.render(report(process, findings: [finding]), as: .text, color: true)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.suffix(2).first.map(String.init) == expected)
    #expect(lines.last?.hasSuffix("1 error\u{1B}[0m") == true)
    #expect(lines.filter { $0.hasPrefix("greenlight: ") }.count == 2)
  }

  @Test("a report without a mode (made by an older version) has no such line")
  func noLine() {
    let text = ReportRenderer.render(report(nil), as: .text, color: false)
    #expect(text == "greenlight: no findings")
  }

  @Test("JSON: concurrency, patched_by and the service's call site, as spelled")
  func json() throws {
    let text = ReportRenderer.render(report(servicePatch), as: .json, color: false)
    let document = try JSONDecoder().decode(Document.self, from: Data(text.utf8))
    #expect(document.process.concurrency == "eventlet")
    #expect(document.process.patched_by == "service")
    #expect(document.process.patch_call?.file == "nova/monkey_patch.py")
    #expect(document.process.patch_call?.line == 94)
    #expect(document.process.patch_call?.call == "eventlet.monkey_patch()")
    #expect(document.process.processes == nil)
  }

  @Test("JSON: patched_by is null, not absent, when nothing patched; no call site")
  func jsonNative() {
    let text = ReportRenderer.render(report(.native), as: .json, color: false)
    #expect(text.contains("\"process\" : {\n    \"concurrency\" : \"native\",\n"))
    #expect(text.contains("\"patched_by\" : null"))
    #expect(!text.contains("patch_call"))
    let greenlight = ReportRenderer.render(report(greenlightPatch), as: .json, color: false)
    #expect(greenlight.contains("\"patched_by\" : \"greenlight\""))
    #expect(!greenlight.contains("patch_call"))
  }

  @Test("JSON lines: the first line of run's report file has the mode too")
  func jsonLine() {
    let line = ReportRenderer.renderJSONLine(report(servicePatch))
    #expect(!line.contains("\n"))
    #expect(line.contains("\"process\":{\"concurrency\":\"eventlet\",\"patch_call\":{"))
  }

  @Test("SARIF: the run's properties carry concurrency, patchedBy and patchCall")
  func sarif() throws {
    let text = SARIFRenderer.render(report(servicePatch), workingDirectory: "/srv/proj")
    let log = try JSONDecoder().decode(Log.self, from: Data(text.utf8))
    let properties = try #require(log.runs.first?.properties)
    #expect(properties.mode == "target")
    #expect(properties.concurrency == "eventlet")
    #expect(properties.patchedBy == "service")
    #expect(properties.patchCall?.file == "nova/monkey_patch.py")
    #expect(properties.patchCall?.call == "eventlet.monkey_patch()")
    let native = SARIFRenderer.render(report(.native), workingDirectory: "/srv/proj")
    #expect(native.contains("\"patchedBy\" : null"))
    #expect(!native.contains("patchCall"))
  }

  @Test("merged: how many processes ran green and how many native, in one process object")
  func merged() throws {
    let reports = [
      Report(version: "x", mode: "first", target: "a", findings: [], process: greenlightPatch),
      Report(version: "x", mode: "first", target: "b", findings: [], process: greenlightPatch),
      Report(version: "x", mode: "first", target: "c", findings: [], process: .native),
      Report(version: "x", mode: "first", target: "d", findings: []),
    ]
    let merged = try #require(ReportMerge.merge(reports, mode: "first", target: "t").process)
    #expect(merged.concurrency == .mixed)
    #expect(merged.patchedBy == .greenlight)
    #expect(merged.processes == ProcessMode.Counts(eventlet: 2, native: 1))
    #expect(
      merged.description
        == "2 processes on eventlet, patched by greenlight before the service's code;"
        + " 1 on native threads, nothing patched")
    let text = ReportRenderer.render(
      ReportMerge.merge(reports, mode: "first", target: "t"), as: .json, color: false)
    #expect(text.contains("\"processes\" : {\n      \"eventlet\" : 2,\n      \"native\" : 1\n"))
  }

  @Test("merged: one call site when every self-patching process patched at the same place")
  func mergedService() {
    let same = ProcessMode.merging([servicePatch, servicePatch])
    #expect(same.concurrency == .eventlet)
    #expect(same.patchCall == servicePatch.patchCall)
    #expect(
      same.description
        == "2 processes on eventlet, patched by the service at nova/monkey_patch.py:94"
        + " (eventlet.monkey_patch())")
    let other = ProcessMode(
      concurrency: .eventlet, patchedBy: .service,
      patchCall: ProcessMode.Call(
        location: SourceLocation(file: "x.py", line: 1), call: "eventlet.monkey_patch()"))
    #expect(ProcessMode.merging([servicePatch, other]).patchCall == nil)
    #expect(ProcessMode.merging([servicePatch, greenlightPatch]).patchedBy == .mixed)
    let none = ProcessMode.merging([])
    #expect(none.concurrency == .native)
    #expect(none.patchedBy == nil)
    #expect(none.description == "no process reported its mode")
    #expect(
      ProcessMode.merging([.native, .native]).description
        == "2 processes on native threads, nothing patched")
  }

  @Test("a process report round-trips: test run's files keep the mode")
  func roundTrip() throws {
    let text = ReportRenderer.renderJSON(report(servicePatch))
    let decoded = try JSONDecoder().decode(Report.self, from: Data(text.utf8))
    #expect(decoded.process == servicePatch)
    let native = try JSONDecoder().decode(
      Report.self, from: Data(ReportRenderer.renderJSON(report(.native)).utf8))
    #expect(native.process == .native)
  }
}

// MARK: Helpers

private struct Document: Decodable {
  var process: Process

  struct Process: Decodable {
    var concurrency: String
    var patched_by: String?
    var patch_call: Call?
    var processes: [String: Int]?
  }

  struct Call: Decodable {
    var file: String
    var line: Int?
    var call: String
  }
}

private struct Log: Decodable {
  var runs: [Run]

  struct Run: Decodable {
    var properties: Properties
  }

  struct Properties: Decodable {
    var mode: String
    var concurrency: String?
    var patchedBy: String?
    var patchCall: Document.Call?
  }
}
