"""Live orals (jury.live, without a simulated interlocutor): the jury starts the oral, moves through its timed
phases, pauses for an incident and ends it. Functions take the time and flush; callers commit.

A pause stops nothing on the server's clock; on resuming, the paused time (rounded up to the minute) is given
back to the candidate as incident time with the pause's reason, so the deadline follows and the pause is on
record twice: in the oral's events and in the time grants.
"""
from __future__ import annotations

import math
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from simulator.auth.models import User
from simulator.exams import audit, services
from simulator.exams.errors import ExamError
from simulator.exams.models import Attempt, OralMessage, OralRun
from simulator.extensions import db


class OralRefused(ExamError):
    message = _l("This is not possible in the oral now: %(reason)s")


def is_live_oral(document: dict) -> bool:
    return bool(document["jury"].get("live")) and not (document.get("interlocutor") or {}).get("dialogue")


def run_of(attempt: Attempt) -> OralRun | None:
    return db.session.scalar(select(OralRun).where(OralRun.attempt_id == attempt.id))


def _event(run: OralRun, kind: str, now: datetime, **details) -> None:
    run.events = [*run.events, {"at": now.isoformat(), "kind": kind, "phase": run.phase, **details}]


def begin(attempt: Attempt, *, by: User, now: datetime) -> OralRun:
    """Start the oral. A group's (or a pair's) oral is one: it starts for every member not handed in yet."""
    if not is_live_oral(attempt.session.version.document):
        raise OralRefused(reason=_l("this exercise is not a live oral"))
    if run_of(attempt) is not None:
        raise OralRefused(reason=_l("the oral has already started"))
    if attempt.status not in ("scheduled", "in_progress"):
        raise OralRefused(reason=_l("the candidate's work is already handed in"))
    people = [attempt] if attempt.group is None else [
        m for m in attempt.group.members if m.status in ("scheduled", "in_progress") and run_of(m) is None]
    runs = [_begin_one(member, by=by, now=now) for member in people]
    db.session.flush()
    return runs[people.index(attempt)]


def _begin_one(attempt: Attempt, *, by: User, now: datetime) -> OralRun:
    if attempt.status == "scheduled":  # the sworn statement is taken in the room
        services.start_attempt(attempt, sworn=True, now=now)
    run = OralRun(attempt_id=attempt.id, phase=0, phase_started_at=now, events=[])
    _event(run, "start", now)
    db.session.add(run)
    audit.record("oral_started", actor_id=by.id, attempt_id=attempt.id, at=now)
    return run


def _together(run: OralRun) -> list[OralRun]:
    """The runs the jury's controls act on: a group's members' runs all move together."""
    group = run.attempt.group
    if group is None:
        return [run]
    return [found for m in group.members if m.status == "in_progress" and (found := run_of(m)) is not None]


def _check_running(run: OralRun) -> None:
    if run.attempt.status != "in_progress":
        raise OralRefused(reason=_l("the oral is over"))


def next_phase(run: OralRun, *, by: User, now: datetime) -> None:
    _check_running(run)
    if run.paused_at is not None:
        raise OralRefused(reason=_l("resume the oral before moving to the next phase"))
    if run.phase + 1 >= len(run.attempt.session.version.document["phases"]):
        raise OralRefused(reason=_l("this is the last phase; end the oral when it is over"))
    for each in _together(run):
        each.phase += 1
        each.phase_started_at = now
        _event(each, "phase", now)
        audit.record("oral_phase", actor_id=by.id, attempt_id=each.attempt_id, at=now, phase=each.phase)


def pause(run: OralRun, *, reason: str, by: User, now: datetime) -> None:
    _check_running(run)
    if not reason.strip():
        raise OralRefused(reason=_l("say what the incident is: the pause is recorded with its reason"))
    if run.paused_at is not None:
        raise OralRefused(reason=_l("the oral is already paused"))
    for each in _together(run):
        each.paused_at, each.pause_reason = now, reason.strip()[:500]
        _event(each, "pause", now, reason=each.pause_reason)
        audit.record("oral_paused", actor_id=by.id, attempt_id=each.attempt_id, at=now, reason=each.pause_reason)


def resume(run: OralRun, *, by: User, now: datetime) -> int:
    """Give the paused time back; returns the minutes given."""
    _check_running(run)
    if run.paused_at is None:
        raise OralRefused(reason=_l("the oral is not paused"))
    minutes = max(1, math.ceil((now - run.paused_at).total_seconds() / 60))
    for each in _together(run):
        if each.paused_at is None:
            continue
        services.grant_time(each.attempt, minutes=minutes, reason=f"Pause : {each.pause_reason}", by=by, now=now)
        _event(each, "resume", now, minutes=minutes)
        each.paused_at, each.pause_reason = None, None
    return minutes


def end(run: OralRun, *, by: User, now: datetime) -> None:
    _check_running(run)
    if run.paused_at is not None:
        resume(run, by=by, now=now)
    for each in _together(run):
        _event(each, "end", now)
    db.session.flush()
    services.hand_in(run.attempt, now=now, automatic=False, actor_id=by.id)  # a group's, once for all


def save_notes(run: OralRun, text: str, criterion: str | None = None) -> None:
    """The jury's notes as it listens: overall, or on one criterion of the grid."""
    if len(text) > 50_000:
        raise OralRefused(reason=_l("the notes are longer than 50,000 characters"))
    if criterion is None:
        run.notes = text
    else:
        if criterion not in {g["id"] for g in run.attempt.session.version.document["grid"]}:
            raise OralRefused(reason=_l("this criterion is not in the grid"))
        run.criterion_notes = {**run.criterion_notes, criterion: text}
    db.session.flush()


MAX_MESSAGE_CHARS = 3000


def textual(attempt: Attempt) -> bool:
    """The candidate does this live oral as a written exchange with the jury (an accommodation)."""
    return is_live_oral(attempt.session.version.document) and services.textual_oral(attempt.candidate_id)


def messages(attempt: Attempt) -> list[OralMessage]:
    return list(db.session.scalars(select(OralMessage).where(OralMessage.attempt_id == attempt.id)
                                   .order_by(OralMessage.id)))


def write(attempt: Attempt, *, side: str, text: str, by: User, now: datetime) -> OralMessage:
    text = (text or "").strip()
    if not textual(attempt):
        raise OralRefused(reason=_l("this oral is not held in writing"))
    if attempt.status != "in_progress" or run_of(attempt) is None:
        raise OralRefused(reason=_l("the oral is not in progress"))
    if not text:
        raise OralRefused(reason=_l("the message is empty"))
    if len(text) > MAX_MESSAGE_CHARS:
        raise OralRefused(reason=_l("a message holds at most 3,000 characters; split it"))
    if side == "candidate" and services.timing_of_save(attempt, now).value == "late":
        raise OralRefused(reason=_l("the time is over"))
    message = OralMessage(attempt_id=attempt.id, side=side, author_id=by.id, text=text, at=now)
    db.session.add(message)
    if side == "candidate":
        attempt.last_saved_at = now
    db.session.flush()
    return message


@services.snapshot_part("oral")
def _oral(attempt: Attempt) -> dict:
    run = run_of(attempt)
    if run is None:
        return {}
    found = {"notes": run.notes, "criterion_notes": {k: v for k, v in run.criterion_notes.items() if v.strip()},
             "events": run.events}
    if textual(attempt):
        found["messages"] = [{"side": m.side, "text": m.text, "at": m.at.isoformat()} for m in messages(attempt)]
    return found
