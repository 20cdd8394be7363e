"""shop: a service in the nova/cinder layout whose parent package runs code before the patch.

shop/cmd/__init__.py patches, as nova's and cinder's layout does, but importing shop.cmd
runs this file first, to completion: logging and socket are loaded, and a logger set up,
before eventlet.monkey_patch() runs. The layout is canonical only when this file runs
nothing of note (shopfixed/__init__.py). greenlight reports GL104 at the patch call, naming
what this file loaded and its lines.

    cd Examples/hazards/GL104 && greenlight check --patch target --entry shop.cmd.api:main
"""
import logging  # GL101 (threading with it); GL104 at shop/cmd/__init__.py
import socket  # GL101 (select, selectors with it)

LOG = logging.getLogger(__name__)
DEFAULT_HOST = socket.gethostbyname("localhost")
