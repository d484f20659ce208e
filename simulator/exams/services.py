"""Exam sessions and attempts. Functions take the time as an argument and flush; callers commit."""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, and_, bindparam, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from simulator.auth.models import User
from simulator.core.database import insert_ignoring_duplicates
from simulator.exams import audit, timing
from simulator.exams.errors import (
    UPLOAD_REASONS, AlreadyClosed, AlreadyHandedIn, NotOpen, SaveConflict, SaveRefused, ScheduleError,
    SwornStatementMissing, TooLong, UnknownDeliverable, UploadRefused,
)
from simulator.exams.models import (
    Attempt, CandidateAccommodation, DraftSave, ExamGroup, ExamSession, HandIn, TimeGrant, Upload,
)
from simulator.exams.uploads import RefusedFile, check_upload
from simulator.extensions import db
from simulator.groups import authorship
from simulator.scenarios.models import ScenarioVersion

DEFAULT_MAX_CHARS = 200_000
DEFAULT_MAX_MB = 20
START_MODES = ("self", "together")
handed_in = Namespace().signal("handed-in")  # sent with the HandIn, inside its transaction; grading routes it


# -- accommodations ---------------------------------------------------------------------------

def textual_oral(user_id: int) -> bool:
    return bool(db.session.scalar(select(CandidateAccommodation.textual_oral)
                                  .where(CandidateAccommodation.user_id == user_id)))


def accommodation_of(user_id: int) -> timing.Accommodation:
    row = db.session.scalar(select(CandidateAccommodation).where(CandidateAccommodation.user_id == user_id))
    return row.rule if row else timing.NONE


def set_accommodation(*, candidate: User, fraction: Fraction, minutes: int, note: str | None, by: User,
                      now: datetime, textual_oral: bool = False) -> CandidateAccommodation:
    rule = timing.Accommodation(fraction, minutes)  # raises on negative values
    row = db.session.scalar(select(CandidateAccommodation).where(CandidateAccommodation.user_id == candidate.id))
    if row is None:
        row = CandidateAccommodation(user=candidate)
        db.session.add(row)
    row.fraction_numerator, row.fraction_denominator = rule.fraction.numerator, rule.fraction.denominator
    row.extra_minutes, row.note, row.textual_oral = rule.minutes, note, textual_oral
    db.session.flush()
    for attempt in db.session.scalars(select(Attempt).where(Attempt.candidate_id == candidate.id,
                                                             Attempt.status.in_(("scheduled", "in_progress")))):
        refresh_deadline(attempt)  # a member not started yet still sets the clock of a group that has
    audit.record("accommodation_set", actor_id=by.id, at=now, candidate_id=candidate.id,
                 fraction=str(rule.fraction), minutes=rule.minutes, textual_oral=textual_oral)
    return row


# -- sessions ----------------------------------------------------------------------------------

def schedule_session(*, version: ScenarioVersion, title: str, opens_at: datetime, closes_at: datetime,
                     start_mode: str, candidates: list[User], by: User, now: datetime) -> ExamSession:
    if closes_at <= opens_at:
        raise ScheduleError(reason=_l("the window closes before it opens"))
    if start_mode not in START_MODES:
        raise ScheduleError(reason=_l("unknown start mode %(mode)s", mode=start_mode))
    if not candidates:
        raise ScheduleError(reason=_l("no candidate was chosen"))
    wrong = [u.email for u in candidates if u.role != "candidate"]
    if wrong:
        raise ScheduleError(reason=_l("these accounts are not candidates: %(emails)s", emails=", ".join(wrong)))
    session = ExamSession(version=version, title=title.strip() or version.title, opens_at=opens_at,
                          closes_at=closes_at, start_mode=start_mode, created_by=by)
    db.session.add(session)
    for candidate in {c.id: c for c in candidates}.values():
        session.attempts.append(Attempt(candidate=candidate, status="scheduled"))
    db.session.flush()
    audit.record("session_scheduled", actor_id=by.id, session_id=session.id, at=now,
                 version_id=version.id, candidates=len(session.attempts))
    return session


def open_together(session: ExamSession, *, by: User, now: datetime) -> None:
    """For sessions that start all together: the trainer opens them."""
    if session.start_mode != "together":
        raise ScheduleError(reason=_l("candidates of this session start on their own"))
    if not session.opens_at <= now <= session.closes_at:
        raise NotOpen(opens=session.opens_at.isoformat(timespec="minutes"))
    session.started_by_trainer_at = now
    audit.record("session_opened", actor_id=by.id, session_id=session.id, at=now)


# -- attempts ----------------------------------------------------------------------------------

