"""Prepare the database of one load scenario of issue 8, and the JSON file its locust users read.

    .venv/bin/python benchmarks/prepare_scenarios.py start   [--candidates 1000]
    .venv/bin/python benchmarks/prepare_scenarios.py storm   [--candidates 1000] [--absent 0.1] [--lead 90]
    .venv/bin/python benchmarks/prepare_scenarios.py grading [--candidates 1000] [--evaluators 30] [--productions 150]

The database (DATABASE_URL, or benchmarks/out/scenarios.db) is emptied first: a PostgreSQL database named `test`
is refused. Everyone is signed in without a password hash (prepare.signed_in). benchmarks/scenarios.py runs this,
then gunicorn and locust; see its docstring.

- start: a session that starts all together (start_mode "together"), not opened yet; the trainer's cookie opens it.
- storm: a running session whose deadlines fall between T0 + 5 s and T0 + 60 s (T0 = now + lead, written to the
  file); a share of absent candidates saved once, never come back, and reach the end of their grace between T0
  and T0 + 55 s: the expiry command hands them in during the storm.
- grading: a running session of candidates who autosave, and handed-in productions of 50 KB (another session)
  routed to evaluators qualified for everything, whose seats, grid and levels are written to the file.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from simulator import create_app
from simulator.auth.models import User
from simulator.core.types import utcnow
from simulator.exams import services
from simulator.extensions import db
from simulator.grading import profiles
from simulator.grading.models import Assignment, Production
from simulator.referentiels.models import Certification

from grading import fill_texts, richest_scenario  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
from prepare import candidates, pick_scenario, set_up, signed_in

OUT = Path(__file__).resolve().parent / "out"
JURY_ROLES = ["intervenant", "professionnel", "tuteur", "formateur", "membre"]


def marked(seq: int, size: int = 20_000) -> str:
    """An answer of `size` characters that says which save of the candidate it is: '#<seq> …'."""
    body = "Analyse des ventes 2025 : le chiffre d'affaires progresse de 4,2 % mais la marge recule. " * (size // 80 + 1)
    return f"#{seq} {body}"[:size]


def empty_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    if url.rstrip("/").rsplit("/", 1)[-1] == "test":
        raise SystemExit("refusing to empty the database `test`: point DATABASE_URL at `bench`")
    import sqlalchemy as sa

    database = sa.engine.make_url(url).database
    with sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT").connect() as server:
        if server.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}).first() is None:
            server.execute(text(f'CREATE DATABASE "{database}"'))  # a new machine: the benchmarks' own database
    with sa.create_engine(url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def evaluators(count: int) -> list[User]:
    everything = [f"{c.id}:*" for c in db.session.scalars(select(Certification))]
    people = []
    for n in range(count):
        person = User(email=f"jury-{n}@exemple.fr", name=f"Jury {n}", role="evaluator")
        db.session.add(person)
        db.session.flush()
        profiles.save(person, roles=JURY_ROLES, active=True, qualifications=everything, candidates=[], cohorts=[])
        people.append(person)
    return people


def prepare_start(app, args) -> dict:
    trainer = set_up(app)
    now = utcnow()
    scenario, _ = pick_scenario()
    session = services.schedule_session(version=scenario.latest, title="Départ synchronisé",
                                        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=8),
                                        start_mode="together", candidates=candidates(args.candidates), by=trainer,
                                        now=now)
    return {"session": session.id, "trainer": signed_in(app, trainer),
            "candidates": [{"attempt": a.id, **signed_in(app, a.candidate)} for a in session.attempts]}


def prepare_storm(app, args) -> dict:
    trainer = set_up(app)
    evaluators(args.evaluators)  # hand-ins are routed as they come, as in production
    scenario, deliverable = pick_scenario()
    version = scenario.latest
    now = utcnow()
    session = services.schedule_session(version=version, title="Fin d'épreuve", opens_at=now - timedelta(hours=6),
                                        closes_at=now + timedelta(hours=8), start_mode="self",
                                        candidates=candidates(args.candidates), by=trainer, now=now)
    attempts = list(session.attempts)
    cookies = {a.id: signed_in(app, a.candidate) for a in attempts}
    absent = int(len(attempts) * args.absent)
    storm_at = utcnow() + timedelta(seconds=args.lead)
    duration = timedelta(seconds=version.duration_seconds)
    present, away = [], []
    for n, attempt in enumerate(attempts):
        if n < absent:  # their grace ends between T0 and T0 + 55 s
            deadline = storm_at + timedelta(seconds=-60 + 55 * n / max(absent, 1))
        else:  # their deadline falls between T0 + 5 s and T0 + 60 s
            deadline = storm_at + timedelta(seconds=5 + 55 * (n - absent) / max(len(attempts) - absent, 1))
        started = deadline - duration
        services.start_attempt(attempt, sworn=True, now=started)
        services.save_text(attempt, deliverable_id=deliverable, content=marked(0), author=attempt.candidate,
                           now=started + timedelta(minutes=1))
        entry = {"attempt": attempt.id, "deadline": deadline.timestamp()}
        if n < absent:
            away.append({**entry, "acknowledged": 0})
        else:
            present.append({**entry, **cookies[attempt.id]})
    return {"session": session.id, "deliverable": deliverable, "storm_at": storm_at.timestamp(),
            "present": present, "absent": away}


def prepare_grading(app, args) -> dict:
    trainer = set_up(app)
    jury = evaluators(args.evaluators)
    now = utcnow()
    scenario, texts = richest_scenario()
    graded = services.schedule_session(version=scenario.latest, title="Copies à corriger",
                                       opens_at=now - timedelta(hours=6), closes_at=now + timedelta(hours=8),
                                       start_mode="self", candidates=candidates(args.productions, "copie"), by=trainer,
                                       now=now)
    for attempt in graded.attempts:
        services.start_attempt(attempt, sworn=True, now=now - timedelta(hours=5))
        fill_texts(attempt, texts, attempt.candidate, now - timedelta(hours=1))
        services.hand_in(attempt, now=now, automatic=False, actor_id=attempt.candidate_id)  # routed on the signal
    db.session.flush()
    seats: dict[int, list[int]] = {}
    for seat in db.session.scalars(select(Assignment).join(Production).where(Production.session_id == graded.id)
                                   .order_by(Assignment.id)):
        if seat.evaluator_id is not None:
            seats.setdefault(seat.evaluator_id, []).append(seat.id)
    document = scenario.latest.document
    scales = {s["id"]: [level["value"] for level in s["levels"]] for s in document["scales"]}
    grid = {"criteria": [[c["id"], scales[c["scale"]]] for c in document["grid"]],
            "competences": list(document["competences"])}
    scenario, deliverable = pick_scenario()
    running = services.schedule_session(version=scenario.latest, title="Épreuve en cours",
                                        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=8),
                                        start_mode="self", candidates=candidates(args.candidates), by=trainer, now=now)
    for attempt in running.attempts:
        services.start_attempt(attempt, sworn=True, now=now)
    return {"grid": grid,
            "evaluators": [{"seats": seats.get(person.id, []), **signed_in(app, person)} for person in jury],
            "candidates": [{"attempt": a.id, "deliverable": deliverable, **signed_in(app, a.candidate)}
                           for a in running.attempts]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["start", "storm", "grading"])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--evaluators", type=int, default=30, help="grading: who grades; storm: who is routed to")
    parser.add_argument("--productions", type=int, default=150, help="grading: handed-in productions to grade")
    parser.add_argument("--absent", type=float, default=0.1, help="storm: share of candidates the expiry hands in")
    parser.add_argument("--lead", type=int, default=90, help="storm: seconds from now to T0")
    parser.add_argument("--out", help="default: benchmarks/out/<scenario>.json")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'scenarios.db'}")
    OUT.mkdir(parents=True, exist_ok=True)
    empty_database(url)
    started = time.monotonic()
    app = create_app()
    with app.app_context():
        prepare = {"start": prepare_start, "storm": prepare_storm, "grading": prepare_grading}[args.scenario]
        data = prepare(app, args)
        db.session.commit()
    out = Path(args.out or OUT / f"{args.scenario}.json")
    out.write_text(json.dumps(data))
    print(f"{args.scenario}: ready in {time.monotonic() - started:.0f} s, written to {out}")
    if "storm_at" in data:
        print(f"T0 in {data['storm_at'] - time.time():.0f} s")


if __name__ == "__main__":
    main()
