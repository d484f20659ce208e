"""Prepare a database for the autosave benchmark: N candidates in one running exam, each with a
signed-in session cookie and CSRF token written to a JSON file (no N password hashes to wait for)."""
from __future__ import annotations

import argparse
import json
from datetime import timedelta

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--out", default="benchmarks/out/users.json")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        load_files(load_tree(app.config["SCENARIOS_DIR"]))
        trainer = db.session.scalar(select(User).where(User.role == "trainer")) or User(
            email="bench-trainer@exemple.fr", name="Bench", role="trainer")
        db.session.add(trainer)
        people = []
        for n in range(args.candidates):
            people.append(User(email=f"bench-{n}@exemple.fr", name=f"Candidat {n}", role="candidate"))
        db.session.add_all(people)
        db.session.flush()
        now = utcnow()
        scenario, deliverable = pick_scenario()
        session = services.schedule_session(version=scenario.latest, title="Benchmark",
                                            opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=8),
                                            start_mode="self", candidates=people, by=trainer, now=now)
        for attempt in session.attempts:
            services.start_attempt(attempt, sworn=True, now=now)
        users = []
        serializer = app.session_interface.get_signing_serializer(app)
        for attempt in session.attempts:
            token = open_session(attempt.candidate)
            with app.test_request_context():
                from flask import g
                from flask import session as flask_session

                g.pop("csrf_token", None)  # the app context is shared: never reuse the previous user's token

                flask_session["_user_id"] = token
                flask_session["_fresh"] = True
                csrf = generate_csrf()
                cookie = serializer.dumps(dict(flask_session))
            users.append({"attempt": attempt.id, "cookie": cookie, "csrf": csrf, "deliverable": deliverable})
        db.session.commit()
    import pathlib

    pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.out).write_text(json.dumps(users))
    print(f"{len(users)} candidates ready in {args.out}")


if __name__ == "__main__":
    main()