def personal_close(attempt: Attempt) -> datetime:
    session = attempt.session
    if attempt.group is not None and attempt.group.deadline_at is not None:
        return attempt.group.deadline_at  # the group's work runs until its deadline
    return timing.personal_close(session.closes_at, session.version.duration_seconds,
                                 accommodation_of(attempt.candidate_id), attempt.granted_seconds)


def time_allowed(attempt: Attempt) -> int:
    """The candidate's time; in a group, the group's: the longest time allowed to one of its members."""
    base = attempt.session.version.duration_seconds
    people = attempt.group.members if attempt.group is not None else [attempt]
    return max(timing.time_allowed(base, accommodation_of(m.candidate_id), m.granted_seconds) for m in people)


def refresh_deadline(attempt: Attempt) -> None:
    if attempt.group is not None:
        refresh_group_deadline(attempt.group)
        return
    if attempt.started_at is None:
        return
    session = attempt.session
    attempt.deadline_at = timing.deadline(
        started_at=attempt.started_at, base_seconds=session.version.duration_seconds,
        window_closes=session.closes_at, accommodation=accommodation_of(attempt.candidate_id),
        granted_seconds=attempt.granted_seconds)


def refresh_group_deadline(group: ExamGroup) -> None:
    """One clock for the group, from its first start to the latest of its members' own deadlines: an
    accommodated member is never cut short, and every member hands in at the same moment, so nothing in the
    production tells whose time it was (docs/decisions/2026-11-23-group-work.md)."""
    if group.started_at is None:
        return
    session = group.session
    group.deadline_at = max(timing.deadline(
        started_at=group.started_at, base_seconds=session.version.duration_seconds, window_closes=session.closes_at,
        accommodation=accommodation_of(m.candidate_id), granted_seconds=m.granted_seconds) for m in group.members)
    for member in group.members:
        if member.started_at is not None:
            member.deadline_at = group.deadline_at


def check_can_start(attempt: Attempt, now: datetime) -> None:
    session = attempt.session
    if attempt.status != "scheduled":
        raise AlreadyHandedIn() if attempt.hand_in else AlreadyClosed()
    if attempt.group is not None and attempt.group.status != "open":
        raise AlreadyHandedIn()
    if now < session.opens_at or (session.start_mode == "together" and session.started_by_trainer_at is None):
        raise NotOpen(opens=session.opens_at.isoformat(timespec="minutes"))
    if now >= personal_close(attempt):
        raise AlreadyClosed()


