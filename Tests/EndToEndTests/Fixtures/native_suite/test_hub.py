"""Tests that start an eventlet hub in processes nothing patched, for greenlight test
--patch none (Tests/EndToEndTests/NativeSuiteTests.swift): GL601 at each call, in the
runner and in a child started with sys.executable (the front end)."""

import os
import subprocess
import sys

import eventlet


def test_green_sleep_unpatched():
    eventlet.sleep(0)  # makes this thread's hub


def test_green_sleep_in_a_child():
    child = os.path.join(os.path.dirname(__file__), "hub_child.py")
    subprocess.run([sys.executable, child], check=True)
