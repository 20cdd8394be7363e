# greenlight: two commands set everything up on a fresh Debian machine with Swift 6.3.
#   make demo   installs what is missing, builds, runs greenlight on the examples
#   make test   installs what is missing, then runs every test
#   make release  the binary to deploy: the same, linked with a PGO + LTO libpython
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# Debian's CPython, the one greenlight links; never the python3 that PATH may name.
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
# The sweep's venv: nova and swift from PyPI with everything they need, frozen.
SWEEP_VENV := .venv-sweep
# The suites' venv: nova and oslo.service with their own test requirements, frozen.
SUITES_VENV := .venv-suites
# Suites run from their sdists (requirements-sdists.txt), unpacked under .build/sdists:
# oslo.concurrency's own tests for greenlight test --compare.
SDISTS := .build/sdists
OSLO_CONCURRENCY := $(SDISTS)/oslo_concurrency-7.6.1
SWIFT ?= swift
RELEASE := .build/release/greenlight
APT_PACKAGES := libpython3-dev python3-venv
# mysqlclient (the GL301 example's C driver) builds from source against MariaDB's client.
TEST_APT_PACKAGES := pkg-config libmariadb-dev
# bench/watch.py loads a wsgi service with ApacheBench.
BENCH_APT_PACKAGES := apache2-utils

# The release binary links CPython and the Swift runtime statically, as Debian links its
# own python3.11: the non-PIC libpython3.11.a in a non-PIE executable, Python's symbols
# exported for C extensions (docs/embedding-notes.md, "Linking"). The archive goes in as
# one relocatable object named by a linker script called libpython3.11.a, found before the
# shared library: --static-swift-stdlib adds --exclude-libs ALL, which would hide the
# symbols of any archive.
PYTHON_CONFIG := /usr/lib/python3.11/config-3.11-x86_64-linux-gnu
PYLIB := $(CURDIR)/.build/pylib
# The C++ runtime that the Swift runtime needs goes in statically too: STDCXX holds only
# libstdc++.a, so the -lstdc++ of Swift's static-stdlib-args.lnk finds the archive first,
# and -static-libgcc does the same for libgcc_s. With the $$ORIGIN rpath SwiftPM would add
# left out (--disable-local-rpath), that is about 0.8 ms less of every start
# (bench/STATIC-LINKING.md, "Start-up").
STDCXX := $(CURDIR)/.build/stdcxx
# $(call release_flags,FOLDER): FOLDER holds the libpython3.11.a linker script to link.
release_flags = -c release --static-swift-stdlib --disable-local-rpath \
	-Xswiftc -Xclang-linker -Xswiftc -no-pie -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
	-Xlinker -L$(STDCXX) -Xlinker -L$(1) -Xlinker --export-dynamic -Xlinker -lexpat -Xlinker -lz
RELEASE_FLAGS := $(call release_flags,$(PYLIB))
# SwiftPM does not see which libpython the linker script names: the folder last linked is
# written down, and the binary is removed when the next link names another one.
LINKED_PYLIB := .build/linked-pylib
# $(call link_release,FOLDER)
link_release = \
	if [ "$$(cat $(LINKED_PYLIB) 2>/dev/null)" != "$(1)" ]; then \
	  rm -f .build/x86_64-unknown-linux-gnu/release/greenlight; fi; \
	$(SWIFT) build $(call release_flags,$(1)) && echo "$(1)" > $(LINKED_PYLIB)

.PHONY: demo test build setup system-packages venv bench format clean release test-release deb deb-tools

setup: system-packages venv

