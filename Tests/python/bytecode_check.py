"""Checks the glue the build compiled (GlueBytecodeTests writes it out): for each piece in
FOLDER, NAME.code (the marshalled code) must be NAME.py compiled as NAME.name by this
python, and MAGIC this python's magic number.

    python3.11 Tests/python/bytecode_check.py FOLDER MAGIC
"""

import importlib.util
import marshal
import pathlib
import sys


def main(folder, magic):
    ours = int.from_bytes(importlib.util.MAGIC_NUMBER, "little")
    if int(magic) != ours:
        sys.exit("the build's magic number %s is not this python's %d" % (magic, ours))
    checked = []
    for path in sorted(pathlib.Path(folder).glob("*.code")):
        code = marshal.loads(path.read_bytes())
        file_name = path.with_suffix(".name").read_text(encoding="utf-8")
        source = path.with_suffix(".py").read_text(encoding="utf-8")
        if code.co_filename != file_name:
            sys.exit("%s: compiled as %r, not %r" % (path.stem, code.co_filename, file_name))
        if code != compile(source, file_name, "exec", dont_inherit=True):
            sys.exit("%s: the marshalled code is not its source's" % path.stem)
        checked.append(path.stem)
    print(" ".join(checked))


if __name__ == "__main__":
    main(*sys.argv[1:])
