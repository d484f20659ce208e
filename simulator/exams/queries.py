"""Read-side helpers for the exam pages: what each person may see."""
from __future__ import annotations

import functools
from datetime import datetime

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from simulator.auth.models import User
from simulator.exams import services, timing
from simulator.exams.errors import ExamError, NotOpen
from simulator.exams.models import Attempt, ExamSession


@functools.cache
def _attempt_with_version():
    """With its session and version: every candidate page reads them. Built once: every autosave runs it."""
    return (select(Attempt).options(joinedload(Attempt.session).joinedload(ExamSession.version))
            .where(Attempt.id == bindparam("attempt_id")))


def own_attempt_or_404(attempt_id: int, user: User) -> Attempt:
    """A candidate only ever reaches their own attempts; anything else looks like nothing."""
    from simulator.extensions import db

    attempt = db.session.scalar(_attempt_with_version(), {"attempt_id": attempt_id})
    if attempt is None or attempt.candidate_id != user.id:
        abort(404)
    return attempt


def session_or_404(session_id: int) -> ExamSession:
    from simulator.extensions import db

    session = db.session.get(ExamSession, session_id, options=[selectinload(ExamSession.attempts)])
    if session is None:
        abort(404)
    return session


def phase_of(attempt: Attempt, now: datetime) -> str:
    """upcoming, open, in_progress, handed_in, closed: what the dashboard shows."""
    if attempt.status in ("handed_in", "auto_handed_in"):
        return "handed_in"
    if attempt.status == "in_progress":
        return "in_progress"
    try:
        services.check_can_start(attempt, now)
    except NotOpen:
        return "upcoming"
    except ExamError:
        return "closed"
    return "open"


def candidate_attempts(user: User) -> list[Attempt]:
    from simulator.extensions import db

    return list(db.session.scalars(select(Attempt).where(Attempt.candidate_id == user.id)
                                   .options(selectinload(Attempt.session)).order_by(Attempt.id.desc())))


def clock_of(attempt: Attempt, now: datetime) -> dict:
    left = timing.seconds_left(now, attempt.deadline_at) if attempt.deadline_at else 0
    return {"left": left, "warning": timing.warning_due(left), "deadline": attempt.deadline_at}


def chained_hand_in(attempt: Attempt):
    """The candidate's own latest hand-in of the exercise this one builds on (scenario `chain`), if any."""
    from simulator.exams.models import HandIn
    from simulator.scenarios.models import Scenario, ScenarioVersion
    from simulator.extensions import db

    chain = attempt.session.version.document.get("chain")
    if not chain:
        return None
    return db.session.scalar(
        select(HandIn).join(Attempt, HandIn.attempt_id == Attempt.id).join(ExamSession)
        .join(ScenarioVersion, ExamSession.version_id == ScenarioVersion.id).join(Scenario)
        .where(Attempt.candidate_id == attempt.candidate_id, Scenario.slug == chain["scenario"],
               HandIn.withdrawn_at.is_(None))
        .order_by(HandIn.handed_in_at.desc()).limit(1))


def hand_in_summary(attempt: Attempt, texts: dict | None = None, uploads: dict | None = None) -> list[dict]:
    """What a hand-in now would contain, part by part; `missing` flags an empty answer or a missing file.
    The page passes the answers and files it has already read."""
    from simulator.recording.services import handed
    from simulator.roleplay.services import dialogue_deliverable, of_attempt

    document = attempt.session.version.document
    texts = services.latest_texts(attempt) if texts is None else texts
    uploads = services.latest_uploads(attempt) if uploads is None else uploads
    talked = dialogue_deliverable(document)
    rows = []
    for item in document["deliverables"]:
        kind, found = item["kind"], None
        if kind == "text" and texts.get(item["id"]) and texts[item["id"]].content.strip():
            found = {"chars": len(texts[item["id"]].content)}
        elif kind == "file" and item["id"] in uploads:
            found = {"filename": uploads[item["id"]].filename}
        elif kind == "transcript" and item["id"] == talked:
            conversation = of_attempt(attempt, item["id"])
            found = {"replies": conversation.last_number} if conversation and conversation.last_number else None
        elif kind == "recording":
            take = handed(attempt.id, item["id"])
            found = {"recorded": take.status != "unavailable"} if take else None
        elif kind == "transcript":
            rows.append({"item": item, "found": None, "missing": False, "with_jury": True})
            continue
        rows.append({"item": item, "found": found, "missing": found is None, "with_jury": False})
    return rows
