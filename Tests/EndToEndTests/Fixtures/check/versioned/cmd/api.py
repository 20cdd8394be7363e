"""The console script."""


def main():
    return 0
