"""Recorded pitches. Functions take the time and flush; callers commit.

The browser sends the recording in pieces of a few seconds while it runs; each piece is committed as it
arrives, so a crash loses only the piece in flight. A piece sent again (a retry) is stored once. The time
limit is the scenario's, extended by the candidate's extra-time fraction, and the server refuses pieces that
arrive well after it. When the browser cannot record, the candidate says so and the jury sees why.
"""
from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from simulator.core.database import insert_ignoring_duplicates
from simulator.exams import services as exams
from simulator.exams.errors import AlreadyHandedIn, ExamError, SaveRefused
from simulator.exams.models import Attempt
from simulator.extensions import db
from simulator.recording.models import Piece, Take

MAX_PIECE_BYTES = 4 * 1024 * 1024
MAX_TAKE_BYTES = 200 * 1024 * 1024
LATE_MARGIN = timedelta(seconds=20)  # the last piece, still in flight when the limit stops the recording
MEDIA_TYPES = ("audio/webm", "audio/ogg", "video/webm", "audio/mp4", "video/mp4")
PROBLEMS = {
    "denied": _l("permission to use the microphone or camera was refused"),
    "no_device": _l("no microphone or camera was found"),
    "unsupported": _l("this browser cannot record"),
    "other": _l("the recording could not start"),
}


class NoTakeLeft(ExamError):
    message = _l("You have used the %(n)s take(s) this exercise allows; your last recording is the one handed in.")


class TakeClosed(ExamError):
    message = _l("This take is over: the time limit was reached or it was stopped. Start another take if you have one left.")


class PieceRefused(ExamError):
    message = _l("This piece of recording was refused: %(reason)s")


def limit_seconds(attempt: Attempt, item: dict) -> int:
    """The scenario's limit, extended by the extra-time fraction (a tiers-temps turns 2 minutes into 2 min 40);
    extra minutes are for a whole exam, not for a 2-minute pitch."""
    base = item.get("max_seconds") or 120
    return base + math.ceil(base * exams.accommodation_of(attempt.candidate_id).fraction)


def takes(attempt: Attempt, deliverable_id: str) -> list[Take]:
    return list(db.session.scalars(select(Take).where(Take.attempt_id == attempt.id,
                                                      Take.deliverable_id == deliverable_id).order_by(Take.number)))


def takes_left(attempt: Attempt, item: dict) -> int:
    used = sum(1 for t in takes(attempt, item["id"]) if t.status != "unavailable")
    return max(0, item.get("max_takes", 1) - used)


def _check_open(attempt: Attempt, now: datetime) -> None:
    if attempt.status != "in_progress":
        raise AlreadyHandedIn()
    if exams.timing_of_save(attempt, now).value == "late":
        raise SaveRefused()


def _new_take(attempt: Attempt, deliverable_id: str, now: datetime, **values) -> Take:
    number = 1 + (db.session.scalar(select(func.max(Take.number)).where(
        Take.attempt_id == attempt.id, Take.deliverable_id == deliverable_id)) or 0)
    created = db.session.scalar(insert_ignoring_duplicates(Take).values(
        attempt_id=attempt.id, deliverable_id=deliverable_id, number=number, started_at=now, **values)
        .returning(Take.id))
    if created is None:  # another request started a take at the same moment
        raise TakeClosed()
    attempt.last_saved_at = now
    return db.session.get(Take, created)


def start_take(attempt: Attempt, deliverable_id: str, *, media_type: str, now: datetime) -> Take:
    item = exams.deliverable(attempt, deliverable_id, "recording")
    _check_open(attempt, now)
    for take in takes(attempt, deliverable_id):
        if take.status == "recording":  # left open by a crash or a closed tab: kept as it is
            take.status, take.ended_at = "complete", take.ended_at or now
    if takes_left(attempt, item) == 0:
        raise NoTakeLeft(n=item.get("max_takes", 1))
    kind = media_type.split(";")[0].strip().lower()
    return _new_take(attempt, deliverable_id, now, status="recording",
                     media_type=kind if kind in MEDIA_TYPES else "audio/webm")


def unavailable(attempt: Attempt, deliverable_id: str, *, problem: str, now: datetime) -> Take:
    exams.deliverable(attempt, deliverable_id, "recording")
    _check_open(attempt, now)
    return _new_take(attempt, deliverable_id, now, status="unavailable", ended_at=now,
                     problem=problem if problem in PROBLEMS else "other")


def take_of(attempt: Attempt, deliverable_id: str, number: int) -> Take | None:
    return db.session.scalar(select(Take).where(Take.attempt_id == attempt.id, Take.deliverable_id == deliverable_id,
                                                Take.number == number))


def add_piece(attempt: Attempt, take: Take, *, sequence: int, data: bytes, now: datetime) -> bool:
    """Store one piece; False when it was already stored (a retry)."""
    if attempt.status != "in_progress":
        raise AlreadyHandedIn()
    item = exams.deliverable(attempt, take.deliverable_id, "recording")
    if take.status != "recording" and take.ended_at is not None and now > take.ended_at + LATE_MARGIN:
        raise TakeClosed()
    if now > take.started_at + timedelta(seconds=limit_seconds(attempt, item)) + LATE_MARGIN:
        raise TakeClosed()
    if not data:
        raise PieceRefused(reason=_l("it is empty"))
    if len(data) > MAX_PIECE_BYTES or not 0 <= sequence < 100_000:
        raise PieceRefused(reason=_l("it is larger than a piece can be"))
    stored = db.session.scalar(select(func.coalesce(func.sum(func.length(Piece.data)), 0)).where(
        Piece.take_id == take.id))
    if stored + len(data) > MAX_TAKE_BYTES:
        raise PieceRefused(reason=_l("the recording is larger than allowed"))
    created = db.session.scalar(insert_ignoring_duplicates(Piece).values(
        take_id=take.id, sequence=sequence, data=data, received_at=now).returning(Piece.id))
    attempt.last_saved_at = now
    return created is not None


def end_take(attempt: Attempt, take: Take, *, seconds: float, now: datetime) -> Take:
    item = exams.deliverable(attempt, take.deliverable_id, "recording")
    if take.status == "recording":
        take.status, take.ended_at = "complete", now
        take.seconds = round(min(max(seconds, 0.0), float(limit_seconds(attempt, item))), 1)
    db.session.flush()
    return take


def handed(attempt_id: int, deliverable_id: str) -> Take | None:
    """The take that counts: the last one with sound in it, else the last declaration that recording failed."""
    candidates = list(db.session.scalars(select(Take).where(Take.attempt_id == attempt_id,
                                                            Take.deliverable_id == deliverable_id)
                                         .order_by(Take.number.desc())))
    with_sound = next((t for t in candidates if t.status != "unavailable" and t.pieces), None)
    return with_sound or next((t for t in candidates if t.status == "unavailable"), None)


def media(take: Take) -> bytes:
    return b"".join(piece.data for piece in take.pieces)


@exams.snapshot_part("recordings")
def _recordings(attempt: Attempt) -> dict:
    found = {}
    for item in attempt.session.version.document["deliverables"]:
        if item["kind"] != "recording":
            continue
        take = handed(attempt.id, item["id"])
        if take is None:
            continue
        if take.status == "unavailable":
            found[item["id"]] = {"take": take.number, "status": "unavailable", "problem": take.problem}
        else:
            data = media(take)
            found[item["id"]] = {"take": take.number, "status": "complete", "media_type": take.media_type,
                                 "seconds": take.seconds, "bytes": len(data),
                                 "sha256": hashlib.sha256(data).hexdigest(), "pieces": len(take.pieces)}
    return found
