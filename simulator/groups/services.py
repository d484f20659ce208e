"""Groups and pairs of an exam session: forming them, the members' roles and presence, and what each member
contributed to the shared production. Functions take the time and flush; callers commit."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from simulator.auth.models import User
from simulator.exams import audit, services as exams
from simulator.exams.errors import GroupError
from simulator.exams.models import Attempt, DraftSave, ExamGroup, ExamSession, Upload
from simulator.extensions import db
from simulator.groups import authorship

PRESENT_FOR = timedelta(seconds=45)  # a member whose workspace spoke within it is shown as working
MAX_ROLE = 120


def is_group_work(document: dict) -> bool:
    return document.get("organisation", "individual") in ("pair", "group")


def sizes(document: dict) -> tuple[int, int]:
    """The group sizes the scenario allows (a pair is two)."""
    found = document.get("group_size") or {}
    if document.get("organisation") == "pair":
        return found.get("min", 2), found.get("max", 2)
    return found.get("min", 2), found.get("max", 4)


def _check_sizes(session: ExamSession) -> list[str]:
    """Warnings about groups outside the scenario's sizes (an absence may make one too small: it still works)."""
    low, high = sizes(session.version.document)
    return [str(_l("Group %(n)s has %(count)s member(s); the scenario asks for %(low)s to %(high)s.",
                   n=g.number, count=len(g.members), low=low, high=high))
            for g in session.groups if not low <= len(g.members) <= high]


def _new_group(session: ExamSession) -> ExamGroup:
    number = max((g.number for g in session.groups), default=0) + 1
    group = ExamGroup(number=number, status="open")
    session.groups.append(group)
    return group


def form_groups(session: ExamSession, *, by: User, now: datetime) -> list[str]:
    """Put every candidate not yet in a group and not started into groups within the scenario's sizes, as even
    as possible, in alphabetical order. Returns the warnings about sizes."""
    document = session.version.document
    if not is_group_work(document):
        raise GroupError(reason=_l("this scenario is individual work"))
    low, high = sizes(document)
    free = sorted((a for a in session.attempts if a.group_id is None and a.status == "scheduled"),
                  key=lambda a: (a.candidate.name.casefold(), a.id))
    if not free:
        raise GroupError(reason=_l("every candidate who has not started is already in a group"))
    count = math.ceil(len(free) / high)
    base, extra = divmod(len(free), count)
    position = 0
    for index in range(count):
        group = _new_group(session)
        size = base + (1 if index < extra else 0)
        for attempt in free[position:position + size]:
            attempt.group = group
        position += size
    db.session.flush()
    audit.record("groups_formed", actor_id=by.id, session_id=session.id, at=now, groups=count, candidates=len(free))
    return _check_sizes(session)


def move(attempt: Attempt, *, to: int | None, by: User, now: datetime) -> list[str]:
    """Move a candidate who has not started into group number `to` (0: a new group; None: out of any group).
    Returns the warnings about sizes."""
    session = attempt.session
    if not is_group_work(session.version.document):
        raise GroupError(reason=_l("this scenario is individual work"))
    if attempt.status != "scheduled":
        raise GroupError(reason=_l("%(name)s has already started; only a candidate who has not started can be moved",
                                   name=attempt.candidate.name))
    before = attempt.group
    if to == 0:
        target = _new_group(session)
    elif to is None:
        target = None
    else:
        target = next((g for g in session.groups if g.number == to), None)
        if target is None:
            raise GroupError(reason=_l("there is no group %(n)s in this session", n=to))
        if target.status != "open":
            raise GroupError(reason=_l("group %(n)s has already handed in", n=to))
        high = sizes(session.version.document)[1]
        if target is not before and len(target.members) >= high:
            raise GroupError(reason=_l("group %(n)s already has %(max)s members, the most the scenario allows",
                                       n=to, max=high))
    attempt.group = target
    db.session.flush()
    for group in {before, target} - {None}:
        db.session.refresh(group)
        if not group.members and group.started_at is None:
            session.groups.remove(group)
            db.session.delete(group)
        else:
            exams.refresh_group_deadline(group)
    db.session.flush()
    audit.record("group_member_moved", actor_id=by.id, attempt_id=attempt.id, session_id=session.id, at=now,
                 before=before.number if before else None, after=target.number if target else None)
    return _check_sizes(session)


