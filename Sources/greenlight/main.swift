import ArgumentParser
import CPythonShims
import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// greenlight's entry point: split the command line as python would, let the parser check
/// greenlight's own part, then run.
let rawArguments = (1..<Int(CommandLine.argc)).map { index in
  Array(
    UnsafeBufferPointer(
      start: CommandLine.unsafeArgv[index], count: strlen(CommandLine.unsafeArgv[index]!))
  )
  .map { UInt8(bitPattern: $0) }
}

// The python front end: started through a link named python*, or as `greenlight python`.
// Its command line is python's, so ArgumentParser never sees it.
let argv0 = String(cString: CommandLine.unsafeArgv[0]!)
if FrontEndLink.isFrontEndName(argv0) {
  runPythonFrontEnd(rawArguments, invokedAs: argv0)
} else if rawArguments.first == Array("python".utf8) {
  runPythonFrontEnd(Array(rawArguments.dropFirst()), invokedAs: nil)
}

var parserArguments = rawArguments.map { String(decoding: $0, as: UTF8.self) }
var split: CommandLineSplit?
if let subcommand = parserArguments.first, ["run", "check", "debug"].contains(subcommand) {
  let runSplit = CommandLineSplit(Array(rawArguments.dropFirst()))
  if let position = runSplit.firstNonUTF8Argument {
    StandardError.line(
      "greenlight: error: argument \(position + 1) is not valid UTF-8; greenlight's options and"
        + " target must be UTF-8 (the service's arguments after the target may be any bytes).")
    exit(ExitStatus.usage)
  }
  parserArguments =
    [subcommand] + runSplit.options.map { String(decoding: $0, as: UTF8.self) }
    + (runSplit.target.map { [String(decoding: $0, as: UTF8.self)] } ?? [])
  split = runSplit
} else if let position = rawArguments.firstIndex(where: {
  String(validating: $0, as: UTF8.self) == nil
}) {
  StandardError.line("greenlight: error: argument \(position + 1) is not valid UTF-8.")
  exit(ExitStatus.usage)
}

do {
  if let split, let subcommand = parserArguments.first, subcommand != "debug",
    let (choices, strict) = FastPath.choices(split, subcommand: subcommand)
  {
    let purpose: LaunchRequest.Purpose = subcommand == "check" ? .check : .run(strict: strict)
    try perform(choices.request(purpose: purpose, serviceArguments: split.serviceArguments))
  }
  var command = try GreenlightCommand.parseAsRoot(parserArguments)
  if var run = command as? RunCommand {
    run.serviceArguments = split?.serviceArguments ?? []
    command = run
  } else if var check = command as? CheckCommand {
    check.serviceArguments = split?.serviceArguments ?? []
    command = check
  } else if var debug = command as? DebugCommand {
    debug.serviceArguments = split?.serviceArguments ?? []
    command = debug
  }
  try command.run()
} catch let exit as ExitCode {
  // The outcome of a launch: exit at once (exit(withError:) would build help text first).
  gl_flush_c_streams()
  Glibc.exit(exit.rawValue)
} catch {
  GreenlightCommand.exit(withError: error)
}

/// Runs the python front end and exits with its status.
func runPythonFrontEnd(_ arguments: [[UInt8]], invokedAs argv0: String?) -> Never {
  let environment = FrontEndSettings.processEnvironment()
  let link = argv0.flatMap { FrontEndLink.invokedPath($0, path: environment["PATH"]) }
  let status: Int32
  do {
    status = try PythonFrontEnd.run(arguments, invokedAs: link, environment: environment)
  } catch {
    StandardError.line("greenlight: error: \(error.message)")
    status = error.status
  }
  gl_flush_c_streams()
  Glibc.exit(status)
}
