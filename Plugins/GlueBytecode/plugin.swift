import Foundation
import PackagePlugin

/// Compiles greenlight's Python glue at build time (build/glue-bytecode.py, run by the
/// python the binary links), into `GlueBytecode`: each piece's marshalled code and the file
/// name it is compiled as. PythonGlue runs that code when the magic number matches the
/// linked interpreter's, and compiles the embedded source otherwise.
@main
struct GlueBytecodePlugin: BuildToolPlugin {
  /// The pieces greenlight's interpreter runs (not entry.py, which is `-c` code, nor
  /// test_outcomes.py, which the suite's own python runs), and the file name each is
  /// compiled as: what tracebacks and the glue's own frame filters show.
  static let pieces: [(name: String, file: String, fileName: String)] = [
    ("debug", "debug.py", "<greenlight debug>"),
    ("debugpy", "debugpy.py", "<string>"),
    ("devices", "devices.py", "<string>"),
    ("forbidEventlet", "forbid_eventlet.py", "<greenlight forbid-eventlet>"),
    ("sleepProbe", "sleep_probe.py", "<greenlight sleep probe>"),
    ("watch", "watch.py", "<string>"),
  ]

  /// Package.swift's pythonPrefix: the python whose libpython the binary links.
  static let python = URL(filePath: "/usr/bin/python3.11")

  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    guard let module = target as? SourceModuleTarget else { return [] }
    let glue = module.directoryURL.appending(path: "Python")
    let script = context.package.directoryURL.appending(path: "build/glue-bytecode.py")
    let output = context.pluginWorkDirectoryURL.appending(path: "GlueBytecode.swift")
    let sources = Self.pieces.map { glue.appending(path: $0.file) }
    let arguments = Self.pieces.map { piece in
      "\(piece.name)=\(piece.fileName)=\(glue.appending(path: piece.file).path)"
    }
    return [
      .buildCommand(
        displayName: "Compiling greenlight's Python glue", executable: Self.python,
        arguments: [script.path, output.path] + arguments, inputFiles: [script] + sources,
        outputFiles: [output])
    ]
  }
}
