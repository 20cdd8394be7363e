import sys

data = sys.stdin.buffer.read()
print("read", len(data), "bytes")
for line in data.decode("utf-8").splitlines():
    print(line[::-1])
