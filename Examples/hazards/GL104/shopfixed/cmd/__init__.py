"""Console-script entry points of shopfixed: the canonical layout, patching first."""
import eventlet

eventlet.monkey_patch()
