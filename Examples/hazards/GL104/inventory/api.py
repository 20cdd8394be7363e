"""Request handlers of the inventory service."""
import json

from inventory import store


def handle(raw_request):
    request = json.loads(raw_request)
    ok = store.reserve(request["item"], request["count"])
    return json.dumps({"item": request["item"], "reserved": ok}).encode()
