"""gunicorn.conf.py: each worker moves the loaded application out of the cycle collector's reach."""
import gc
import runpy
from pathlib import Path


def test_a_worker_freezes_what_the_application_loaded():
    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    before = gc.get_freeze_count()
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
