"""Says whether any audit hook is installed, as CPython 3.11 shows it: with none,
sys.audit returns at once, before it checks its arguments; with one, an event name that is
not a str is a TypeError. audit_probe_patched.py asks the same after its own patch.
"""

import sys

try:
    sys.audit(0)
except TypeError:
    print("an audit hook")
else:
    print("no audit hook")
