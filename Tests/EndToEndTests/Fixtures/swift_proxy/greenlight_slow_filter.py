"""A paste filter for swift's proxy pipeline that blocks the hub on one path: swift leaves
`time` unpatched, so time.sleep there stops every green thread for 0.6 s. Every other path
goes on to the rest of the pipeline.

    [filter:slow]
    paste.filter_factory = greenlight_slow_filter:filter_factory
    slow_path = /slow
"""

import time


def slow_path_sleep():
    time.sleep(0.6)


def filter_factory(global_conf, **local_conf):
    slow_path = local_conf.get("slow_path", "/slow")

    def factory(app):
        def slow_filter(environ, start_response):
            if environ.get("PATH_INFO") != slow_path:
                return app(environ, start_response)
            slow_path_sleep()
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"slept\n"]

        return slow_filter

    return factory
