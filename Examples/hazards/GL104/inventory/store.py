"""In-memory stock levels; the real service keeps them in a database."""
import collections

LEVELS = collections.Counter({"widget": 3, "gadget": 1})


def reserve(item, count):
    if LEVELS[item] < count:
        return False
    LEVELS[item] -= count
    return True
