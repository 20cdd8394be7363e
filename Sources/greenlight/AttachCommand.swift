import ArgumentParser
import Greenlight

#if canImport(Glibc)
  import Glibc
#endif

/// `greenlight attach`: a client for the backdoor of `greenlight debug --backdoor`.
struct AttachCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach",
    abstract: "Open a Python console inside a service started with greenlight debug --backdoor.",
    usage: """
      greenlight attach PATH [--dump]
      greenlight attach tcp:127.0.0.1:PORT [--dump]
      """,
    discussion: """
      On a terminal the console is interactive: a banner, prompts, and Ctrl-D to
      detach; the service goes on. With piped input it runs the lines and prints
      only their output:
        echo 'print(1+1)' | greenlight attach /run/user/1000/svc.sock
      The console's namespace is a copy of the service's __main__ globals; main is
      __main__ itself, dump() prints every stack, and frames('module.function')
      returns the frames running a function, parked green threads included. --dump prints the stack of
      every native and green thread of the service, and exits.

      exit() or quit() ends the session, not the service.

      Examples:
        greenlight attach /run/svc/backdoor.sock
        greenlight attach /run/svc/backdoor.sock --dump
        echo 'print(len(main.workers))' | greenlight attach tcp:127.0.0.1:3000

      Exit status:
         0  the session ended (with piped input: every line ran without an
            exception)
         1  with piped input: a line raised (its traceback is on stdout)
        64  wrong input (a tcp: host that is not a loopback address, where no
            backdoor ever listens)
        69  no backdoor answers at PATH (missing socket, refused connection), or
            the session ended before the piped input did
      """
  )

  @Argument(help: ArgumentHelp("The backdoor's socket path, or tcp:HOST:PORT.", valueName: "path"))
  var path: String

  @Flag(name: .long, help: "Print every stack of the service and exit.")
  var dump = false

  func run() throws {
    let descriptor: Int32
    do {
      descriptor = try AttachConnection.connect(to: path)
    } catch {
      StandardError.line("greenlight: error: \(error.message)")
      throw ExitCode(error.isUsage ? ExitStatus.usage : ExitStatus.unavailable)
    }
    let mode: AttachSession.Mode = dump ? .dump : (isatty(0) == 1 ? .interactive : .script)
    throw ExitCode(AttachSession.run(descriptor, mode: mode))
  }
}
