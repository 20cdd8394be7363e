"""GL301 blocking-db-driver, fixed the other way: keep MySQLdb, run it in eventlet's tpool.

monkey_patch(MySQLdb=True) (off in a plain monkey_patch()) replaces MySQLdb.connect with
one that runs the C calls in native worker threads and proxies the connection, so the
hub keeps running while the driver waits.

    .venv/bin/python Examples/hazards/GL301/fixed_tpool.py   # the ticker keeps running
    cd Examples/hazards/GL301 && greenlight check fixed_tpool.py   # no GL301
"""
import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does
eventlet.monkey_patch(MySQLdb=True)  # tpool wrapping for the C driver

import MySQLdb  # noqa: E402  MySQLdb.connect is now eventlet.green.MySQLdb.Connection


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
