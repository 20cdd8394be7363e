"""A native service using futurist, which imports eventlet opportunistically and catches it."""
import futurist

with futurist.ThreadPoolExecutor(max_workers=2) as pool:
    print("sum", sum(pool.map(abs, [-1, -2, 3])))
