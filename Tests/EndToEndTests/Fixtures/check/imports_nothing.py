"""Imports nothing: what is loaded at its check is greenlight's and eventlet's doing."""
