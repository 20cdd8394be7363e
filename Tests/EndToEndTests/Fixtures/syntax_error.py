print("this line is fine")

def broken(:
    pass
