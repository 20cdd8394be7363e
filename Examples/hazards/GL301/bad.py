"""GL301 blocking-db-driver, bad: MySQLdb (mysqlclient, C) talks to the server in C.

Patching cannot reach a C driver's sockets: every connect and query blocks the whole hub.
Here the "database" on 127.0.0.1 accepts but never greets, and connect() waits its 1 s
timeout while no other green thread runs.

    .venv/bin/python Examples/hazards/GL301/bad.py     # the ticker stalls for 1 s
    cd Examples/hazards/GL301 && greenlight check bad.py
"""
import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does

import MySQLdb  # noqa: E402  GL301: a C driver, not wrapped in eventlet's tpool


def main():
    database = eventlet.listen(("127.0.0.1", 0))  # accepts, never answers
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(100)])
    eventlet.sleep(0)
    try:
        MySQLdb.connect(host="127.0.0.1", port=database.getsockname()[1], user="svc",
                        connect_timeout=1)
    except MySQLdb.OperationalError as error:
        print("connect failed as expected:", error.args[1])
    ticker.kill()
    print("ticker ran %d times during the 1 s connect (about 50 if green)" % len(ticks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
