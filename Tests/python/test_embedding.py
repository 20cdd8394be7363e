"""Every piece of glue compiles, and every piece is one that the binary embeds."""

import re
import unittest

from glue import GLUE, compiled

SWIFT = GLUE.parent / "PythonGlue.swift"


class EmbeddingTests(unittest.TestCase):
    def test_every_piece_compiles(self):
        pieces = sorted(path.stem for path in GLUE.glob("*.py"))
        self.assertGreaterEqual(len(pieces), 7)
        for piece in pieces:
            with self.subTest(piece=piece):
                compiled(piece)

    def test_every_piece_is_used_and_nothing_else_is_in_the_folder(self):
        swift = "".join(path.read_text() for path in GLUE.parents[1].rglob("*.swift"))
        used = set(re.findall(r"PackageResources\.(\w+)_py\b", swift))
        files = {path.name for path in GLUE.iterdir()}
        self.assertEqual({name + ".py" for name in used}, files)

    def test_the_glue_enum_names_every_piece_it_loads(self):
        embedded = set(re.findall(r"PackageResources\.(\w+)_py\b", SWIFT.read_text()))
        self.assertGreaterEqual(len(embedded), 7)

    def test_no_swift_or_c_source_runs_python_text(self):
        root = GLUE.parents[2]
        sources = [*(root / "Sources").rglob("*.swift"), *(root / "Shims").rglob("*.[ch]")]
        for path in sources:
            text = path.read_text(encoding="utf-8")
            with self.subTest(path=str(path.relative_to(root))):
                self.assertNotIn("PyRun_String(\"", text)
                self.assertIsNone(re.search(r"\n\s*\"?\s*def \w+\(.*\):\\?n?", text))
                self.assertIsNone(re.search(r"\n\s*\"?\s*import \w+(\.\w+)*\\n\"", text))
                # An indented lowercase import: Python in a Swift multi-line literal.
                self.assertIsNone(re.search(r"\n +import [a-z_][\w.]*\n", text))


if __name__ == "__main__":
    unittest.main()
