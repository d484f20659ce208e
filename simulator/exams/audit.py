"""Record what matters, with who and when. Flushes; the caller commits."""
from __future__ import annotations

from datetime import datetime

from simulator.core.types import utcnow
from simulator.exams.models import AuditEvent
from simulator.extensions import db


def record(action: str, *, actor_id: int | None, attempt_id: int | None = None, session_id: int | None = None,
           at: datetime | None = None, **details) -> None:
    db.session.add(AuditEvent(action=action, actor_id=actor_id, attempt_id=attempt_id, session_id=session_id,
                              at=at or utcnow(), details=details))
