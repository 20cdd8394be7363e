"""subprocess bound after hand-off: a module imported later that does
`from subprocess import check_output`, and `import subprocess` inside a function. Each must
let a green ticker run while the child runs (the child waits for the ticker's flag file)."""
import os
import sys
import tempfile

import eventlet


def child_waiting_for(flag):
    return ("i=0; while [ $i -lt 150 ]; do [ -e '%s' ] && exit 0; sleep 0.02; i=$((i+1));"
            " done; exit 3" % flag)


def ticker_creates(flag):
    def tick():
        eventlet.sleep(0.01)
        open(flag, "w").close()
    return eventlet.spawn(tick)


def late_bound_check_output(flag):
    from subprocess import check_output  # bound now, after greenlight's swap
    ticker_creates(flag)
    try:
        check_output(["sh", "-c", child_waiting_for(flag)])
        return True
    except Exception:
        return False


def imported_inside_function(flag):
    import subprocess
    ticker_creates(flag)
    status, _ = subprocess.getstatusoutput(child_waiting_for(flag))
    return status == 0


with tempfile.TemporaryDirectory() as folder:
    late = late_bound_check_output(os.path.join(folder, "a"))
    inner = imported_inside_function(os.path.join(folder, "b"))
print("from subprocess import check_output:", "cooperative" if late else "blocked")
print("import subprocess inside a function:", "cooperative" if inner else "blocked")
sys.exit(0 if late and inner else 1)
