"""Build exam sessions for tests, with the clock passed in."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from simulator.auth.models import User
from simulator.exams import services
from simulator.extensions import db
from simulator.scenarios.models import Scenario

T0 = datetime(2026, 6, 15, 8, 0, tzinfo=timezone.utc)


def user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def schedule(slug: str = "demo-b1-etude-de-cas", *, opens: datetime = T0, hours: float = 8, mode: str = "self",
             candidates: tuple[str, ...] = ("candidate@test.fr",)):
    version = db.session.scalars(select(Scenario).where(Scenario.slug == slug)).one().latest
    return services.schedule_session(
        version=version, title="Session test", opens_at=opens, closes_at=opens + timedelta(hours=hours),
        start_mode=mode, candidates=[user(e) for e in candidates], by=user("trainer@test.fr"), now=opens)


def race(app, jobs: list[tuple[int, Callable]]) -> list:
    """Run every job at once, each in its own thread and transaction, on its attempt: the outcomes, with
    "refused" for each job that met an attempt already handed in."""
    from simulator.exams.errors import AlreadyHandedIn
    from simulator.exams.models import Attempt

    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(attempt_id, work):
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            barrier.wait()
            try:
                outcomes.append(work(attempt))
                db.session.commit()
            except AlreadyHandedIn:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
