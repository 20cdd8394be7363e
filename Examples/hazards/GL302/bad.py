"""GL302 psycopg-not-green, bad: psycopg2 is loaded and no wait callback is set.

The service lists the modules it patches. Naming any module turns the others off, and
psycopg is not a stdlib module, so it was forgotten: libpq then waits in C and every
connect and query blocks the hub. Here the "database" on 127.0.0.1 accepts but never
answers; connect() waits 2 s while no other green thread runs.

    .venv/bin/python Examples/hazards/GL302/bad.py     # the ticker stalls for 2 s
    cd Examples/hazards/GL302 && greenlight check --patch target bad.py
"""
import eventlet

eventlet.monkey_patch(os=True, select=True, socket=True, subprocess=True, thread=True,
                      time=True)  # psycopg not listed, so not patched

import psycopg2  # noqa: E402  GL302: no wait callback


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
