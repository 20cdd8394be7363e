#!/bin/bash
# Builds libpython 3.11 from Debian's own source package the way Debian builds its
# python3.11 (PGO, -O3 -flto, the same built-in modules), and keeps LTO through to one
# relocatable object, libpython3.11.o, beside a linker script libpython3.11.a naming it
# (bench/STATIC-LINKING.md says why an object and not an archive).
#
#   build/lto-libpython.sh          prints the cache folder, building it first if needed
#
# The result is cached outside the work tree, by source version and by a hash of this
# script and the compiler: $GREENLIGHT_CACHE (default ~/.cache/greenlight)/
# libpython-<version>-<hash>/. A folder without its `complete` stamp is a build that did
# not finish: it is removed and built again, never linked.
#
# Everything but the final folder name goes to stderr, so that the Makefile can read it.
set -euo pipefail

PACKAGE=python3.11
VER=3.11
CACHE_ROOT=${GREENLIGHT_CACHE:-$HOME/.cache/greenlight}
JOBS=${JOBS:-$(nproc)}
# The build shares the machine: it runs niced unless told otherwise.
NICE=${NICE:-nice -n 10}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
SYSTEM_PYTHON=/usr/bin/python$VER

log() { echo "lto-libpython: $*" >&2; }

# --- Which source: the installed libpython3.11-dev's, or the nearest one served. ---------
installed=$(dpkg-query -W -f='${Version}' lib$PACKAGE-dev)

served_versions() {
  apt-cache showsrc $PACKAGE 2>/dev/null | sed -n 's/^Version: //p' | sort -u
}

# The deb-src lines go in a sources file of their own beside the existing ones, and the
# update reads every list: an update with only deb-src lines drops the binary lists.
ensure_deb_src() {
  [ -n "$(served_versions)" ] && return
  local list=/etc/apt/sources.list.d/greenlight-python-src.sources
  log "adding $list (deb-src of the suites already configured)"
  $SUDO tee $list >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  $SUDO apt-get update -qq
}

# The installed version first, then the served ones nearest to it: later ones of the same
# upstream release before earlier ones (a later Debian revision is the installed one plus
# fixes), each closest first.
candidate_versions() {
  local v later=() earlier=()
  for v in $(served_versions); do
    if [ "$v" = "$installed" ]; then echo "$v"
    elif dpkg --compare-versions "$v" gt "$installed"; then later+=("$v")
    else earlier+=("$v"); fi
  done
  printf '%s\n' "${later[@]}" | sort -V | sed '/^$/d'
  printf '%s\n' "${earlier[@]}" | sort -rV | sed '/^$/d'
}

# Flags, exactly as debian/rules gives them to its static (non-PIE) build on amd64.
DPKG_FLAGS="hardening=-pie"
OPT_CFLAGS=$(DEB_BUILD_MAINT_OPTIONS=$DPKG_FLAGS dpkg-buildflags --get CFLAGS \
  | sed -e 's/-fstack-protector-strong/-fstack-protector/' -e 's/-O[0-9s]//g' \
        -e 's/-ffile-prefix-map=[^ ]*//')
CPPFLAGS=$(DEB_BUILD_MAINT_OPTIONS=$DPKG_FLAGS dpkg-buildflags --get CPPFLAGS)
LDFLAGS=$(DEB_BUILD_MAINT_OPTIONS=$DPKG_FLAGS dpkg-buildflags --get LDFLAGS)
LTO_CFLAGS="-g -fwrapv -O3 -flto -fuse-linker-plugin -ffat-lto-objects"
# Keeping LTO through to one object: LTO runs here, over the whole of libpython.
RELINK_FLAGS="-O3 -fwrapv -flto=$JOBS -fuse-linker-plugin -r -flinker-output=nolto-rel"
# The PGO task: upstream's curated --pgo set, plus the tests of the built-in modules that
# services spend their time in and the set leaves out (sockets, select and epoll,
# selectors, threads, subprocesses, signals, files, the stdlib's HTTP servers). Without
# them GCC sees _socket's and select's functions never run, optimises them for size and
# moves them to .text.unlikely. Debian's own task runs nearly all of the test suite one
# test at a time, and fails as shipped (docs in bench/STATIC-LINKING.md).
IO_TESTS="test_socket test_selectors test_select test_epoll test_poll test_socketserver
  test_asyncio test_subprocess test_threading test_thread test_os test_io test_signal
  test_fcntl test_httpservers test_urllib2_localnet test_wsgiref test_logging"
