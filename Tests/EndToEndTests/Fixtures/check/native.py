"""Never patches: native threads throughout (check with --patch target or none)."""
import threading

LOCK = threading.Lock()

if __name__ == "__main__":
    print("serving")
