"""Grading benchmark (issue 5): the time to route 1,000 hand-ins to their juries, and the time to render the
grading page of a grid of about 20 criteria beside a 50 KB production.

    .venv/bin/python benchmarks/grading.py [--hand-ins 1000] [--renders 50]

Runs on a fresh SQLite file under benchmarks/out/, or on DATABASE_URL when set (its tables are dropped
and recreated: point it at a scratch database). Prints the figures written in docs/performance.md."""
from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from simulator import create_app
from simulator.auth.models import User
from simulator.catalogue import load_files
from simulator.core.types import utcnow
from simulator.exams import services as exams
from simulator.extensions import db
from simulator.formats import load_tree
from simulator.grading import profiles, routing
from simulator.grading.models import Production
from simulator.referentiels.models import Certification
from simulator.scenarios.models import Scenario

OUT = Path(__file__).parent / "out"
PRODUCTION_CHARS = 50_000


def richest_scenario() -> tuple[Scenario, list[tuple[str, int]]]:
    """The scenario with the most criteria whose text answers can hold 50 KB together."""
    best = None
    for scenario in db.session.scalars(select(Scenario)):
        document = scenario.latest.document
        texts = [(d["id"], d.get("max_chars") or 200_000) for d in document["deliverables"] if d["kind"] == "text"]
        if sum(limit for _, limit in texts) >= PRODUCTION_CHARS and (
                best is None or len(document["grid"]) > len(best[0].latest.document["grid"])):
            best = (scenario, texts)
    return best


def fill_texts(attempt, texts, author, now) -> None:
    left = PRODUCTION_CHARS
    paragraph = "## Analyse\n\n| Forces | Faiblesses |\n|---|---|\n| Réseau | Délais |\n\n" + "Le plan d'action détaille chaque étape. " * 40
    for deliverable_id, limit in texts:
        size = min(left, limit)
        exams.save_text(attempt, deliverable_id=deliverable_id, content=(paragraph * (size // len(paragraph) + 1))[:size],
                        author=author, now=now)
        left -= size
        if left <= 0:
            return


def setup(hand_ins: int):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{OUT / 'grading.db'}"
    if url.startswith("sqlite"):
        OUT.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / 'grading.db'}{suffix}").unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        from flask_migrate import upgrade

        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        load_files(load_tree(app.config["SCENARIOS_DIR"]))
        everything = [f"{c.id}:*" for c in db.session.scalars(select(Certification))]
        for n in range(8):
            person = User(email=f"jury-{n}@exemple.fr", name=f"Jury {n}", role="evaluator")
            db.session.add(person)
            db.session.flush()
            profiles.save(person, roles=["intervenant", "professionnel", "tuteur", "formateur", "membre"], active=True,
                          qualifications=everything, candidates=[], cohorts=[])
        trainer = User(email="bench-trainer@exemple.fr", name="Bench", role="trainer")
        people = [User(email=f"cand-{n}@exemple.fr", name=f"Candidat {n}", role="candidate") for n in range(hand_ins)]
        db.session.add_all([trainer, *people])
        db.session.flush()
        scenario, texts = richest_scenario()
        now = utcnow()
        session = exams.schedule_session(version=scenario.latest, title="Bench", opens_at=now - timedelta(minutes=1),
                                         closes_at=now + timedelta(hours=8), start_mode="self", candidates=people,
                                         by=trainer, now=now)
        for attempt in session.attempts:
            exams.start_attempt(attempt, sworn=True, now=now)
        fill_texts(session.attempts[0], texts, people[0], now)
        db.session.commit()
        return app, url, scenario.slug, len(scenario.latest.document["grid"]), [a.id for a in session.attempts]


def route_all(app, attempt_ids) -> list[float]:
    """Each hand-in committed with its routing, as a candidate's request does; the routing alone is timed."""
    from simulator.exams.models import Attempt

    timings = []
    with app.app_context():
        routing.handed_in.disconnect(routing._on_hand_in)
        try:
            for attempt_id in attempt_ids:
                attempt = db.session.get(Attempt, attempt_id)
                receipt = exams.hand_in(attempt, now=utcnow(), automatic=False, actor_id=attempt.candidate_id)
                started = time.perf_counter()
                routing.route(receipt, now=utcnow())
                db.session.commit()
                timings.append(time.perf_counter() - started)
        finally:
            routing.listen()
    return timings


def render(app, attempt_id: int, renders: int) -> tuple[list[float], int]:
    with app.app_context():
        production = db.session.scalar(select(Production).where(Production.attempt_id == attempt_id))
        seat = production.assignments[0]
        evaluator_id, url = seat.evaluator_id, f"/evaluator/gradings/{seat.id}"
    client = app.test_client()
    with client.session_transaction() as cookie:
        with app.app_context():
            from simulator.auth.services import open_session

            cookie["_user_id"] = open_session(db.session.get(User, evaluator_id))
            db.session.commit()
    timings, size = [], 0
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        size = len(response.data)
    return timings, size


def ms(values: list[float], q: float) -> str:
    return f"{statistics.quantiles(values, n=100)[int(q) - 1] * 1000:.1f} ms" if len(values) > 1 else f"{values[0] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hand-ins", type=int, default=1000)
    parser.add_argument("--renders", type=int, default=50)
    args = parser.parse_args()
    app, url, slug, criteria, attempt_ids = setup(args.hand_ins)
    print(f"database: {url.split('://')[0]}; scenario {slug} ({criteria} criteria); 8 evaluators")
    started = time.perf_counter()
    routed = route_all(app, attempt_ids)
    total = time.perf_counter() - started
    print(f"route {len(routed)} hand-ins: routing alone {sum(routed):.2f} s (p50 {ms(routed, 50)}, p95 {ms(routed, 95)}, "
          f"max {max(routed) * 1000:.1f} ms); hand-in + routing + commit {total:.2f} s")
    timings, size = render(app, attempt_ids[0], args.renders)
    print(f"grading page ({criteria} criteria, 50 KB production, {size // 1024} KB of HTML): "
          f"p50 {ms(timings, 50)}, p95 {ms(timings, 95)}, max {max(timings) * 1000:.1f} ms over {len(timings)} renders")


if __name__ == "__main__":
    main()
