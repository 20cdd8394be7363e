"""Started by test_hub.py with sys.executable: a green pool runs in a process nothing
patched."""

import eventlet


def main():
    pool = eventlet.GreenPool()
    return sum(pool.imap(abs, [-1, -2]))  # its green threads need a hub


if __name__ == "__main__":
    main()
