"""Console-script entry points of shop: patching here is nova's and cinder's layout."""
import eventlet

eventlet.monkey_patch()  # GL104: after shop/__init__.py loaded logging and socket
