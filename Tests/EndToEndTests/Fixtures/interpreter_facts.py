"""Prints, as JSON, what C extensions and build tools learn from the interpreter: the build
string, the built-in modules, the ABI and the sysconfig answers extensions are built with.
InterpreterFidelityTests compares it between greenlight and /usr/bin/python3.11."""

import importlib.machinery
import json
import sys
import sysconfig

CONFIG_VARS = [
    "ABIFLAGS", "BLDSHARED", "CC", "CCSHARED", "CFLAGS", "CONFINCLUDEPY", "EXT_SUFFIX",
    "HOST_GNU_TYPE", "INCLUDEPY", "LDFLAGS", "LDLIBRARY", "LDSHARED", "LIBDIR", "LIBPL",
    "LIBRARY", "MACHDEP", "MULTIARCH", "OPT", "Py_DEBUG", "Py_ENABLE_SHARED",
    "Py_TRACE_REFS", "SHLIB_SUFFIX", "SIZEOF_LONG", "SIZEOF_SIZE_T", "SIZEOF_VOID_P",
    "SIZEOF_WCHAR_T", "SOABI", "VERSION", "WITH_DOC_STRINGS", "WITH_PYMALLOC",
    "py_version_nodot",
]

facts = {
    "version": sys.version,
    "hexversion": sys.hexversion,
    "api_version": sys.api_version,
    "builtin_module_names": sorted(sys.builtin_module_names),
    "abiflags": sys.abiflags,
    "cache_tag": sys.implementation.cache_tag,
    "maxsize": sys.maxsize,
    "maxunicode": sys.maxunicode,
    "float_info": list(sys.float_info),
    "int_info": list(sys.int_info),
    "hash_info": list(sys.hash_info),
    "thread_info": list(sys.thread_info),
    "extension_suffixes": importlib.machinery.EXTENSION_SUFFIXES,
    "platform": sysconfig.get_platform(),
    "python_version": sysconfig.get_python_version(),
    "config_vars": {name: sysconfig.get_config_var(name) for name in CONFIG_VARS},
}
print(json.dumps(facts, indent=1, sort_keys=True))
