"""Module globals with ten million items, a million instances and a deeply nested list."""
import threading

ITEMS = [None] * 10_000_000
MAPPING = {index: index for index in range(1_000_000)}


class Record:
    def __init__(self, index):
        self.index = index


RECORDS = [Record(index) for index in range(1_000_000)]
NESTED = []
for _ in range(100_000):
    NESTED = [NESTED]
LOCK_AT_THE_END = [None] * 2_000_000 + [threading.Lock()]
print("containers made:", len(ITEMS), len(MAPPING), len(RECORDS))
