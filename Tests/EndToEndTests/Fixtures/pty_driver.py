"""Drives a command through a pseudo-terminal, as a person at a terminal would.

    python pty_driver.py STEPS_JSON COMMAND [ARGS...]

STEPS_JSON is a list of [expected, reply] pairs: wait until the terminal has shown
`expected` (a plain string) since the previous step, then type `reply` and a newline (a
null reply types Ctrl-D, the end of input at a terminal). After
the last step the driver reads until the command ends and prints the whole transcript on
stdout. Exits with the command's status, or 3 when an expected text did not come within
TIMEOUT seconds (the transcript so far is printed first).
"""
import json
import os
import pty
import select
import sys
import time

TIMEOUT = 60.0


def main():
    steps = json.loads(sys.argv[1])
    command = sys.argv[2:]
    pid, master = pty.fork()
    if pid == 0:
        os.execv(command[0], command)
    transcript = b""
    seen = 0

    def read(deadline):
        nonlocal transcript
        ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            chunk = os.read(master, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            return None
        transcript += chunk
        return True

    for expected, reply in steps:
        deadline = time.monotonic() + TIMEOUT
        while expected.encode() not in transcript[seen:]:
            got = read(deadline)
            if not got:
                sys.stdout.write(transcript.decode(errors="replace"))
                sys.stdout.write("\n[pty_driver: %r did not come]\n" % expected)
                os.kill(pid, 9)
                sys.exit(3)
        seen = transcript.index(expected.encode(), seen) + len(expected)
        os.write(master, b"\x04" if reply is None else reply.encode() + b"\n")
    deadline = time.monotonic() + TIMEOUT
    while read(deadline):
        pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(transcript.decode(errors="replace"))
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 4)


main()
