import sys

print("before exit", sys.argv[1:])
kind = sys.argv[1]
if kind == "int":
    sys.exit(3)
elif kind == "none":
    sys.exit(None)
elif kind == "string":
    sys.exit("stopping: the configuration file is missing")
elif kind == "object":
    sys.exit(["not", "an", "int", 1])
elif kind == "raise":
    raise SystemExit(4)
elif kind == "large":
    sys.exit(256 + 7)
print("not reached")
