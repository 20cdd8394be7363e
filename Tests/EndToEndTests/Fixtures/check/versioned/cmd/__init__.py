"""Patches first: the canonical layout."""
import eventlet

eventlet.monkey_patch()
