import threading
import time


def worker(number):
    time.sleep(0.05 * number)
    print("worker", number, "finished", flush=True)


for number in range(3):
    threading.Thread(target=worker, args=(number,)).start()
print("main thread returns first", flush=True)
