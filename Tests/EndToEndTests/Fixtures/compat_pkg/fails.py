def helper():
    raise ValueError("raised inside a module run with -m")


helper()
