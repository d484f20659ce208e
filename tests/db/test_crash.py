"""A server killed with SIGKILL under autosave load loses nothing it acknowledged."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from simulator.core.types import utcnow
from simulator.exams import services
from simulator.exams.models import DraftSave
from simulator.extensions import db
from tests.exam_helpers import schedule
from tests.helpers import PASSWORDS
from tests.http_client import HttpSession

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": app.config["SECRET_KEY"],
           "SCENARIOS_DIR": app.config["SCENARIOS_DIR"]}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "1", "simulator:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    pause = threading.Event()
    while time.monotonic() < deadline:
        try:
            if HttpSession(f"http://127.0.0.1:{port}").get("/login")[0] == 200:
                return process
        except OSError:
            pause.wait(0.1)  # the server is booting; this is not the exam clock
    kill_hard(process)
    raise RuntimeError("gunicorn did not start")


def kill_hard(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # master and every worker, no chance to flush anything
    process.wait(10)


def load(base: str, attempt_id: int, worker: int, trial: int, acknowledged: list, enough: threading.Event,
         stop: threading.Event) -> None:
    client = HttpSession(base)
    try:
        client.login(*PASSWORDS["candidate"])
        client.get(f"/candidate/attempts/{attempt_id}")
    except (OSError, http.client.HTTPException):
        return
    n = 0
    while not stop.is_set():
        text = f"essai {trial} client {worker} sauvegarde {n} " + "x" * 2000
        n += 1
        try:
            status, body = client.post(f"/candidate/attempts/{attempt_id}/answers/analyse", {"content": text}, htmx=True)
        except (OSError, http.client.HTTPException):
            return  # the server died under this request (reset, cut response): not acknowledged
        if status == 200 and "Enregistré à" in body:
            acknowledged.append(text)
            if len(acknowledged) >= (trial + 1) * 20:
                enough.set()


def test_sigkill_under_autosave_loses_no_acknowledged_save(app, users, loaded):
    with app.app_context():
        attempt = schedule(opens=utcnow()).attempts[0]
        services.start_attempt(attempt, sworn=True, now=utcnow())
        db.session.commit()
        attempt_id = attempt.id
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[str] = []
    trials = 3
    for trial in range(trials):
        server = start_server(app, port)
        enough, stop = threading.Event(), threading.Event()
        clients = [threading.Thread(target=load, args=(base, attempt_id, w, trial, acknowledged, enough, stop))
                   for w in range(4)]
        for thread in clients:
            thread.start()
        enough.wait(60)
        kill_hard(server)  # while saves are in flight
        stop.set()
        for thread in clients:
            thread.join(30)
    with app.app_context():
        stored = set(db.session.scalars(select(DraftSave.content).where(DraftSave.attempt_id == attempt_id)))
    missing = [text[:40] for text in acknowledged if text not in stored]
    assert len(acknowledged) >= trials * 20
    assert missing == []
