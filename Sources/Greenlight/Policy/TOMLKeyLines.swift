/// The line on which each key of a TOML document is written, found by scanning its text.
///
/// TOMLKit reports a line only for a syntax error: the tables and values it returns carry no
/// source position (toml++ keeps one per node, but TOMLKit's C bridge does not expose it). A
/// policy error must still name the line of the key at fault, so this scanner reads the text
/// once and records every key path with the line where it appears: table headers
/// (`[a.b]`, `[[a.b]]`), dotted keys (`a.b = 1`), keys inside inline tables
/// (`a = { b = 1 }`) and quoted keys (`"a".'b'`). It is run only on text TOMLKit has already
/// accepted, so it skips strings, arrays and comments without validating them, and it never
/// fails: on text it does not follow it simply records fewer keys.
struct TOMLKeyLines {
  /// Every key path in the order it appears, with its 1-based line.
  private(set) var entries: [(path: [String], line: Int)] = []

  init(_ text: String) {
    var scanner = Scanner(bytes: Array(text.utf8))
    entries = scanner.scanDocument()
  }

  /// The line of `path`: where it is written, or else where its first descendant is (a
  /// table that only exists through `[a.b.c]` or `a.b.c = 1` has the line of that
  /// header or key). Nil when the path does not occur.
  func line(of path: [String]) -> Int? {
    if let exact = entries.first(where: { $0.path == path }) { return exact.line }
    return entries.first { $0.path.starts(with: path) }?.line
  }
}

/// A cursor over the document's UTF-8 bytes that counts lines as it goes.
private struct Scanner {
  let bytes: [UInt8]
  var index = 0
  var line = 1
  var found: [(path: [String], line: Int)] = []

  init(bytes: [UInt8]) { self.bytes = bytes }

  var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  func peek(_ offset: Int) -> UInt8? {
    index + offset < bytes.count ? bytes[index + offset] : nil
  }

  mutating func advance() {
    if current == UInt8(ascii: "\n") { line += 1 }
    index += 1
  }

  /// Every statement: a table header, or a key/value pair, one per line.
  mutating func scanDocument() -> [(path: [String], line: Int)] {
    var table: [String] = []
    while true {
      skipBlank(newlines: true)
      guard let byte = current else { break }
      let start = index
      if byte == UInt8(ascii: "[") {
        while current == UInt8(ascii: "[") { advance() }
        let keyLine = line
        table = scanKey()
        found.append((table, keyLine))
      } else {
        let keyLine = line
        let key = scanKey()
        skipBlank(newlines: false)
        if current == UInt8(ascii: "="), !key.isEmpty {
          advance()
          found.append((table + key, keyLine))
          scanValue(under: table + key)
        }
      }
      skipRestOfLine()
      if index == start { advance() }
    }
    return found
  }

  /// A dotted key: bare or quoted parts separated by dots, with blanks around the dots.
  mutating func scanKey() -> [String] {
    var parts: [String] = []
    while true {
      skipBlank(newlines: false)
      switch current {
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        parts.append(scanQuotedKey())
      default:
        let start = index
        while let byte = current, isBareKeyByte(byte) { advance() }
        if index == start { return parts }
        parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
      }
      skipBlank(newlines: false)
      guard current == UInt8(ascii: ".") else { return parts }
      advance()
    }
  }

  /// A one-line quoted key; in a basic (`"`) key, `\"` and `\\` are unescaped.
  mutating func scanQuotedKey() -> String {
    let quote = current!
    advance()
    var key: [UInt8] = []
    while let byte = current, byte != quote, byte != UInt8(ascii: "\n") {
      if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\"), let next = peek(1) {
        key.append(next)
        advance()
      } else {
        key.append(byte)
      }
      advance()
    }
    if current == quote { advance() }
    return String(decoding: key, as: UTF8.self)
  }

  /// One value; the keys of inline tables in it are recorded under `path`.
  mutating func scanValue(under path: [String]) {
    skipBlank(newlines: false)
    switch current {
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      skipString()
    case UInt8(ascii: "["):
      advance()
      while let byte = current, byte != UInt8(ascii: "]") {
        let start = index
        skipBlank(newlines: true)
        if current == UInt8(ascii: ",") {
          advance()
        } else if current != UInt8(ascii: "]") {
          scanValue(under: path)
        }
        if index == start { advance() }
      }
      advance()
    case UInt8(ascii: "{"):
      advance()
      while let byte = current, byte != UInt8(ascii: "}") {
        let start = index
        skipBlank(newlines: true)
        if current == UInt8(ascii: ",") {
          advance()
        } else if current != UInt8(ascii: "}") {
          let keyLine = line
          let key = scanKey()
          skipBlank(newlines: false)
          if current == UInt8(ascii: "="), !key.isEmpty {
            advance()
            found.append((path + key, keyLine))
            scanValue(under: path + key)
          }
        }
        if index == start { advance() }
      }
      advance()
    default:
      let stops: Set<UInt8> = Set(",]}#\r\n".utf8)
      while let byte = current, !stops.contains(byte) { advance() }
    }
  }

  /// A basic, literal or multi-line string, whichever starts here.
  mutating func skipString() {
    let quote = current!
    let multiLine = peek(1) == quote && peek(2) == quote
    for _ in 0..<(multiLine ? 3 : 1) { advance() }
    while let byte = current {
      if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
        advance()
        advance()
        continue
      }
      if !multiLine && byte == UInt8(ascii: "\n") { return }
      if byte == quote && (!multiLine || (peek(1) == quote && peek(2) == quote)) {
        for _ in 0..<(multiLine ? 3 : 1) { advance() }
        // A multi-line string may end with up to two quotes of its own before the closing three.
        while multiLine, current == quote { advance() }
        return
      }
      advance()
    }
  }

  /// Spaces, tabs and comments; newlines too when `newlines` is set.
  mutating func skipBlank(newlines: Bool) {
    while let byte = current {
      if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
        advance()
      } else if byte == UInt8(ascii: "\n") && newlines {
        advance()
      } else if byte == UInt8(ascii: "#") {
        while let next = current, next != UInt8(ascii: "\n") { advance() }
      } else {
        return
      }
    }
  }

  /// Whatever is left of a statement's line (a closing bracket, a comment).
  mutating func skipRestOfLine() {
    while let byte = current, byte != UInt8(ascii: "\n") { advance() }
  }

  func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      true
    default: false
    }
  }
}
