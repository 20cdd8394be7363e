"""The debugger-friendly partial patch, after greenlight's full one (check in first mode)."""
import eventlet

eventlet.monkey_patch(os=False, thread=False)

if __name__ == "__main__":
    print("serving")
