"""A parent package that only reads its version, with importlib.metadata: no GL104."""
from importlib import metadata

try:
    __version__ = metadata.version("versioned")
except metadata.PackageNotFoundError:
    __version__ = "0+unknown"
