"""A data-access module that uses the C driver: its calls hold the hub (GL301)."""

import MySQLdb


def connect_is_native():
    return type(MySQLdb.connect).__name__ == "builtin_function_or_method" or callable(
        MySQLdb.connect
    )
