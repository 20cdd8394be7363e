"""inventory: a small stock-keeping service (its own package, next to bad.py and fixed.py)."""
