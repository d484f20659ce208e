"""Prepare a database for the autosave benchmark: N candidates in one running exam, each with a
signed-in session cookie and CSRF token written to a JSON file (no N password hashes to wait for).

    .venv/bin/python benchmarks/prepare.py [--candidates 3000] [--out benchmarks/out/users.json]

The helpers `set_up`, `pick_scenario` and `signed_in` are shared with prepare_scenarios.py and crash_loop.py."""
from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path

from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from simulator import create_app
from simulator.auth.models import User
from simulator.auth.services import open_session
from simulator.catalogue import load_files
from simulator.core.types import utcnow
from simulator.exams import services
from simulator.extensions import db
from simulator.formats import load_tree

TEXT_BYTES = 20_000


def pick_scenario():
    """The first scenario with a text answer that takes 20 KB."""
    from simulator.scenarios.models import Scenario

    for scenario in db.session.scalars(select(Scenario).order_by(Scenario.slug)):
        for item in scenario.latest.document["deliverables"]:
            if item["kind"] == "text" and (item.get("max_chars") or 200_000) >= TEXT_BYTES:
                return scenario, item["id"]
    raise SystemExit("no scenario has a text answer of 20 KB")


def set_up(app) -> User:
    """Migrate the (empty) database, load the scenario library; returns a trainer."""
    from flask_migrate import upgrade

    upgrade()
    load_files(load_tree(app.config["SCENARIOS_DIR"]))
    trainer = db.session.scalar(select(User).where(User.role == "trainer")) or User(
        email="bench-trainer@exemple.fr", name="Bench", role="trainer")
    db.session.add(trainer)
    db.session.flush()
    return trainer


def signed_in(app, user: User) -> dict:
    """A session cookie for `user`, as the login page would set it, and its CSRF token."""
    from flask import g
    from flask import session as flask_session

    token = open_session(user)
    with app.test_request_context():
        g.pop("csrf_token", None)  # the app context is shared: never reuse the previous user's token
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True
        csrf = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(flask_session))
    return {"cookie": cookie, "csrf": csrf}


def candidates(count: int, prefix: str = "bench") -> list[User]:
    people = [User(email=f"{prefix}-{n}@exemple.fr", name=f"Candidat {n}", role="candidate") for n in range(count)]
    db.session.add_all(people)
    db.session.flush()
    return people


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--out", default="benchmarks/out/users.json")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        trainer = set_up(app)
        people = candidates(args.candidates)
        now = utcnow()
        scenario, deliverable = pick_scenario()
        session = services.schedule_session(version=scenario.latest, title="Benchmark",
                                            opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=8),
                                            start_mode="self", candidates=people, by=trainer, now=now)
        for attempt in session.attempts:
            services.start_attempt(attempt, sworn=True, now=now)
        users = [{"attempt": attempt.id, "deliverable": deliverable, **signed_in(app, attempt.candidate)}
                 for attempt in session.attempts]
        db.session.commit()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(users))
    print(f"{len(users)} candidates ready in {args.out}")


if __name__ == "__main__":
    main()
