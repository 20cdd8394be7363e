# greenlight: two commands set everything up on a fresh Debian machine with Swift 6.3.
#   make demo   installs what is missing, builds, runs greenlight on the examples
#   make test   installs what is missing, then runs every test
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# Debian's CPython, the one greenlight links; never the python3 that PATH may name.
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
SWIFT ?= swift
RELEASE := .build/release/greenlight
APT_PACKAGES := libpython3-dev python3-venv

.PHONY: demo test build setup system-packages venv bench format clean

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

build: setup
	$(SWIFT) build -c release

demo: build
	Examples/demo.sh $(RELEASE)

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test

bench: build
	$(VENV)/bin/python bench/startup.py $(RELEASE)

format:
	$(SWIFT) format -i -r Package.swift Sources Tests

clean:
	rm -rf .build $(VENV)
