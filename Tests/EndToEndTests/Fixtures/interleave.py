import sys

for number in range(5):
    print("out", number)
    print("err", number, file=sys.stderr)
    if number == 2:
        sys.stdout.flush()
sys.stdout.write("no newline at the end")
