# The probe of a stand-in for time.sleep (SleepProbe.swift): Python because the probe is a
# green wait in a native thread of its own, whose hub holds nothing but the probe's timer.
import eventlet.hubs


def yields(function, start_thread, allocate_lock):
    done = allocate_lock()
    done.acquire()
    outcome = []

    def probe():
        try:
            turns = []
            timer = eventlet.hubs.get_hub().schedule_call_global(0, turns.append, True)
            try:
                function(0.001)
            finally:
                timer.cancel()
            outcome.append(bool(turns))
        except BaseException:
            pass
        finally:
            done.release()

    start_thread(probe, ())
    if not done.acquire(timeout=5):
        return None
    return outcome[0] if outcome else None
