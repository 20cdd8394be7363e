# The Python side of `greenlight debug` (DebugGlue.swift), compiled once into its own
# namespace as "<greenlight debug>": the stack dump and its signal handler, the backdoor's
# accept loop and console. Python because each is a Python function or class that runs
# inside the service; the rules of where and how they listen are Swift (BackdoorListener).
import atexit
import code
import gc
import os
import re
import signal
import socket
import sys
import threading
import traceback
import weakref

import eventlet
import eventlet.hubs
import eventlet.patcher
import greenlet

_native_ident = eventlet.patcher.original("_thread").get_ident
_SECRET = re.compile(r"pass(word|wd)?|secret|token|key|credential|auth|cookie|session", re.I)
_CREDENTIALS = re.compile(r"(://[^/@\s]*?:)[^/@\s]+@")  # scheme://user:password@
_consoles = {}  # a console's green thread -> its client's stream
_replaced_hubs = weakref.WeakSet()  # the greenlets of hubs a service replaced (use_hub)


def _masked(argv):
    shown, hide_next = [], False
    for argument in argv:
        if hide_next:
            shown.append("***")
            hide_next = False
            continue
        argument = _CREDENTIALS.sub(r"\1***@", argument)
        name, equals, value = argument.partition("=")
        if _SECRET.search(name) and equals:
            shown.append(name + "=***")
            continue
        hide_next = argument.startswith("-") and bool(_SECRET.search(argument))
        shown.append(argument)
    return shown


def _is_thread(candidate):
    # Any copy of threading.Thread: eventlet.tpool and pydevd keep private copies of the
    # threading module, whose threads the live module does not list.
    return any(cls.__name__ == "Thread" and cls.__module__ == "threading"
               for cls in type(candidate).__mro__)


def _native_names(idents, objects):
    names = {threading.main_thread().ident: threading.main_thread().name}
    for candidate in objects:
        if _is_thread(candidate) and getattr(candidate, "_ident", None) in idents:
            names.setdefault(candidate._ident, candidate.name)
    return names


def _green_name(green):
    thread = threading._active.get(id(green))
    if thread is not None:
        return thread.name
    if green is eventlet.hubs.get_hub().greenlet:
        return "eventlet hub"
    if green in _replaced_hubs:
        return "eventlet hub replaced by use_hub"
    if green in _consoles:
        return "greenlight backdoor console"
    # A running green thread has no gr_frame: the dump runs in it.
    frame = green.gr_frame or (sys._getframe() if green is greenlet.getcurrent() else None)
    return "%s %s" % (type(green).__name__, _entry(frame)) if frame else type(green).__name__


def _entry(frame):
    """The function a green thread was started with: the outermost frame that is not
    eventlet's own start-up (`greenthread.main`)."""
    chain = []
    while frame is not None:
        chain.append(frame)
        frame = frame.f_back
    for frame in reversed(chain):
        filename = frame.f_code.co_filename
        if filename == "<greenlight debug>":
            return "(greenlight backdoor)"
        if not filename.endswith(("eventlet/greenthread.py", "eventlet/green/thread.py")):
            return frame.f_code.co_qualname + "()"
    return "?"


def _format(frame):
    """A stack as a traceback shows it, without the dump's own frames."""
    entries = [entry for entry in traceback.extract_stack(frame)
               if entry.filename != "<greenlight debug>" or entry.name in ("_session", "_accept")]
    return "".join(traceback.format_list(entries))


def dump(stream):
    """Writes the stack of every native thread and of every parked green thread."""
    frames = sys._current_frames()
    objects = gc.get_objects()
    names = _native_names(frames, objects)
    current, here = greenlet.getcurrent(), _native_ident()
    text = ["greenlight: stacks of process %d, argv %s\n" % (os.getpid(), _masked(sys.argv))]
    main = threading.main_thread().ident
    for ident, frame in sorted(frames.items(), key=lambda item: (item[0] != main, item[0])):
        running = ", in green thread %#x %s" % (id(current), _green_name(current))
        text.append("\nnative thread %s (ident %#x)%s:\n"
                    % (names.get(ident, "?"), ident, running if ident == here else ""))
        text.append(_format(frame))
    parked = [g for g in objects if isinstance(g, greenlet.greenlet) and g.gr_frame is not None]
    del objects
    text.append("\n%d parked green threads (a running one is shown with its native thread)\n"
                % len(parked))
    for green in parked:
        replaced = " on a replaced hub" if green.parent in _replaced_hubs else ""
        text.append("\ngreen thread %#x %s (parked%s):\n"
                    % (id(green), _green_name(green), replaced))
        text.append(_format(green.gr_frame))
    stream.write("".join(text))
    stream.flush()


def dump_on(signum, path):
    """Dumps on signal signum, to stderr or appended to path."""
    def handler(signum, frame):
        # A signal handler's exception would surface in whatever code the signal
        # interrupted (the hub, often): the service must go on whatever happens here.
        try:
            if path is None:
                dump(sys.__stderr__)
            else:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                with open(fd, "w") as stream:
                    dump(stream)
        except Exception as error:
            try:
                sys.__stderr__.write("greenlight: the stack dump failed: %r\n" % (error,))
            except Exception:
                pass
    signal.signal(signum, handler)


class _Routed:
    """sys.stdout or sys.stderr once a client attached: a console's writes go to its client."""

    def __init__(self, original):
        self._original = original

    def _target(self):
        return _consoles.get(greenlet.getcurrent(), self._original)

    def write(self, text):
        return self._target().write(text)

    def flush(self):
        return self._target().flush()

    def __getattr__(self, name):
        return getattr(self._original, name)


