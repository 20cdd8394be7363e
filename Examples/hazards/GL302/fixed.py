"""GL302 psycopg-not-green, fixed: eventlet's wait callback is installed for psycopg2.

With the callback libpq runs asynchronously and every wait goes through the hub, so the
other green threads run while the connect waits. (A plain `eventlet.monkey_patch()`, or
psycopg=True in the list, installs the same callback.)

    .venv/bin/python Examples/hazards/GL302/fixed.py   # the ticker keeps running
    cd Examples/hazards/GL302 && greenlight check --patch target fixed.py   # no GL302
"""
import eventlet

eventlet.monkey_patch(os=True, select=True, socket=True, subprocess=True, thread=True,
                      time=True)  # psycopg not listed, so not patched

import psycopg2  # noqa: E402
import psycopg2.extensions  # noqa: E402
from eventlet.support import psycopg2_patcher  # noqa: E402

psycopg2.extensions.set_wait_callback(psycopg2_patcher.eventlet_wait_callback)


def main():
    database = eventlet.listen(("127.0.0.1", 0))  # accepts, never answers
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(150)])
    eventlet.sleep(0)
    try:
        with eventlet.Timeout(2):
            psycopg2.connect(host="127.0.0.1", port=database.getsockname()[1],
                             dbname="svc", user="svc", connect_timeout=2)
    except (psycopg2.OperationalError, eventlet.Timeout) as error:
        print("connect failed as expected:", type(error).__name__)
    ticker.kill()
    print("ticker ran %d times during the 2 s connect (about 100 if green)" % len(ticks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