# test_socket's AF_VSOCK case waits in accept() forever in a VM that has a vsock device
# (Firecracker's): the per-test timeout then kills its worker, and its profile with it.
IGNORED_TESTS='*VSOCK*'
PROFILE_TASK="-m test --pgo -j$JOBS --timeout=1200 --ignore '$IGNORED_TESTS' <the --pgo set>
  $(echo $IO_TESTS)"
CONFIGURE_ARGS="--prefix=/usr --libdir=/usr/lib/x86_64-linux-gnu --enable-ipv6
  --enable-loadable-sqlite-extensions --with-dbmliborder=bdb:gdbm --with-computed-gotos
  --without-ensurepip --with-system-expat --with-system-ffi
  --with-ssl-default-suites=openssl --with-wheel-pkg-dir=/usr/share/python-wheels/"

ensure_deb_src
version=""
for v in $(candidate_versions); do version=$v; break; done
[ -n "$version" ] || { log "no source of $PACKAGE is served"; exit 1; }

flags_hash=$( { cat "$0"; gcc --version | head -1; echo "$OPT_CFLAGS $CPPFLAGS $LDFLAGS"; } \
  | sha256sum | cut -c1-12)

# The cache folder is named by the version the source really came from, so look for any
# candidate's finished build before fetching.
for v in $(candidate_versions); do
  dir=$CACHE_ROOT/libpython-$v-$flags_hash
  if [ -f "$dir/complete" ]; then
    log "cached: $dir"
    echo "$dir"
    exit 0
  fi
done

work=$(mktemp -d "$CACHE_ROOT/.build-XXXXXX" 2>/dev/null || { mkdir -p "$CACHE_ROOT"; mktemp -d "$CACHE_ROOT/.build-XXXXXX"; })
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work"
fetched=""
for v in $(candidate_versions); do
  if apt-get source --download-only -qq "$PACKAGE=$v" >&2 2>/dev/null; then fetched=$v; break; fi
  log "source $PACKAGE=$v is listed but not served; trying the next nearest"
  rm -f ./*.dsc ./*.tar.*
done
[ -n "$fetched" ] || { log "no source of $PACKAGE could be fetched"; exit 1; }
if [ "$fetched" = "$installed" ]; then
  log "source: $PACKAGE $fetched (the installed libpython$VER-dev)"
else
  log "source: $PACKAGE $fetched (installed libpython$VER-dev is $installed, not served)"
fi
dir=$CACHE_ROOT/libpython-$fetched-$flags_hash
rm -rf "$dir"   # a folder without its stamp is an unfinished build

dpkg-source -x ./*.dsc src >/dev/null
cd src
mkdir build-static
# Debian's __post_configure: the modules its README.Debian lists as extensions are built in.
build_stamp=$($SYSTEM_PYTHON -c 'import platform; print(platform.python_build()[1])')
build_date=${build_stamp% *}
build_time=${build_stamp##* }
modules=$(awk -v ORS='|' '$2 ~ /^extension$/ {print $1}' debian/PVER-minimal.README.Debian.in)
(
  cd build-static
  AR=gcc-ar RANLIB=gcc-ranlib CFLAGS="$OPT_CFLAGS" CPPFLAGS="$CPPFLAGS" \
    LDFLAGS="$LDFLAGS $LTO_CFLAGS" \
    $NICE ../configure $CONFIGURE_ARGS MKDIR_P="/bin/mkdir -p" >configure.log 2>&1
  grep -E "^#(${modules}XX)" ../Modules/Setup \
    | sed -e 's/^#//' -e 's/-Wl,-Bdynamic//;s/-Wl,-Bstatic//' >>Modules/Setup.local
  ../Modules/makesetup -c ../Modules/config.c.in -s Modules \
    Modules/Setup.local Modules/Setup.bootstrap Modules/Setup.stdlib ../Modules/Setup
  mv config.c Modules/
  make Makefile Modules/config.c >/dev/null
  sed -i '/^Modules\/_math.o: .*PY_STDMODULE_CFLAGS/d' Makefile
  # sys.version names the build's date and time: the installed interpreter's, so that
  # sys.version is the same string (the code is the served source's).
  sed -i "s|-DGITVERSION=|-DDATE='\"$build_date\"' -DTIME='\"$build_time\"' -DGITVERSION=|" Makefile
)
cd build-static
make_vars=(EXTRA_CFLAGS="$LTO_CFLAGS" AR=gcc-ar RANLIB=gcc-ranlib)
log "instrumented build (log: $work/src/build-static/build.log)"
$NICE make -j"$JOBS" "${make_vars[@]}" profile-gen-stamp >build.log 2>&1
pgo_set=$(./python -c 'from test.libregrtest.pgo import PGO_TESTS; print(*PGO_TESTS)')
log "profile task: $PROFILE_TASK"
# shellcheck disable=SC2086 # the test names are words
$NICE ./python -m test --pgo -j"$JOBS" --timeout=1200 --ignore "$IGNORED_TESTS" $pgo_set $IO_TESTS \
  >profile.log 2>&1 \
  || log "some profile tests failed (their profile is kept)"
make clean-retain-profile >>build.log 2>&1
touch profile-run-stamp
cflags_nodist=$(sed -n 's/^CFLAGS_NODIST=[[:space:]]*//p' Makefile)
use_flag=$(sed -n 's/^PGO_PROF_USE_FLAG=[[:space:]]*//p' Makefile)
log "optimised build ($use_flag)"
$NICE make -j"$JOBS" "${make_vars[@]}" CFLAGS_NODIST="$cflags_nodist $use_flag" \
  python >>build.log 2>&1

