import ArgumentParser
import Greenlight

/// `greenlight check`: every launch phase but the hand-off, then a report.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Judge a service's start-up by the hazard catalogue, without running it.",
    usage: """
      greenlight check [OPTIONS] -m MODULE | -c CODE | --entry MODULE:FUNCTION | --script NAME | FILE
      """,
    discussion: """
      check runs every launch phase but the hand-off: the interpreter starts, the
      patch mode applies (auto, first, target or none), and the target's module is
      imported so that what its import does is seen: imports before patching,
      threads, monkey_patch calls and their arguments, native locks, stale
      references. Its function or __main__ code is not run:
        -m MODULE and --entry/--script  the module is imported by name
        FILE                            loaded as a module named after the file,
                                        so `if __name__ == "__main__":` does not run
        -c CODE                         the code is the __main__ code: check sees
                                        only what happens before hand-off
      Under the default --patch auto a service that patches itself is checked as
      target (see greenlight run --help); a service that never patched by the end
      of its import is judged as native.

      The report: text on stderr (colour on a TTY unless NO_COLOR is set), or
      --format json or sarif on stdout, or --report-file PATH. With json or sarif
      on stdout, stdout holds the report alone: what the target prints while it
      is imported goes to stderr. The JSON schema is
      schema/greenlight-report.schema.json. A policy (greenlight.toml, or
      [tool.greenlight] in pyproject.toml, found from the working directory up,
      or --policy FILE) ignores rules for modules, changes severities and names
      allowed pre-imports; see docs/policy.md. The package installs both in
      /usr/share/doc/greenlight/.

      --forbid-eventlet (or GREENLIGHT_FORBID_EVENTLET=1) checks as none and
      refuses every import of eventlet: one the importer catches (futurist) is
      info at its line, one that ends the target's import is a GL601 error there.

      Examples:
        greenlight check -m myservice
        greenlight check --patch target --format sarif --entry nova.cmd.api:main
        greenlight check --format json --report-file report.json service.py

      Exit status:
         0  no error-level finding remains after the policy
         1  an error-level finding remains, or the target's import failed
            (any exception, SystemExit included, or os._exit)
        64  wrong input to greenlight (options, target, --python path, policy)
        69  the Python cannot serve (another major.minor or build, eventlet missing)
        70  a launch phase failed in Python
        78  the service refused the mode: it chose native threads and refuses
            the eventlet greenlight imported to patch first (nova)
       130  the target's import raised KeyboardInterrupt

      """ + HelpText.launchEnvironment + "\n\n" + HelpText.files
  )

  @OptionGroup var options: LaunchOptions

  @OptionGroup var patching: PatchOptions

  /// Set from the command-line split: arguments after the target become sys.argv[1:].
  var serviceArguments: [[UInt8]] = []

  enum CodingKeys: String, CodingKey {
    case options, patching
  }

  func run() throws {
    try perform(
      options.request(purpose: .check, patching: patching, serviceArguments: serviceArguments))
  }
}
