"""The pure parts of `greenlight debug`'s glue (debug.py): the masking of secrets in argv,
the stack dump's formatting, the frames() helper, and the console's line handling over a
real socket pair."""

import io
import os
import socket
import sys
import unittest

import greenlet

from glue import load

DEBUG = load("debug", "greenlight.debug")


def parked_worker():
    greenlet.getcurrent().parent.switch()


class MaskingTests(unittest.TestCase):
    def test_a_secret_option_hides_its_value(self):
        masked = DEBUG["_masked"](["svc", "--password", "hunter2", "--verbose", "x"])
        self.assertEqual(masked, ["svc", "--password", "***", "--verbose", "x"])

    def test_a_secret_name_hides_what_follows_its_equals_sign(self):
        masked = DEBUG["_masked"](["svc", "--auth-token=abc", "token=def", "--name=abc"])
        self.assertEqual(masked, ["svc", "--auth-token=***", "token=***", "--name=abc"])

    def test_credentials_in_a_url_are_hidden(self):
        masked = DEBUG["_masked"](["--db=mysql://nova:s3cret@db/nova", "http://host/path"])
        self.assertEqual(masked, ["--db=mysql://nova:***@db/nova", "http://host/path"])


class DumpTests(unittest.TestCase):
    def setUp(self):
        self.parked = greenlet.greenlet(parked_worker)
        self.parked.switch()
        self.addCleanup(self.parked.switch)
        self.argv = sys.argv
        sys.argv = ["svc", "--password", "hunter2"]
        self.addCleanup(setattr, sys, "argv", self.argv)

    def dump(self):
        stream = io.StringIO()
        DEBUG["dump"](stream)
        return stream.getvalue()

    def test_the_header_names_the_process_and_its_masked_argv(self):
        header = self.dump().splitlines()[0]
        self.assertEqual(
            header,
            "greenlight: stacks of process %d, argv ['svc', '--password', '***']" % os.getpid())

    def test_the_native_thread_shows_the_caller_and_not_the_dump(self):
        text = self.dump()
        self.assertIn("\nnative thread MainThread (ident %#x), in green thread %#x greenlet"
                      % (DEBUG["_native_ident"](), id(greenlet.getcurrent())), text)
        self.assertIn(", in dump\n", text)  # this test's own frame, the caller
        self.assertNotIn('File "<greenlight debug>"', text)

    def test_a_parked_green_thread_is_named_by_its_entry_and_shows_its_stack(self):
        text = self.dump()
        heading = "\ngreen thread %#x greenlet parked_worker() (parked):\n" % id(self.parked)
        self.assertIn(heading, text)
        stack = text.split(heading, 1)[1]
        self.assertIn(", in parked_worker\n    greenlet.getcurrent().parent.switch()\n", stack)
        self.assertRegex(text, r"\n\d+ parked green threads \(a running one is shown")

    def test_frames_finds_a_parked_function_by_name_and_by_module(self):
        found = DEBUG["frames"]("parked_worker")
        self.assertEqual([frame.f_code.co_name for frame in found], ["parked_worker"])
        self.assertEqual(DEBUG["frames"](__name__ + ".parked_worker"), found)
        self.assertEqual(DEBUG["frames"]("no_such_function_anywhere"), [])


class ConsoleTests(unittest.TestCase):
    """A session as greenlight attach or nc runs one: the client's lines in, the output out."""

    def session(self, text):
        client, server = socket.socketpair()
        self.addCleanup(client.close)
        self.addCleanup(DEBUG["_unroute"])
        client.sendall(text.encode())
        client.shutdown(socket.SHUT_WR)
        DEBUG["_session"](server)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
        return received.decode()

    def test_a_script_runs_line_by_line_and_ends_with_its_status(self):
        output = self.session(
            "greenlight-attach script\nprint(6 * 7)\nfor i in range(2):\n    print(i)\n")
        self.assertEqual(output, "42\n0\n1\n\0greenlight-status 0\n")

    def test_a_script_that_raises_shows_the_traceback_and_fails(self):
        output = self.session("greenlight-attach script\n1 / 0\nprint('after')\n")
        self.assertIn("ZeroDivisionError: division by zero\n", output)
        self.assertTrue(output.endswith("after\n\0greenlight-status 1\n"), output)

    def test_a_syntax_error_fails_the_script(self):
        output = self.session("greenlight-attach script\nprint(\n)x\n")
        self.assertIn("SyntaxError", output)
        self.assertTrue(output.endswith("\0greenlight-status 1\n"), output)

    def test_exit_ends_the_session_and_nothing_after_it_runs(self):
        output = self.session("greenlight-attach script\nprint(1)\nexit()\nprint(2)\n")
        self.assertEqual(output, "1\n\0greenlight-status 0\n")

    def test_a_plain_client_s_first_line_is_code_and_it_gets_prompts(self):
        output = self.session("print('first')\nprint('second')\r\n")
        self.assertEqual(output, "first\n>>> second\n>>> \n")

    def test_the_dump_mode_writes_the_stacks(self):
        output = self.session("greenlight-attach dump\n")
        self.assertTrue(output.startswith("greenlight: stacks of process %d" % os.getpid()))

    def test_the_console_sees_main_and_the_helpers(self):
        output = self.session(
            "greenlight-attach script\nimport sys\n"
            "print(__name__, main is sys.modules['__main__'])\n"
            "print(callable(dump), callable(frames))\n")
        self.assertEqual(output, "__console__ True\nTrue True\n\0greenlight-status 0\n")


if __name__ == "__main__":
    unittest.main()
