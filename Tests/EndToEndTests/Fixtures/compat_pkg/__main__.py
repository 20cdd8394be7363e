import sys

print("__name__:", __name__)
print("sys.argv:", sys.argv)
print("sys.path[0]:", sys.path[0])
print("__package__:", __package__)
