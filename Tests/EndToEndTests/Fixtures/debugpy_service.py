"""A green service for greenlight debug's debugpy test: a handler runs in a green thread
while another green thread ticks; the test's client sets a breakpoint on the marked line and
steps over it."""
import eventlet

ticks = []


def ticker():
    while len(ticks) < 100000:
        ticks.append(len(ticks))
        eventlet.sleep(0.001)


def handler(request):
    value = request + 1  # the breakpoint
    return value * 2


eventlet.spawn(ticker)
eventlet.sleep(0.05)
print("handled", eventlet.spawn(handler, 41).wait(), flush=True)
