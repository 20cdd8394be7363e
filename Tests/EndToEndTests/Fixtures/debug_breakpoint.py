"""breakpoint() in a green thread while another green thread ticks: greenlight debug's pdb
test drives it through a pseudo-terminal."""
import eventlet

ticks = []


def ticker():
    for i in range(100000):
        ticks.append(i)
        eventlet.sleep(0.001)


def helper(n):
    doubled = n * 2
    return doubled


def handler(request):
    value = request + 1
    breakpoint()
    result = helper(value)
    print("result", result, flush=True)
    return result


eventlet.spawn(ticker)
eventlet.sleep(0.05)
print("handled", eventlet.spawn(handler, 41).wait(), flush=True)
