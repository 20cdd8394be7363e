import PythonRuntime

/// Watches a launch from the interpreter's start to the hand-off (or the end of `check`) and
/// judges it by the hazard catalogue. Used only on the thread that holds the GIL.
final class Inspector: @unchecked Sendable {
  /// What the inspector needs to know about the launch.
  struct Context {
    var mode: PatchMode
    /// The top-level package of the target (`nova` for `--entry nova.cmd.api:main`), whose
    /// own modules may patch on import (the canonical layout).
    var targetPackage: String?
    /// What the service's source says: where it patches, if its code does.
    var source = ServiceSource()
    /// The policy's `service-packages`: with the target's package, the service's code
    /// wherever it is installed.
    var servicePackages: [String] = []
    /// Whether every module outside the installed distributions is the service's own (the
    /// python front end, where a test suite's packages may patch on import): GL105 then
    /// judges only installed libraries.
    var judgesOnlyLibrariesForPatchOnImport = false
    /// Modules named as allowed to be loaded before patching.
    var isAllowedPreImport: @Sendable (String) -> Bool
    /// Called right after the service's own first monkey_patch call returns (`run` in
    /// `--patch target`), once greenlight has completed that patch; a non-zero result stops
    /// the service with that exit status.
    var afterServicePatch: (@Sendable (Inspector) -> Int32)?
    /// `--verbose`: what completing the service's patch did, on stderr.
    var say = Narrator(enabled: false)
  }

  let context: Context
  let view: ProcessView
  /// `sys.modules` right after initialisation: the interpreter's start-up set.
  private(set) var startupModules: Set<String> = []
  /// Every watched monkey_patch call, in order.
  private(set) var calls: [PatchCall] = []
  /// The attributes of the patch-target modules at the first call, before it ran.
  private var beforePatch: [(module: String, attribute: String, value: PythonObject)] = []
  /// Originals that the first call replaced: identity to `module.attribute`.
  private(set) var replacedOriginals: [UInt: (name: String, value: PythonObject)] = [:]
  /// The modules the launch imported on purpose before the patch (`greenlight debug`'s
  /// debugpy, which keeps native threads and locks by design): allowed, so not scanned.
  private(set) var preImports: Set<String> = []
  /// `_thread`'s native lock, RLock and thread-local types, taken before the first patch.
  private(set) var nativeTypes: NativeTypes?
  private(set) var findings: [Finding] = []
  /// What greenlight completed of the service's own patch (`--patch target`); nil before
  /// that patch, and in the other modes.
  private(set) var completion: PatchCompletion?
  /// Stand-ins for `time.sleep`, judged by calling them once (GL106, GL107); made after the
  /// first patch, from the natives it replaced.
  private(set) lazy var sleepProbe = SleepProbe(replaced: replacedOriginals)

  init(_ context: Context) throws(PythonError) {
    self.context = context
    self.view = try ProcessView(service: context.service)
    startupModules = Set(try view.moduleNames())
  }

  /// Installs the monkey_patch watch, reporting into this inspector.
  func watch() throws(PythonError) {
    try PatchWatch.install(
      .init(
        before: { [self] index in
          self.guarded { () throws(PythonError) in try self.before(index) }
          return 0
        },
        after: { [self] index in
          self.guarded { () throws(PythonError) in try self.after(index) }
          guard self.calls.count == 1, !self.calls[0].isGreenlight else { return 0 }
          NativeHub.stop()  // patched by the service: a hub from here on is its own
          if self.context.mode == .target {
            let status = self.complete(self.calls[0])
            guard status == 0 else { return status }
          }
          return self.context.afterServicePatch?(self) ?? 0
        }))
  }

  /// Completes the service's own patch as `--patch first` completes greenlight's (the green
  /// subprocess, the devices, functools), before the service's next line runs. Returns 0,
  /// or greenlight's own failure status (70), which stops the service: a swap that did not
  /// verify must not run.
  private func complete(_ call: PatchCall) -> Int32 {
    do {
      completion = try PatchCompletion.run(after: call, context.say)
      return 0
    } catch {
      StandardError.line("greenlight: error: \(error.message)")
      return error.status
    }
  }

