import ArgumentParser
import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight test`: a test suite through the python front end, one report at the end.
struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run a test suite with every Python process of it under greenlight; one report.",
    usage: """
      greenlight test [OPTIONS]                       (python -m pytest)
      greenlight test [OPTIONS] -- PYTHON-ARGS...     (for example -m stestr run)
      """,
    discussion: """
      The suite runs under greenlight's python front end, which takes python's own
      command line and applies the patch mode in each process. Under the default
      --patch auto the project in the working directory decides (its packages and
      modules, tests included): a project whose code patches or picks its backend
      itself runs as target, so each of its modes runs as it chose (nova's tox
      modes); one whose code imports eventlet and never patches is patched first.
      sys.executable inside the suite points at the front end, so children
      started with it run under greenlight too:
      multiprocessing (spawn; fork inherits the patch; forkserver is unavailable
      in any eventlet-patched process), subprocess with sys.executable, stestr
      and subunit workers, pytest-xdist workers. Children started with another
      interpreter are not touched.

      Examples:
        greenlight test                          python -m pytest
        greenlight test -- -m pytest -x tests/   any pytest arguments
        greenlight test -- -m stestr run
        greenlight test -- -m unittest discover
        greenlight test --no-patch -- -m pytest  prove it runs without eventlet
        greenlight test --forbid-eventlet        and that nothing imports it
                                                 (GREENLIGHT_FORBID_EVENTLET=1
                                                 is set for every process)

      --compare runs the suite twice: patched first (eventlet), then native with
      eventlet forbidden; when forbidding leaves no test to run (a test module that
      imports eventlet ends stestr's discovery), the native mode runs again with
      eventlet importable and never patched (--compare-native auto, the default;
      forbid or none pick one). Each test's outcome comes from the runner's own
      record, never its text: pytest's JUnit XML (--junitxml is added), stestr's
      subunit stream (run --subunit), python -m subunit.run's, and unittest's
      through python -m subunit.run. Each is pass, fail, error, skip, hang (still
      running when --compare-timeout ran out: the stacks of the mode's processes go
      into the report) or missing (the other mode reported it). stderr lists the
      tests whose outcome differs, with the first line of each failure, then each
      mode's counts; --report-file writes every test as JSON
      (schema/greenlight-compare.schema.json), or SARIF with --format sarif.
        greenlight test --compare -- -m stestr run
        greenlight test --compare --compare-timeout 120 --report-file cmp.json

      The runner's output, its JUnit XML or subunit stream, and its exit status
      pass through unchanged. The last line says how many processes ran on
      eventlet and on native threads, and who patched them. Every process runs greenlight's run-time watch (hub
      stalls GL501, GL202, GL502; --watch off turns it off); its findings join the
      report. When it ends, greenlight prints one report for every
      process of the run on stderr: the same finding from many processes once,
      with the number of processes that found it. --format json or sarif needs
      --report-file, because stdout belongs to the runner.

      Exit status: the runner's own, except
        1   --strict: the runner passed, but an error-level finding remains
        0   --compare: every test had the same outcome in both modes
        1   --compare: some test's outcome differs
        64  wrong input to greenlight (options, --python path, policy)
        69  the Python cannot serve (another major.minor, eventlet missing)
        70  greenlight could not start the run

      """ + HelpText.launchEnvironment + """

          GREENLIGHT_REPORT_DIR       set by greenlight test for its processes:
                                      where each writes its report


        """ + HelpText.files
  )

  @Option(name: .long, help: .pythonOption)
  var python: String?

  @OptionGroup var patching: PatchOptions

  @Flag(
    name: .long,
    help: "Fail a passing run (exit 1) when any process had an error-level finding.")
  var strict = false

  @OptionGroup var watch: WatchArguments

  @Flag(name: .shortAndLong, help: "Say what greenlight did, on stderr.")
  var verbose = false

  @Option(name: .long, help: .policyOption)
  var policy: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Report format: text, json or sarif (with --compare and --report-file: json).",
      valueName: "format"))
  var format: ReportFormat?

  @Flag(
    name: .long,
    help: ArgumentHelp(
      "Run the suite twice, patched first and native with eventlet forbidden, and compare"
        + " the tests' outcomes."))
  var compare = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --compare: the native mode forbids eventlet's imports (forbid), leaves eventlet"
        + " importable and unpatched (none), or forbids and runs again as none when nothing"
        + " could run (auto, the default).", valueName: "auto|forbid|none"))
  var compareNative: CompareSession.Native?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --compare: the seconds each mode may run before greenlight takes the stacks of"
        + " its processes and ends them (default 300).", valueName: "seconds"))
  var compareTimeout: Double?

  @Option(
    name: .long,
    help: ArgumentHelp("Write the report to this file (text: stderr).", valueName: "path"))
  var reportFile: String?

  @Argument(
    parsing: .postTerminator,
    help: ArgumentHelp(
      "python's arguments for the runner (default: -m pytest).", valueName: "python-args"))
  var pythonArguments: [String] = []

  func validate() throws {
    if let format, format != .text, reportFile == nil {
      throw ValidationError(
        "--format \(format.rawValue) needs --report-file: stdout belongs to the test runner.")
    }
    if compareTimeout != nil || compareNative != nil, !compare {
      throw ValidationError(
        "\(compareTimeout != nil ? "--compare-timeout" : "--compare-native") needs --compare.")
    }
    if let compareTimeout, !(compareTimeout >= 1 && compareTimeout <= 86400) {
      throw ValidationError("--compare-timeout takes seconds from 1 to 86400.")
    }
    if compare {
      if patching.forbidEventlet || patching.noPatch || patching.patch != .auto || strict {
        throw ValidationError(
          "--compare runs both modes itself (--patch first, then --forbid-eventlet): drop"
            + " \(strict ? "--strict" : "the patch options").")
      }
      let arguments = pythonArguments.isEmpty ? ["-m", "pytest"] : pythonArguments
      if OutcomeSources.recognizes(arguments) == false {
        throw ValidationError(
          "--compare reads outcomes from pytest, stestr run, subunit.run or unittest; give"
            + " -m pytest, -m stestr run, -m subunit.run or -m unittest after --.")
      }
    }
  }

  func run() throws {
    if compare { return try runComparison() }
    let forbid = patching.forbidEventlet || LaunchChoices.forbidsEventletByEnvironment
    let mode =
      forbid
      ? .none
      : (patching.noPatch ? .none : patching.patch)
        .applyingEnvironment(getenv("DISABLE_EVENTLET_PATCHING").map { String(cString: $0) })
    var request = TestRequest(
      python: python, patchMode: mode,
      runnerArguments: pythonArguments.isEmpty ? ["-m", "pytest"] : pythonArguments,
      strict: strict, verbose: verbose, policy: try LaunchChoices.loadPolicy(policy),
      report: LaunchChoices.reportOptions(format: format ?? .text, file: reportFile))
    request.watch = watch.options
    request.forbidEventlet = forbid
    do {
      throw ExitCode(try TestSession.run(request))
    } catch let error as LaunchError {
      StandardError.line("greenlight: error: \(error.message)")
      throw ExitCode(error.status)
    }
  }

  /// `--compare`: both modes, one comparison.
  private func runComparison() throws {
    var request = TestRequest(
      python: python, patchMode: .first,
      runnerArguments: pythonArguments.isEmpty ? ["-m", "pytest"] : pythonArguments,
      strict: false, verbose: verbose, policy: try LaunchChoices.loadPolicy(policy),
      report: LaunchChoices.reportOptions(
        format: format ?? (reportFile == nil ? .text : .json), file: reportFile))
    request.watch = watch.options
    do {
      throw ExitCode(
        try CompareSession.run(
          request, timeout: compareTimeout ?? CompareSession.defaultTimeout,
          native: compareNative ?? .auto))
    } catch let error as LaunchError {
      StandardError.line("greenlight: error: \(error.message)")
      throw ExitCode(error.status)
    }
  }
}
