import Testing

@testable import greenlight

/// The `--python` value that `--script` completion reads from the shell words typed so far.
@Suite("the --python of a command line in progress")
struct ScriptCompletionTests {
  @Test(
    "spelled as the shell passes it",
    arguments: [
      (["greenlight", "run", "--python", "/srv/v", "--script", ""], "/srv/v"),
      (["greenlight", "run", "--python=/srv/v", "--script", ""], "/srv/v"),
      (["greenlight", "run", "--python", "'/srv/a b'", "--script", ""], "/srv/a b"),
      (["greenlight", "run", "--python", "\"/srv/v\"", "--script", ""], "/srv/v"),
      (["greenlight", "run", "--python", "/a", "--python", "/b", "--script", ""], "/b"),
      (["greenlight", "run", "--script", ""], nil),
      (["greenlight", "run", "--python=", "--script", ""], nil),
      (["greenlight", "run", "--script", "x", "--python"], nil),
    ] as [([String], String?)])
  func option(_ words: [String], _ expected: String?) {
    #expect(ScriptCompletion.pythonOption(in: words) == expected)
  }
}
