"""Functions for --entry: each is called with no arguments and its return value is the
exit status, as for a console script."""
import sys


def main():
    print("entry main:", __name__, sys.argv, sys.path[0] == __import__("os").getcwd())
    return int(sys.argv[1]) if len(sys.argv) > 1 else None


def says_goodbye():
    return "goodbye from the entry point"


def fails():
    raise LookupError("raised by the entry point")


class Service:
    @staticmethod
    def start():
        print("Service.start ran")
        return 0
