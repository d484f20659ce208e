"""Build exam sessions for tests, with the clock passed in."""
from __future__ import annotations

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