# The new interpreter must say the same sys.version and have exactly Debian's built-in
# modules.
if [ "$($SYSTEM_PYTHON -c 'import sys; print(sys.version)')" != "$(./python -c 'import sys; print(sys.version)')" ]; then
  log "sys.version differs from $SYSTEM_PYTHON's: $(./python -c 'import sys; print(sys.version)')"
  exit 1
fi
expected=$($SYSTEM_PYTHON -c 'import sys; print(*sorted(sys.builtin_module_names))')
got=$(./python -c 'import sys; print(*sorted(sys.builtin_module_names))')
if [ "$expected" != "$got" ]; then
  log "built-in modules differ from $SYSTEM_PYTHON:"
  diff <(tr ' ' '\n' <<<"$expected") <(tr ' ' '\n' <<<"$got") >&2 || true
  exit 1
fi

rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
log "one relocatable object, LTO kept (gcc $RELINK_FLAGS)"
$NICE gcc $RELINK_FLAGS -Wl,--whole-archive libpython$VER.a -Wl,--no-whole-archive \
  -o "$dir.tmp/libpython$VER.o"
if readelf -S "$dir.tmp/libpython$VER.o" | grep -q '\.gnu\.lto_'; then
  log "the object still holds LTO sections"; exit 1
fi
printf 'INPUT(%s)\n' "$dir/libpython$VER.o" >"$dir.tmp/libpython$VER.a"
cat >"$dir.tmp/BUILD-INFO" <<EOF
source: $PACKAGE $fetched (installed libpython$VER-dev: $installed)
configure: $CONFIGURE_ARGS
CFLAGS: $OPT_CFLAGS
CPPFLAGS: $CPPFLAGS
LDFLAGS: $LDFLAGS $LTO_CFLAGS
EXTRA_CFLAGS: $LTO_CFLAGS
PGO: $PROFILE_TASK, then $use_flag
relocatable object: gcc $RELINK_FLAGS -Wl,--whole-archive libpython$VER.a
built-in modules: $got
EOF
rm -rf "$dir"
mv "$dir.tmp" "$dir"
touch "$dir/complete"
log "done: $dir"
echo "$dir"
