print("before the interrupt", flush=True)
raise KeyboardInterrupt
