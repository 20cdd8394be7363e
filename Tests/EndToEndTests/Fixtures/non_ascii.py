import sys

print("héllo wörld ✓ 日本語 🚀 ñ")
print("ошибка на stderr ✗", file=sys.stderr)
print(sys.stdout.encoding, sys.stderr.encoding, sys.getfilesystemencoding())
