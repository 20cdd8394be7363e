import ArgumentParser

/// `greenlight`: the root command, which only groups the subcommands.
struct GreenlightCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "greenlight",
    abstract: "Start eventlet services correctly: patch first, green subprocess, then hand off.",
    discussion: """
      greenlight embeds the CPython it was built against (Debian's 3.11) and runs a Python \
      service in a virtual environment made from it. Before any code of the service runs it \
      imports eventlet and monkey-patches every module, then makes every entry point of \
      subprocess cooperative, and only then hands control to the service with the same \
      semantics as python: sys.argv, sys.path[0], __main__, exit statuses, tracebacks and \
      signals.

      Examples:
        greenlight run -m myservice --config-file app.conf
        greenlight run --entry nova.cmd.compute:main -- --config-file nova.conf
        greenlight run --patch target service.py
        greenlight run --no-patch -m myservice

      Exit status: the service's own; 64 for wrong input to greenlight; 69 when the Python \
      environment cannot serve (another major.minor, eventlet missing); 70 when a launch \
      phase failed before hand-off.
      """,
    subcommands: [RunCommand.self]
  )
}
