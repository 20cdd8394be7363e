import os
import sys

print("__name__:", __name__)
print("sys.argv:", sys.argv)
print("sys.path[0]:", sys.path[0])
print("__file__:", __file__)
print("main module:", sys.modules["__main__"].__dict__.get("__spec__"))
print("cwd-relative import finds fixtures:", os.path.basename(sys.path[0]) == "Fixtures")
if __name__ == "__main__":
    print("ran as __main__")
