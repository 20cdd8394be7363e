#!/usr/bin/env bash
# Builds the release variants of greenlight that bench/startup.py compares, each in its own
# scratch folder (.build-bench-*, gitignored), without touching Package.swift:
#
#   shared       .build-bench-shared      libpython3.11.so, shared Swift runtime (plain release)
#   swiftstatic  .build-bench-swiftstatic libpython3.11.so, --static-swift-stdlib
#   static       .build-bench-static      static CPython (libpython3.11-pic.a), static Swift, PIE
#   nopie        .build-bench-nopie       static CPython (libpython3.11.a, not PIC), static
#                                         Swift, non-PIE executable (as Debian's python3.11)
#
# and, for comparison without any Swift, Debian's python.o relinked three ways in
# .build-bench-pyo/: python-shared (libpython3.11.so), python-pic (-pic.a, PIE),
# python-nopic (libpython3.11.a, non-PIE).
#
# Why an object and a linker script instead of the archive: `--static-swift-stdlib` makes
# swiftc pass the linker `-export-dynamic --exclude-libs ALL` (from
# swift_static/linux/static-stdlib-args.lnk), which hides every symbol that comes out of
# an archive, libpython's too, even with --whole-archive, --dynamic-list, a version script
# or lld. C extension modules (lib-dynload, greenlet) then fail with "undefined symbol:
# PyContextVar_Type". A relocatable object (`ld -r --whole-archive`) is not a library, so
# its symbols stay exported; a linker script named libpython3.11.a in a folder searched
# before the system ones makes the package's own `-lpython3.11` pick that object instead
# of libpython3.11.so.
#
# Usage: bench/build-variants.sh [VARIANT...]   (default: all); run from anywhere.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SWIFT=${SWIFT:-swift}
CONFIG=/usr/lib/python3.11/config-3.11-x86_64-linux-gnu
# Libraries the static CPython needs beyond libc/libm: pyexpat and zlib are built in.
# (-ldl, -lutil, -lpthread are part of libc since glibc 2.34; the static Swift runtime's
# own link line adds them anyway.)
PYLIBS=(-Xlinker -lexpat -Xlinker -lz)

# pylib FOLDER ARCHIVE: FOLDER/libpython3.11.a becomes a linker script naming one
# relocatable object holding every member of ARCHIVE.
pylib() {
  local folder=$1 archive=$2 object
  object=$folder/$(basename "$archive" .a).o
  mkdir -p "$folder"
  if [ ! -e "$object" ] || [ "$archive" -nt "$object" ]; then
    ld -r --whole-archive "$archive" -o "$object"
  fi
  printf 'INPUT(%s)\n' "$object" > "$folder/libpython3.11.a"
}

build() {
  local scratch=$1
  shift
  # SwiftPM does not know about the libpython object: remove the binary so that it relinks.
  rm -f "$scratch"/x86_64-unknown-linux-gnu/release/greenlight
  echo "+ $SWIFT build -c release --scratch-path $scratch $*" >&2
  "$SWIFT" build -c release --scratch-path "$scratch" "$@"
}

check() {
  local binary=$1
  echo "== $binary" >&2
  ldd "$binary" | grep -E 'libpython|libswiftCore' >&2 || echo "   (no libpython / libswiftCore)" >&2
  "$binary" run -c 'import greenlet, ssl, ctypes, eventlet; eventlet.monkey_patch(); print("   ok")'
}

variant_shared() {
  build .build-bench-shared
  check .build-bench-shared/release/greenlight
}

variant_swiftstatic() {
  build .build-bench-swiftstatic --static-swift-stdlib
  check .build-bench-swiftstatic/release/greenlight
}

variant_static() {
  pylib "$ROOT/.build-bench-pylib" "$CONFIG/libpython3.11-pic.a"
  build .build-bench-static --static-swift-stdlib \
    -Xlinker -L"$ROOT/.build-bench-pylib" -Xlinker --export-dynamic "${PYLIBS[@]}"
  check .build-bench-static/release/greenlight
}

variant_nopie() {
  pylib "$ROOT/.build-bench-pylib-nopic" "$CONFIG/libpython3.11.a"
  build .build-bench-nopie --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie \
    -Xlinker -L"$ROOT/.build-bench-pylib-nopic" -Xlinker --export-dynamic "${PYLIBS[@]}"
  check .build-bench-nopie/release/greenlight
}

variant_pyo() {
  pylib "$ROOT/.build-bench-pylib" "$CONFIG/libpython3.11-pic.a"
  pylib "$ROOT/.build-bench-pylib-nopic" "$CONFIG/libpython3.11.a"
  local out=.build-bench-pyo
  mkdir -p "$out"
  cc -o "$out/python-shared" "$CONFIG/python.o" -L"$CONFIG" -lpython3.11 -lm
  cc -pie -o "$out/python-pic" "$CONFIG/python.o" "$ROOT/.build-bench-pylib/libpython3.11-pic.o" \
    -Wl,--export-dynamic -lexpat -lz -lm
  cc -no-pie -o "$out/python-nopic" "$CONFIG/python.o" \
    "$ROOT/.build-bench-pylib-nopic/libpython3.11.o" -Wl,--export-dynamic -lexpat -lz -lm
  for p in python-shared python-pic python-nopic; do
    "$out/$p" -c 'import ssl, ctypes, _contextvars; print("   '"$p"' ok")'
  done
}

variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(shared swiftstatic static nopie pyo)
for v in "${variants[@]}"; do
  "variant_$v"
done
