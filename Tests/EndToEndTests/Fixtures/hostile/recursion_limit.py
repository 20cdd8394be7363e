"""Reaches the recursion limit during its import, catches it, and goes on."""


def down(depth):
    return down(depth + 1)


try:
    down(0)
except RecursionError as error:
    print("caught:", type(error).__name__)
print("imported after the recursion limit")
