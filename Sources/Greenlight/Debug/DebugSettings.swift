/// What `greenlight debug` adds to a launch: a debugger, a backdoor and a stack dump.
public struct DebugSettings: Sendable, Equatable {
  /// The debugger that `breakpoint()` reaches.
  public enum Debugger: Sendable, Equatable {
    /// Python's own: `breakpoint()` stops the whole hub at a prompt on the terminal.
    case pdb
    /// debugpy, imported before patching so that its own threads stay native, serving the
    /// Debug Adapter Protocol on `listen`; `wait` holds the hand-off until a client attaches.
    case debugpy(listen: NetworkAddress, wait: Bool)
  }

  /// `--debugger`: pdb unless debugpy is asked for.
  public var debugger: Debugger
  /// `--backdoor`: an interactive console inside the service.
  public var backdoor: BackdoorAddress?
  /// The signal that dumps every stack (SIGUSR2 unless `--dump-signal` says otherwise).
  public var dumpSignal: DumpSignal
  /// `--dump-file`: where the dump is appended; nil for stderr.
  public var dumpFile: String?

  /// Settings with pdb, no backdoor and SIGUSR2 dumps to stderr unless said otherwise.
  public init(
    debugger: Debugger = .pdb, backdoor: BackdoorAddress? = nil,
    dumpSignal: DumpSignal = .default, dumpFile: String? = nil
  ) {
    self.debugger = debugger
    self.backdoor = backdoor
    self.dumpSignal = dumpSignal
    self.dumpFile = dumpFile
  }
}

/// A signal that may be given to the dump: one that neither kills by design nor cannot be
/// caught.
public struct DumpSignal: Sendable, Equatable {
  /// The name without `SIG`, upper case (`USR2`).
  public let name: String
  /// Linux's number for it.
  public let number: Int32

  /// SIGUSR2.
  public static let `default` = DumpSignal(name: "USR2", number: 12)

  /// Linux's numbers for the signals a dump may use.
  static let allowed: [String: Int32] = [
    "HUP": 1, "QUIT": 3, "USR1": 10, "USR2": 12, "URG": 23, "TTIN": 21, "TTOU": 22,
    "WINCH": 28, "PWR": 30,
  ]

  /// `USR2`, `SIGUSR2` or `usr2`; nil for any other signal.
  public init?(parsing text: String) {
    var name = text.uppercased()
    if name.hasPrefix("SIG") { name.removeFirst(3) }
    guard let number = Self.allowed[name] else { return nil }
    self.init(name: name, number: number)
  }

  init(name: String, number: Int32) {
    self.name = name
    self.number = number
  }

  /// The names accepted, for messages.
  public static var names: String {
    allowed.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")
  }
}
