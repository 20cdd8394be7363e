"""A test that forks while another OS thread waits, for greenlight test --patch none
(Tests/EndToEndTests/NativeSuiteTests.swift): GL503 at the fork, naming the thread."""

import os
import threading


def test_fork_while_a_thread_waits():
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="waiter")
    thread.start()
    try:
        child = os.fork()
        if child == 0:
            os._exit(0)
        _, status = os.waitpid(child, 0)
    finally:
        release.set()
        thread.join()
    assert os.waitstatus_to_exitcode(status) == 0
