"""GL301 blocking-db-driver, fixed: PyMySQL, a pure-Python driver on green sockets.

The same connect waits its 1 s timeout in a green socket: the other green threads run.

    .venv/bin/python Examples/hazards/GL301/fixed.py   # the ticker keeps running
    cd Examples/hazards/GL301 && greenlight check fixed.py   # no GL301
"""
import eventlet

if not eventlet.patcher.is_monkey_patched("socket"):
    eventlet.monkey_patch()  # run by plain python: patch first, as greenlight does

import pymysql  # noqa: E402  pure Python: its sockets are green


def main():
    database = eventlet.listen(("127.0.0.1", 0))  # accepts, never answers
    ticks = []
    ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.02)) for _ in range(100)])
    eventlet.sleep(0)
    try:
        pymysql.connect(host="127.0.0.1", port=database.getsockname()[1], user="svc",
                        connect_timeout=1, read_timeout=1)
    except pymysql.OperationalError as error:
        print("connect failed as expected:", error.args[1])
    ticker.kill()
    print("ticker ran %d times during the 1 s connect (about 50 if green)" % len(ticks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
