import Testing

/// What each patch mode does to the process, judged inside the service by object identity.
@Suite("patch modes")
struct PatchModeTests {
  private func state(_ arguments: [String], environment: [String: String] = [:]) throws
    -> ChildResult
  {
    try greenlight(
      ["run", "--python", Paths.venv] + arguments + [Paths.fixture("patch_state.py")],
      environment: environment)
  }

  @Test("first (the default) patches every module and makes all of subprocess green")
  func firstPatchesEverything() throws {
    let result = try state([])
    #expect(result.status == 0, "\(result.stderrText)")
    let lines = result.stdoutText
    #expect(lines.contains("eventlet loaded: True"))
    #expect(lines.contains("socket green: True"))
    #expect(lines.contains("time.sleep green: True"))
    #expect(lines.contains("threading.Lock green: True"))
    for name in [
      "Popen", "call", "check_call", "check_output", "run", "getoutput", "getstatusoutput",
    ] {
      #expect(lines.contains("subprocess.\(name) green: True"), "\(name)")
    }
    // eventlet's own patch leaves check_output raising a copied module's class.
    #expect(lines.contains("CalledProcessError caught by its public class, status 1"))
    #expect(result.stderrText.isEmpty, "greenlight is silent without --verbose")
  }

  @Test(
    "none and --no-patch never import eventlet", arguments: [["--patch", "none"], ["--no-patch"]])
  func noneImportsNothing(_ option: [String]) throws {
    let result = try state(option)
    #expect(result.status == 0)
    #expect(result.stdoutText == "eventlet loaded: False\n")
  }

  @Test(
    "DISABLE_EVENTLET_PATCHING turns patching off unless empty, 0, false or no",
    arguments: [
      ("1", false), ("true", false), ("YES", false), ("anything", false),
      ("", true), ("0", true), ("false", true), ("No", true),
    ])
  func disableVariable(_ value: String, patches: Bool) throws {
    let result = try state([], environment: ["DISABLE_EVENTLET_PATCHING": value])
    #expect(result.status == 0)
    #expect(result.stdoutText.contains("eventlet loaded: \(patches ? "True" : "False")"))
  }

  /// `target` and `none` import exactly what python's own start-up imports: the module set
  /// seen by the service equals the venv python's.
  @Test(
    "target and none import nothing beyond python's start-up set", arguments: ["target", "none"])
  func startupSetUnchanged(_ mode: String) throws {
    let code = "import sys; print(sorted(sys.modules))"
    let expected = try python(["-c", code])
    let actual = try greenlight(["run", "--python", Paths.venv, "--patch", mode, "-c", code])
    #expect(actual.status == 0)
    #expect(actual.stdoutText == expected.stdoutText)
    #expect(!actual.stdoutText.contains("'eventlet"))
  }

  /// greenlight's monkey_patch watch leaves sys.meta_path at hand-off (in target mode, once
  /// the service's own patch has been judged): the service sees python's finders.
  @Test("the service sees python's sys.meta_path", arguments: ["first", "none", "target"])
  func metaPath(_ mode: String) throws {
    let code =
      "import sys; import eventlet; eventlet.monkey_patch()\n"
      + "print([getattr(f, '__name__', type(f).__name__) for f in sys.meta_path])"
    let expected = try python(["-W", "ignore", "-c", code])
    let actual = try greenlight(
      ["run", "--python", Paths.venv, "--patch", mode, "-c", code])
    #expect(actual.stdoutText == expected.stdoutText, "\(actual.stderrText)")
    #expect(!actual.stdoutText.contains("Greenlight"))
  }

  @Test("--verbose says what each phase did")
  func verbose() throws {
    let result = try greenlight(["run", "--python", Paths.venv, "-v", "-c", "print('service')"])
    #expect(result.status == 0)
    #expect(result.stdoutText == "service\n")
    let phases = result.stderrText.split(separator: "\n").map { $0.split(separator: " ")[1] }
    #expect(
      phases == [
        "python", "mode", "patch", "subprocess", "devices", "functools", "verify", "process",
        "watch", "hand-off",
      ])
    #expect(result.stderrText.contains("eventlet 0.41.3 monkey_patch(), every module"))
    #expect(
      result.stderrText.contains(
        "greenlight: mode       auto → first: the service's code never patches (1 file read)"),
      "\(result.stderrText)")
  }
}

/// The subprocess swap and the spec's deadlock, proven against the venv's python.
@Suite("green subprocess and the spec deadlock")
struct GreenSubprocessTests {
  @Test("the ticker blocks on python after monkey_patch() and runs under greenlight")
  func ticker() throws {
    let script = Paths.examples + "/subprocess_ticker.py"
    let plain = try python(["-W", "ignore", script], environment: ["CHILD_PATIENCE": "2"])
    #expect(plain.status == 1)
    #expect(
      plain.stdoutText.contains(
        "blocking entry points: check_output, getoutput, getstatusoutput"))

    let green = try greenlight(
      ["run", "--python", Paths.venv, script], environment: ["CHILD_PATIENCE": "2"])
    #expect(green.status == 0, "\(green.stdoutText)\(green.stderrText)")
    for name in [
      "Popen.wait", "call", "check_call", "check_output", "run", "getoutput", "getstatusoutput",
    ] {
      #expect(green.stdoutText.contains("\(name.padding(16)) cooperative"), "\(name)")
    }
  }

  @Test("subprocess bound after hand-off is green too")
  func lateBindings() throws {
    let result = try greenlight([
      "run", "--python", Paths.venv, Paths.fixture("late_subprocess.py"),
    ])
    #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    #expect(result.stdoutText.contains("from subprocess import check_output: cooperative"))
    #expect(result.stdoutText.contains("import subprocess inside a function: cooperative"))
  }

  @Test("the spec's deadlock hangs on python and finishes under greenlight")
  func specDeadlock() throws {
    let script = Paths.examples + "/deadlock_spec.py"
    let watchdog = ["DEADLOCK_WATCHDOG_SECONDS": "3"]
    let plain = try python(["-W", "ignore", script], environment: watchdog)
    #expect(plain.status == 3, "the native watchdog reports the deadlock")
    #expect(plain.stdoutText.contains("deadlock:"))

    let green = try greenlight(["run", "--python", Paths.venv, script], environment: watchdog)
    #expect(green.status == 0)
    #expect(green.stdoutText == "finished: 5 green threads shared the lock\n")
  }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }

  @Test("functools.cached_property gets a green lock; after monkey_patch alone it is native")
  func cachedPropertyLock() throws {
    let code = """
      import functools
      class Service:
          @functools.cached_property
          def settings(self): return 1
      print(type(Service.__dict__['settings'].lock).__module__)
      """
    let patched = try greenlight(["run", "--python", Paths.venv, "-c", code])
    #expect(patched.status == 0, "\(patched.stderrText)")
    #expect(patched.stdoutText == "threading\n")
    let plain = try python(
      ["-c", code], environment: ["PYTHONPATH": Paths.fixture("patched_startup")])
    #expect(plain.stdoutText == "_thread\n")
  }
}
