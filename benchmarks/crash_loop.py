"""SIGKILL loops under autosave load: gunicorn (master and workers) is killed at a random moment while candidates
save, restarted, and every save it acknowledged is looked for in the database. Reports trials and saves checked.

    .venv/bin/python benchmarks/crash_loop.py --trials 50 [--clients 6] [--workers 3]
    (DATABASE_URL picks the database; SQLite in benchmarks/out/crash.db otherwise)
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from simulator import create_app  # noqa: E402
from simulator.auth.services import create_user  # noqa: E402
from simulator.catalogue import load_files  # noqa: E402
from simulator.core.types import utcnow  # noqa: E402
from simulator.exams import services  # noqa: E402
from simulator.exams.models import DraftSave  # noqa: E402
from simulator.extensions import db  # noqa: E402
from simulator.formats import load_tree  # noqa: E402
from tests.http_client import HttpSession  # noqa: E402

PASSWORD = "crash-loop-password-1"
PORT = 5066


def prepare(clients: int) -> tuple[str, list[tuple[str, int]]]:
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{out / 'crash.db'}"
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "crash-loop-secret")
    app = create_app()
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import text

        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_files(load_tree(app.config["SCENARIOS_DIR"]))
        trainer = create_user(email="crash-trainer@exemple.fr", name="Formateur", role="trainer", password=None)
        people = [create_user(email=f"crash-{n}@exemple.fr", name=f"Candidat {n}", role="candidate", password=PASSWORD)
                  for n in range(clients)]
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from prepare import pick_scenario  # the first scenario of the library with a text answer of 20 KB

        scenario, deliverable = pick_scenario()
        version = scenario.latest
        now = utcnow()
        from datetime import timedelta

        session = services.schedule_session(version=version, title="Crash loop", opens_at=now - timedelta(minutes=1),
                                            closes_at=now + timedelta(hours=12), start_mode="self",
                                            candidates=people, by=trainer, now=now)
        for attempt in session.attempts:
            services.start_attempt(attempt, sworn=True, now=now)
        db.session.commit()
        return url, [(a.candidate.email, a.id, deliverable) for a in session.attempts]


def start_server(workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{PORT}",
         "simulator:create_app()"], cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if HttpSession(f"http://127.0.0.1:{PORT}").get("/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("gunicorn did not start")


def candidate(email: str, attempt_id: int, deliverable: str, trial: int, acknowledged: list,
              stop: threading.Event) -> None:
    client = HttpSession(f"http://127.0.0.1:{PORT}")
    try:
        client.login(email, PASSWORD)
        client.get(f"/candidate/attempts/{attempt_id}")
    except (OSError, http.client.HTTPException):
        return
    n = 0
    while not stop.is_set():
        text = f"essai {trial} {email} sauvegarde {n} " + "x" * 4000
        n += 1
        try:
            status, body = client.post(f"/candidate/attempts/{attempt_id}/answers/{deliverable}", {"content": text}, htmx=True)
        except (OSError, http.client.HTTPException):
            return  # killed under this request: not acknowledged
        if status == 200 and "save-ok" in body:
            acknowledged.append((attempt_id, text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    url, people = prepare(args.clients)
    app = create_app()
    draw = random.Random(2026)
    acknowledged: list[tuple[int, str]] = []
    lost: list[tuple[int, str]] = []
    started = time.monotonic()
    for trial in range(args.trials):
        server = start_server(args.workers)
        stop = threading.Event()
        threads = [threading.Thread(target=candidate, args=(*person, trial, acknowledged, stop)) for person in people]
        for thread in threads:
            thread.start()
        time.sleep(draw.uniform(0.5, 3.0))  # a random moment, saves in flight
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)
        stop.set()
        for thread in threads:
            thread.join(30)
        with app.app_context():
            stored = {(a, c) for a, c in db.session.execute(select(DraftSave.attempt_id, DraftSave.content))}
            db.session.remove()
        lost = [save for save in acknowledged if save not in stored]
        print(f"trial {trial + 1}/{args.trials}: {len(acknowledged)} acknowledged saves so far, {len(lost)} lost",
              flush=True)
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{database}: {args.trials} SIGKILL trials ({args.workers} workers, {args.clients} candidates), "
          f"{len(acknowledged)} acknowledged saves checked, {len(lost)} lost, {time.monotonic() - started:.0f} s")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
