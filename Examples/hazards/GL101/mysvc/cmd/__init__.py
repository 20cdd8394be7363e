"""Console-script entry points of mysvc.

Patching here is the layout nova and cinder use: every console script names
mysvc.cmd.<service>:main, so importing it runs this file first, before any other module of
the service (only the empty mysvc/__init__.py precedes it). greenlight must report nothing:
mysvc and mysvc.cmd are the packages that hold the patch call, not modules loaded early.
"""
import eventlet

eventlet.monkey_patch()
