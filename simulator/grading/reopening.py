"""A trainer reopens a handed-in attempt after an incident (a computer that crashed, a hand-in made by
mistake): the hand-in is withdrawn, kept as it was, and the candidate works again for the minutes given.
Only while no member of the jury has submitted a grading of it. Functions take the time and flush."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from simulator.auth.models import User
from simulator.exams import audit, services
from simulator.exams.errors import ReopenRefused
from simulator.exams.models import Attempt, HandIn, TimeGrant
from simulator.extensions import db
from simulator.grading.models import Production


def reopen(attempt: Attempt, *, minutes: int, reason: str, by: User, now: datetime) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ReopenRefused(reason=_l("a reason is required to reopen an attempt"))
    if not 1 <= minutes <= 600:
        raise ReopenRefused(reason=_l("the time given back is between 1 and 600 minutes"))
    receipt = db.session.scalar(select(HandIn).where(HandIn.attempt_id == attempt.id, HandIn.withdrawn_at.is_(None)))
    if attempt.status not in ("handed_in", "auto_handed_in") or receipt is None:
        raise ReopenRefused(reason=_l("only a handed-in attempt can be reopened"))
    if attempt.group_id is not None:
        raise ReopenRefused(reason=_l("a group's work is reopened for no single member"))
    production = db.session.scalar(select(Production).where(Production.hand_in_id == receipt.id))
    dropped = 0
    if production is not None:
        if any(a.status == "submitted" for a in production.assignments):
            raise ReopenRefused(reason=_l("a member of the jury has already submitted a grading of it"))
        dropped = sum(len(a.ratings) + len(a.verdicts) for a in production.assignments)
        db.session.delete(production)
    receipt.withdrawn_at, receipt.withdrawn_reason = now, reason
    attempt.status = "in_progress"
    db.session.flush()
    # The candidate gets `minutes` from now: the grant covers what was already past the deadline too.
    extra = math.ceil((now + timedelta(minutes=minutes) - attempt.deadline_at).total_seconds())
    if extra > 0:
        db.session.add(TimeGrant(attempt_id=attempt.id, seconds=extra, reason=f"Réouverture : {reason}",
                                 granted_by_id=by.id, granted_at=now))
        attempt.granted_seconds += extra
        services.refresh_deadline(attempt)
    audit.record("attempt_reopened", actor_id=by.id, attempt_id=attempt.id, session_id=attempt.session_id, at=now,
                 reason=reason, minutes=minutes, withdrawn=receipt.sha256,
                 production=production.code if production else None, draft_rows_dropped=dropped)
    db.session.flush()