def start_attempt(attempt: Attempt, *, sworn: bool, now: datetime) -> None:
    """Starting fixes the deadline on the server. A group's clock starts with its first member; the others
    join it."""
    if not sworn:
        raise SwornStatementMissing()
    check_can_start(attempt, now)
    changed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "scheduled")
        .values(status="in_progress", started_at=now, sworn_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise AlreadyClosed()
    if attempt.group_id is not None:
        db.session.execute(update(ExamGroup).where(ExamGroup.id == attempt.group_id, ExamGroup.started_at.is_(None))
                           .values(started_at=now).execution_options(synchronize_session=False))
        db.session.refresh(attempt.group)
    db.session.refresh(attempt)
    refresh_deadline(attempt)
    audit.record("attempt_started", actor_id=attempt.candidate_id, attempt_id=attempt.id, at=now,
                 deadline=attempt.deadline_at.isoformat())


_DELIVERABLES: dict[str, dict[str, dict]] = {}


def deliverables_of(version: ScenarioVersion) -> dict[str, dict]:
    """The version's deliverables by id. Keyed by the version's content digest: the same digest is the same content, so each
    worker may keep it (nothing another worker needs, nothing that can go stale)."""
    found = _DELIVERABLES.get(version.digest)
    if found is None:
        if len(_DELIVERABLES) > 512:
            _DELIVERABLES.clear()
        found = _DELIVERABLES[version.digest] = {item["id"]: item for item in version.document["deliverables"]}
    return found


def deliverable(attempt: Attempt, deliverable_id: str, kind: str) -> dict:
    item = deliverables_of(attempt.session.version).get(deliverable_id)
    if item is None or item["kind"] != kind:
        raise UnknownDeliverable()
    return item


def timing_of_save(attempt: Attempt, now: datetime) -> timing.SaveTiming:
    if attempt.status != "in_progress":
        return timing.SaveTiming.LATE
    return timing.classify_save(now, attempt.deadline_at)


_SAVES, _ATTEMPTS = DraftSave.__table__.c, Attempt.__table__


def _scope(grouped: bool, attempt_id, group_id):
    """The saves that make an attempt's answers: the group's, for a member of a group."""
    if grouped:
        return _SAVES.group_id == group_id
    return and_(_SAVES.attempt_id == attempt_id, _SAVES.group_id.is_(None))


def answer_scope(attempt: Attempt):
    return _scope(attempt.group_id is not None, attempt.id, attempt.group_id)


# An autosave's statements are built once, with bound parameters: building them and computing their cache keys
# again on every save cost about a tenth of its CPU (docs/performance.md).
HEAD_COLUMNS = (_SAVES.id, _SAVES.content, _SAVES.revision, _SAVES.author_id, _SAVES.received_at, _SAVES.timing,
                _SAVES.blame)
_HEAD = {grouped: select(*HEAD_COLUMNS)
         .where(_scope(grouped, bindparam("attempt_id"), bindparam("group_id")),
                _SAVES.deliverable_id == bindparam("deliverable_id"), _SAVES.revision.is_not(None))
         .order_by(_SAVES.revision.desc()).limit(1)
         for grouped in (False, True)}
_TOUCH = _ATTEMPTS.update().where(_ATTEMPTS.c.id == bindparam("attempt_id")).values(last_saved_at=bindparam("at"))


@functools.cache
def _insert_save(dialect: str):
    return insert_ignoring_duplicates(DraftSave, dialect).returning(_SAVES.id)


def head(attempt: Attempt, deliverable_id: str) -> Row | None:
    """The answer as it stands: its latest accepted revision (HEAD_COLUMNS of it, as a row: every autosave reads
    it, and the ORM's bookkeeping of an entity is not needed for that)."""
    return db.session.execute(_HEAD[attempt.group_id is not None], {
        "attempt_id": attempt.id, "group_id": attempt.group_id, "deliverable_id": deliverable_id}).first()


def save_text(attempt: Attempt, *, deliverable_id: str, content: str, author: User, now: datetime,
              base: int | None = None) -> DraftSave:
    """Store one save made on top of revision `base` (None: on top of whatever is there).

    Saved on top of the current revision, it becomes the next one. The same text again (a retried save) is
    acknowledged without a second row. From an older revision (another window, another member of the group),
    or losing a race for the same revision, it is kept without a revision and SaveConflict says what the
    answer now holds. A late save is kept as evidence, then refused with SaveRefused."""
    item = deliverable(attempt, deliverable_id, "text")
    limit = item.get("max_chars") or DEFAULT_MAX_CHARS
    if len(content) > limit:
        raise TooLong(found=len(content), limit=limit)
    when = timing_of_save(attempt, now)
    row = dict(attempt_id=attempt.id, deliverable_id=deliverable_id, content=content, received_at=now,
               timing=when.value, author_id=author.id, group_id=attempt.group_id, base_revision=base)
    if when is timing.SaveTiming.LATE:
        _keep(attempt, DraftSave(**row), "late_save_refused", author, now)
    current = head(attempt, deliverable_id)
    if current is not None and current.content == content:
        _touch(attempt, now)
        return current
    number = current.revision if current is not None else 0
    if base is not None and base != number:
        return _conflict(attempt, row, current, now)
    old = current.content if current is not None else ""
    edit = authorship.edit_between(old, content)
    blame = None
    if attempt.group_id is not None:
        blame = authorship.carry(current.blame if current is not None else None, old, edit, author.id,
                                 previous_author=current.author_id if current is not None else None)
    stored = dict(row, revision=number + 1, chars_added=edit.added, chars_removed=edit.removed, blame=blame)
    inserted = db.session.execute(_insert_save(db.session.get_bind().dialect.name), stored).scalar()
    if inserted is None:  # another save took this revision a moment ago
        return _conflict(attempt, row, head(attempt, deliverable_id), now)
    _touch(attempt, now)
    return DraftSave(id=inserted, **stored)  # what was stored, without reading its 20 KB back: saves never change


def _touch(attempt: Attempt, now: datetime) -> None:
    """The trainer's live view shows when each candidate last saved. Written with one UPDATE rather than through
    the unit of work, whose flush at commit cost about a tenth of an autosave's CPU."""
    db.session.execute(_TOUCH, {"attempt_id": attempt.id, "at": now})
    set_committed_value(attempt, "last_saved_at", now)


def _conflict(attempt: Attempt, row: dict, current: DraftSave | None, now: datetime):
    db.session.add(DraftSave(**row))
    attempt.last_saved_at = now
    audit.record("save_conflict", actor_id=row["author_id"], attempt_id=attempt.id, at=now,
                 deliverable=row["deliverable_id"], base=row["base_revision"],
                 current=current.revision if current is not None else 0)
    db.session.flush()
    raise SaveConflict(head=current)


def _keep(attempt: Attempt, row: DraftSave | Upload, late_action: str, author: User, now: datetime) -> None:
    """Store what arrived; if it arrived too late, it stays as evidence and is refused."""
    db.session.add(row)
    if row.timing == timing.SaveTiming.LATE.value:
        audit.record(late_action, actor_id=author.id, attempt_id=attempt.id, at=now, deliverable=row.deliverable_id)
        db.session.flush()
        raise SaveRefused()
    attempt.last_saved_at = now


def save_upload(attempt: Attempt, *, deliverable_id: str, filename: str, data: bytes, author: User,
                now: datetime) -> Upload:
    item = deliverable(attempt, deliverable_id, "file")
    max_bytes = (item.get("max_size_mb") or DEFAULT_MAX_MB) * 1024 * 1024
    try:
        name, media_type = check_upload(filename, data, item.get("allowed_types") or [], max_bytes)
    except RefusedFile as exc:
        raise UploadRefused(reason=str(UPLOAD_REASONS[exc.reason]) % exc.params if exc.params
                            else str(UPLOAD_REASONS[exc.reason])) from exc
    when = timing_of_save(attempt, now)
    upload = Upload(attempt_id=attempt.id, deliverable_id=deliverable_id, filename=name, media_type=media_type,
                    size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=data, received_at=now,
                    timing=when.value, author_id=author.id, group_id=attempt.group_id)
    _keep(attempt, upload, "late_upload_refused", author, now)
    audit.record("file_uploaded", actor_id=author.id, attempt_id=attempt.id, at=now, deliverable=deliverable_id,
                 sha256=upload.sha256, size=upload.size)
    db.session.flush()
    return upload


def _heads(attempt: Attempt, *columns):
    """SELECT `columns` of each answer's latest revision (the group's, for a member of a group)."""
    scope = answer_scope(attempt)
    heads = (select(DraftSave.deliverable_id, func.max(DraftSave.revision).label("revision"))
             .where(scope, DraftSave.revision.is_not(None)).group_by(DraftSave.deliverable_id).subquery())
    return select(*columns).join(heads, and_(DraftSave.deliverable_id == heads.c.deliverable_id,
                                             DraftSave.revision == heads.c.revision)).where(scope)


def latest_texts(attempt: Attempt) -> dict[str, DraftSave]:
    """Each answer's latest revision, the group's for a member of a group."""
    return {save.deliverable_id: save for save in db.session.scalars(_heads(attempt, DraftSave))}


def latest_revisions(attempt: Attempt) -> list:
    """Each answer's latest revision without its text: (deliverable_id, revision, author_id, received_at)."""
    return db.session.execute(_heads(attempt, DraftSave.deliverable_id, DraftSave.revision, DraftSave.author_id,
                                     DraftSave.received_at)).all()


def save_history(attempt: Attempt) -> list:
    """Every save of the attempt's answers (the group's, for a member of a group), oldest first, without its text:
    accepted revisions, texts kept beside a conflict, saves refused after the deadline."""
    return db.session.execute(
        select(DraftSave.id, DraftSave.deliverable_id, DraftSave.revision, DraftSave.base_revision, DraftSave.timing,
               DraftSave.received_at, DraftSave.author_id, func.length(DraftSave.content).label("length"))
        .where(answer_scope(attempt)).order_by(DraftSave.received_at, DraftSave.id)).all()


def saved_text(attempt: Attempt, save_id: int) -> DraftSave | None:
    """One save of the attempt's answers, with its text; None if it is not one of them."""
    return db.session.scalar(select(DraftSave).where(answer_scope(attempt), DraftSave.id == save_id))


def latest_uploads(attempt: Attempt) -> dict[str, Upload]:
    scope = (Upload.group_id == attempt.group_id if attempt.group_id is not None
             else and_(Upload.attempt_id == attempt.id, Upload.group_id.is_(None)))
    uploads = db.session.scalars(select(Upload).where(scope, Upload.timing != "late").order_by(Upload.id))
    return {upload.deliverable_id: upload for upload in uploads}


_SNAPSHOT_PARTS: dict[str, Callable[[Attempt], dict]] = {}


def snapshot_part(name: str):
    """Another package adds what it keeps of an attempt to the hand-in (role plays add their transcripts)."""
    def register(function: Callable[[Attempt], dict]) -> Callable[[Attempt], dict]:
        _SNAPSHOT_PARTS[name] = function
        return function
    return register


def snapshot(attempt: Attempt, handed_in_at: datetime) -> dict:
    texts = latest_texts(attempt)
    uploads = latest_uploads(attempt)
    parts = {name: found for name, part in sorted(_SNAPSHOT_PARTS.items()) if (found := part(attempt))}
    return {
        **parts,
        "attempt": attempt.id,
        "scenario_version": attempt.session.version_id,
        "handed_in_at": handed_in_at.isoformat(),
        "texts": {k: v.content for k, v in sorted(texts.items())},
        "files": {k: {"filename": v.filename, "sha256": v.sha256, "size": v.size, "upload": v.id}
                  for k, v in sorted(uploads.items())},
    }


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def hand_in(attempt: Attempt, *, now: datetime, automatic: bool, actor_id: int | None) -> HandIn:
    """Exactly once, whatever the number of workers racing: the first to flip the status wins. A group hands
    in once, for every member who started; members who never came are absent and block nobody."""
    if attempt.group_id is not None:
        return _hand_in_group(attempt, now=now, automatic=automatic, actor_id=actor_id)
    return _hand_in_one(attempt, now=now, automatic=automatic, actor_id=actor_id)


def _hand_in_group(attempt: Attempt, *, now: datetime, automatic: bool, actor_id: int | None) -> HandIn:
    group_id = attempt.group_id
    changed = db.session.execute(
        update(ExamGroup).where(ExamGroup.id == group_id, ExamGroup.status == "open").values(status="handed_in")
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        db.session.rollback()
        raise AlreadyHandedIn()
    group = db.session.get(ExamGroup, group_id)
    db.session.refresh(group)
    receipts = {}
    for member in list(group.members):
        db.session.refresh(member)
        if member.status == "in_progress":
            receipts[member.id] = _hand_in_one(member, now=now, automatic=automatic, actor_id=actor_id)
    audit.record("group_handed_in", actor_id=actor_id, attempt_id=attempt.id, session_id=group.session_id, at=now,
                 group=group.number, automatic=automatic, members=sorted(receipts))
    db.session.flush()
    if attempt.id not in receipts:
        raise AlreadyHandedIn()
    return receipts[attempt.id]


def _hand_in_one(attempt: Attempt, *, now: datetime, automatic: bool, actor_id: int | None) -> HandIn:
    new_status = "auto_handed_in" if automatic else "handed_in"
    changed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "in_progress")
        .values(status=new_status).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        db.session.rollback()
        raise AlreadyHandedIn()
    db.session.refresh(attempt)
    at = attempt.deadline_at if automatic else now
    data = snapshot(attempt, at)
    receipt = HandIn(attempt_id=attempt.id, handed_in_at=at, automatic=automatic, snapshot=data, sha256=digest(data))
    db.session.add(receipt)
    audit.record("auto_handed_in" if automatic else "handed_in", actor_id=actor_id, attempt_id=attempt.id, at=now,
                 sha256=receipt.sha256)
    db.session.flush()
    handed_in.send(receipt, now=now)
    return receipt


def finalise_if_expired(attempt: Attempt, now: datetime) -> bool:
    """On every request that touches an attempt: hand in what was saved once the grace is over."""
    if attempt.status != "in_progress" or not timing.is_expired(now, attempt.deadline_at):
        return False
    try:
        hand_in(attempt, now=now, automatic=True, actor_id=None)
    except AlreadyHandedIn:
        db.session.refresh(attempt)
        return False
    return True


def finalise_expired(now: datetime) -> int:
    """What cron runs: every attempt past its deadline and grace is handed in, once."""
    ids = db.session.scalars(select(Attempt.id).where(Attempt.status == "in_progress",
                                                      Attempt.deadline_at < now - timing.GRACE)).all()
    done = 0
    for attempt_id in ids:
        attempt = db.session.get(Attempt, attempt_id)
        if finalise_if_expired(attempt, now):
            db.session.commit()
            done += 1
    return done


def grant_time(attempt: Attempt, *, minutes: int, reason: str, by: User, now: datetime) -> TimeGrant:
    if not reason.strip():
        raise ScheduleError(reason=_l("a reason is required for extra time"))
    if not 1 <= minutes <= 600:
        raise ScheduleError(reason=_l("extra time is between 1 and 600 minutes"))
    if attempt.status not in ("scheduled", "in_progress"):
        raise AlreadyHandedIn()
    grant = TimeGrant(attempt_id=attempt.id, seconds=minutes * 60, reason=reason.strip(), granted_by_id=by.id,
                      granted_at=now)
    db.session.add(grant)
    attempt.granted_seconds += minutes * 60
    refresh_deadline(attempt)
    audit.record("time_granted", actor_id=by.id, attempt_id=attempt.id, session_id=attempt.session_id, at=now,
                 minutes=minutes, reason=reason.strip())
    db.session.flush()
    return grant
