"""gunicorn reads this file from the directory it is started in (the project's root, as in the README).

Each worker imports the application after the fork, which leaves about 180,000 objects (modules, the
référentiels and scenarios, templates, SQLAlchemy's mappers) for Python's cycle collector to walk at every full
collection: 150 to 400 ms during which the worker answers nobody, about once a minute under autosave load
(measured 2026-12-07, docs/performance.md). They live as long as the worker, so they are moved out of its reach
once the application is loaded; what requests create is still collected, in 7 to 33 ms.
"""
import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
