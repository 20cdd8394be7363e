import threading
import time


def worker(number):
    time.sleep(0.1 * (number + 1))
    print("worker", number, "finished", flush=True)


for number in range(3):
    threading.Thread(target=worker, args=(number,)).start()
print("main thread returns first", flush=True)