  /// Whether a module's globals are worth scanning: the service's and its libraries', not
  /// the standard library's or eventlet's. Other distributions that eventlet's import
  /// loaded (cryptography through dnspython's `dnssec`, psycopg2 through the patch) are
  /// scanned, under `--patch first` as when the service imports eventlet itself.
  func isInspected(_ module: String) -> Bool {
    guard !preImports.contains(module) else { return false }
    let origin = view.origin(ofModule: module)
    return origin == .service || origin == .library
  }

  /// Records every module loaded since start-up as a pre-import: call it after the launch's
  /// own pre-imports and before the patch.
  func notePreImports() {
    guard let loaded = try? view.moduleNames() else { return }
    preImports = Set(loaded).subtracting(startupModules)
  }

  /// The rules judged at the end (of `check`, or just before hand-off): identity,
  /// reachable native objects, loaded modules, tracers. Returns every finding so far; each
  /// call judges the process as it is then, so a later call supersedes an earlier one.
  func finish() -> [Finding] {
    if context.mode == .none, let patched = PatchedAnyway(inspector: self).judge() {
      return findings + [patched]
    }
    var all = findings
    guarded { () throws(PythonError) in all += try StaleReferences(inspector: self).judge() }
    guarded { () throws(PythonError) in all += try NativeObjects(inspector: self).judge() }
    guarded { () throws(PythonError) in all += try LoadedModules(inspector: self).judge() }
    return all
  }

  /// Which concurrency the process has now, from the monkey_patch calls seen so far: the
  /// first call decides who patched (greenlight's has no stack), whatever `--patch` said.
  /// The call site is the one GL103 and GL105 name for that call.
  var processMode: ProcessMode {
    guard let first = calls.first else { return .native }
    if first.isGreenlight { return ProcessMode(concurrency: .eventlet, patchedBy: .greenlight) }
    let site = view.location(first.stack.first).map {
      ProcessMode.Call(location: $0, call: "eventlet." + first.spelled)
    }
    return ProcessMode(concurrency: .eventlet, patchedBy: .service, patchCall: site)
  }

  // MARK: the patch instant

  private func before(_ index: Int) throws(PythonError) {
    let call = try PatchCall(event: EventLog.event(at: index))
    calls.append(call)
    // Under --patch none a service's patch is one finding (PatchedAnyway), not judged.
    guard context.mode != .none || call.isGreenlight else { return }
    if calls.count == 1 {
      beforePatch = try capturePatchTargets()
      nativeTypes = try NativeTypes()
      findings += try InstantRules(inspector: self, call: call).judge()
    }
    findings += try CallRules(inspector: self).judge(call, isFirst: calls.count == 1)
  }

  private func after(_ index: Int) throws(PythonError) {
    guard calls.count == 1, replacedOriginals.isEmpty else { return }
    for (module, attribute, value) in beforePatch {
      guard let live = view.module(module)?.attributeIfPresent(attribute),
        !live.isIdentical(to: value)
      else { continue }
      replacedOriginals[value.identity] = ("\(module).\(attribute)", value)
    }
    beforePatch = []
  }

  /// The functions and classes of the modules eventlet patches, as loaded right now. Only
  /// callables: holding an instance such as threading's RLocks would keep the native
  /// object alive after eventlet replaced it (and eventlet reports it as not greened).
  private func capturePatchTargets() throws(PythonError) -> [(String, String, PythonObject)] {
    var captured: [(String, String, PythonObject)] = []
    for name in InstantRules.patchTargets.sorted() {
      guard let module = view.module(name) else { continue }
      for (key, value) in try module.attribute("__dict__").items() {
        guard let attribute = key.stringValue, !attribute.hasPrefix("__"), value.isCallable,
          !value.isModule
        else { continue }
        captured.append((name, attribute, value))
      }
    }
    return captured
  }

  /// Runs a rule step from a C callback: a failure inside greenlight's own inspection must
  /// not change what the service sees, so it is reported as a finding-free note on stderr.
  private func guarded(_ body: () throws(PythonError) -> Void) {
    do {
      try body()
    } catch {
      StandardError.line("greenlight: inspection failed: \(error)")
    }
  }
}

extension Inspector.Context {
  /// The service's packages: the target's and the policy's.
  var service: ServicePackages {
    ServicePackages(target: targetPackage, named: servicePackages)
  }
}
