"""audit_probe's question, asked by a service that patches itself first."""

import warnings

warnings.simplefilter("ignore")  # eventlet's deprecation warning
import eventlet  # noqa: E402

eventlet.monkey_patch()

import audit_probe  # noqa: E402, F401
