"""Presses TAB in an interactive shell, as a person would, with an installed completion.

    python shell_complete.py SHELL ROOT LINE EXPECTED

Starts SHELL (bash, zsh or fish, without the user's configuration) on a pseudo-terminal
with ROOT/usr/bin first on PATH, points it at the completion file under ROOT where the
package installs it, types LINE and a TAB, and waits until the screen shows EXPECTED
after LINE. Prints the screen's text; exits 0 when EXPECTED came, 3 when it did not
within TIMEOUT seconds.
"""
import os
import pty
import re
import select
import signal
import sys
import tempfile
import time

TIMEOUT = 30.0
ESCAPES = re.compile(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()#][0-9A-Za-z]|\x1b[=>78MDEHc]")


def setup(shell, root):
    if shell == "bash":
        return ["bash", "--norc", "--noprofile", "-i"], (
            "source %s/usr/share/bash-completion/completions/greenlight" % root)
    if shell == "zsh":
        return ["zsh", "-f", "-i"], (
            "fpath=(%s/usr/share/zsh/vendor-completions $fpath); "
            "autoload -Uz compinit; compinit -u -D" % root)
    if shell == "fish":
        return ["fish", "--no-config", "-i"], (
            "set -p fish_complete_path %s/usr/share/fish/vendor_completions.d" % root)
    raise SystemExit("unknown shell %s" % shell)


def main():
    shell, root, line, expected = sys.argv[1:5]
    command, prepare = setup(shell, root)
    home = tempfile.mkdtemp(prefix="greenlight-shell-")
    environment = dict(os.environ, HOME=home, TERM="xterm", PS1="$ ",
                       PATH="%s/usr/bin:%s" % (root, os.environ.get("PATH", "")))
    environment.pop("VIRTUAL_ENV", None)
    pid, master = pty.fork()
    if pid == 0:
        os.execvpe(command[0], command, environment)
    screen = b""

    def shown(since):
        return ESCAPES.sub(b"", screen[since:]).replace(b"\r", b"")

    def read_until(text, since, deadline):
        nonlocal screen
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    screen += os.read(master, 65536)
                except OSError:
                    return False
            if text.encode() in shown(since):
                return True
        return False

    assert expected not in line, "EXPECTED must be more than LINE shows"
    deadline = time.monotonic() + TIMEOUT
    os.write(master, prepare.encode() + b"; echo READY''-42\n")
    ready = read_until("READY-42", 0, deadline)
    start = len(screen)
    os.write(master, line.encode() + b"\t")
    found = ready and read_until(expected, start, deadline)
    sys.stdout.write(shown(start).decode(errors="replace") + "\n")
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.exit(0 if found else 3)


if __name__ == "__main__":
    main()
