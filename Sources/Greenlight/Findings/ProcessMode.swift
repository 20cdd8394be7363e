/// Which concurrency the process ran in, and who decided: derived from the monkey_patch
/// calls greenlight saw by the report's moment, not from `--patch` alone (a service run with
/// `--patch none` that patches anyway ran green).
///
/// JSON keys are `concurrency`, `patched_by` (present, null when nothing patched) and, when
/// the service patched itself, `patch_call`. A merged report (`greenlight test`) adds
/// `processes`, the number of processes of each kind.
public struct ProcessMode: Codable, Equatable, Sendable {
  /// What the threads of the process were.
  public enum Concurrency: String, Codable, Sendable {
    /// Patched: green threads on eventlet's hub.
    case eventlet
    /// Nothing patched: native threads.
    case native
    /// A merged report whose processes ran some green, some native.
    case mixed
  }

  /// Who made the first monkey_patch call.
  public enum Patcher: String, Codable, Sendable {
    /// greenlight, before any code of the service (`--patch first`).
    case greenlight
    /// The service's own code (or a library it imported).
    case service
    /// A merged report whose green processes were patched by different parties.
    case mixed
  }

  /// The service's first monkey_patch call: where it was made, and how it was spelled.
  public struct Call: Codable, Hashable, Sendable {
    /// The same place the findings about that call name.
    public var file: String
    public var line: Int?
    /// `eventlet.monkey_patch(os=False, thread=False)`.
    public var call: String

    public init(location: SourceLocation, call: String) {
      self.file = location.file
      self.line = location.line
      self.call = call
    }

    var location: SourceLocation { SourceLocation(file: file, line: line) }
  }

  /// In a merged report: how many processes ran on eventlet and how many on native threads.
  public struct Counts: Codable, Equatable, Sendable {
    public var eventlet: Int
    public var native: Int

    public init(eventlet: Int, native: Int) {
      self.eventlet = eventlet
      self.native = native
    }
  }

  public var concurrency: Concurrency
  /// nil when nothing patched the process.
  public var patchedBy: Patcher?
  /// When the service patched itself: its first call; nil otherwise, and when the call site
  /// is unknown.
  public var patchCall: Call?
  /// Only in a merged report.
  public var processes: Counts?

  public init(
    concurrency: Concurrency, patchedBy: Patcher?, patchCall: Call? = nil,
    processes: Counts? = nil
  ) {
    self.concurrency = concurrency
    self.patchedBy = patchedBy
    self.patchCall = patchCall
    self.processes = processes
  }

  /// Native threads, nothing patched.
  public static let native = ProcessMode(concurrency: .native, patchedBy: nil)

  enum CodingKeys: String, CodingKey {
    case concurrency
    case patchedBy = "patched_by"
    case patchCall = "patch_call"
    case processes
  }

  /// Written by hand so that `patched_by` is `null` rather than absent when nothing patched.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(concurrency, forKey: .concurrency)
    try container.encode(patchedBy, forKey: .patchedBy)
    try container.encodeIfPresent(patchCall, forKey: .patchCall)
    try container.encodeIfPresent(processes, forKey: .processes)
  }

  /// The text report's line, without the `greenlight: ` prefix:
  /// `eventlet, patched by the service at nova/monkey_patch.py:94 (eventlet.monkey_patch())`.
  public var description: String {
    if let processes { return Self.describe(processes, patchedBy: patchedBy, call: patchCall) }
    switch concurrency {
    case .native: return "native threads: nothing patched"
    case .eventlet, .mixed: return "eventlet, patched by " + Self.patcher(patchedBy, patchCall)
    }
  }

  private static func patcher(_ patchedBy: Patcher?, _ call: Call?) -> String {
    switch patchedBy {
    case .greenlight: return "greenlight before the service's code"
    case .service:
      guard let call else { return "the service" }
      return "the service at \(call.location.description) (\(call.call))"
    case .mixed: return "greenlight in some processes, the service in others"
    case nil: return "an unknown caller"
    }
  }

  /// A merged report's line: `4 processes on eventlet, patched by greenlight before the
  /// service's code; 1 on native threads, nothing patched`.
  private static func describe(_ counts: Counts, patchedBy: Patcher?, call: Call?) -> String {
    guard counts.eventlet + counts.native > 0 else { return "no process reported its mode" }
    let green =
      counts.eventlet == 0
      ? nil : "\(processCount(counts.eventlet)) on eventlet, patched by \(patcher(patchedBy, call))"
    let native =
      counts.native == 0
      ? nil
      : (green == nil ? processCount(counts.native) : "\(counts.native)")
        + " on native threads, nothing patched"
    return [green, native].compactMap { $0 }.joined(separator: "; ")
  }

  private static func processCount(_ count: Int) -> String {
    count == 1 ? "1 process" : "\(count) processes"
  }

  /// One mode for the processes of a test run: `mixed` where they differ; the call site only
  /// when every self-patching process patched at the same place. No process at all is
  /// native, with counts of zero.
  public static func merging(_ modes: [ProcessMode]) -> ProcessMode {
    var counts = Counts(eventlet: 0, native: 0)
    for mode in modes {
      let each =
        mode.processes
        ?? Counts(
          eventlet: mode.concurrency == .native ? 0 : 1, native: mode.concurrency == .native ? 1 : 0
        )
      counts.eventlet += each.eventlet
      counts.native += each.native
    }
    let concurrency: Concurrency =
      counts.eventlet == 0 ? .native : counts.native == 0 ? .eventlet : .mixed
    let green = modes.filter { $0.concurrency != .native }
    let patchers = Set(green.compactMap(\.patchedBy))
    let patchedBy: Patcher? =
      patchers.count > 1 ? .mixed : patchers.first
    let calls = Set(green.compactMap(\.patchCall))
    let call = patchedBy == .service && calls.count == 1 ? calls.first : nil
    return ProcessMode(
      concurrency: concurrency, patchedBy: patchedBy, patchCall: call, processes: counts)
  }
}
