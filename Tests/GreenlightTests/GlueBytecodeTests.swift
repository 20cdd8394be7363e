import Foundation
import Testing

@testable import Greenlight

/// The glue the GlueBytecode plugin compiled at build time: what a start runs instead of
/// compiling the embedded source must be that source, compiled by the linked python.
@Suite("glue bytecode")
struct GlueBytecodeTests {
  static let root = URL(filePath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test("each piece's marshalled code is its embedded source compiled as its file name")
  func matchesSource() throws {
    let folder = FileManager.default.temporaryDirectory.appending(
      path: "greenlight-glue-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var names: [String] = []
    for piece in PythonGlue.allCases {
      guard let compiled = piece.compiled else { continue }
      let name = "\(piece)"
      names.append(name)
      try Data(compiled.code).write(to: folder.appending(path: name + ".code"))
      try Data(compiled.fileName.utf8).write(to: folder.appending(path: name + ".name"))
      try Data(piece.source.utf8).write(to: folder.appending(path: name + ".py"))
    }
    #expect(names.count == PythonGlue.allCases.count - 1, "every piece but entry")

    let python = Process()
    let output = Pipe()
    python.executableURL = URL(filePath: "/usr/bin/python3.11")
    python.arguments = [
      Self.root.appending(path: "Tests/python/bytecode_check.py").path, folder.path,
      String(GlueBytecode.magic),
    ]
    python.standardOutput = output
    python.standardError = output
    try python.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    python.waitUntilExit()
    #expect(python.terminationStatus == 0, "\(text)")
    #expect(text == names.sorted().joined(separator: " ") + "\n")
  }

  @Test("file names: the forbid finder's and the debug glue's own, so that their frames are known")
  func fileNames() {
    #expect(PythonGlue.debug.fileName == "<greenlight debug>")
    #expect(PythonGlue.forbidEventlet.fileName == EventletBan.fileName)
    #expect(PythonGlue.watch.fileName == "<string>")
  }
}
