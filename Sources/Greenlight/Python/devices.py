# os.read and os.write for character devices that are not terminals (GreenDevices.swift):
# straight to the system call, never through the hub. Python because they replace Python
# functions that the service's code calls through os.

# Bound by greenlight once this has run: stat.S_ISCHR, os.fstat and os.isatty, the
# native os.read and os.write, and eventlet's green ones.
_is_device = _fstat = _isatty = None
_native_read = _native_write = _green_read = _green_write = None


def read(fd, n):
    if _is_device(_fstat(fd).st_mode) and not _isatty(fd):
        return _native_read(fd, n)
    return _green_read(fd, n)


def write(fd, data):
    if _is_device(_fstat(fd).st_mode) and not _isatty(fd):
        return _native_write(fd, data)
    return _green_write(fd, data)