def set_role(attempt: Attempt, *, role: str, now: datetime) -> None:
    """The role a member takes in the group (coordinator, note-taker, …), recorded with the production."""
    role = " ".join((role or "").split())
    if len(role) > MAX_ROLE:
        raise GroupError(reason=_l("a role is at most %(n)s characters", n=MAX_ROLE))
    if attempt.status != "in_progress":
        raise GroupError(reason=_l("the work is not in progress"))
    attempt.group_role = role or None
    audit.record("group_role_set", actor_id=attempt.candidate_id, attempt_id=attempt.id, at=now, role=role)
    db.session.flush()


def seen(attempt: Attempt, *, working_on: str | None, now: datetime) -> None:
    """The workspace's sign of life: which part the member has in hand."""
    known = {d["id"] for d in attempt.session.version.document["deliverables"]}
    attempt.seen_at, attempt.working_on = now, working_on if working_on in known else None
    db.session.flush()


def members_view(attempt: Attempt, now: datetime) -> dict:
    """What a member sees of their group: who is there and on which part, and who saved each answer last."""
    group = attempt.group
    titles = {d["id"]: d["title"] for d in attempt.session.version.document["deliverables"]}
    people = []
    for member in group.members:
        present = member.seen_at is not None and now - member.seen_at <= PRESENT_FOR and member.status == "in_progress"
        people.append({"attempt": member, "me": member.id == attempt.id, "present": present,
                       "part": titles.get(member.working_on) if present else None})
    names = {m.candidate_id: m.candidate.name for m in group.members}
    heads = {d: {"revision": revision, "by": names.get(author_id, "?"), "at": at}  # polled: no text loaded
             for d, revision, author_id, at in sorted(exams.latest_revisions(attempt))}
    return {"group": group, "people": people, "heads": heads, "titles": titles}


# -- contributions, kept with the hand-in ---------------------------------------------------------

@exams.snapshot_part("group")
def snapshot_group(attempt: Attempt) -> dict:
    """The group, its roles and each member's contributions, by attempt: the jury's page turns attempts into
    anonymous codes. Times are tenths of the group's own time, never clock times."""
    group = attempt.group
    if group is None:
        return {}
    by_author = {m.candidate_id: m.id for m in group.members}
    started = [m for m in group.members if m.started_at is not None]
    span = (group.started_at.timestamp(), (group.deadline_at or group.started_at).timestamp())
    members = {str(m.id): {"role": m.group_role or "", "parts": {}, "uploads": []} for m in started}

    def part(member: str, deliverable_id: str) -> dict:
        return members.setdefault(member, {"role": "", "parts": {}, "uploads": []})["parts"].setdefault(
            deliverable_id, {"saves": 0, "added": 0, "removed": 0, "tenths": [0] * 10})

    saves = db.session.execute(select(DraftSave.author_id, DraftSave.deliverable_id, DraftSave.received_at,
                                      DraftSave.chars_added, DraftSave.chars_removed)
                               .where(DraftSave.group_id == group.id, DraftSave.revision.is_not(None))
                               .order_by(DraftSave.id)).all()
    for author_id, deliverable_id, received_at, added, removed in saves:
        entry = part(str(by_author.get(author_id, 0)), deliverable_id)
        entry["saves"] += 1
        entry["added"] += added
        entry["removed"] += removed
        entry["tenths"][authorship.tenth(received_at.timestamp(), *span)] += 1
    for upload in db.session.scalars(select(Upload).where(Upload.group_id == group.id, Upload.timing != "late")
                                     .order_by(Upload.id)):
        members.setdefault(str(by_author.get(upload.author_id, 0)), {"role": "", "parts": {}, "uploads": []})[
            "uploads"].append({"deliverable": upload.deliverable_id, "filename": upload.filename, "size": upload.size,
                               "tenth": authorship.tenth(upload.received_at.timestamp(), *span)})
    texts = exams.latest_texts(attempt)
    written = {d: [[by_author.get(author, 0), length] for author, length in (s.blame or [])]
               for d, s in sorted(texts.items())}
    return {"number": group.number, "members": members,
            "absent": [m.id for m in group.members if m.started_at is None], "authorship": written}

