import PythonRuntime
import Testing

@Suite("file system: lexical paths")
struct FileSystemTests {
  @Test(
    "normalize removes dots, empty components and what `..` undoes, by bytes",
    arguments: [
      ("/", "/"), ("//", "/"), ("/a/./b//c/", "/a/b/c"), ("/a/b/../c", "/a/c"),
      ("/../a", "/a"), ("/a/..", "/"), ("/a/.../b", "/a/.../b"), ("/a/..b/.c", "/a/..b/.c"),
      ("/opt/grüne/./bin/../lib", "/opt/grüne/lib"),
      // A combining mark after `/` makes one Character of the two; the kernel still splits.
      ("/a/\u{301}b/../c", "/a/c"),
      ("/srv/\u{301}", "/srv/\u{301}"),
    ])
  func normalize(_ path: String, _ expected: String) {
    #expect(FileSystem.normalize(path) == expected)
  }

  @Test(
    "parent is the path before its last slash",
    arguments: [
      ("/", "/"), ("/a", "/"), ("/a/b", "/a"), ("/a/b/", "/a/b"), ("name", "/"),
      ("/grüne/\u{301}x", "/grüne"),
    ])
  func parent(_ path: String, _ expected: String) {
    #expect(FileSystem.parent(path) == expected)
  }

  @Test(
    "baseName is the last non-empty component",
    arguments: [
      ("/", "/"), ("", ""), ("/a/b", "b"), ("/a/b/", "b"), ("name", "name"),
      ("/usr/bin/python3.11", "python3.11"), ("/srv/\u{301}x", "\u{301}x"),
    ])
  func baseName(_ path: String, _ expected: String) {
    #expect(FileSystem.baseName(path) == expected)
  }

  @Test("absolute joins a relative path to the working directory")
  func absolute() {
    let here = FileSystem.currentDirectory()
    #expect(FileSystem.absolute("x/./y/..") == FileSystem.normalize(here + "/x"))
    #expect(FileSystem.absolute("/tmp//z") == "/tmp/z")
  }
}
