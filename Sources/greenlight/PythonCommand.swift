import ArgumentParser
import Greenlight

/// `greenlight python`: documents the python front end. main.swift hands the arguments to
/// ``PythonFrontEnd`` before the parser sees them, so this command only shows help.
struct PythonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "python",
    abstract: "Stand in for the venv's python, under greenlight's patch mode.",
    usage: "greenlight python [PYTHON-OPTIONS] [-c CODE | -m MODULE | FILE | -] [ARGS...]",
    discussion: """
      Takes python's own command line (-m, -c, FILE, - for stdin, -u, -I, -E, -s,
      -S, -B, -O, -X opt, -W arg, -V, combined flags such as -uc) and behaves as the
      venv's python would, except that greenlight's patch mode applies (auto: the
      project in the working directory decides, see greenlight test). Started
      through a link named python, python3 or python3.11 does the same:

        ln -s "$(command -v greenlight)" ~/bin/python

      sys.executable is the front end (that link, or a private one made under
      $XDG_RUNTIME_DIR or /tmp), so children started with it are patched too.
      greenlight python -h is python's own help. Warnings and errors found before
      hand-off are printed on stderr, as by run.

      Examples:
        greenlight python -m pytest -x tests/
        GREENLIGHT_PATCH=first greenlight python service.py
        GREENLIGHT_WATCH=off greenlight python -c "import myservice"

      Exit status: python's own, except
        64  a bad GREENLIGHT_PATCH or GREENLIGHT_PYTHON value, or a broken policy
        69  the Python cannot serve (another major.minor, eventlet missing)
        70  a launch phase failed in Python before hand-off

      Environment (the settings, since the command line is python's):
        GREENLIGHT_PYTHON      the venv or interpreter (default: VIRTUAL_ENV,
                               then the nearest .venv, then the built-against one)
        GREENLIGHT_PATCH       auto (default), first, target or none
        DISABLE_EVENTLET_PATCHING  as for run
        GREENLIGHT_FORBID_EVENTLET  1: refuse every import of eventlet (as
                               run --forbid-eventlet; the mode is none)
        GREENLIGHT_WATCH       on (default) or off: the run-time watch
        GREENLIGHT_HUB_STALL_MS  its hub-stall threshold (default 200)
        GREENLIGHT_SERVICE_PACKAGES  installed packages that are the service's own,
                               comma-separated (added to the policy's service-packages)

      """ + HelpText.files,
    shouldDisplay: true
  )

  @Argument(parsing: .allUnrecognized, help: .hidden)
  var pythonArguments: [String] = []
}
