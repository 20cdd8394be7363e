"""An uncaught exception with an explicit cause and an implicit context."""


def parse(text):
    try:
        return int(text)
    except ValueError as error:
        raise RuntimeError("bad value %r" % text) from error


def main():
    try:
        parse("nope")
    except RuntimeError:
        raise KeyError("while handling the parse failure")


print("starting")
main()