def _route():
    """Routes sys.stdout and sys.stderr through _Routed until the interpreter exits."""
    if not isinstance(sys.stdout, _Routed):
        sys.stdout = _Routed(sys.stdout)
    if not isinstance(sys.stderr, _Routed):
        sys.stderr = _Routed(sys.stderr)
    if not _routing:
        _routing.append(True)
        atexit.register(_unroute)


def _unroute():
    """At exit the streams are the service's again, before Python flushes them."""
    _consoles.clear()
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, _Routed):
            setattr(sys, name, stream._original)


_routing = []


class _Detach(Exception):
    """exit() or quit() in the console: the session ends, never the service."""


class _Console(code.InteractiveConsole):
    def __init__(self, reader, writer, namespace, prompts):
        super().__init__(namespace)
        self._reader, self._writer, self._prompts = reader, writer, prompts
        self.failed = False

    def runcode(self, code):
        try:
            super().runcode(code)
        except SystemExit:
            raise _Detach from None

    def showtraceback(self):
        self.failed = True
        super().showtraceback()

    def showsyntaxerror(self, filename=None):
        self.failed = True
        super().showsyntaxerror(filename)

    def write(self, data):
        self._writer.write(data)
        self._writer.flush()

    def raw_input(self, prompt=""):
        if self._prompts:
            self.write(prompt)
        line = self._reader.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")


_BANNER = ("greenlight backdoor in process %d (Python %s). The service's green threads are"
           " parked while a line runs.\nmain is __main__; dump() prints every stack;"
           " frames('module.function')[0].f_locals has a running function's locals.\nCtrl-D"
           " detaches and the service goes on.")


def frames(function):
    """The frames running `function` in any native or parked green thread, by name
    ('handle') or qualified by module ('__main__.main', 'myapp.Server.serve'):
    frames('__main__.main')[0].f_locals reads a parked function's local variables."""
    tops = list(sys._current_frames().values()) + [
        g.gr_frame for g in gc.get_objects()
        if isinstance(g, greenlet.greenlet) and g.gr_frame is not None]
    found = []
    for frame in tops:
        while frame is not None:
            code = frame.f_code
            names = (code.co_name, code.co_qualname,
                     "%s.%s" % (frame.f_globals.get("__name__"), code.co_qualname))
            if function in names and frame not in found:
                found.append(frame)
            frame = frame.f_back
    return found


def _namespace():
    main = sys.modules.get("__main__")
    namespace = dict(vars(main)) if main is not None else {}
    namespace.update(__name__="__console__", __doc__=None, main=main,
                     dump=lambda: dump(sys.stdout), frames=frames)
    return namespace


def _session(connection):
    # Two streams: a text stream that writes drops what it had read ahead.
    reader = connection.makefile("r", encoding="utf-8", errors="replace", newline="\n")
    writer = connection.makefile("w", encoding="utf-8", errors="replace", newline="\n")
    try:
        mode = reader.readline().strip()
        if mode == "greenlight-attach dump":
            dump(writer)
            return
        _route()
        _consoles[greenlet.getcurrent()] = writer
        interactive = mode == "greenlight-attach interactive"
        scripted = mode == "greenlight-attach script"
        console = _Console(reader, writer, _namespace(), not scripted)
        if mode and not mode.startswith("greenlight-attach "):
            console.push(mode)  # a plain client (nc, socat): its first line is code
        if not scripted:
            banner = _BANNER % (os.getpid(), sys.version.split()[0]) if interactive else ""
            console.interact(banner=banner, exitmsg="")
            return
        more = False
        try:
            while True:
                more = console.push(console.raw_input())
        except EOFError:
            if more:
                console.push("")  # the end of input ends an open block
        finally:
            # The script's status, after its output: greenlight attach exits with it.
            writer.write("\0greenlight-status %d\n" % console.failed)
            writer.flush()
    except (OSError, EOFError, _Detach):
        pass
    finally:
        _consoles.pop(greenlet.getcurrent(), None)
        try:
            for closing in (reader, writer, connection):
                closing.close()
        except OSError:
            pass


def serve(descriptor):
    """Serves the backdoor on the listening socket descriptor from a green thread of its
    own, from the hub's first turn on."""
    listener = socket.socket(fileno=descriptor)

    def leave_to_parent():
        # A forked child shares the listening socket and the hub's epoll set: it would
        # take the parent's clients. Its copy of the descriptor closes; the shared epoll
        # registration stays the parent's (no hub call, which would remove it).
        os.close(listener.detach())

    os.register_at_fork(after_in_child=leave_to_parent)
    eventlet.spawn(_accept, listener)
    _follow_hubs(listener, _native_ident())


def _follow_hubs(listener, served):
    """Serves the backdoor on every hub the service installs on thread `served` with
    eventlet.hubs.use_hub (swift's run_server does, after it patched): the accept loop
    spawned on the replaced hub would never run again."""
    hubs = eventlet.hubs
    original = hubs.use_hub

    def use_hub(*args, **kwargs):
        # A thread with no hub yet is left alone: get_hub itself calls use_hub() then.
        old = getattr(hubs._threadlocal, "hub", None) if _native_ident() == served else None
        result = original(*args, **kwargs)
        if old is not None:
            _replaced_hubs.add(old.greenlet)
            eventlet.spawn(_accept, listener)  # on the new hub: spawn makes it
        return result

    use_hub.__wrapped__ = original
    use_hub.__doc__ = original.__doc__
    hubs.use_hub = use_hub


def _accept(listener):
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        eventlet.spawn(_session, connection)
