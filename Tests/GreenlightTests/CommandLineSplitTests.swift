import Testing

@testable import greenlight

@Suite("splitting greenlight run's command line")
struct CommandLineSplitTests {
  private func split(_ arguments: [String]) -> (options: [String], target: String?, rest: [String])
  {
    let result = CommandLineSplit(arguments.map { Array($0.utf8) })
    return (
      result.options.map { String(decoding: $0, as: UTF8.self) },
      result.target.map { String(decoding: $0, as: UTF8.self) },
      result.serviceArguments.map { String(decoding: $0, as: UTF8.self) }
    )
  }

  @Test("the first target ends greenlight's options")
  func firstTargetEndsOptions() {
    let result = split(["--python", ".venv", "-v", "-m", "svc", "--python", "x", "-c", "y"])
    #expect(result.options == ["--python", ".venv", "-v"])
    #expect(result.target == "--module=svc")
    #expect(result.rest == ["--python", "x", "-c", "y"])
  }

  @Test(
    "every spelling of a target",
    arguments: [
      (["-m", "a.b"], "--module=a.b"), (["-ma.b"], "--module=a.b"),
      (["--module=a.b"], "--module=a.b"), (["-c", "print(1)"], "--command=print(1)"),
      (["-cx=1"], "--command=x=1"), (["--entry", "a:b"], "--entry=a:b"),
      (["--entry=a:b"], "--entry=a:b"), (["--script", "nova-api"], "--script=nova-api"),
      (["svc.py"], "--file=svc.py"), (["-"], "--file=-"),
      (["-mgrüne"], "--module=grüne"), (["--script=grün:e"], "--script=grün:e"),
      (["--module", "-c"], "--module=-c"),
      // A combining mark after the option letter is the value's, by bytes, as python reads
      // its own `-c`.
      (["-c\u{301}"], "--command=\u{301}"),
    ])
  func spellings(_ arguments: [String], _ target: String) {
    #expect(split(arguments).target == target)
  }

  @Test("-- ends the options; what follows is the target")
  func doubleDash() {
    let result = split(["--patch", "none", "--", "-weird.py", "--", "a"])
    #expect(result.options == ["--patch", "none"])
    #expect(result.target == "--file=-weird.py")
    #expect(result.rest == ["--", "a"])
  }

  @Test("a value option takes the next argument even when it looks like a target")
  func valueOptions() {
    let result = split(["--python", "-m", "-c", "pass"])
    #expect(result.options == ["--python", "-m"])
    #expect(result.target == "--command=pass")
  }

  @Test("unknown options stay with greenlight's, for the parser to reject")
  func unknownOptions() {
    let result = split(["--bogus", "-m", "x"])
    #expect(result.options == ["--bogus"])
    #expect(result.target == "--module=x")
  }

  @Test("a target option without a value is left to the parser")
  func missingValue() {
    let result = split(["-v", "-m"])
    #expect(result.options == ["-v", "-m"])
    #expect(result.target == nil)
  }

  @Test("non-UTF-8 bytes are refused in greenlight's part only")
  func nonUTF8() {
    let bad: [UInt8] = [0x63, 0xE9]
    #expect(
      CommandLineSplit([Array("--python".utf8), bad, Array("-c".utf8), [0x31]]).firstNonUTF8Argument
        == 2)
    #expect(CommandLineSplit([Array("-cpass".utf8), bad]).firstNonUTF8Argument == nil)
    #expect(CommandLineSplit([Array("-c".utf8) + bad]).firstNonUTF8Argument == 1)
    #expect(CommandLineSplit([Array("-c".utf8) + bad]).target == Array("--command=".utf8) + bad)
  }
}
