"""A service that installs a hub of its own after it patched, as swift's run_server does
(`eventlet.hubs.use_hub(...)`), then blocks the new hub with the native time.sleep while a
green thread waits on a timer (the original time.sleep: a full patch first, as
`greenlight run` makes, must not hide it). The watch must follow the new hub: GL501 names the blocker.

    name     use_hub("poll"), a hub module by name (what swift passes)
    class    use_hub(eventlet.hubs.poll.Hub), a hub class
    default  use_hub(), the default hub again
"""

import sys

import eventlet

# As swift patches: time stays native.
eventlet.monkey_patch(all=False, socket=True, select=True, thread=True)

import eventlet.hubs  # noqa: E402
import eventlet.hubs.poll  # noqa: E402
import eventlet.patcher  # noqa: E402

# The original: `time` is patched when greenlight patches first (run's default).
native_time = eventlet.patcher.original("time")


def blocking_sleep_on_new_hub():
    native_time.sleep(0.6)


def main(case):
    before = eventlet.hubs.get_hub()
    if case == "name":
        eventlet.hubs.use_hub("poll")
    elif case == "class":
        eventlet.hubs.use_hub(eventlet.hubs.poll.Hub)
    else:
        eventlet.hubs.use_hub()
    after = eventlet.hubs.get_hub()
    waiting = eventlet.spawn(eventlet.sleep, 1.5)  # a green thread waits on a timer
    eventlet.sleep(0.05)
    eventlet.spawn(blocking_sleep_on_new_hub).wait()
    eventlet.sleep(0.3)  # the new hub runs again: the stall ends
    waiting.wait()
    print("done", case, "new hub" if after is not before else "same hub",
          type(after).__module__, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