# apt-get only for what is missing; sudo only when not root.
system-packages:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt | system-packages
	$(SYSTEM_PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The tests also need the report validators and the libraries the hazard examples import.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt requirements-examples.txt
	$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(TEST_APT_PACKAGES)"
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -r requirements-test.txt -r requirements-examples.txt
	touch $@

# Made anew when its requirements change, so that it holds exactly what they name.
$(SWEEP_VENV)/.installed: requirements-sweep.txt | system-packages
	rm -rf $(SWEEP_VENV)
	$(SYSTEM_PYTHON) -m venv $(SWEEP_VENV)
	$(SWEEP_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -r requirements-sweep.txt
	touch $@

# The same, for the suites' venv: their own unit tests run from it under greenlight test.
$(SUITES_VENV)/.installed: requirements-suites.txt | system-packages
	rm -rf $(SUITES_VENV)
	$(SYSTEM_PYTHON) -m venv $(SUITES_VENV)
	$(SUITES_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -r requirements-suites.txt
	touch $@

# pip checks the sdist's hash; the suites' venv has every requirement of its tests.
$(OSLO_CONCURRENCY)/.unpacked: requirements-sdists.txt $(SUITES_VENV)/.installed
	rm -rf $(OSLO_CONCURRENCY)
	mkdir -p $(SDISTS)
	$(SUITES_VENV)/bin/python -m pip download --quiet --disable-pip-version-check --no-deps \
	  --no-binary :all: --require-hashes -r requirements-sdists.txt -d $(SDISTS)
	tar -xzf $(SDISTS)/oslo_concurrency-7.6.1.tar.gz -C $(SDISTS)
	touch $@

$(STDCXX)/libstdc++.a:
	@archive=$$(gcc -print-file-name=libstdc++.a); \
	if [ ! -f "$$archive" ]; then \
	  echo "error: gcc finds no libstdc++.a (Debian: apt-get install libstdc++-12-dev)" >&2; \
	  exit 1; fi; \
	mkdir -p $(STDCXX) && ln -sf "$$archive" $@

$(PYLIB)/libpython3.11.a: $(PYTHON_CONFIG)/libpython3.11.a | system-packages
	mkdir -p $(PYLIB)
	ld -r --whole-archive $< -o $(PYLIB)/libpython3.11.o
	printf 'INPUT(%s)\n' $(PYLIB)/libpython3.11.o > $@
	rm -f .build/x86_64-unknown-linux-gnu/release/greenlight  # SwiftPM does not see it

build: setup $(PYLIB)/libpython3.11.a $(STDCXX)/libstdc++.a
	$(call link_release,$(PYLIB))

# libpython built from Debian's source with PGO and LTO, kept as one LTO-optimised object
# (build/lto-libpython.sh): about 15-20 minutes the first time, then cached in
# ~/.cache/greenlight/libpython-<version>-<hash>/ for every clone.
release: setup $(STDCXX)/libstdc++.a
	$(MAKE) --no-print-directory system-packages APT_PACKAGES="dpkg-dev"
	dir=$$(build/lto-libpython.sh) || exit 1; $(call link_release,$$dir)

# Every test of make test, run against the release binary (the LTO libpython). TESTS=
# narrows it to a filter, e.g. TESTS='PythonCompatibilityTests|InterpreterFidelityTests'.
test-release: release deb-tools $(VENV)/.installed-test $(SWEEP_VENV)/.installed \
	  $(SUITES_VENV)/.installed $(OSLO_CONCURRENCY)/.unpacked
	$(MAKE) --no-print-directory system-packages APT_PACKAGES="zsh fish"
	$(MAKE_DEB)
	$(SWIFT) build --build-tests
	GREENLIGHT_BINARY=$(CURDIR)/$(RELEASE) $(SWIFT) test --skip-build \
	  $(if $(TESTS),--filter '$(TESTS)')

demo: build
	Examples/demo.sh $(RELEASE)

# The Debian package of the release binary last linked: make release's LTO binary when
# that was the last link (make release again is quick once its libpython is cached), else
# make build's (build/make-deb.sh, docs/packaging.md). Its tools come from apt.
DEB_APT_PACKAGES := dpkg-dev lintian man-db systemd
DEB_LINK := $(if $(filter-out $(PYLIB),$(shell cat $(LINKED_PYLIB) 2>/dev/null)),release,build)
MAKE_DEB := build/make-deb.sh $(RELEASE) .build/deb

deb-tools:
	$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(DEB_APT_PACKAGES)"

deb: $(DEB_LINK) deb-tools
	$(MAKE_DEB)

# The end-to-end tests run the release binary, the one users run.
# DebPackageTests extract and run the package of the binary under test, made first, and
# press TAB in zsh and fish too.
test: build deb-tools $(VENV)/.installed-test $(SWEEP_VENV)/.installed $(SUITES_VENV)/.installed \
	  $(OSLO_CONCURRENCY)/.unpacked
	$(MAKE) --no-print-directory system-packages APT_PACKAGES="zsh fish"
	$(MAKE_DEB)
	$(SWIFT) build --build-tests
	GREENLIGHT_BINARY=$(CURDIR)/$(RELEASE) $(SWIFT) test

# The release binary (LTO libpython) and the same objects linked with Debian's archive,
# side by side in one run, each against /usr/bin/python3 and the venv's python.
BENCH_BINARIES := .build/bench
bench: release $(VENV)/.installed-test $(SWEEP_VENV)/.installed $(PYLIB)/libpython3.11.a
	$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(BENCH_APT_PACKAGES)"
	mkdir -p $(BENCH_BINARIES)
	$(call link_release,$(PYLIB)) && cp $(RELEASE) $(BENCH_BINARIES)/greenlight-debian
	dir=$$(build/lto-libpython.sh) || exit 1; $(call link_release,$$dir) \
	  && cp $(RELEASE) $(BENCH_BINARIES)/greenlight-lto
	$(VENV)/bin/python bench/startup.py --rounds 30 \
	  lto=$(BENCH_BINARIES)/greenlight-lto debian=$(BENCH_BINARIES)/greenlight-debian
	$(VENV)/bin/python bench/watch.py --rounds 10 \
	  lto=$(BENCH_BINARIES)/greenlight-lto debian=$(BENCH_BINARIES)/greenlight-debian
	$(VENV)/bin/python bench/check.py --rounds 10 $(RELEASE)
	$(VENV)/bin/python bench/frontend.py --rounds 30 $(RELEASE)

format:
	$(SWIFT) format -i -r Package.swift Sources Tests

clean:
	rm -rf .build $(VENV) $(SWEEP_VENV) $(SUITES_VENV)
