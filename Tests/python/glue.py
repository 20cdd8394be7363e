"""Loads greenlight's Python glue (Sources/Greenlight/Python) as the binary does: each piece
compiled under the file name its Swift caller gives it, run in a namespace of its own."""

import pathlib
import warnings

# eventlet says on import that it is deprecated: the glue runs under it all the same.
warnings.filterwarnings("ignore", message="\\s*Eventlet is deprecated")

GLUE = pathlib.Path(__file__).resolve().parents[2] / "Sources" / "Greenlight" / "Python"

# The file name each piece is compiled as (Plugins/GlueBytecode/plugin.swift); "<string>"
# elsewhere.
FILE_NAMES = {
    "debug": "<greenlight debug>",
    "forbid_eventlet": "<greenlight forbid-eventlet>",
    "sleep_probe": "<greenlight sleep probe>",
}


def source(piece):
    return (GLUE / (piece + ".py")).read_text(encoding="utf-8")


def compiled(piece):
    return compile(source(piece), FILE_NAMES.get(piece, "<string>"), "exec")


def load(piece, name, **globals_):
    """The namespace of `piece` after it ran with `globals_` set first."""
    namespace = {"__name__": name, **globals_}
    exec(compiled(piece), namespace)
    return namespace
